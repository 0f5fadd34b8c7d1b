"""The audit trail's search and its CSV (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.audit import views

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit.csv", views.audit_csv, name="audit_csv"),
]
