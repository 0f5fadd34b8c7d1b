from django.contrib import admin
from django.urls import include, path

from luoshi.api.api import api
from luoshi.lib.admin import brand

brand(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("luoshi.web.urls")),
    path("", include("luoshi.site.urls")),
    path("documents/", include("luoshi.web.documents.urls")),
    path("review/", include("luoshi.web.review.urls")),
    path("api/", api.urls),
]

handler400 = "luoshi.site.error_pages.bad_request"
handler403 = "luoshi.site.error_pages.permission_denied"
handler404 = "luoshi.site.error_pages.page_not_found"
handler500 = "luoshi.site.error_pages.server_error"
