"""What the API tests walk through: every operation of the OpenAPI schema."""

from __future__ import annotations

import re

from luoshi.api.api import api as ninja_api


def every_operation() -> list[tuple[str, str]]:
    """(method, path) of every endpoint, with 1 for each path parameter."""
    schema = ninja_api.get_openapi_schema()
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, methods in schema["paths"].items()
        for method in methods
    ]
