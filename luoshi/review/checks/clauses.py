"""Documents as clauses: the ingest pipeline's sentences with their section labels and kinds.

Drafts go through the same pipeline as decisions (``documents.textproc.pipeline.analyse``); stored
decisions already carry its JSON (``Document.structure``). Both become ``Clause`` lists here, from
the same JSON shape (``structure_json``), so a draft and a decision are cut the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from luoshi.decomposition.extract.classify import classify_sentence
from luoshi.decomposition.extract.sentences import is_date_line, is_signature
from luoshi.documents.textproc.pipeline import analyse, structure_json
from luoshi.review.checks.model import Clause, Decision, Draft, PremiseRule

ACTIONABLE = frozenset({"task", "recurring"})
# Sections that state principles and goals, not things to carry out (as the decomposition reads them).
_PRINCIPLE_HEADING = re.compile(
    r"指导思想|基本原则|总体要求|总体目标|主要目标|发展目标|工作目标|目标任务|重大意义|总体思路|工作原则|预期目标"
)
_REVIEW_HEADING = re.compile(r"回顾|过去[一五]年|主要成绩|发展成就")
_TOP_KINDS = frozenset({"part", "chapter", "volume"})


def _walk(
    sections: Sequence[Mapping[str, Any]],
    chain: tuple[Mapping[str, Any], ...],
    out: dict[tuple[int, ...], tuple[Mapping[str, Any], ...]],
    path: tuple[int, ...],
) -> None:
    for i, section in enumerate(sections):
        here = (*path, i)
        out[here] = (*chain, section)
        _walk(section.get("children", []), (*chain, section), out, here)


def clauses_from_structure(text: str, structure: Mapping[str, Any]) -> list[Clause]:
    """The clauses of a document from its structure JSON (``sections``, ``sentences``, ``title``).

    1. Each sentence of the pipeline is one clause, labelled with its sections' numbers.
    2. A sentence is a heading when it lies within a section's heading line.
    3. It is actionable when the decomposition's classifier reads it as a task (or a recurring
       one) and no section around it announces principles, goals or a review of past work.
    """
    chains: dict[tuple[int, ...], tuple[Mapping[str, Any], ...]] = {}
    _walk(structure.get("sections", []), (), chains, ())
    title = str(structure.get("title") or "")
    out: list[Clause] = []
    for sentence in structure.get("sentences", []):
        start, end = int(sentence["start"]), int(sentence["end"])
        body = text[start:end]
        if not body.strip():
            continue
        path = tuple(int(i) for i in sentence.get("section_index", []))
        chain = chains.get(path, ())
        label = "".join(_number(s) for s in chain)
        heading = any(
            int(s["start"]) <= start
            and end <= int(s["heading_end"]) + 1
            and int(s["heading_end"]) > int(s["heading_start"])
            for s in chain[-1:]
        )
        headings = " ".join(str(s.get("heading", "")) for s in chain)
        in_title = bool(title) and not chain and _squeeze(body) in _squeeze(title)
        end_matter = is_date_line(body) or is_signature(body)
        principle = bool(_PRINCIPLE_HEADING.search(headings) or _REVIEW_HEADING.search(headings))
        top_heading = heading and bool(chain) and str(chain[-1].get("kind")) in _TOP_KINDS
        actionable = (
            not in_title
            and not end_matter
            and not principle
            and not top_heading
            and classify_sentence(body) in ACTIONABLE
        )
        out.append(
            Clause(
                index=len(out),
                start=start,
                end=end,
                text=body,
                label=label,
                top=path[0] if path else -1,
                actionable=actionable,
                heading=heading or in_title,
            )
        )
    return out


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _number(section: Mapping[str, Any]) -> str:
    number = str(section.get("number", ""))
    if str(section.get("kind")) == "part" and number and not number.endswith("、"):
        return number + "、"
    return number


def draft_from_text(text: str) -> Draft:
    """Run the ingest pipeline on a draft's decoded text; the draft keeps the normalized text."""
    analysis = analyse(text)
    structure = structure_json(analysis.structure, analysis.findings)
    date = None
    if analysis.structure.date:
        try:
            date = dt.date.fromisoformat(analysis.structure.date)
        except ValueError:
            date = None
    return Draft(
        text=analysis.text,
        clauses=clauses_from_structure(analysis.text, structure),
        title=analysis.structure.title,
        date=date,
    )


def decision_from_text(
    decision_id: int | str, text: str, *, title: str = "", rules: Sequence[PremiseRule] = ()
) -> Decision:
    """A decision from its decoded text (benches and tests; stored ones use ``decision_from_stored``)."""
    analysis = analyse(text)
    structure = structure_json(analysis.structure, analysis.findings)
    title = title or analysis.structure.title or str(decision_id)
    year = int(analysis.structure.date[:4]) if analysis.structure.date else year_of(title)
    return Decision(
        id=decision_id,
        title=title,
        text=analysis.text,
        clauses=clauses_from_structure(analysis.text, structure),
        year=year,
        rules=list(rules),
    )


def year_of(title: str) -> int | None:
    """The year a title names (2014年政府工作报告), for documents without a date line."""
    m = re.search(r"(?<!\d)(19|20)(\d\d)年", title)
    return int(m.group(1) + m.group(2)) if m else None


def decision_from_stored(
    decision_id: int | str,
    *,
    title: str,
    text: str,
    structure: Mapping[str, Any],
    year: int | None,
    rules: Sequence[PremiseRule] = (),
    key: str = "",
) -> Decision:
    return Decision(
        id=decision_id,
        title=title,
        text=text,
        clauses=clauses_from_structure(text, structure),
        year=year,
        rules=list(rules),
        key=key,
    )
