"""The tables of named "who may" predicates: every predicate with the roles it admits, the generated doc."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from luoshi.accounts.predicates import (
    MARK_BEGIN,
    MARK_END,
    Predicate,
    access_table_markdown,
    all_predicates,
    may,
    require_may,
    table,
    with_access_table,
)
from luoshi.testing.world import World

ADMINISTRATION = Path(__file__).resolve().parents[3] / "docs" / "administration.md"

SU, LE, AD, LI, UH = "supervisor", "leader", "admin", "liaison", "unit_head"
REVIEWER, REVIEW_HEAD = "reviewer", "review_head"
OFFICE = {SU, AD}
UNIT = {LI, UH}

# Every predicate and the roles it admits. A change to a rule changes this table too (and the docs).
EXPECTED: dict[str, set[str]] = {
    "accounts.manage_account": OFFICE,
    "accounts.manage_accounts": OFFICE,
    "bulletins.edit": OFFICE,
    "bulletins.read": OFFICE | {LE},
    "bulletins.issue_urging_notice": OFFICE,
    "evaluation.be_designated": {LE} | UNIT,
    "evaluation.close": OFFICE,
    "evaluation.designate_evaluator": OFFICE,
    "evaluation.evaluate": OFFICE | {LE} | UNIT,
    "instructions.approve": {UH},
    "instructions.cite": OFFICE,
    "instructions.instruct": {LE},
    "instructions.respond": OFFICE | UNIT,
    "instructions.watch": {LE},
    "reports.approve": {UH},
    "reports.submit": UNIT,
    "review.act_for_unit": OFFICE | UNIT,
    "review.assign": {REVIEW_HEAD, AD},
    "review.keep_rules": OFFICE | {REVIEW_HEAD},
    "review.review": {REVIEWER, REVIEW_HEAD, AD},
    "review.review_any": {REVIEWER, REVIEW_HEAD},
    "review.see_reviews": {REVIEWER, REVIEW_HEAD, SU, LE, AD} | UNIT,
    "review.submit": OFFICE | UNIT,
    "roles.admin": {AD},
    "roles.approve_completion": OFFICE,
    "roles.approve_report": {UH},
    "roles.assign": OFFICE,
    "roles.plan": OFFICE,
    "roles.rate": OFFICE,
    "roles.report": UNIT,
    "supervision.decide_extension": OFFICE,
    "supervision.request_extension": {LI},
    "supervision.respond_to_urging": UNIT,
    "tasks.divide": OFFICE | UNIT,
    "tasks.unit_step": UNIT,
    "people.manage_units": OFFICE,
}


def test_it_lists_every_predicate_with_the_roles_it_admits() -> None:
    assert {p.name: set(p.roles) for p in all_predicates()} == EXPECTED


def test_every_predicate_says_its_unit_condition_in_both_languages() -> None:
    for p in all_predicates():
        assert p.unit_en.strip() and p.unit_zh.strip(), p.name
        assert p.name.count(".") == 1 and p.app in p.name, p.name


def test_the_administration_doc_holds_the_generated_table() -> None:
    current = ADMINISTRATION.read_text(encoding="utf-8")
    assert with_access_table(current) == current, "run `make access-table` (luoshi access_table --write ...)"
    assert access_table_markdown() in current


def test_the_command_checks_and_rewrites_a_document(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(f"# Doc\n\n{MARK_BEGIN}\n| stale |\n{MARK_END}\n\nAfter.\n", encoding="utf-8")
    with pytest.raises(CommandError, match="not current"):
        call_command("access_table", check=str(doc))
    call_command("access_table", write=str(doc))
    text = doc.read_text(encoding="utf-8")
    assert "| stale |" not in text and "`evaluation.be_designated`" in text and text.endswith("\n\nAfter.\n")
    call_command("access_table", check=str(doc))  # current now: no error


def test_it_admits_the_role_and_then_asks_the_unit_condition(world: World) -> None:
    assert may(world.liaison_a, "reports.submit", world.obligation_a)
    assert not may(world.liaison_b, "reports.submit", world.obligation_a)  # not B's obligation
    assert not may(world.supervisor, "reports.submit", world.obligation_a)  # role not admitted
    assert may(world.superuser, "people.manage_units")  # superusers count as administrators
    world.supervisor.is_active = False
    assert not may(world.supervisor, "people.manage_units")
    assert not may(world.nobody, "evaluation.be_designated", world.task)


def test_a_refusal_is_a_bilingual_permission_denied(world: World) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require_may(world.liaison_a, "people.manage_units")
    assert "只有督查室和系统管理员可以维护单位。" in str(refused.value)
    assert "Only the supervision office and administrators maintain units." in str(refused.value)
    with pytest.raises(ValueError, match="unknown predicate"):
        may(world.supervisor, "units.no_such_rule")


def test_a_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        table(Predicate("people.manage_units", frozenset()))
