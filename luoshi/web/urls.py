from django.urls import include, path

app_name = "web"

urlpatterns = [
    path("", include("luoshi.web.my.urls")),
    path("", include("luoshi.web.office.urls")),
    path("", include("luoshi.web.reports.urls")),
    path("", include("luoshi.web.plan.urls")),
    path("", include("luoshi.web.dashboard.urls")),
    path("", include("luoshi.web.people.urls")),
    path("", include("luoshi.web.audit.urls")),
    path("", include("luoshi.web.bulletins.urls")),
    path("", include("luoshi.web.tasks.urls")),
    path("", include("luoshi.web.ratings.urls")),
    path("", include("luoshi.web.evaluation.urls")),
    path("", include("luoshi.web.accountability.urls")),
    path("", include("luoshi.web.supervision.urls")),
    path("", include("luoshi.web.instructions.urls")),
]
