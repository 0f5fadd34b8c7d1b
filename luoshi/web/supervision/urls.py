"""Follow-up pages (included by ``web.urls``, so the names are ``web:…``): approval, urgings, notices."""

from django.urls import path

from luoshi.web.supervision import urging
from luoshi.web.supervision import views as followup

urlpatterns = [
    path("reports/<int:pk>/approve", followup.approve, name="approve_report"),
    path("urgings/<int:pk>/", followup.urging, name="urging"),
    path("urgings/<int:pk>.docx", urging.urging_docx, name="urging_docx"),
    path("units/<int:pk>/urging.docx", urging.unit_urging_docx, name="unit_urging_docx"),
    path("units/<int:pk>/urging/issue/", urging.issue_unit_urging, name="unit_urging_issue"),
]
