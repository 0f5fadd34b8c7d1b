from django.contrib import admin
from django.urls import include, path

from luoshi.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("luoshi.web.urls")),
    path("", include("luoshi.core.urls")),
    path("documents/", include("luoshi.documents.urls")),
    path("api/", api.urls),
]
