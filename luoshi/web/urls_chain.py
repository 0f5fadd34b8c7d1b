"""The supervision office's actions on the task page (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.views import chain

urlpatterns = [
    path("assignments/<int:pk>/override", chain.override, name="override_rating"),
    path("tasks/<int:pk>/evaluators", chain.designate, name="designate_evaluator"),
    path("tasks/<int:pk>/evaluations", chain.evaluate, name="record_evaluation"),
    path("tasks/<int:pk>/measures", chain.measure, name="record_measure"),
]
