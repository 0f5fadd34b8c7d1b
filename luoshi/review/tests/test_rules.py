"""Premise rules kept by the office on the decision's page: added, refused, switched off, applied."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from luoshi.documents.services import ingest_document
from luoshi.review import rules
from luoshi.review.checks import decision_from_text, draft_from_text
from luoshi.review.checks.premise import check_premises
from luoshi.review.checks.rules_file import load_rules
from luoshi.review.errors import ReviewError
from luoshi.review.models import PremiseRule
from luoshi.review.tests.passages import FAITHFUL
from luoshi.review.tests.world import ReviewWorld, build, submit
from luoshi.testing.paths import seed_text
from luoshi.testing.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ReviewWorld:
    return build()


def test_the_seed_rules_never_flag_the_seed_decision_itself() -> None:
    seed = decision_from_text(1, seed_text())
    draft = draft_from_text(seed.text)
    assert check_premises(draft, [r for r in load_rules() if r.kind == "prohibited"]) == []
    assert [f.rule for f in check_premises(draft, load_rules())] == []


def test_the_office_adds_a_rule_and_the_first_pass_applies_it(world: ReviewWorld) -> None:
    rules.add_rule(
        document=world.decision,
        user=world.supervisor,
        code="water_price",
        kind="prohibited",
        name="不得擅自提高水价",
        patterns=["擅自提高[^。]{0,6}水价"],
    )
    s = submit(
        world,
        FAITHFUL.replace("每次调整幅度控制在5%以内。", "每次调整幅度控制在5%以内。各地可擅自提高居民水价。"),
    )
    assert [f.rule for f in s.latest.findings.all()] == ["premise:water_price"]  # type: ignore[union-attr]


def test_a_rule_that_cannot_apply_or_flags_the_decision_itself_is_refused(world: ReviewWorld) -> None:
    for kw in (
        {"patterns": ["(["]},
        {"kind": "conditional", "patterns": ["x"]},
        {"patterns": ["严禁在饮用水水源保护区"]},
    ):  # the decision says this itself
        fields = {"code": "bad", "kind": "prohibited", "name": "坏规则", **kw}
        with pytest.raises(ReviewError) as refused:
            rules.add_rule(document=world.decision, user=world.supervisor, **fields)  # type: ignore[arg-type]
        assert refused.value.code == "bad_rule"
    assert not PremiseRule.objects.exists()
    with pytest.raises(PermissionDenied):
        rules.add_rule(
            document=world.decision, user=world.reviewer, code="x", kind="required", name="x", patterns=["x"]
        )


def test_switching_a_rule_off_stops_it(world: ReviewWorld) -> None:
    rule = rules.add_rule(
        document=world.decision,
        user=world.head,
        code="premise",
        kind="required",
        name="以铸牢中华民族共同体意识为基本前提",
        patterns=["铸牢中华民族共同体意识"],
    )
    assert [f.cls for f in submit(world, FAITHFUL).latest.findings.all()] == ["premise"]  # type: ignore[union-attr]
    rules.set_rule_active(rule=rule, user=world.head, active=False)
    assert not submit(world, FAITHFUL + "\n").latest.findings.exists()  # type: ignore[union-attr]


def test_the_rules_page_lists_adds_and_refuses_with_the_reason(world: ReviewWorld) -> None:
    office = Client()
    office.login(username="office", password=PASSWORD)
    url = f"/review/rules/{world.decision.pk}/"
    assert office.get(url).status_code == 200
    ok = office.post(
        url,
        {
            "code": "prices",
            "kind": "prohibited",
            "name": "不得擅自提高水价",
            "patterns": "擅自提高[^。]{0,6}水价\n",
            "trigger": "",
            "exceptions": "",
            "clause": "",
        },
    )
    assert ok.status_code == 302 and PremiseRule.objects.get().patterns == ["擅自提高[^。]{0,6}水价"]
    bad = office.post(url, {"code": "bad", "kind": "prohibited", "name": "x", "patterns": "(["})
    assert bad.status_code == 400 and "不是有效的正则表达式" in bad.content.decode()
    unit = Client()
    unit.login(username="water", password=PASSWORD)
    assert unit.get(url).status_code == 404  # a unit without tasks on the decision does not see it


def test_the_demo_seed_rules_load_once(world: ReviewWorld) -> None:
    seed = ingest_document(data=seed_text().encode(), filename="seed.txt").document
    assert rules.load_rule_file(document=seed) == 5
    assert rules.load_rule_file(document=seed) == 0
