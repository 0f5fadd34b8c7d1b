"""Units and users administration (docs/administration.md), included into the web app's URLs."""

from django.urls import path

from luoshi.web.people import views as people

urlpatterns = [
    path("people/units/", people.units, name="people_units"),
    path("people/units/new", people.unit_new, name="people_unit_new"),
    path("people/units/<int:pk>/", people.unit_row_view, name="people_unit_row"),
    path("people/units/<int:pk>/edit", people.unit_edit, name="people_unit_edit"),
    path("people/users/", people.users, name="people_users"),
    path("people/users/new", people.user_new, name="people_user_new"),
    path("people/users/<int:pk>/", people.user_row_view, name="people_user_row"),
    path("people/users/<int:pk>/edit", people.user_edit, name="people_user_edit"),
    path("people/users/<int:pk>/active", people.user_active, name="people_user_active"),
    path("people/users/<int:pk>/password", people.user_password, name="people_user_password"),
    path("people/users/<int:pk>/unlock", people.user_unlock, name="people_user_unlock"),
]
