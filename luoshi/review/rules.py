"""The premise rules the office attaches to a governing decision: add, switch on or off, load a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from luoshi.audit.services import record
from luoshi.documents.models import Document
from luoshi.review import access
from luoshi.review.checks.clauses import clauses_from_structure
from luoshi.review.checks.model import Draft
from luoshi.review.checks.model import PremiseRule as CheckedRule
from luoshi.review.checks.premise import RuleError, check_premises, validate
from luoshi.review.checks.rules_file import SEED_RULES, load_rules
from luoshi.review.errors import ReviewError
from luoshi.review.models import PremiseRule


def add_rule(
    *,
    document: Document,
    user: Any,
    code: str,
    kind: str,
    name: str,
    patterns: Sequence[str],
    trigger: Sequence[str] = (),
    exceptions: Sequence[str] = (),
    clause: str = "",
    now: dt.datetime | None = None,
) -> PremiseRule:
    """Attach a premise rule to a decision; refused when it could not be applied or its code is taken."""
    access.require_rule_keeper(user)
    checked = CheckedRule(
        code=code.strip(),
        kind=kind,
        name=name.strip(),
        patterns=tuple(patterns),
        trigger=tuple(trigger),
        exceptions=tuple(exceptions),
    )
    try:
        validate(checked)
    except RuleError as exc:
        raise ReviewError("bad_rule", exc.message_zh, exc.message_en) from None
    if not checked.code or not checked.name:
        raise ReviewError(
            "bad_rule", "请填写规则代码和前提名称。", "Give the rule's code and the premise's name."
        )
    own = _own_words_flagged(document, checked)
    if own:
        raise ReviewError(
            "bad_rule",
            f"该规则会把决定自身的表述判为问题：“{own[:60]}”。请收紧表述。",
            f"The rule flags the decision's own words: '{own[:60]}'. Make the pattern narrower.",
        )
    if PremiseRule.objects.filter(document=document, code=checked.code).exists():
        raise ReviewError(
            "bad_rule",
            f"该决定已有代码为“{checked.code}”的规则。",
            f"This decision already has a rule with the code '{checked.code}'.",
        )
    with transaction.atomic():
        rule = PremiseRule.objects.create(
            document=document,
            code=checked.code,
            kind=kind,
            name=checked.name,
            patterns=list(patterns),
            trigger=list(trigger),
            exceptions=list(exceptions),
            clause=clause.strip(),
            created_by=user,
            created_at=now or timezone.now(),
        )
        record(
            action="create",
            obj=rule,
            actor=user,
            changes={
                "document": [None, document.pk],
                "kind": [None, kind],
                "patterns": [None, list(patterns)],
            },
        )
    return rule


def _own_words_flagged(document: Document, rule: CheckedRule) -> str:
    """A prohibited rule that the decision's own text breaks is wrong: the sentence it flags, else ""."""
    if rule.kind != "prohibited":
        return ""
    draft = Draft(text=document.text, clauses=clauses_from_structure(document.text, document.structure))
    flags = check_premises(draft, [rule])
    return flags[0].sentence if flags else ""


def set_rule_active(*, rule: PremiseRule, user: Any, active: bool) -> PremiseRule:
    access.require_rule_keeper(user)
    if rule.active != active:
        with transaction.atomic():
            record(action="update", obj=rule, actor=user, changes={"active": [rule.active, active]})
            rule.active = active
            rule.save(update_fields=["active"])
    return rule


def load_rule_file(*, document: Document, user: Any = None, path: Path = SEED_RULES) -> int:
    """Attach the rules of a YAML file (the demo's for the seed decision); rules already there are kept."""
    added = 0
    now = timezone.now()
    for r in load_rules(path, document.pk):
        _, created = PremiseRule.objects.get_or_create(
            document=document,
            code=r.code,
            defaults={
                "kind": r.kind,
                "name": r.name,
                "patterns": list(r.patterns),
                "trigger": list(r.trigger),
                "exceptions": list(r.exceptions),
                "clause": r.clause,
                "created_by": user,
                "created_at": now,
            },
        )
        added += created
    return added
