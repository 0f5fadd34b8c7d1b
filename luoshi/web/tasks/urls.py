"""The task page, its downloads and its setup (included by ``web.urls``, so the names are ``web:…``)."""

from django.urls import path

from luoshi.web.tasks import views, views_setup

urlpatterns = [
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/trajectory.csv", views.trajectory_csv, name="trajectory_csv"),
    path("tasks/<int:pk>/indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("assignments/<int:pk>/extension", views.extension_request, name="extension_request"),
    path("assignments/<int:pk>/cascade", views_setup.divide, name="cascade"),
    path("tasks/<int:pk>/plan", views_setup.update_task, name="update_task"),
    path("tasks/<int:pk>/transition", views_setup.step, name="transition_task"),
    path("tasks/<int:pk>/milestones", views_setup.new_milestone, name="add_milestone"),
    path(
        "tasks/<int:pk>/milestones/<int:milestone_pk>/remove",
        views_setup.delete_milestone,
        name="remove_milestone",
    ),
    path("tasks/<int:pk>/indicators", views_setup.new_indicator, name="add_indicator"),
]
