"""Follow-up pages (included by ``web.urls``, so the names are ``web:…``): approval, urgings, audit search."""

from django.urls import path

from luoshi.web.views import audit, followup

urlpatterns = [
    path("reports/<int:pk>/approve", followup.approve, name="approve_report"),
    path("urgings/<int:pk>/", followup.urging, name="urging"),
    path("audit/", audit.audit, name="audit"),
    path("audit.csv", audit.audit_csv, name="audit_csv"),
]
