"""Fair-competition review (公平竞争审查): the regulation's four groups of standards as a checklist.

The checklist is data (``review/data/fair_competition.yaml``): per item its words in the regulation
and detection patterns; ``not_a_measure`` patterns recognise a sentence that forbids or removes such
a restriction (不得限定…, 清理…妨碍统一市场和公平竞争的规定). A flagged sentence whose own words
(or the drafting explanation) invoke one of the exceptions of article 12 carries a note saying
so: the reviewer still checks that there is no less restrictive alternative and a time limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from luoshi.review.checks.model import Clause, Draft, Flag

CHECKLIST = Path(__file__).resolve().parent.parent / "data" / "fair_competition.yaml"


@dataclass(frozen=True)
class Item:
    code: str
    group: str
    group_name: str
    group_name_en: str
    article: str
    text: str
    text_en: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Ground:
    code: str
    text: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Checklist:
    source: str
    source_en: str
    items: tuple[Item, ...]
    not_a_measure: re.Pattern[str]
    grounds: tuple[Ground, ...]
    exception_article: str


def _join(patterns: list[str], subs: dict[str, str]) -> re.Pattern[str]:
    def expand(p: str) -> str:
        for name, value in subs.items():
            p = p.replace("{" + name + "}", value)
        return p

    return re.compile("|".join(f"(?:{expand(p)})" for p in patterns))


def parse_checklist(data: dict[str, Any]) -> Checklist:
    subs = {"local": str(data["local"]), "operator": str(data["operator"])}
    items = tuple(
        Item(
            code=f"{g['code']}.{i['code']}",
            group=g["code"],
            group_name=g["name"],
            group_name_en=g["name_en"],
            article=g["article"],
            text=i["text"],
            text_en=i["text_en"],
            pattern=_join(i["patterns"], subs),
        )
        for g in data["groups"]
        for i in g["items"]
    )
    grounds = tuple(
        Ground(x["code"], x["text"], _join(x["patterns"], subs)) for x in data["exceptions"]["grounds"]
    )
    return Checklist(
        source=data["source"],
        source_en=data["source_en"],
        items=items,
        not_a_measure=_join(data["not_a_measure"], subs),
        grounds=grounds,
        exception_article=data["exceptions"]["article"],
    )


@lru_cache(maxsize=4)
def load_checklist(path: Path = CHECKLIST) -> Checklist:
    return parse_checklist(yaml.safe_load(path.read_text(encoding="utf-8")))


def check_fair_competition(
    draft: Draft, *, explanation: str = "", checklist: Checklist | None = None
) -> list[Flag]:
    checklist = checklist or load_checklist()
    flags: list[Flag] = []
    for clause in draft.clauses:
        if clause.heading or checklist.not_a_measure.search(clause.text):
            continue
        matched = [(item, m.group(0)) for item in checklist.items if (m := item.pattern.search(clause.text))]
        if matched:
            flags.append(_flag(clause, matched, _exception(checklist, clause.text, explanation)))
    return flags


def _exception(checklist: Checklist, sentence: str, explanation: str) -> str:
    grounds = [g for g in checklist.grounds if g.pattern.search(sentence) or g.pattern.search(explanation)]
    if not grounds:
        return ""
    return (
        f"可能适用{checklist.exception_article}例外（{'；'.join(g.text for g in grounds)}），"
        "须确认无影响更小的替代方案并有合理的实施期限或终止条件。"
    )


def _flag(clause: Clause, matched: list[tuple[Item, str]], note: str) -> Flag:
    """One flag per sentence, citing every standard it meets (the first one names the rule)."""
    zh = "；".join(f"{i.article}（{i.group_name}）不得{i.text}，草案表述“{m}”" for i, m in matched)
    en = "; ".join(
        f"{i.article} ({i.group_name_en}): no {i.text_en}, the draft says '{m}'" for i, m in matched
    )
    return Flag(
        "fair_competition",
        clause.start,
        clause.end,
        clause.text,
        f"《公平竞争审查条例》{zh}。",
        f"Fair Competition Review Regulation, {en}.",
        f"fair_competition:{matched[0][0].code}",
        note=note,
    )
