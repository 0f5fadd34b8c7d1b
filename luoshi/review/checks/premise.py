"""The governing decision's premises, as rules the office attached to it (``PremiseRule``).

- ``required``: the draft must say it (a pattern matches somewhere), e.g. that it takes
  铸牢中华民族共同体意识 as its basic premise. Flagged once, on the draft's first clause.
- ``prohibited``: no sentence may say it, e.g. weakening 国家通用语言文字 in teaching.
- ``conditional``: a draft with a sentence on the rule's subject (``trigger``, e.g. 教材, 授课,
  招聘考试) must say the pattern somewhere, e.g. 国家通用语言文字. Flagged on the first such sentence.

A sentence matching one of the rule's ``exceptions`` never counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from luoshi.review.checks.model import Clause, Draft, Flag, PremiseRule

RULE_KINDS = ("required", "prohibited", "conditional")


class RuleError(ValueError):
    """A rule that cannot be used: an unknown kind or a pattern that is not a regular expression."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        super().__init__(f"{message_zh} / {message_en}")
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


@lru_cache(maxsize=1024)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def validate(rule: PremiseRule) -> None:
    """Refuse a rule that could not be applied (the office's form calls this before saving)."""
    if rule.kind not in RULE_KINDS:
        raise RuleError("bad_kind", f"未知的规则类型“{rule.kind}”。", f"Unknown rule kind '{rule.kind}'.")
    if not rule.patterns:
        raise RuleError(
            "no_pattern",
            "请至少填写一个表述（正则表达式）。",
            "Give at least one pattern (regular expression).",
        )
    if rule.kind == "conditional" and not rule.trigger:
        raise RuleError(
            "no_trigger", "条件规则须填写触发表述。", "A conditional rule needs a trigger pattern."
        )
    for p in (*rule.patterns, *rule.trigger, *rule.exceptions):
        try:
            re.compile(p)
        except re.error as exc:
            raise RuleError(
                "bad_pattern",
                f"表述“{p}”不是有效的正则表达式：{exc}。",
                f"'{p}' is not a valid regular expression: {exc}.",
            ) from None


def _counts(clause: Clause, exceptions: re.Pattern[str] | None) -> bool:
    return not (exceptions and exceptions.search(clause.text))


def check_premises(draft: Draft, rules: Iterable[PremiseRule]) -> list[Flag]:
    flags: list[Flag] = []
    body = [c for c in draft.clauses if c.text.strip()]
    if not body:
        return flags
    for rule in rules:
        pattern = _compiled(tuple(rule.patterns))
        exceptions = _compiled(tuple(rule.exceptions))
        if pattern is None:
            continue
        if rule.kind == "prohibited":
            flags += [
                _flag(rule, c, m.group(0))
                for c in body
                if _counts(c, exceptions) and (m := pattern.search(c.text))
            ]
            continue
        says = any(pattern.search(c.text) for c in body if _counts(c, exceptions))
        if says:
            continue
        if rule.kind == "required":
            flags.append(_flag(rule, _first_substantive(body), ""))
        elif rule.kind == "conditional":
            trigger = _compiled(tuple(rule.trigger))
            hit = next(
                (c for c in body if trigger and _counts(c, exceptions) and trigger.search(c.text)), None
            )
            if hit is not None:
                flags.append(_flag(rule, hit, ""))
    return flags


def _first_substantive(body: Sequence[Clause]) -> Clause:
    return next((c for c in body if not c.heading), body[0])


def _flag(rule: PremiseRule, clause: Clause, matched: str) -> Flag:
    clause_words = f"（{rule.clause}）" if rule.clause else ""
    what = {
        "required": ("草案未体现", "The draft does not state"),
        "prohibited": ("草案表述与前提相悖", "The draft contradicts"),
        "conditional": ("草案涉及该事项但未体现", "The draft touches this but does not state"),
    }[rule.kind]
    detail = f"：“{matched}”" if matched else ""
    basis = rule.message or f"{what[0]}“{rule.name}”{clause_words}{detail}。"
    basis_en = rule.message_en or f"{what[1]} the premise '{rule.name}'{clause_words}{detail}."
    return Flag("premise", clause.start, clause.end, clause.text, basis, basis_en, f"premise:{rule.code}")
