from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone


def today() -> dt.date:
    """The office's local date: what "due", "overdue" and ratings are counted against."""
    return timezone.localdate()


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class _Assignment(Protocol):
    pk: int
    task_id: int


def assignment_url(assignment: _Assignment) -> str:
    """Where an assignment is shown: its task's page, at its anchor (as notices link)."""
    return f"{reverse('web:task', args=[assignment.task_id])}#assignment-{assignment.pk}"
