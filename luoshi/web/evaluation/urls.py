"""Evaluation and closing on the task page (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.evaluation import views

urlpatterns = [
    path("tasks/<int:pk>/evaluators", views.designate, name="designate_evaluator"),
    path("tasks/<int:pk>/evaluations", views.evaluate, name="record_evaluation"),
    path("tasks/<int:pk>/close", views.close, name="close_task"),
]
