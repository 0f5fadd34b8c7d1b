"""A test-only page that writes an entry without naming the actor: the middleware's context must."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from luoshi.audit.services import record
from luoshi.documents.models import Document


def touch(request: HttpRequest, pk: int) -> HttpResponse:
    entry = record(action="export", obj=Document.objects.get(pk=pk), note="test")
    return HttpResponse(str(entry.pk))


urlpatterns = [path("touch/<int:pk>", touch)]
