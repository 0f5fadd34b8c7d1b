from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from luoshi.api import schemas
from luoshi.api.api import api as ninja_api
from luoshi.ratings.models import Rag
from luoshi.tasks.models import Cadence, Status
from luoshi.testing.paths import REPO

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[1] / "static" / "api"


def test_it_serves_the_openapi_schema(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/reports" in schema["paths"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def test_it_serves_the_docs_page_from_our_own_static_files(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html
    assert "https://" not in html
    assert "cdn" not in html.lower()
    assert not re.search(r"""(src|href)=["']//""", html)
    referenced = re.findall(r"""(?:src|href)=["']/static/([^"']+)["']""", html)
    assert sorted(referenced) == [
        "api/docs.js",
        "api/swagger-ui/swagger-ui-bundle.js",
        "api/swagger-ui/swagger-ui.css",
    ]
    for name in referenced:
        assert finders.find(name), name
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call an outside validator


def test_it_starts_swagger_without_outside_urls() -> None:
    script = (STATIC / "docs.js").read_text(encoding="utf-8")
    assert "http" not in script
    assert (
        (STATIC / "swagger-ui" / "LICENSE").read_text(encoding="utf-8").lstrip().startswith("Apache License")
    )


def test_it_spells_out_the_model_choices_exactly() -> None:
    assert set(get_args(schemas.CadenceName)) == set(Cadence.values)
    assert set(get_args(schemas.StatusName)) == set(Status.values)
    assert set(get_args(schemas.RagName)) == set(Rag.values)


def test_it_serves_the_vendored_files_itself(client: Client) -> None:
    for name in ("api/docs.js", "api/swagger-ui/swagger-ui-bundle.js", "api/swagger-ui/swagger-ui.css"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200, name


def test_it_documents_every_endpoint() -> None:
    doc = re.sub(r"\{[^}]+\}", "{}", (REPO / "docs" / "api.md").read_text(encoding="utf-8"))
    schema = ninja_api.get_openapi_schema()
    missing = [
        f"{method.upper()} {path}"
        for path, methods in schema["paths"].items()
        for method in methods
        if f"{method.upper()} {re.sub(r'{[^}]+}', '{}', path)}" not in doc
    ]
    assert missing == []
