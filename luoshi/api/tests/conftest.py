from __future__ import annotations

import pytest
from django.test import Client

from luoshi.testing.api import Caller


@pytest.fixture
def api(client: Client) -> Caller:
    return Caller(client)
