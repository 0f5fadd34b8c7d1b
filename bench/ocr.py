"""OCR measured on scans made from the corpus' texts (issue 17).

Each corpus text (``texts/`` and ``gold/src_stripped_*``: LUOSHI_CORPUS_DIR, default ``../shared/corpus``)
gives its first ``--chars`` characters (whole paragraphs).  The bench typesets them with Pillow and a
CJK font (WenQuanYi Micro Hei, Debian's fonts-wqy-microhei) on A4 pages:

- one column: 16 pt body (三号), first lines indented two characters, short title lines centred;
- three columns: a 22 pt title across the page, then 10.5 pt (五号) columns with 5 mm gutters;

at 300 and 150 dpi, clean or with a slight skew (±1°), grain, speckles and blur, saves the pages as a
scanned PDF (images only) and reads it with ``read_document`` as an upload would be read.  Measured:

- character accuracy: 1 − edits / characters between the normalized text of the typeset chunk and of
  the scan (whitespace ignored; edits counted from difflib's alignment, an upper bound of the
  Levenshtein distance);
- section tree: whether the heading tree (kind, number, heading of every section) equals the text's;
- seconds per page (wall clock and CPU of this process) with the machine's load average beside them;
- low confidence: for every recognised line, whether it holds a wrong character, against whether its
  confidence is below the threshold (precision and recall of the ``low_confidence`` finding).

Every 4th file (sorted, from the 4th) is held out: the layout rules and thresholds were tuned on the
others only, and the held-out figures are reported apart.  Prints a table, writes bench/results/ocr.json.

    .venv/bin/python bench/ocr.py [--chars 1500] [--only dev|held-out] [--files N] [--variants a,b]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from luoshi.documents import ocr
from luoshi.documents.readers import read_document
from luoshi.documents.textproc.model import Section
from luoshi.documents.textproc.pipeline import analyse
from luoshi.testing.scans import Variant, cjk_font_path, damage, scanned_pdf, typeset

RESULTS = Path(__file__).resolve().parent / "results"
VARIANTS = {
    v.name: v
    for v in (
        Variant("300dpi-1col-clean", 300, 1, False),
        Variant("300dpi-1col-scan", 300, 1, True),
        Variant("300dpi-3col-scan", 300, 3, True),
        Variant("150dpi-1col-scan", 150, 1, True),
        Variant("150dpi-3col-scan", 150, 3, True),
    )
}


def corpus_files() -> list[Path]:
    return sorted(
        [*corpus.texts().glob("*.txt"), *corpus.gold().glob("src_stripped_*.txt")], key=lambda p: p.name
    )


def split(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(development, held out): every 4th file from the 4th is held out."""
    held = [f for i, f in enumerate(files) if i % 4 == 3]
    return [f for f in files if f not in held], held


def chunk(path: Path, chars: int) -> list[str]:
    """The first whole paragraphs of a corpus text, about ``chars`` characters, trimmed of indentation."""
    paragraphs: list[str] = []
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.strip().strip("\u3000")
        if not text:
            continue
        paragraphs.append(text)
        total += len(text)
        if total >= chars:
            break
    return paragraphs


# --- measuring -------------------------------------------------------------------


def edits(truth: str, got: str) -> int:
    matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tree(sections: list[Section], depth: int = 0) -> list[tuple[int, str, str, str]]:
    out: list[tuple[int, str, str, str]] = []
    for s in sections:
        out.append((depth, s.kind, s.number, squeeze(s.heading)))
        out.extend(tree(s.children, depth + 1))
    return out


def line_errors(truth_source: str, got_source: str, lines: list[ocr.OcrLine]) -> list[tuple[float, bool]]:
    """(confidence, holds a wrong character) for each recognised line, by aligning the two source texts."""
    keep = [i for i, c in enumerate(got_source) if not c.isspace()]
    got = "".join(got_source[i] for i in keep)
    truth = squeeze(truth_source)
    wrong = [False] * len(got)
    matcher = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    for op, _i1, _i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            for j in range(j1, j2):
                wrong[j] = True
            if op == "delete" and j1 < len(wrong):
                wrong[min(j1, len(wrong) - 1)] = True
    position = {source: k for k, source in enumerate(keep)}
    out = []
    for line in lines:
        indexes = [position[i] for i in range(line.start, line.end) if i in position]
        if indexes:
            out.append((line.confidence, any(wrong[k] for k in indexes)))
    return out


@dataclass
class Outcome:
    file: str
    variant: str
    part: str
    pages: int
    characters: int
    accuracy: float
    tree_equal: bool
    headings_text: int
    headings_scan: int
    seconds: float
    cpu_seconds: float
    lines: list[tuple[float, bool]]


