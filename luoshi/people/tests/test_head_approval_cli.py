"""`luoshi head_approval UNIT on|off --user NAME`: the per-unit approval step from the command line, audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.accounts.models import Role
from luoshi.audit.models import AuditEntry
from luoshi.people.services import create_user
from luoshi.units.models import Unit

pytestmark = pytest.mark.django_db


def test_it_switches_the_step_and_records_who_did() -> None:
    unit = Unit.objects.create(code="nongmu", name="农牧厅", level="region", catalog="test")
    create_user(username="office", password="pw-for-tests-2026", role=Role.SUPERVISOR)
    create_user(username="someone", password="pw-for-tests-2026", role=Role.LIAISON, unit=unit)
    out = StringIO()
    call_command("head_approval", "nongmu", "on", "--user", "office", stdout=out)
    unit.refresh_from_db()
    assert unit.requires_head_approval and "head approval on" in out.getvalue()
    entry = AuditEntry.objects.filter(action="update").order_by("-pk").first()
    assert entry is not None and entry.changes["requires_head_approval"] == [False, True]
    with pytest.raises(CommandError):
        call_command("head_approval", "nongmu", "off", "--user", "someone")  # a liaison may not
    unit.refresh_from_db()
    assert unit.requires_head_approval
