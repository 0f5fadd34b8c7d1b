from django.urls import include, path

from luoshi.web.views import task

app_name = "web"

urlpatterns = [
    path("", include("luoshi.web.my.urls")),
    path("assignments/<int:pk>/extension", task.extension_request, name="extension_request"),
    path("", include("luoshi.web.office.urls")),
    path("tasks/<int:pk>/", task.task, name="task"),
    path("tasks/<int:pk>/trajectory.csv", task.trajectory_csv, name="trajectory_csv"),
    path("", include("luoshi.web.reports.urls")),
    path("", include("luoshi.web.plan.urls")),
    path("", include("luoshi.web.dashboard.urls")),
    path("", include("luoshi.web.people.urls")),
    path("", include("luoshi.web.audit.urls")),
    path("", include("luoshi.web.bulletins.urls")),
    path("", include("luoshi.web.urls_chain")),
    path("", include("luoshi.web.supervision.urls")),
    path("", include("luoshi.web.instructions.urls")),
]
