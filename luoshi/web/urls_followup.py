"""Follow-up pages (included by ``web.urls``, so the names are ``web:…``): approval, urgings."""

from django.urls import path

from luoshi.web.views import followup

urlpatterns = [
    path("reports/<int:pk>/approve", followup.approve, name="approve_report"),
    path("urgings/<int:pk>/", followup.urging, name="urging"),
]
