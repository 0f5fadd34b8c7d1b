"""The dashboard and the bulletins pages (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.views import bulletins, dashboard

urlpatterns = [
    path("dashboard/", dashboard.home, name="dashboard"),
    path("dashboard/<slug:chart>.csv", dashboard.chart_csv, name="dashboard_csv"),
    path("bulletins/", bulletins.home, name="bulletins"),
    path("bulletins/preview", bulletins.preview, name="bulletin_preview"),
    path("bulletins/download", bulletins.download, name="bulletin_download"),
    path("bulletins/issue", bulletins.issue, name="bulletin_issue"),
    path("bulletins/good-practice/<int:pk>", bulletins.good_practice, name="bulletin_good_practice"),
    path("bulletins/<int:pk>.<slug:fmt>", bulletins.issued, name="bulletin_issued"),
    path("bulletins/ledger.xlsx", bulletins.ledger, name="bulletin_ledger"),
]
