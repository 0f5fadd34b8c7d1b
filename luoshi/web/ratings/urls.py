"""The rating override on the task page (included by ``web.urls``, so the name is ``web:…``)."""

from django.urls import path

from luoshi.web.ratings import views

urlpatterns = [
    path("assignments/<int:pk>/override", views.override, name="override_rating"),
]
