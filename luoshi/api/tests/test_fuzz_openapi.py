"""The API fuzz run: schemathesis generates requests from /api/openapi.json for every operation.

Each generated request is sent (through the WSGI app, no network) once with a supervisor's token and
once with a liaison's; no answer may be a server error (5xx), and every answer must fit the status
content types and response schemas the OpenAPI document declares.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from luoshi.people.services import issue_token
from luoshi.testing.world import World, build_world

# Not status_code_conformance: the operations do not list 422 (a query value that does not parse),
# which every operation answers the same way (docs/security.md, "What the tests prove").
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Calling the WSGI app directly sends request_started/finished, whose close_old_connections would
    close the test's database connection in the middle of its transaction (Django's test client
    disconnects it the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def tokens(db: None, keep_connection: None, settings: Any, tmp_path: Path) -> dict[str, str]:
    settings.MEDIA_ROOT = tmp_path / "files"
    world: World = build_world()
    return {
        "supervisor": issue_token(user=world.supervisor, name="fuzz"),
        "liaison": issue_token(user=world.liaison_a, name="fuzz"),
    }


# Loaded as the test module is collected: serving the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_is_a_server_error(case: Any, tokens: dict[str, str]) -> None:
    for token in tokens.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
