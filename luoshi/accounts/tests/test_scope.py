from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from luoshi.accounts import scope
from luoshi.accounts.models import Role
from luoshi.documents.access import get_document_for, visible_documents
from luoshi.reports.access import (
    get_evidence_for,
    get_obligation_for,
    get_report_for,
    visible_evidence,
    visible_obligations,
    visible_reports,
)
from luoshi.tasks.access import (
    get_assignment_for,
    get_task_for,
    require_transition,
    visible_assignments,
    visible_tasks,
)
from luoshi.tasks.models import Status
from luoshi.testing.world import World

pytestmark = pytest.mark.django_db


def test_it_shows_everything_to_supervisors_leaders_and_admins(world: World) -> None:
    for user in (world.supervisor, world.leader, world.admin, world.superuser):
        assert set(visible_tasks(user)) == {world.task, world.task_a}
        assert set(visible_assignments(user)) == {world.a, world.b, world.a2}
        assert visible_obligations(user).count() == 3
        assert list(visible_reports(user)) == [world.report_a]
        assert list(visible_evidence(user)) == [world.evidence_a]
        assert set(visible_documents(user)) == {world.document, world.other_document}


def test_it_shows_a_unit_only_its_own_share_of_a_shared_task(world: World) -> None:
    for user in (world.liaison_b, world.head_b):
        assert list(visible_tasks(user)) == [world.task]
        assert list(visible_assignments(user)) == [world.b]
        assert list(visible_obligations(user)) == [world.obligation_b]
        assert not visible_reports(user).exists()
        assert not visible_evidence(user).exists()
        assert list(visible_documents(user)) == [world.document]


def test_it_shows_the_lead_unit_its_tasks_and_reports(world: World) -> None:
    assert set(visible_tasks(world.liaison_a)) == {world.task, world.task_a}
    assert set(visible_assignments(world.head_a)) == {world.a, world.a2}
    assert list(visible_reports(world.head_a)) == [world.report_a]
    assert list(visible_evidence(world.liaison_a)) == [world.evidence_a]


def test_it_shows_nothing_to_people_without_a_profile_or_assignment(world: World) -> None:
    for user in (world.nobody, world.liaison_c, AnonymousUser()):
        assert not visible_tasks(user).exists()
        assert not visible_assignments(user).exists()
        assert not visible_obligations(user).exists()
        assert not visible_reports(user).exists()
        assert not visible_evidence(user).exists()
        assert not visible_documents(user).exists()


def test_it_shows_nothing_to_a_deactivated_user(world: World) -> None:
    world.supervisor.is_active = False
    world.supervisor.save()
    assert scope.role_of(world.supervisor) is None
    assert not visible_tasks(world.supervisor).exists()


def test_it_answers_404_outside_the_scope(world: World) -> None:
    user = world.liaison_b
    assert get_task_for(user, world.task.pk) == world.task
    assert get_assignment_for(user, world.b.pk) == world.b
    assert get_obligation_for(user, world.obligation_b.pk) == world.obligation_b
    outside = [
        (get_task_for, world.task_a.pk),
        (get_assignment_for, world.a.pk),
        (get_obligation_for, world.obligation_a.pk),
        (get_report_for, world.report_a.pk),
        (get_evidence_for, world.evidence_a.pk),
        (get_document_for, world.other_document.pk),
        (get_task_for, 999999),
        (get_task_for, "not-a-number"),
    ]
    for getter, pk in outside:
        with pytest.raises(Http404):
            getter(user, pk)


def test_it_counts_superusers_as_admins(world: World) -> None:
    assert scope.role_of(world.superuser) == Role.ADMIN
    scope.require(world.superuser, "admin")


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("supervisor", {"plan", "assign", "rate", "approve_completion"}),
        ("admin_role", {"plan", "assign", "rate", "approve_completion", "admin"}),
        ("liaison_a", {"report"}),
        ("head_a", {"report", "approve_report"}),
        ("leader", set()),
        ("nobody", set()),
    ],
)
def test_it_lets_each_role_do_its_actions_only(world: World, username: str, allowed: set[str]) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    for action in scope.ACTIONS:
        if action in allowed:
            scope.require(user, action)
        else:
            with pytest.raises(PermissionDenied):
                scope.require(user, action)


def test_it_refuses_an_unknown_action(world: World) -> None:
    with pytest.raises(ValueError, match="unknown action"):
        scope.require(world.supervisor, "launch")


def test_it_lets_only_the_lead_unit_accept_or_request_completion(world: World) -> None:
    require_transition(world.liaison_a, world.task, Status.COMPLETION_REQUESTED)
    with pytest.raises(PermissionDenied):
        require_transition(world.liaison_b, world.task, Status.COMPLETION_REQUESTED)
    with pytest.raises(PermissionDenied):
        require_transition(world.liaison_a, world.task, Status.CANCELLED)
    world.task.status = Status.COMPLETION_REQUESTED
    with pytest.raises(PermissionDenied):
        require_transition(world.head_a, world.task, Status.COMPLETED)
    require_transition(world.supervisor, world.task, Status.COMPLETED)
    require_transition(world.supervisor, world.task, Status.IN_PROGRESS)
