"""The supervision office's home, its lists and its two decisions (included by ``web.urls``, so the
names are ``web:…``)."""

from django.urls import path

from luoshi.web.office import views as office

urlpatterns = [
    path("office/", office.home, name="office"),
    path("office/list/<slug:kind>/", office.listing, name="office_list"),
    path("office/extensions/<int:pk>/decide", office.decide_extension_view, name="decide_extension"),
    path("office/completions/<int:pk>/decide", office.decide_completion, name="decide_completion"),
]
