"""Report and evidence pages, included into the web app's URLs."""

from django.urls import path

from luoshi.web.reports import evidence, views

urlpatterns = [
    path("obligations/<int:pk>/report/", views.report_form, name="report"),
    path("evidence/<int:pk>/", evidence.preview, name="evidence"),
    path("evidence/<int:pk>/file", evidence.inline, name="evidence_inline"),
    path("evidence/<int:pk>/download", evidence.download, name="evidence_download"),
]
