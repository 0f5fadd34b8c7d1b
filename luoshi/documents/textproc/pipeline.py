"""Run the whole text pipeline on decoded text and shape its JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from luoshi.documents.textproc.integrity import check_integrity
from luoshi.documents.textproc.model import Finding, Normalized, Section, Structure
from luoshi.documents.textproc.normalize import normalize
from luoshi.documents.textproc.recognition import RecognisedLine, low_confidence_findings
from luoshi.documents.textproc.structure import parse_structure
from luoshi.lib.package_limits import check_time


@dataclass
class Analysis:
    source: str
    normalized: Normalized
    structure: Structure
    findings: list[Finding]

    @property
    def text(self) -> str:
        return self.normalized.text


def analyse(source: str, *, recognised: Sequence[RecognisedLine] = (), threshold: float = 0.0) -> Analysis:
    """Normalize ``source``, parse its structure and check its integrity.

    ``recognised``: the lines of text read by OCR (source spans and confidence); those below
    ``threshold`` become ``low_confidence`` findings.
    """
    norm = normalize(source)
    check_time()
    structure = parse_structure(norm.text)
    check_time()
    findings = check_integrity(norm, structure)
    if recognised:
        findings = sorted(
            [*findings, *low_confidence_findings(norm, recognised, threshold=threshold)],
            key=lambda f: (f.start, f.end),
        )
    check_time()
    return Analysis(source=source, normalized=norm, structure=structure, findings=findings)


def section_at_path(sections: list[Section], path: list[int]) -> list[Section]:
    """The chain of sections an index path walks through."""
    chain: list[Section] = []
    level = sections
    for i in path:
        node = level[i]
        chain.append(node)
        level = node.children
    return chain


def structure_json(structure: Structure, findings: list[Finding]) -> dict[str, Any]:
    """The ``sections``/``sentences``/``findings`` part of ``luoshi ingest --json``."""
    sentences = []
    for s in structure.sentences:
        chain = section_at_path(structure.sections, s.path)
        sentences.append(
            {
                "start": s.start,
                "end": s.end,
                "section_path": [c.number for c in chain],
                "section_index": list(s.path),
            }
        )
    return {
        "title": structure.title,
        "issuer": structure.issuer,
        "doc_number": structure.doc_number,
        "date": structure.date or None,
        "date_line": structure.date_line,
        "preamble": list(structure.preamble_span) if structure.preamble_span else None,
        "sections": [s.to_dict() for s in structure.sections],
        "sentences": sentences,
        "findings": [f.to_dict() for f in findings],
    }
