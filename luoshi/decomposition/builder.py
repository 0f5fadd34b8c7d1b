"""Propose a task division from a document's structure (pure Python).

Granularity follows official task divisions: a task is the lowest numbered
item (or a paragraph where a part has no numbering below it); the separable
actions inside it become ``subtasks``.  Every task keeps its source spans and
heading path; every sentence of the document is either inside a task or
classified as non-actionable, which is what coverage counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from luoshi.catalogs.catalog import Catalog
from luoshi.catalogs.history import History
from luoshi.catalogs.suggest import Evidence, suggest_co_units, suggest_units, suggest_units_many
from luoshi.decomposition.extract.actions import action_title, split_actions
from luoshi.decomposition.extract.classify import classify_sentence
from luoshi.decomposition.extract.dates import extract_deadlines
from luoshi.decomposition.extract.programmes import extract_programmes
from luoshi.decomposition.extract.sentences import SENTENCE_END_RE, is_fragment, proposable
from luoshi.decomposition.extract.targets import extract_targets
from luoshi.decomposition.extract.units import extract_unit_mentions
from luoshi.decomposition.leaning import CommonWords, document_prior
from luoshi.decomposition.proposed import (
    ACTIONABLE,
    PERIODIC,
    Decomposition,
    ProposedTask,
    heading_label,
    runner_up_co_units,
    suggestion_dict,
)
from luoshi.decomposition.table_tasks import row_task
from luoshi.decomposition.tables import RowTask, TaskTable, division_tables
from luoshi.documents.docx_tables import SourceTable
from luoshi.documents.textproc.model import Section, Structure
from luoshi.lib import nlp

# Kinds of section that form the numbered hierarchy (enumerations inside a
# paragraph, 一是…二是…, are subtasks, not task boundaries).
BLOCK_KINDS = {"part", "chapter", "section", "article", "item", "point", "subpoint", "heading", "bullet"}

# Headings that announce non-task content, whatever the sentences below say.
_PRINCIPLE_HEADING = re.compile(
    r"指导思想|基本原则|总体要求|总体目标|主要目标|发展目标|工作目标|目标任务|重大意义|总体思路|工作原则|预期目标"
)
_REVIEW_HEADING = re.compile(r"回顾|过去[一五]年|主要成绩|发展成就")


@dataclass
class _Planned:
    """A block to propose, with what the first pass found: its sentences, kind, dates and words."""

    block: _Block
    members: list[tuple[int, int]]
    body_members: list[tuple[int, int]]
    heading_path: list[str]
    times: list[dict[str, Any]]
    kind: str
    tokens: list[nlp.Token] | None


@dataclass
class _Block:
    start: int
    end: int
    body_start: int
    chain: list[Section]
    heading: str


def _paragraph_blocks(text: str, start: int, end: int, chain: list[Section]) -> list[_Block]:
    out = []
    pos = start
    for line in text[start:end].split("\n"):
        s, e = pos, pos + len(line)
        pos = e + 1
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(_Block(s, e, s, chain, ""))
    return out


def _blocks(text: str, structure: Structure) -> list[_Block]:
    """Cut the document into task-sized blocks, in document order."""
    blocks: list[_Block] = []
    first = structure.sections[0].start if structure.sections else len(text)
    blocks.extend(_paragraph_blocks(text, 0, first, []))

    def visit(section: Section, chain: list[Section]) -> None:
        chain = [*chain, section]
        kids = [c for c in section.children if c.kind in BLOCK_KINDS]
        body = section.heading_end if section.heading else section.start
        if kids:
            # Text between the heading and the first numbered child (an intro).
            blocks.extend(_paragraph_blocks(text, body, kids[0].start, chain))
            for kid in kids:
                visit(kid, chain)
            return
        paragraphs = _paragraph_blocks(text, body, section.end, chain)
        if section.level == 1 and len(paragraphs) > 1:
            # An unnumbered part: one task per paragraph; a heading that is a sentence is one of them.
            line_end = text.find("\n", section.heading_start, section.end)
            line_end = section.end if line_end < 0 else line_end
            if section.heading and text[section.heading_start : line_end].rstrip()[-1:] in (
                "。",
                "！",
                "？",
                "；",
            ):
                blocks.append(_Block(section.start, line_end, section.heading_start, chain, ""))
                body = max(body, line_end)
                paragraphs = _paragraph_blocks(text, body, section.end, chain)
            blocks.extend(paragraphs)
        else:
            blocks.append(_Block(section.start, section.end, body, chain, section.heading))

    for top in structure.sections:
        visit(top, [])
    return [b for b in blocks if b.end > b.start]


# A heading longer than this is a sentence (一、对…的省（区、市），给予…。), not a title saying what follows.
_TITLE_HEADING_CHARS = 30


def _block_kind(
    heading_path: list[str], kinds: list[str], deadlines: list[dict[str, Any]], preamble: bool
) -> str:
    if preamble:
        return "preamble"
    joined = " ".join(h for h in heading_path if len(h) <= _TITLE_HEADING_CHARS)
    if _REVIEW_HEADING.search(joined):
        return "review"
    if _PRINCIPLE_HEADING.search(joined):
        return "principle"
    if not any(k in ACTIONABLE for k in kinds):
        if "review" in kinds and kinds.count("review") * 2 >= len(kinds):
            return "review"
        return "principle" if "principle" in kinds else "other"
    if any(d.get("recurrence") in PERIODIC for d in deadlines):
        return "recurring"
    return "task"


def _describe(
    text: str,
    start: int,
    end: int,
    *,
    catalog: Catalog,
    context: str,
    deadlines: list[dict[str, Any]],
    tokens: list[nlp.Token] | None = None,
    evidence: Evidence,
) -> dict[str, Any]:
    """Extract targets, programmes, units and suggestions of a span.

    ``deadlines``: the span's (already extracted) deadlines, offsets relative
    to ``start``.  ``tokens`` (offsets relative to ``start``) skip segmenting
    the span again; None means: no unit suggestions (non-actionable text).
    """
    piece = text[start:end]

    def shift(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for item in items:
            if "start" in item:
                item["start"] += start
                item["end"] += start
        return items

    mentions = catalog.find_name(piece)
    spans = [(m.start, m.end, m.unit_name) for m in mentions]
    suggestions = (
        []
        if tokens is None
        else suggest_units(piece, catalog, context=context, k=8, tokens=tokens, evidence=evidence)
    )
    cos = suggest_co_units(piece, suggestions, catalog, context=context, k=5, evidence=evidence)
    return {
        "targets": shift([t.to_dict() for t in extract_targets(piece)]),
        "deadlines": shift(deadlines),
        "programmes": shift([p.to_dict() for p in extract_programmes(piece, tokens=tokens)]),
        "units_in_text": shift([u.to_dict() for u in extract_unit_mentions(piece, names=lambda _t: spans)]),
        "lead_suggestions": [suggestion_dict(s) for s in suggestions[:3]],
        "co_suggestions": [suggestion_dict(s) for s in cos],
    }


def _inside(items: list[dict[str, Any]], start: int, end: int) -> list[dict[str, Any]]:
    return [i for i in items if start <= i.get("start", -1) and i.get("end", end + 1) <= end]


def decompose(
    text: str,
    structure: Structure,
    catalog: Catalog,
    *,
    reference_year: int | None = None,
    tables: Sequence[SourceTable] = (),
    history: History | None = None,
    leave_out_quoted: bool = False,
) -> Decomposition:
    """Propose tasks for a parsed document, with coverage (see module doc).

    ``tables``: the document's tables as read from its file (``docx_tables``); the rows of a task-division
    table become the tasks there, and the main-text items they name are not proposed again.
    ``history``: the office's confirmed tasks, whose owners count in the suggestions (``leave_out_quoted``:
    not those a task quotes); the units the document as a whole points at count too (``leaning``).
    """
    if reference_year is None and structure.date:
        reference_year = int(structure.date[:4])
    division = division_tables(text, tables, catalog, structure, reference_year=reference_year)
    taken = _taken_spans(division)
    headings = _SpanCover(_heading_lines(structure))
    sentence_kind: dict[tuple[int, int], str] = {
        (s.start, s.end): "heading"
        if headings.covers(s.start, s.end)
        else classify_sentence(text[s.start : s.end])
        for s in structure.sentences
    }
    sentences = sorted(sentence_kind)
    starts = [s[0] for s in sentences]
    tasks: list[ProposedTask] = []
    owner: dict[tuple[int, int], ProposedTask] = {}
    title_end = structure.title_span[1] if structure.title_span else 0
    first_section = structure.sections[0].start if structure.sections else len(text)
    # First the kind (and words) of every block, then their suggestions: the words common to the
    # document's tasks weigh less in each (leaning.CommonWords).
    planned: list[_Planned | RowTask] = []
    for block in _interleave(text, _blocks(text, structure), division, taken):
        if isinstance(block, RowTask):
            planned.append(block)
            continue
        members = _within(sentences, starts, block.start, block.end)
        if not block.heading and not proposable(text[block.start : block.end]):
            # A date line, signature block or fragment: not an item, and nothing in it to carry out.
            for s in members:
                sentence_kind[s] = "other"
            continue
        body_members = [s for s in members if s[0] >= block.body_start] or members
        kinds = [sentence_kind[s] for s in body_members]
        heading_path = [heading_label(s, text) for s in block.chain]
        preamble = not block.chain and block.start < first_section
        times = [
            t.to_dict()
            for t in extract_deadlines(text[block.start : block.end], reference_year=reference_year)
        ]
        kind = _block_kind(heading_path, kinds, times, preamble or block.end <= title_end)
        tokens = nlp.tokens(text[block.start : block.end]) if kind in ACTIONABLE else None
        planned.append(_Planned(block, members, body_members, heading_path, times, kind, tokens))
    common = CommonWords(
        [[t.word for t in p.tokens] for p in planned if isinstance(p, _Planned) and p.tokens]
    )
    evidence = Evidence(
        history=history,
        prior=document_prior(text, structure, catalog),
        leave_out_quoted=leave_out_quoted,
        common=common,
    )
    n = 0
    for item in planned:
        n += 1
        if isinstance(item, RowTask):
            task = row_task(item, f"t{n}", catalog, structure, text, evidence)
            tasks.append(task)
            for span in [(task.start, task.end), *((d["start"], d["end"]) for d in item.linked)]:
                for s in _within(sentences, starts, span[0], span[1]):
                    owner[s] = task
                    task.sentences.append(s)
                    if sentence_kind[s] not in ACTIONABLE:
                        sentence_kind[s] = "task"
            continue
        block, kind, tokens, context = item.block, item.kind, item.tokens, " ".join(item.heading_path)
        info = _describe(
            text,
            block.start,
            block.end,
            catalog=catalog,
            context=context,
            deadlines=item.times,
            evidence=evidence,
            tokens=tokens,
        )
        body = text[block.body_start : block.end]
        title = block.heading if block.heading and len(block.heading) <= 40 else ""
        title = (
            title
            or _title(body, actionable=kind in ACTIONABLE)
            or _title(block.heading or text[block.start : block.end], actionable=kind in ACTIONABLE)
        )
        task = ProposedTask(
            id=f"t{n}",
            title=title,
            text=text[block.start : block.end],
            kind=kind,
            start=block.start,
            end=block.end,
            heading_path=item.heading_path,
            sentences=item.members,
            **info,
        )
        if kind in ACTIONABLE:
            acts = _actions(text, item.body_members)
            task.actions = [a.to_dict() for a in acts]
            task.subtasks = _subtasks(
                task, acts, catalog=catalog, context=context, tokens=tokens or [], evidence=evidence
            )
        tasks.append(task)
        for s in item.members:
            owner[s] = task
            if kind not in ACTIONABLE and sentence_kind[s] in ACTIONABLE:
                # The block is preamble/principle/review by its place: so are its sentences.
                sentence_kind[s] = kind
    return Decomposition(tasks, _coverage(text, structure, sentence_kind, owner))


def _taken_spans(division: list[TaskTable]) -> list[tuple[int, int]]:
    """Text the division tables own: each table's rows (a table continued on the next page of a PDF counts
    as one with it, with what lies between) and the main-text items they link to."""
    spans: list[tuple[int, int]] = []
    previous: TaskTable | None = None
    for t in division:
        if t.end <= t.start:
            continue
        if (
            previous is not None
            and t.index == previous.index + 1
            and t.columns.roles == previous.columns.roles
        ):
            spans[-1] = (min(spans[-1][0], t.start), max(spans[-1][1], t.end))
        else:
            spans.append((t.start, t.end))
        previous = t
    spans += [(d["start"], d["end"]) for t in division for r in t.rows for d in r.linked]
    return sorted(spans)


def _interleave(
    text: str, blocks: list[_Block], division: list[TaskTable], taken: list[tuple[int, int]]
) -> Iterator[_Block | RowTask]:
    """Blocks outside the tables' text and the tables' rows, in document order."""
    kept: list[_Block | RowTask] = []
    for b in blocks:
        if any(s <= b.start and b.end <= e for s, e in taken):
            continue
        cut = next((s for s, e in taken if b.start < s < b.end), None)
        if cut is not None:  # a block running into a table: only the part before it
            b = _Block(b.start, cut, min(b.body_start, cut), b.chain, b.heading)
            while b.end > b.start and text[b.end - 1].isspace():
                b.end -= 1
        after = next((e for s, e in taken if s <= b.start < e < b.end), None)
        if after is not None:  # a block running out of a table: only the part after it
            b = _Block(after, b.end, max(b.body_start, after), b.chain, b.heading)
            while b.start < b.end and text[b.start].isspace():
                b.start += 1
        if b.end > b.start:
            kept.append(b)
    kept.extend(r for t in division for r in t.rows)
    yield from sorted(kept, key=lambda x: x.start)


def _title(text: str, *, actionable: bool) -> str:
    """An actionable block's verb-object title; otherwise (or when that is a fragment) its first
    sentence that is not a fragment (a salutation such as 各位代表！ is skipped)."""
    title = action_title(text) if actionable else ""
    if title and not is_fragment(title):
        return title
    pieces = [p.strip() for p in SENTENCE_END_RE.split(text.strip()) if p.strip()]
    first = next((p for p in pieces if not is_fragment(p)), pieces[0] if pieces else title)
    return first if len(first) <= 40 else first[:39] + "…"


def _heading_lines(structure: Structure) -> list[tuple[int, int]]:
    """Heading lines of sections that have numbered children: structure, not content."""
    return [
        (sec.start, sec.heading_end)
        for sec in structure.all_sections()
        if sec.heading and any(c.kind in BLOCK_KINDS for c in sec.children)
    ]


class _SpanCover:
    """Whether some span ``(a, b)`` has ``a <= start and end <= b + 1``: a bisect over the starts and the
    furthest end reached so far, instead of a pass over every heading line per sentence."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        k = bisect_right(self.starts, start) - 1
        return k >= 0 and end <= self.reach[k] + 1


