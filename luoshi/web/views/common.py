from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
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


# Excel on Chinese Windows reads a CSV as GBK unless it starts with the UTF-8 byte order mark.
UTF8_BOM = "\ufeff"


def csv_response(content: str, *, filename: str) -> HttpResponse:
    """A CSV download that Excel opens with the Chinese intact: UTF-8 with a BOM, as an attachment."""
    response = HttpResponse(UTF8_BOM + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_stream(lines: Iterable[str], *, filename: str) -> StreamingHttpResponse:
    """The same, streamed line by line (large exports such as the audit trail)."""
    response = StreamingHttpResponse(itertools.chain([UTF8_BOM], lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
