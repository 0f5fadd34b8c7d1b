"""The dashboard (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.dashboard import views as dashboard

urlpatterns = [
    path("dashboard/", dashboard.home, name="dashboard"),
    path("dashboard/<slug:chart>.csv", dashboard.chart_csv, name="dashboard_csv"),
]
