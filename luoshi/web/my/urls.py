"""The unit's home and the inbox (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.my import views as my

urlpatterns = [
    path("my/", my.home, name="my"),
    path("inbox/", my.inbox_page, name="inbox"),
    path("inbox/<int:pk>/read", my.read_notice, name="read_notice"),
    path("inbox/read-all", my.read_all, name="read_all"),
    path("assignments/<int:pk>/", my.assignment, name="assignment"),
]
