"""Ingest speed over the whole corpus, against bare jieba segmentation.

Prints a table and writes bench/results/ingest.json. Goal (issue 2): the whole
ingest (decode + normalize + structure + integrity) costs at most 2x bare
jieba segmentation (``jieba.lcut`` with its defaults) of the same texts. The
baseline calls jieba itself, not our NLP interface, which has a faster
segmenter of its own.

    .venv/bin/python bench/ingest.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import jieba

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from luoshi.documents.readers import read_document
from luoshi.documents.textproc.pipeline import analyse
from luoshi.lib import nlp
from luoshi.testing.paths import seed_path

RESULTS = Path(__file__).resolve().parent / "results"


def corpus_files() -> list[Path]:
    files = [seed_path(), *sorted(corpus.texts().glob("*.txt")), *sorted(corpus.gold().glob("*.txt"))]
    return [f for f in files if f.is_file()]


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def ingest_text(data: bytes, filename: str) -> object:
    """Decode, normalize, parse and check: everything ingest does but the database write."""
    return analyse(read_document(data, filename=filename, max_bytes=50 * 1024 * 1024).text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = corpus_files()
    blobs = [(f, f.read_bytes()) for f in files]
    nlp.segment("预热分词器")  # warm-up: load the dictionaries once, outside the timings
    jieba.setLogLevel(logging.WARNING)
    jieba.lcut("预热分词器")
    rows: list[dict[str, Any]] = []
    total_chars = 0
    total_ingest = 0.0
    total_seg = 0.0
    for path, data in blobs:
        text = read_document(data, filename=path.name, max_bytes=50 * 1024 * 1024).text
        t_ingest = best_of(args.repeat, partial(ingest_text, data, path.name))
        t_seg = best_of(args.repeat, partial(jieba.lcut, text))
        total_chars += len(text)
        total_ingest += t_ingest
        total_seg += t_seg
        rows.append(
            {
                "file": path.name,
                "chars": len(text),
                "ingest_s": round(t_ingest, 4),
                "segment_s": round(t_seg, 4),
                "ratio": round(t_ingest / t_seg, 2),
            }
        )
    summary = {
        "files": len(rows),
        "characters": total_chars,
        "ingest_seconds": round(total_ingest, 3),
        "segment_seconds": round(total_seg, 3),
        "ingest_chars_per_second": round(total_chars / total_ingest),
        "segment_chars_per_second": round(total_chars / total_seg),
        "ratio_ingest_to_segmentation": round(total_ingest / total_seg, 2),
        "goal_ratio_at_most": 2.0,
        "repeat_best_of": args.repeat,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(f"{'file':48} {'chars':>7} {'ingest s':>9} {'segment s':>9} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['file'][:48]:48} {r['chars']:>7} {r['ingest_s']:>9.4f} {r['segment_s']:>9.4f} {r['ratio']:>6.2f}"
        )
    print()
    for k, v in summary.items():
        print(f"{k}: {v}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(
        json.dumps({"summary": summary, "files": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
