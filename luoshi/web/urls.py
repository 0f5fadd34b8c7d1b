from django.urls import include, path

from luoshi.web.views import my, office

app_name = "web"

urlpatterns = [
    path("my/", my.home, name="my"),
    path("inbox/", my.inbox_page, name="inbox"),
    path("inbox/<int:pk>/read", my.read_notice, name="read_notice"),
    path("inbox/read-all", my.read_all, name="read_all"),
    path("assignments/<int:pk>/", my.assignment, name="assignment"),
    path("office/", office.home, name="office"),
    path("office/list/<slug:kind>/", office.listing, name="office_list"),
    path("office/extensions/<int:pk>/decide", office.decide_extension_view, name="decide_extension"),
    path("office/completions/<int:pk>/decide", office.decide_completion, name="decide_completion"),
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
