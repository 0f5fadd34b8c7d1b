"""The document page: structure tree, text with the findings marked, original beside normalized.

Everything the template shows is plain text in runs (``documents.runs``): the
template builds the markup and Django escapes every run, so no document text
is ever rendered as HTML.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from luoshi.documents.compare import SHOWN_BLOCKS, Comparison, compare
from luoshi.documents.models import Document, Finding
from luoshi.documents.runs import Run, text_runs
from luoshi.documents.textproc import offsets
from luoshi.lib.errors import pick

KIND_LABELS: dict[str, Promise] = {
    "numbering_gap": _("Numbering problem"),
    "starts_mid_sentence": _("Starts mid-sentence"),
    "ends_mid_sentence": _("Ends mid-sentence"),
    "truncated": _("Truncated"),
    "page_jump": _("Page-jump marker removed"),
    "furniture": _("Page furniture removed"),
    "unbalanced": _("Unbalanced brackets or quotes"),
    "garbled": _("Garbled or interleaved text"),
    "low_confidence": _("Uncertain OCR reading"),
}
MAX_CROPS = 6  # scanned lines shown beside one low-confidence finding


@dataclass(frozen=True)
class FindingView:
    pk: int
    kind: str
    label: str
    message: str
    start: int
    end: int
    paragraph: int = 0  # where it is, said as "第3段" (the text's lines are its paragraphs); 0: not known
    scan_lines: tuple[int, ...] = ()  # recognised lines (Document.ocr) to show as crops of the scan


@dataclass
class Highlight:
    """Findings whose spans overlap, marked once in the text as footnote ``number``."""

    number: int
    start: int
    end: int
    findings: list[FindingView] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"mark-{self.number}"

    @property
    def title(self) -> str:
        return "\n".join(f"{f.label}: {f.message}" for f in self.findings)


@dataclass(frozen=True)
class TreeNode:
    path: str
    number: str
    heading: str
    start: int
    end: int
    children: list[TreeNode]

    @property
    def anchor(self) -> str:
        return f"sec-{self.path}"


@dataclass
class DetailPage:
    tree: list[TreeNode]
    findings: list[tuple[FindingView, Highlight]]
    runs: list[Run[Highlight]]  # a highlight's first run carries its id, its last its footnote link
    removed: list[tuple[str, str]]  # (what, the text normalization dropped)
    comparison: Comparison
    all_changes: bool


def detail_page(document: Document, *, all_changes: bool = False) -> DetailPage:
    """What the document page shows; ``all_changes`` lifts the cap on the side-by-side blocks."""
    views = [finding_view(f, text=document.text) for f in document.findings.all()]
    if document.ocr and any(v.kind == "low_confidence" for v in views):
        views = with_scan_lines(views, document)
    highlights = group_findings(views)
    tree = section_tree(document.structure.get("sections", []))
    runs = text_runs(
        document.text,
        [(h.start, h.end, h) for h in highlights],
        anchors=[(node.start, node.anchor) for node in walk(tree)],
        points=True,
    )
    return DetailPage(
        tree=tree,
        findings=[(f, h) for h in highlights for f in h.findings],
        runs=runs,
        removed=[(str(KIND_LABELS.get(r["kind"], r["kind"])), r["text"]) for r in document.removals],
        comparison=compare(
            document.source_text,
            document.text,
            _offset_map(document),
            limit=None if all_changes else SHOWN_BLOCKS,
        ),
        all_changes=all_changes,
    )


def finding_view(finding: Finding, *, text: str = "") -> FindingView:
    """The finding in the reader's language (the stored English message when the page is not Chinese)."""
    return FindingView(
        pk=finding.pk,
        kind=finding.kind,
        label=str(KIND_LABELS.get(finding.kind, finding.kind)),
        message=pick(finding.message, finding.message_en),
        start=finding.start,
        end=max(finding.start, finding.end),
        paragraph=paragraph_at(text, finding.start) if text else 0,
    )


def with_scan_lines(views: list[FindingView], document: Document) -> list[FindingView]:
    """Attach to each low-confidence finding the recognised lines its span covers (in text order)."""
    source_offsets = _offset_map(document)
    if source_offsets is None:
        return views
    spans = []
    for index, line in enumerate(document.ocr.get("lines", [])):
        start = bisect.bisect_left(source_offsets, int(line.get("start", 0)), 0, len(source_offsets) - 1)
        end = bisect.bisect_left(source_offsets, int(line.get("end", 0)), start, len(source_offsets) - 1)
        spans.append((start, end, index))
    out = []
    for view in views:
        if view.kind == "low_confidence":
            lines = tuple(i for s, e, i in sorted(spans) if s < view.end and e > view.start)[:MAX_CROPS]
            view = replace(view, scan_lines=lines)
        out.append(view)
    return out


def paragraph_at(text: str, offset: int) -> int:
    """The number of the paragraph (non-empty line, from 1) that holds ``offset``."""
    before = text[: max(0, min(offset, len(text)))]
    lines = before.split("\n")
    return sum(1 for line in lines[:-1] if line.strip()) + 1


def group_findings(findings: Iterable[FindingView]) -> list[Highlight]:
    """Merge findings that overlap (or start at the same place) into numbered highlights."""
    groups: list[Highlight] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end, f.pk)):
        last = groups[-1] if groups else None
        if last is not None and (f.start < last.end or f.start == last.start):
            last.end = max(last.end, f.end)
            last.findings.append(f)
        else:
            groups.append(Highlight(number=len(groups) + 1, start=f.start, end=f.end, findings=[f]))
    return groups


def section_tree(sections: Sequence[Mapping[str, Any]], prefix: str = "") -> list[TreeNode]:
    """The structure JSON's section tree, each node with its index path ("2.1")."""
    return [
        TreeNode(
            path=f"{prefix}{i}",
            number=str(s.get("number", "")),
            heading=str(s.get("heading", "")),
            start=int(s.get("start", 0)),
            end=int(s.get("end", 0)),
            children=section_tree(s.get("children", []), f"{prefix}{i}."),
        )
        for i, s in enumerate(sections)
    ]


def walk(nodes: Iterable[TreeNode]) -> Iterable[TreeNode]:
    for node in nodes:
        yield node
        yield from walk(node.children)


def _offset_map(document: Document) -> list[int] | None:
    try:
        return offsets.expand(document.offset_runs) if document.offset_runs else None
    except ValueError:
        return None
