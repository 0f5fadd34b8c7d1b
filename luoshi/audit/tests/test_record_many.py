"""record_many: the entries record would write, in one bulk insert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import Pending, record, record_many
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_record_many_writes_what_record_writes() -> None:
    units = [
        Unit.objects.create(code=f"u{n}", name=f"单位{n}", level="region", catalog="test") for n in range(3)
    ]
    when = timezone.make_aware(dt.datetime(2024, 5, 1, 9))
    one = record(action="create", obj=units[0], changes={"name": [None, "单位0"]}, note="n", at=when)
    assert (
        record_many(
            [
                Pending(action="create", obj=u, changes={"name": [None, u.name]}, note="n", at=when)
                for u in units
            ]
        )
        == 3
    )
    rows = list(AuditEntry.objects.exclude(pk=one.pk).order_by("id"))
    fields = ("at", "actor_label", "action", "object_type", "object_repr", "note")
    assert [[getattr(r, f) for f in fields] for r in rows[:1]] == [[getattr(one, f) for f in fields]]
    assert [r.object_id for r in rows] == [str(u.pk) for u in units]
    assert rows[2].changes == {"name": [None, "单位2"]}


def test_record_many_refuses_an_unknown_action() -> None:
    unit = Unit.objects.create(code="u", name="单位", level="region", catalog="test")
    with pytest.raises(ValueError):
        record_many([Pending(action="frobnicate", obj=unit)])
    assert not AuditEntry.objects.exists()
