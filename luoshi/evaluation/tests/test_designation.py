"""One rule decides who may designate an evaluator and who may be designated (evaluation.access).

The office designates; a leader, or a liaison or unit head of one of the task's units, may be
designated. The office evaluates by its role and is never designated: the page does not offer
supervisors and administrators, and the API and the service refuse them (once the API took them).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from luoshi.evaluation.access import evaluator_candidates, may_be_designated
from luoshi.evaluation.errors import EvaluationError
from luoshi.evaluation.models import Evaluator
from luoshi.evaluation.services import designate_evaluator
from luoshi.testing.api import Caller
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db


def people(world: World) -> list[Any]:
    return [
        world.supervisor,
        world.leader,
        world.admin,
        world.superuser,
        world.nobody,
        world.liaison_a,
        world.head_a,
        world.liaison_b,
        world.head_b,
        world.liaison_c,
    ]


def test_the_page_offers_exactly_those_the_predicate_admits(world: World) -> None:
    for task in (world.task, world.task_a):
        admitted = {u.username for u in people(world) if may_be_designated(u, task)}
        assert {u.username for u in evaluator_candidates(task)} == admitted
    assert {u.username for u in evaluator_candidates(world.task)} == {
        "leader",
        "liaison_a",
        "head_a",
        "liaison_b",
        "head_b",
    }
    assert {u.username for u in evaluator_candidates(world.task_a)} == {"leader", "liaison_a", "head_a"}


def test_the_api_refuses_the_office_as_a_designee(world: World, client: Client) -> None:
    api = Caller(client)
    url = f"/api/tasks/{world.task_a.pk}/evaluators"
    for office in ("supervisor", "admin_role", "root"):
        refused = api.post(world.supervisor, url, {"username": office})
        assert (refused.status_code, refused.json()["code"]) == (400, "bad_evaluator"), office
        assert office in refused.json()["message"] and office in refused.json()["message_en"]
    assert api.post(world.supervisor, url, {"username": "leader"}).status_code == 201
    assert list(Evaluator.objects.values_list("user__username", flat=True)) == ["leader"]


def test_the_service_checks_both_sides_itself(world: World) -> None:
    with pytest.raises(PermissionDenied):
        designate_evaluator(task=world.task_a, user=world.leader, by=world.leader)
    with pytest.raises(EvaluationError) as refused:
        designate_evaluator(
            task=world.task_a, user=world.liaison_b, by=world.supervisor
        )  # B has no part in it
    assert refused.value.code == "bad_evaluator"
    world.head_a.is_active = False
    world.head_a.save()
    with pytest.raises(EvaluationError):
        designate_evaluator(task=world.task_a, user=world.head_a, by=world.supervisor)
    assert not Evaluator.objects.exists()
