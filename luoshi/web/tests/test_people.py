"""The units and users administration pages, against the office, an administrator and people who may not."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from luoshi.accounts.models import Role
from luoshi.audit.services import entries_for
from luoshi.tasks.models import Assignment, Status
from luoshi.testing.world import PASSWORD, make_document, make_task, make_user
from luoshi.units.models import Unit

HTMX = {"HX-Request": "true"}


@dataclass
class Office:
    drc: Unit
    energy: Unit
    supervisor: Any
    admin: Any
    leader: Any
    liaison: Any


@pytest.fixture
def office(db: None) -> Office:
    """Two units; the first has a liaison, a unit head and one open and one completed assignment."""
    drc = Unit.objects.create(
        code="drc", name="自治区发展改革委", aliases=["发改委"], level="region", catalog="local"
    )
    energy = Unit.objects.create(code="energy", name="自治区能源局", level="region", catalog="local")
    document = make_document("关于推进新能源发展的决定", "a")
    open_task, done_task = (
        make_task(document, "推进新能源装备制造", drc),
        make_task(document, "完善价格机制", drc),
    )
    done_task.status = Status.COMPLETED
    done_task.save()
    for task in (open_task, done_task):
        Assignment.objects.create(task=task, unit=drc, role=Assignment.Role.LEAD, deadline=task.deadline)
    make_user("head", Role.UNIT_HEAD, drc)
    return Office(
        drc=drc,
        energy=energy,
        supervisor=make_user("duchashi", Role.SUPERVISOR),
        admin=make_user("admin", Role.ADMIN),
        leader=make_user("lingdao", Role.LEADER),
        liaison=make_user("fagai", Role.LIAISON, drc),
    )


def client_for(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def row(page: str, row_id: str) -> str:
    """The HTML of one table row, by its id."""
    found = re.search(rf'<tr id="{row_id}".*?</tr>', page, re.S)
    assert found, f"no row {row_id}"
    return found.group(0)


@pytest.mark.parametrize("who", ["liaison", "leader"])
def test_it_refuses_every_people_page_to_those_who_do_not_administer(office: Office, who: str) -> None:
    client = client_for(getattr(office, who))
    target = office.liaison.pk
    for url in [
        "/people/units/",
        f"/people/units/{office.drc.pk}/edit",
        "/people/users/",
        f"/people/users/{target}/edit",
        f"/people/users/{target}/password",
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            "/people/users/new",
            {
                "username": "x",
                "role": "liaison",
                "unit": office.drc.pk,
                "password": PASSWORD,
                "password2": PASSWORD,
            },
        ).status_code
        == 403
    )
    assert client.post(f"/people/users/{target}/active", {"active": "0"}).status_code == 403
    assert (
        client.post(
            "/people/units/new", {"catalog": "local", "code": "x", "name": "某单位", "level": "region"}
        ).status_code
        == 403
    )
    assert (
        not get_user_model().objects.filter(username="x").exists()
        and not Unit.objects.filter(code="x").exists()
    )
    office.liaison.refresh_from_db()
    assert office.liaison.is_active


def test_anonymous_people_are_sent_to_log_in(office: Office) -> None:
    response = Client().get("/people/users/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_office_sees_units_with_people_and_open_assignments(office: Office) -> None:
    page = client_for(office.supervisor).get("/people/units/").content.decode()
    drc = row(page, f"unit-{office.drc.pk}")
    cells = re.findall(r'<td class="num">(.*?)</td>', drc, re.S)
    assert "自治区发展改革委" in drc and "发改委" in drc
    assert [re.sub(r"<[^>]+>", "", c).strip() for c in cells] == ["1", "2", "1"]  # liaisons, users, open
    found = (
        client_for(office.supervisor).get("/people/units/", {"q": "发改委"}).content.decode()
    )  # by short name
    assert f'id="unit-{office.drc.pk}"' in found and f'id="unit-{office.energy.pk}"' not in found


def test_the_office_creates_a_liaison(office: Office) -> None:
    client = client_for(office.supervisor)
    page = client.get("/people/users/").content.decode()
    assert 'value="liaison"' in page and 'value="supervisor"' not in page  # only the roles it may give
    response = client.post(
        "/people/users/new",
        {
            "username": "nengyuan",
            "display_name": "能源局联络员 张",
            "role": "liaison",
            "unit": office.energy.pk,
            "password": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="nengyuan")
    assert (user.profile.role, user.profile.unit, user.first_name) == (
        Role.LIAISON,
        office.energy,
        "能源局联络员 张",
    )
    assert entries_for(user).get().actor == office.supervisor
    listed = row(client.get(response["Location"]).content.decode(), f"user-{user.pk}")
    assert "能源局联络员 张" in listed and "自治区能源局" in listed
    assert Client().login(username="nengyuan", password=PASSWORD)


def test_a_refusal_is_shown_next_to_its_field(office: Office) -> None:
    client = client_for(office.supervisor)
    response = client.post(
        "/people/units/new", {"catalog": "local", "code": "drc", "name": "另一个发改委", "level": "region"}
    )
    assert response.status_code == 400
    error = re.search(r'id="new-unit-code-error">(.*?)</div>', response.content.decode(), re.S)
    assert error and "目录“local”中已有代码为“drc”的单位。" in error.group(1)
    assert "already has a unit with the code" not in error.group(1)  # one language: the page's
    assert 'value="另一个发改委"' in response.content.decode()  # what was typed stays

    response = client.post(
        "/people/users/new",
        {"username": "wang", "role": "liaison", "password": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 400
    error = re.search(r'id="new-user-unit-error">(.*?)</div>', response.content.decode(), re.S)
    assert error and "联络员和单位负责人必须属于一个单位。" in error.group(1)
    assert "A liaison or unit head" not in error.group(1)  # one language per page
    mismatch = client.post(
        "/people/users/new",
        {
            "username": "wang",
            "role": "liaison",
            "unit": office.drc.pk,
            "password": PASSWORD,
            "password2": PASSWORD + "!",
        },
    )
    assert 'id="new-user-password2-error"' in mismatch.content.decode()
    assert not get_user_model().objects.filter(username="wang").exists()


def test_a_unit_is_edited_in_its_row_with_htmx(office: Office) -> None:
    client = client_for(office.supervisor)
    url = f"/people/units/{office.energy.pk}/edit"
    form_row = client.get(url, headers=HTMX).content.decode()
    assert form_row.startswith(f'<tr id="unit-{office.energy.pk}">') and "csrfmiddlewaretoken" in form_row
    refused = client.post(url, {"name": " ", "level": "region", "active": "on"}, headers=HTMX)
    assert (
        refused.status_code == 200 and f'id="unit-{office.energy.pk}-name-error"' in refused.content.decode()
    )
    saved = client.post(
        url,
        {"name": "自治区能源局", "aliases": "能源局，区能源局", "level": "region", "parent": office.drc.pk},
        headers=HTMX,
    ).content.decode()
    assert "能源局、区能源局" in saved and "自治区发展改革委" in saved and 'class="inactive"' in saved
    office.energy.refresh_from_db()
    assert (office.energy.aliases, office.energy.parent, office.energy.active) == (
        ["能源局", "区能源局"],
        office.drc,
        False,
    )
    assert entries_for(office.energy).get().actor == office.supervisor


def test_a_unit_is_edited_without_javascript(office: Office) -> None:
    client = client_for(office.admin)
    assert "<form" in client.get(f"/people/units/{office.energy.pk}/edit").content.decode()
    response = client.post(
        f"/people/units/{office.energy.pk}/edit",
        {"name": "内蒙古自治区能源局", "level": "region", "active": "on"},
    )
    assert response.status_code == 302 and f"#unit-{office.energy.pk}" in response["Location"]
    assert "内蒙古自治区能源局" in client.get(response["Location"]).content.decode()


def test_the_office_reaches_unit_people_only(office: Office) -> None:
    client = client_for(office.supervisor)
    page = client.get("/people/users/").content.decode()
    assert f'id="user-{office.liaison.pk}"' in page and f'id="user-{office.leader.pk}"' not in page
    for url in [f"/people/users/{office.leader.pk}/edit", f"/people/users/{office.admin.pk}/password"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/people/users/{office.admin.pk}/active", {"active": "0"}).status_code == 404
    changed = client.post(
        f"/people/users/{office.liaison.pk}/edit", {"role": "supervisor", "unit": office.drc.pk}
    )  # a role it may not give
    assert changed.status_code == 400 and 'id="user-' in changed.content.decode()
    office.liaison.profile.refresh_from_db()
    assert office.liaison.profile.role == Role.LIAISON


def test_deactivating_oneself_is_refused_in_the_row(office: Office) -> None:
    client = client_for(office.admin)
    page = client.post(
        f"/people/users/{office.admin.pk}/active", {"active": "0"}, headers=HTMX
    ).content.decode()
    assert f'id="user-{office.admin.pk}-error"' in page and "不能停用自己的账号。" in page
    office.admin.refresh_from_db()
    assert office.admin.is_active


def test_the_office_deactivates_and_reactivates_a_liaison(office: Office) -> None:
    client, liaison_session = client_for(office.supervisor), client_for(office.liaison)
    assert liaison_session.get("/my/").status_code == 200
    response = client.post(f"/people/users/{office.liaison.pk}/active", {"active": "0"})
    assert response.status_code == 302
    office.liaison.refresh_from_db()
    assert not office.liaison.is_active
    assert not Client().login(username="fagai", password=PASSWORD)
    assert liaison_session.get("/my/").status_code == 302  # the open session no longer counts
    listed = row(
        client.get("/people/users/", {"status": "inactive"}).content.decode(), f"user-{office.liaison.pk}"
    )
    assert 'name="active" value="1"' in listed  # the button reactivates
    reactivated = client.post(f"/people/users/{office.liaison.pk}/active", {"active": "1"}, headers=HTMX)
    assert 'name="active" value="0"' in reactivated.content.decode()
    assert Client().login(username="fagai", password=PASSWORD)


def test_the_office_resets_a_password(office: Office) -> None:
    client = client_for(office.supervisor)
    url = f"/people/users/{office.liaison.pk}/password"
    weak = client.post(url, {"password": "short", "password2": "short"})
    assert weak.status_code == 400 and 'id="id_password-error"' in weak.content.decode()
    assert (
        client.post(
            url, {"password": "a brand new passphrase", "password2": "a brand new passphrase"}
        ).status_code
        == 302
    )
    assert Client().login(username="fagai", password="a brand new passphrase")


def test_every_form_carries_a_csrf_token_and_user_data_is_escaped(office: Office) -> None:
    Unit.objects.create(code="xss", name="<script>alert(1)</script>", level="region", catalog="local")
    client = client_for(office.admin)
    for url in [
        "/people/units/",
        "/people/users/",
        f"/people/users/{office.liaison.pk}/password",
        f"/people/units/{office.drc.pk}/edit",
        f"/people/users/{office.liaison.pk}/edit",
    ]:
        page = client.get(url).content.decode()
        assert page.count('method="post"') == page.count("csrfmiddlewaretoken")
        assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get("/people/units/").content.decode()
    strict = client_for(office.admin, enforce_csrf_checks=True)
    assert strict.post(f"/people/users/{office.liaison.pk}/active", {"active": "0"}).status_code == 403
