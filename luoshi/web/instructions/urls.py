"""Leaders' instructions, the leader's page and watch list (included by ``web.urls``, so the names are
``web:…``)."""

from django.urls import path

from luoshi.web.instructions import leader
from luoshi.web.instructions import views as instructions

urlpatterns = [
    path("leader/", leader.home, name="leader"),
    path("leader/watch", leader.add, name="watch_add"),
    path("leader/watch/<int:pk>/remove", leader.remove, name="watch_remove"),
    path("leader/seen", leader.seen, name="watch_seen"),
    path("instructions/", instructions.index, name="instructions"),
    path("instructions/new/", instructions.new, name="instruction_new"),
    path("instructions/<int:pk>/", instructions.detail, name="instruction"),
    path("instructions/<int:pk>/cite", instructions.cite, name="instruction_cite"),
    path("handlings/<int:pk>/respond", instructions.respond, name="handling_respond"),
    path("handlings/<int:pk>/approve", instructions.approve, name="handling_approve"),
]