def _within(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """The sorted spans lying inside [start, end)."""
    out = []
    for i in range(bisect_left(starts, start), len(spans)):
        if spans[i][0] >= end:
            break
        if spans[i][1] <= end:
            out.append(spans[i])
    return out


@dataclass
class _Act:
    start: int
    end: int
    text: str
    verb: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "verb": self.verb, "start": self.start, "end": self.end}


def _actions(text: str, members: list[tuple[int, int]]) -> list[_Act]:
    out: list[_Act] = []
    for s, e in members:
        for a in split_actions(text[s:e], use_pos=False):
            out.append(_Act(s + a.start, s + a.end, a.text, a.verb))
    return out


def _subtasks(
    task: ProposedTask,
    actions: list[_Act],
    *,
    catalog: Catalog,
    context: str,
    tokens: list[nlp.Token],
    evidence: Evidence,
) -> list[ProposedTask]:
    acts = [a for a in actions if a.verb]
    if len(acts) < 2:
        return []
    # What the task's extraction found inside an action belongs to it; only
    # the unit suggestions are computed again, on the action's words.
    spans = [(a.start - task.start, a.end - task.start) for a in acts]
    suggested = suggest_units_many(
        task.text, spans, catalog, context=context, k=4, tokens=tokens, evidence=evidence
    )
    subs = []
    for i, (act, suggestions) in enumerate(zip(acts, suggested, strict=True), start=1):
        subs.append(
            ProposedTask(
                id=f"{task.id}.{i}",
                title=action_title(act.text),
                text=act.text,
                kind=task.kind,
                start=act.start,
                end=act.end,
                heading_path=task.heading_path,
                sentences=[],
                targets=_inside(task.targets, act.start, act.end),
                deadlines=_inside(task.deadlines, act.start, act.end),
                programmes=_inside(task.programmes, act.start, act.end),
                units_in_text=_inside(task.units_in_text, act.start, act.end),
                lead_suggestions=[suggestion_dict(s) for s in suggestions[:3]],
                co_suggestions=[suggestion_dict(s) for s in runner_up_co_units(suggestions)],
            )
        )
    return subs


