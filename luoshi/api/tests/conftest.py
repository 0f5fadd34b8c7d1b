from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client


class Caller:
    """Calls the API as a user through the browser session (None: anonymous)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _as(self, user: Any) -> None:
        self.client.logout()
        if user is not None:
            self.client.force_login(user)

    def get(self, user: Any, path: str, **params: Any) -> Any:
        self._as(user)
        return self.client.get(path, params)

    def post(self, user: Any, path: str, data: Any = None) -> Any:
        self._as(user)
        return self.client.post(path, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def api(client: Client) -> Caller:
    return Caller(client)