def measure(path: Path, variant: Variant, *, chars: int, part: str, seed: int) -> Outcome:
    paragraphs = chunk(path, chars)
    source = "\n".join(paragraphs) + "\n"
    rng = random.Random(f"{seed}:{path.name}:{variant.name}")
    images = typeset(paragraphs, variant)
    if variant.damaged:
        images = [damage(image, rng) for image in images]
    data = scanned_pdf(images, variant.dpi)
    wall, cpu = time.perf_counter(), time.process_time()
    read = read_document(data, filename=f"{path.stem}.pdf", max_bytes=200 * 1024 * 1024)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    text_version, scan = analyse(source), analyse(read.text)
    truth, got = squeeze(text_version.text), squeeze(scan.text)
    tree_text, tree_scan = tree(text_version.structure.sections), tree(scan.structure.sections)
    layer = read.ocr or ocr.OcrLayer()
    return Outcome(
        file=path.name,
        variant=variant.name,
        part=part,
        pages=len(images),
        characters=len(truth),
        accuracy=max(0.0, 1 - edits(truth, got) / max(len(truth), 1)),
        tree_equal=tree_text == tree_scan,
        headings_text=len(tree_text),
        headings_scan=len(tree_scan),
        seconds=wall,
        cpu_seconds=cpu,
        lines=line_errors(source, read.text, layer.lines),
    )


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    pages = sum(o.pages for o in outcomes)
    chars = sum(o.characters for o in outcomes)
    lines = [line for o in outcomes for line in o.lines]
    flagged = [wrong for confidence, wrong in lines if confidence < ocr.LOW_CONFIDENCE]
    wrong_lines = sum(1 for _, wrong in lines if wrong)
    return {
        "documents": len(outcomes),
        "pages": pages,
        "characters": chars,
        "character_accuracy": round(sum(o.accuracy * o.characters for o in outcomes) / max(chars, 1), 4),
        "worst_document_accuracy": round(min((o.accuracy for o in outcomes), default=0.0), 4),
        "section_trees_equal": f"{sum(o.tree_equal for o in outcomes)}/{len(outcomes)}",
        "seconds_per_page": round(sum(o.seconds for o in outcomes) / max(pages, 1), 2),
        "cpu_seconds_per_page": round(sum(o.cpu_seconds for o in outcomes) / max(pages, 1), 2),
        "lines": len(lines),
        "lines_with_an_error": wrong_lines,
        "low_confidence_lines": len(flagged),
        "low_confidence_precision": round(sum(flagged) / len(flagged), 3) if flagged else None,
        "low_confidence_recall": round(sum(flagged) / wrong_lines, 3) if wrong_lines else None,
    }


def thresholds(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Precision and recall of the low-confidence finding at other thresholds (for the tuning note)."""
    lines = [line for o in outcomes for line in o.lines]
    wrong = sum(1 for _, w in lines if w)
    rows = []
    for t in (0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        flagged = [w for c, w in lines if c < t]
        rows.append(
            {
                "threshold": t,
                "flagged": len(flagged),
                "precision": round(sum(flagged) / len(flagged), 3) if flagged else None,
                "recall": round(sum(flagged) / wrong, 3) if wrong else None,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=1500)
    parser.add_argument("--only", choices=["dev", "held-out"])
    parser.add_argument("--files", type=int, default=0, help="at most N files of each part (0: all)")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--out", default=str(RESULTS / "ocr.json"))
    args = parser.parse_args()
    if cjk_font_path() is None:
        sys.exit("bench: no Chinese font (apt-get install fonts-wqy-microhei)")
    dev, held = split(corpus_files())
    parts = [("dev", dev), ("held-out", held)]
    if args.only:
        parts = [p for p in parts if p[0] == args.only]
    variants = [VARIANTS[name] for name in args.variants.split(",")]
    load_before = os.getloadavg()
    ocr._load_engine()  # loading the models (a few seconds, once per process) is not a page's cost
    outcomes: list[Outcome] = []
    for part, files in parts:
        for path in files[: args.files or None]:
            for variant in variants:
                outcome = measure(path, variant, chars=args.chars, part=part, seed=args.seed)
                outcomes.append(outcome)
                print(
                    f"{part:8} {variant.name:18} {path.name[:34]:34} pages {outcome.pages} "
                    f"acc {outcome.accuracy:.4f} tree {'=' if outcome.tree_equal else '≠'} "
                    f"({outcome.headings_text}/{outcome.headings_scan}) {outcome.seconds / outcome.pages:.2f} s/page",
                    flush=True,
                )
    load_after = os.getloadavg()
    table: dict[str, Any] = {}
    for part, _files in parts:
        for variant in variants:
            chosen = [o for o in outcomes if o.part == part and o.variant == variant.name]
            if chosen:
                table[f"{part} {variant.name}"] = summarise(chosen)
    for part, _files in parts:
        chosen = [o for o in outcomes if o.part == part]
        table[f"{part} all"] = summarise(chosen)
    result = {
        "bench": "ocr",
        "engine": "rapidocr 3.10.0, PP-OCRv6 small det/rec (shipped in the wheel), onnxruntime CPU",
        "settings": {
            "max_side": ocr.MAX_SIDE,
            "det_side": ocr.DET_SIDE,
            "low_confidence": ocr.LOW_CONFIDENCE,
            "chars_per_document": args.chars,
            "seed": args.seed,
            "threads": os.environ.get("LUOSHI_OCR_THREADS", "0 (one per core)"),
        },
        "machine": {
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
        },
        "held_out_files": [p.name for p in held],
        "summary": table,
        "thresholds_dev": thresholds([o for o in outcomes if o.part == "dev"]),
        "documents": [{k: v for k, v in o.__dict__.items() if k != "lines"} for o in outcomes],
    }
    print()
    print(
        f"{'part / variant':34} {'pages':>5} {'accuracy':>8} {'trees':>6} {'s/page':>6} {'cpu s':>6} "
        f"{'low-conf P':>10} {'R':>6}"
    )
    for name, row in table.items():
        print(
            f"{name:34} {row['pages']:5} {row['character_accuracy']:8.4f} {row['section_trees_equal']:>6} "
            f"{row['seconds_per_page']:6.2f} {row['cpu_seconds_per_page']:6.2f} "
            f"{row['low_confidence_precision']!s:>10} {row['low_confidence_recall']!s:>6}"
        )
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} on {os.cpu_count()} cores")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
