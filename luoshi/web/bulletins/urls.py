"""The bulletins pages (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.bulletins import views

urlpatterns = [
    path("bulletins/", views.home, name="bulletins"),
    path("bulletins/preview", views.preview, name="bulletin_preview"),
    path("bulletins/download", views.download, name="bulletin_download"),
    path("bulletins/issue", views.issue, name="bulletin_issue"),
    path("bulletins/good-practice/<int:pk>", views.good_practice, name="bulletin_good_practice"),
    path("bulletins/<int:pk>.<slug:fmt>", views.issued, name="bulletin_issued"),
    path("bulletins/ledger.xlsx", views.ledger, name="bulletin_ledger"),
]
