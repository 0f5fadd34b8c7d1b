"""Recording a measure on the task page (included by ``web.urls``, so the name is ``web:…``)."""

from django.urls import path

from luoshi.web.accountability import views

urlpatterns = [
    path("tasks/<int:pk>/measures", views.measure, name="record_measure"),
]
