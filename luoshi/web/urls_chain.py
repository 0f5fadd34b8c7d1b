"""The actions on the task page (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.views import chain, closure, setup, task

urlpatterns = [
    path("assignments/<int:pk>/override", chain.override, name="override_rating"),
    path("assignments/<int:pk>/cascade", setup.divide, name="cascade"),
    path("tasks/<int:pk>/plan", setup.update_task, name="update_task"),
    path("tasks/<int:pk>/transition", setup.step, name="transition_task"),
    path("tasks/<int:pk>/milestones", setup.new_milestone, name="add_milestone"),
    path(
        "tasks/<int:pk>/milestones/<int:milestone_pk>/remove", setup.delete_milestone, name="remove_milestone"
    ),
    path("tasks/<int:pk>/indicators", setup.new_indicator, name="add_indicator"),
    path("tasks/<int:pk>/indicators.csv", task.indicators_csv, name="indicators_csv"),
    path("tasks/<int:pk>/evaluators", chain.designate, name="designate_evaluator"),
    path("tasks/<int:pk>/evaluations", chain.evaluate, name="record_evaluation"),
    path("tasks/<int:pk>/measures", chain.measure, name="record_measure"),
    path("tasks/<int:pk>/close", closure.close, name="close_task"),
]
