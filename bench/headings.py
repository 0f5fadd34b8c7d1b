"""How many corpus documents yield a plausible section tree, as they are and in the layouts offices send.

Each development-corpus document (texts/*.txt and the stripped gold texts) is parsed as it is and in six
layouts made from it mechanically, the way Word exports, typeset PDFs and typists change headings:

- ``em-indent`` / ``nbsp-indent`` / ``en-indent``: every line indented with two em spaces (U+2003), four
  no-break spaces (U+00A0) or two en spaces (U+2002) instead of its own indentation;
- ``full-width-digits``: every ASCII digit typed full-width (１．, （１）, ２０３０年);
- ``ascii-stops``: the typist's ASCII punctuation in heading numbers (一. instead of 一、, (一) and (1)
  instead of （一） and （1）, 1. instead of 1．);
- ``spaced-markers``: a space between each heading number and its heading (一、 总体要求, 1. 加强…).

A tree is **plausible** when it has at least two top-level sections, no numbering-gap finding, and its
sections hold at least 80 % of the paragraph text. A layout **keeps the tree** when its outline (kind,
numeral value, heading, nesting; compared after NFKC, so ２ equals 2) equals the one of the document as it
is. Documents are split once, by a hash of the file name, into a development part and a held-out part
(about a quarter) reported separately.

    .venv/bin/python bench/headings.py [--out NAME] [--label TEXT]   # writes bench/results/NAME.json

Run on main's code by running this file from a checkout of main (docs/ingest.md shows both).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from luoshi.documents.textproc.pipeline import analyse
from luoshi.documents.textproc.structure import chinese_numeral_value

RESULTS = Path(__file__).resolve().parent / "results"
MIN_TOP = 2
MIN_COVERED = 0.8
_INDENT = re.compile(r"(?m)^[ \t\u3000\u00a0\u2002\u2003]*(?=\S)")
_NUM = "一二三四五六七八九十"


def _indent(spaces: str) -> Callable[[str], str]:
    return lambda text: _INDENT.sub(spaces, text)


def _full_width_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def _ascii_stops(text: str) -> str:
    text = re.sub(rf"(?m)^(\s*[{_NUM}]+)、", r"\1.", text)
    text = re.sub(rf"(?m)^(\s*)（([{_NUM}]+|\d{{1,3}})）", r"\1(\2)", text)
    return re.sub(r"(?m)^(\s*\d{1,3})．", r"\1.", text)


def _spaced_markers(text: str) -> str:
    return re.sub(
        rf"(?m)^(\s*(?:[{_NUM}]+、|（[{_NUM}]+）|\d{{1,3}}[.．](?!\d)|（\d{{1,3}}）))(?=\S)", r"\1 ", text
    )


LAYOUTS: dict[str, Callable[[str], str]] = {
    "as-is": lambda text: text,
    "em-indent": _indent("\u2003\u2003"),
    "nbsp-indent": _indent("\u00a0" * 4),
    "en-indent": _indent("\u2002\u2002"),
    "full-width-digits": _full_width_digits,
    "ascii-stops": _ascii_stops,
    "spaced-markers": _spaced_markers,
}


def documents() -> list[Path]:
    return [*sorted(corpus.texts().glob("*.txt")), *sorted(corpus.gold().glob("src_stripped_*.txt"))]


def held_out(path: Path) -> bool:
    """About a quarter of the documents, fixed by the name (not by how they parse)."""
    return zlib.crc32(path.name.encode("utf-8")) % 4 == 0


def outline(sections: list[Any]) -> list[Any]:
    def key(s: Any) -> tuple[Any, ...]:
        number = unicodedata.normalize("NFKC", s.number)
        return (
            s.kind,
            chinese_numeral_value(number) if number else None,
            unicodedata.normalize("NFKC", s.heading),
            outline(s.children),
        )

    return [key(s) for s in sections]


def judge(text: str) -> dict[str, Any]:
    analysis = analyse(text)
    st = analysis.structure
    gaps = sum(1 for f in analysis.findings if f.kind == "numbering_gap")
    total = sum(p.end - p.start for p in st.paragraphs) or 1
    covered = sum(
        min(p.end, top.end) - max(p.start, top.start)
        for top in st.sections
        for p in st.paragraphs
        if p.start < top.end and top.start < p.end
    )
    share = covered / total
    plausible = len(st.sections) >= MIN_TOP and gaps == 0 and share >= MIN_COVERED
    return {
        "top": len(st.sections),
        "sections": len(st.all_sections()),
        "gaps": gaps,
        "covered": round(share, 3),
        "plausible": plausible,
        "outline": outline(st.sections),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="headings")
    parser.add_argument("--label", default="", help="what code ran (default: the checkout's git commit)")
    args = parser.parse_args()
    rows = []
    for path in documents():
        original = path.read_text(encoding="utf-8")
        base = judge(original)
        row: dict[str, Any] = {"file": path.name, "held_out": held_out(path)}
        for name, layout in LAYOUTS.items():
            got = base if name == "as-is" else judge(layout(original))
            row[name] = {k: v for k, v in got.items() if k != "outline"} | {
                "keeps_tree": got["outline"] == base["outline"]
            }
        rows.append(row)
    summary: dict[str, Any] = {}
    for part, chosen in (
        ("development", [r for r in rows if not r["held_out"]]),
        ("held_out", [r for r in rows if r["held_out"]]),
    ):
        summary[part] = {"documents": len(chosen)} | {
            name: {
                "plausible": sum(r[name]["plausible"] for r in chosen),
                "keeps_tree": sum(r[name]["keeps_tree"] for r in chosen),
            }
            for name in LAYOUTS
        }
    commit = corpus.short_commit()
    meta = {
        "code": args.label or commit,
        "python": platform.python_version(),
        "min_top_sections": MIN_TOP,
        "min_covered_share": MIN_COVERED,
    }
    print(
        f"{'layout':18} {'dev plausible':>14} {'dev same tree':>14} {'held-out plausible':>19} {'held-out same tree':>19}"
    )
    dev, held = summary["development"], summary["held_out"]
    for name in LAYOUTS:
        print(
            f"{name:18} {dev[name]['plausible']:>9} / {dev['documents']:<2} {dev[name]['keeps_tree']:>9} / "
            f"{dev['documents']:<2} {held[name]['plausible']:>14} / {held['documents']:<2} "
            f"{held[name]['keeps_tree']:>14} / {held['documents']:<2}"
        )
    print("held out:", ", ".join(r["file"] for r in rows if r["held_out"]))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(
        json.dumps({"summary": summary, "meta": meta, "documents": rows}, ensure_ascii=False, indent=1)
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
