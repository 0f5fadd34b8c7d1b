"""Decomposition review pages (任务分工方案), included into the web app's URLs."""

from django.urls import path

from luoshi.web.plan import views as plan

urlpatterns = [
    path("documents/<int:pk>/propose-plan", plan.propose, name="plan_propose"),
    path("plans/", plan.plan_list, name="plans"),
    path("plans/<int:pk>/", plan.plan, name="plan"),
    path("plans/<int:pk>/tasks/<int:task_pk>/status", plan.task_status, name="plan_task_status"),
    path("plans/<int:pk>/tasks/<int:task_pk>/edit", plan.task_edit, name="plan_task_edit"),
    path("plans/<int:pk>/tasks/<int:task_pk>/milestones", plan.task_milestone, name="plan_task_milestone"),
    path("plans/<int:pk>/tasks/<int:task_pk>/indicators", plan.task_indicator, name="plan_task_indicator"),
    path("plans/<int:pk>/tasks/<int:task_pk>/remove", plan.task_schedule_remove, name="plan_task_remove"),
    path("plans/<int:pk>/tasks/<int:task_pk>/split", plan.task_split, name="plan_task_split"),
    path("plans/<int:pk>/merge", plan.merge, name="plan_merge"),
    path("plans/<int:pk>/accept-rest", plan.accept_rest, name="plan_accept_rest"),
    path("plans/<int:pk>/confirm", plan.confirm, name="plan_confirm"),
    path("plans/<int:pk>/create-tasks", plan.create_tasks, name="plan_create_tasks"),
    path("plans/<int:pk>/plan.xlsx", plan.export_xlsx, name="plan_xlsx"),
    path("plans/<int:pk>/import", plan.import_xlsx, name="plan_import"),
]
