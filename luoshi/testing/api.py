"""What the API tests walk through: every operation of the OpenAPI schema, and ``Caller``, which calls the API
as a person of the test world."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client

from luoshi.api.api import api as ninja_api


def every_operation() -> list[tuple[str, str]]:
    """(method, path) of every endpoint, with 1 for each path parameter."""
    schema = ninja_api.get_openapi_schema()
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, methods in schema["paths"].items()
        for method in methods
    ]


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
