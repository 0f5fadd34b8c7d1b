"""The demo world as of 2026-11-26 (luoshi/testing/demo.py), and a logged-in client per demo account."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from luoshi.site.demo import DEMO_PASSWORD, DemoSummary, load_demo
from luoshi.testing.demo import TODAY


@pytest.fixture
def demo(db: None) -> Iterator[DemoSummary]:
    """The demo data, with the clock fixed at 10:00 on TODAY for the whole test."""
    moment = dt.datetime.combine(TODAY, dt.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=False):
        yield load_demo(today=TODAY)


@pytest.fixture
def login(demo: DemoSummary) -> Callable[[str], Client]:
    def as_user(username: str) -> Client:
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return as_user


def field_block(page: str, field_id: str) -> str:
    """The field's block on the page (label, input, its errors), found by the input's id."""
    blocks = re.split(r'(?=<div class="field(?: has-error)?">)', page)
    found = [b for b in blocks if f'id="{field_id}"' in b]
    assert len(found) == 1, f"no single field {field_id} on the page"
    return found[0]


def assert_error_at(page: str, field_id: str, message: str) -> None:
    """The message is shown next to the field, which is marked as wrong."""
    block = field_block(page, field_id)
    assert block.startswith('<div class="field has-error">'), f"{field_id} is not marked as wrong"
    assert message in block, f"{message!r} is not next to {field_id}"
