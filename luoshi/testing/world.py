"""The one test world, its clock and its builders; a pytest plugin (the root conftest loads it).

The world (``build_world``, the ``world`` fixture): two units sharing a task, a third unit, and their people.

- unit A (fgw) leads task 1, unit B (gxt) co-operates on it; unit A alone has task 2;
  unit C (hhht) has nothing at all: its liaison is the stranger.
- A's first-quarter report on task 1 has one evidence file; B has reported nothing.
- people: supervisor (the office), leader, admin (role), superuser (no profile), nobody (no
  profile), and a liaison and a unit head for each of A and B, a liaison for C.

Built with the models directly, so these tests depend only on the contract's models.

The clock: ``at(day, hour)``, a moment on a local (UTC+8) day. The builders: ``make_units``, ``make_user``,
``make_document``, ``make_task``, ``make_obligation``, ``png_bytes`` and ``upload`` (evidence files),
``kinds_of`` (the notices a user got).
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.accounts.models import Profile, Role
from luoshi.documents.models import Document
from luoshi.notifications.models import Notice
from luoshi.reports.models import Evidence, Obligation, Report
from luoshi.tasks.models import Assignment, Cadence, Status, Task
from luoshi.units.models import Unit

PASSWORD = "correct horse battery staple"
START = dt.date(2024, 1, 15)
DEADLINE = dt.date(2024, 12, 31)
NOW = dt.datetime(2024, 4, 2, 10, 0, tzinfo=dt.UTC)  # early in the second quarter
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(
    day: dt.date | str, hour: int = 9, minute: int = 0, second: int = 0, *, tz: dt.tzinfo = SHANGHAI
) -> dt.datetime:
    """A moment on a day (a date or an ISO string), local time (UTC+8) unless ``tz`` says otherwise."""
    date = dt.date.fromisoformat(day) if isinstance(day, str) else day
    return dt.datetime.combine(date, dt.time(hour, minute, second), tzinfo=tz)


@dataclass
class People:
    """Units A, B and C and their people: the office, a leader, an administrator by role, a superuser,
    someone without a profile, a liaison and a head for A and B, a liaison for C."""

    unit_a: Unit
    unit_b: Unit
    unit_c: Unit
    supervisor: Any
    leader: Any
    admin: Any
    superuser: Any
    nobody: Any
    liaison_a: Any
    head_a: Any
    liaison_b: Any
    head_b: Any
    liaison_c: Any


@dataclass
class World(People):
    document: Document
    other_document: Document
    task: Task  # shared: A leads, B co-operates
    task_a: Task  # A alone
    a: Assignment
    b: Assignment
    a2: Assignment
    obligation_a: Obligation
    obligation_b: Obligation
    report_a: Report
    evidence_a: Evidence


def make_user(username: str, role: str | None, unit: Unit | None = None, **extra: Any) -> Any:
    """A user who signs in with PASSWORD; with a profile (role, unit) unless role is None."""
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if role is not None:
        Profile.objects.create(user=user, role=role, unit=unit)
    return user


def make_document(title: str, digest: str) -> Document:
    text = f"{title}\n一、总体要求\n大力发展新能源装备制造业。"
    return Document.objects.create(
        title=title,
        filename=f"{digest}.txt",
        content_hash=digest * 64,
        original=text.encode(),
        size=len(text.encode()),
        format="txt",
        encoding="utf-8",
        source_text=text,
        text=text,
        structure={"sections": [], "sentences": [], "findings": []},
    )


def make_task(document: Document, title: str, lead: Unit) -> Task:
    return Task.objects.create(
        document=document,
        title=title,
        text=title + "。",
        lead_unit=lead,
        start_date=START,
        deadline=DEADLINE,
        cadence=Cadence.QUARTERLY,
        report_day=10,
        status=Status.IN_PROGRESS,
    )


def make_obligation(assignment: Assignment) -> Obligation:
    return Obligation.objects.create(
        assignment=assignment,
        period="2024-Q1",
        period_start=START,
        period_end=dt.date(2024, 3, 31),
        due_date=dt.date(2024, 4, 10),
    )


def make_people(unit_a: Unit, unit_b: Unit, unit_c: Unit) -> People:
    """The people of the three units (A's liaison first), all signing in with PASSWORD."""
    liaison_a = make_user("liaison_a", Role.LIAISON, unit_a)
    return People(
        unit_a=unit_a,
        unit_b=unit_b,
        unit_c=unit_c,
        supervisor=make_user("supervisor", Role.SUPERVISOR),
        leader=make_user("leader", Role.LEADER),
        admin=make_user("admin_role", Role.ADMIN),
        superuser=get_user_model().objects.create_superuser(username="root", password=PASSWORD),
        nobody=make_user("nobody", None),
        liaison_a=liaison_a,
        head_a=make_user("head_a", Role.UNIT_HEAD, unit_a),
        liaison_b=make_user("liaison_b", Role.LIAISON, unit_b),
        head_b=make_user("head_b", Role.UNIT_HEAD, unit_b),
        liaison_c=make_user("liaison_c", Role.LIAISON, unit_c),
    )


def make_units() -> tuple[Unit, Unit, Unit]:
    """Units A (fgw) and B (gxt), region departments, and C (hhht), a city under A."""
    unit_a = Unit.objects.create(code="fgw", name="自治区发展改革委", level="region", catalog="test")
    unit_b = Unit.objects.create(code="gxt", name="自治区工业和信息化厅", level="region", catalog="test")
    unit_c = Unit.objects.create(
        code="hhht", name="呼和浩特市", level="league_city", catalog="test", parent=unit_a
    )
    return unit_a, unit_b, unit_c


def build_world() -> World:
    unit_a, unit_b, unit_c = make_units()
    document = make_document("关于推进新能源发展的决定", "a")
    other_document = make_document("另一份文件", "b")
    task = make_task(document, "推进新能源装备制造", unit_a)
    task.co_units.add(unit_b)
    task_a = make_task(document, "完善能源价格机制", unit_a)
    a = Assignment.objects.create(task=task, unit=unit_a, role=Assignment.Role.LEAD, deadline=DEADLINE)
    b = Assignment.objects.create(task=task, unit=unit_b, role=Assignment.Role.CO, deadline=DEADLINE)
    a2 = Assignment.objects.create(task=task_a, unit=unit_a, role=Assignment.Role.LEAD, deadline=DEADLINE)
    obligation_a, obligation_b = make_obligation(a), make_obligation(b)
    make_obligation(a2)

    people = make_people(unit_a, unit_b, unit_c)
    report_a = Report.objects.create(
        obligation=obligation_a,
        progress=30,
        narrative="已完成项目前期工作。",
        submitted_by=people.liaison_a,
        submitted_at=NOW,
    )
    Obligation.objects.filter(pk=obligation_a.pk).update(
        state=Obligation.State.SUBMITTED, first_submitted_at=NOW
    )
    evidence_a = Evidence(
        report=report_a, original_name="会议纪要.txt", content_type="text/plain", size=12, sha256="0" * 64
    )
    evidence_a.file.save("minutes.txt", ContentFile("会议纪要".encode()), save=True)

    return World(
        **vars(people),
        document=document,
        other_document=other_document,
        task=task,
        task_a=task_a,
        a=a,
        b=b,
        a2=a2,
        obligation_a=obligation_a,
        obligation_b=obligation_b,
        report_a=report_a,
        evidence_a=evidence_a,
    )


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    """The world above, its files (the evidence) under the test's own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return build_world()


def kinds_of(user: Any) -> list[str]:
    """The kinds of the notices the user got, oldest first."""
    return list(Notice.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    """An uploaded file as a form or service receives it."""
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