def _coverage(
    text: str,
    structure: Structure,
    sentence_kind: dict[tuple[int, int], str],
    owner: dict[tuple[int, int], ProposedTask],
) -> dict[str, Any]:
    """Share of actionable sentences owned by an actionable task with a lead unit."""

    def tally(spans: list[tuple[int, int]]) -> dict[str, Any]:
        actionable = [s for s in spans if sentence_kind[s] in ACTIONABLE]
        covered = [s for s in actionable if s in owner and owner[s].kind in ACTIONABLE and owner[s].lead]
        return {
            "sentences": len(spans),
            "actionable": len(actionable),
            "covered": len(covered),
            "non_actionable": len(spans) - len(actionable),
            "ratio": round(len(covered) / len(actionable), 4) if actionable else 1.0,
        }

    spans = sorted(sentence_kind)
    starts = [s[0] for s in spans]
    listing = [
        {
            "start": a,
            "end": b,
            "kind": sentence_kind[(a, b)],
            "task": owner[(a, b)].id if (a, b) in owner else None,
        }
        for a, b in spans
    ]
    sections = []
    for top in structure.sections:
        inside = _within(spans, starts, top.start, top.end)
        sections.append(
            {"section": heading_label(top, text), "start": top.start, "end": top.end, **tally(inside)}
        )
    return {"overall": tally(spans), "sections": sections, "sentences": listing}
