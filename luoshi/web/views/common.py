from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from luoshi.tasks.models import Assignment


def today() -> dt.date:
    """The office's local date: what "due", "overdue" and ratings are counted against."""
    return timezone.localdate()


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def assignment_url(assignment: Assignment) -> str:
    """Where an assignment is shown: its task's page, at its anchor (as notices link)."""
    return f"{reverse('web:task', args=[assignment.task_id])}#assignment-{assignment.pk}"
