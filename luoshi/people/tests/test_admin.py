from __future__ import annotations

import pytest
from django.test import Client

from luoshi.accounts.models import ApiToken
from luoshi.people.services import authenticate_token, issue_token
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db


def test_it_lists_people_with_role_and_unit(world: World, client: Client) -> None:
    client.force_login(world.superuser)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 200
    assert "自治区工业和信息化厅" in response.content.decode()
    assert client.get(f"/admin/auth/user/{world.liaison_b.pk}/change/").status_code == 200


def test_it_revokes_tokens_but_never_adds_one(world: World, client: Client) -> None:
    raw = issue_token(user=world.liaison_b, name="etl")
    client.force_login(world.superuser)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    token = ApiToken.objects.get()
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert authenticate_token(raw=raw) is None
