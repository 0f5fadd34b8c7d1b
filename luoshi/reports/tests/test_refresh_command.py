from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_it_prints_the_counts_as_json() -> None:
    out = StringIO()
    call_command("refresh_states", "--today", "2024-05-01", stdout=out)
    counts = json.loads(out.getvalue())
    assert set(counts) >= {"created", "missing"}


def test_it_refuses_a_bad_date_in_both_languages() -> None:
    with pytest.raises(CommandError) as info:
        call_command("refresh_states", "--today", "2024-13-01")
    assert "日期" in str(info.value) and "Date" in str(info.value)
