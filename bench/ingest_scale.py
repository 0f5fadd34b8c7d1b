"""Ingest time by document size: is the whole ingest linear from 10 KB to 1 MB? (issue 12)

Builds synthetic decisions of 10 KB, 100 KB and 1 MB (UTF-8 bytes of a .txt upload) out of the
development corpus' sentences, in four layouts (``luoshi/testing/long_documents.py``): a work report
(一、/（一）/1．/一是), a regulation (第X章 of twenty 第X条), and codes of top-level 第X条 articles of one
sentence or of one clause each (at most 9,999 articles, so the last stops near 590 KB). Each is
ingested through ``ingest_document``, the service the upload page calls (read, normalize, structure,
integrity, duplicate check and the database write of the document, its sections and findings), into a
scratch SQLite database (or the one DATABASE_URL names); once more through the upload page itself (a
POST with the file, as the browser sends it) and the document page it redirects to. Prints, per layout and size: the best of
``--repeat`` runs (wall clock, and the process's CPU time, which the other programs sharing the machine
disturb less; with SQLite the database's work is in the process), the time per character, the share of each stage, the peak memory traced during one
more run (tracemalloc), and how many sections and sentences were found; writes
bench/results/ingest_scale.json (``--out``).

Targets: a 1 MB decision ingests in < 5 s; the time per character stays flat (the 1 MB figure at most
1.5 times the 10 KB figure). Ingest does not propose the task division (that is a separate step the
office starts, ``propose_plan``); ``--decompose`` times ``decompose_document`` on each document too.

    .venv/bin/python bench/ingest_scale.py [--repeat N] [--sizes 10000,100000,1000000] [--decompose]
                                           [--out NAME] [--label TEXT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import corpus
from luoshi.testing.long_documents import SHAPES

RESULTS = Path(__file__).resolve().parent / "results"
SIZES = (10_000, 100_000, 1_000_000)
TARGET_SECONDS_1MB = 5.0
FLAT_RATIO = 1.5


def setup(scratch: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ["LUOSHI_DATA_DIR"] = str(scratch)
    os.environ.setdefault("LUOSHI_SECRET_KEY", "bench-ingest-not-a-secret-" + "x" * 40)
    os.environ["LUOSHI_PARSE_TIME_LIMIT"] = "3600"  # measure slow runs instead of refusing them
    os.environ["LUOSHI_ALLOWED_HOSTS"] = "testserver"
    os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def stages(data: bytes, filename: str) -> dict[str, float]:
    """Seconds of each text stage, run on their own (the service runs the same calls)."""
    from luoshi.documents.readers import read_document
    from luoshi.documents.textproc.integrity import check_integrity
    from luoshi.documents.textproc.normalize import normalize
    from luoshi.documents.textproc.structure import parse_structure

    t0 = time.perf_counter()
    text = read_document(data, filename=filename, max_bytes=len(data) + 1).text
    t1 = time.perf_counter()
    norm = normalize(text)
    t2 = time.perf_counter()
    structure = parse_structure(norm.text)
    t3 = time.perf_counter()
    check_integrity(norm, structure)
    t4 = time.perf_counter()
    return {"read": t1 - t0, "normalize": t2 - t1, "structure": t3 - t2, "integrity": t4 - t3}


def ingest_once(data: bytes, filename: str) -> tuple[float, float, Any]:
    """Wall-clock and CPU seconds of one ingest, and the stored document."""
    from luoshi.documents.models import Document
    from luoshi.documents.services import ingest_document

    Document.objects.all().delete()  # else the same text is recognised as a duplicate and not stored
    start, cpu = time.perf_counter(), time.process_time()
    outcome = ingest_document(data=data, filename=filename, max_bytes=len(data) + 1)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert outcome.created, "the bench document was not stored"
    return seconds, cpu, outcome.document


def get_user_model() -> Any:
    from django.contrib.auth import get_user_model as model

    return model()


def through_the_web(data: bytes, filename: str) -> dict[str, Any]:
    """One upload through the upload page (POST, as the browser sends it) and the document page it leads to."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from luoshi.accounts.models import Role
    from luoshi.documents.models import Document
    from luoshi.people.services import create_user

    user = get_user_model().objects.filter(username="bench-office").first() or create_user(
        username="bench-office", password="bench-office-password-0", role=Role.SUPERVISOR
    )
    client = Client()
    client.force_login(user)
    Document.objects.all().delete()
    start = time.perf_counter()
    response = client.post(
        reverse("documents:upload"), {"file": SimpleUploadedFile(filename, data), "title": ""}
    )
    upload = time.perf_counter() - start
    assert response.status_code == 302, f"upload answered {response.status_code}"
    start = time.perf_counter()
    page = client.get(response["Location"])
    detail = time.perf_counter() - start
    assert page.status_code == 200
    return {
        "upload_post_s": round(upload, 3),
        "document_page_s": round(detail, 3),
        "document_page_kb": len(page.content) // 1024,
    }


def measure(shape: str, size: int, sentences: list[str], *, repeat: int, decompose: bool) -> dict[str, Any]:
    from luoshi.testing.long_documents import long_decision

    doc = long_decision(sentences=sentences, target_bytes=size, shape=shape)
    data = doc.text.encode("utf-8")
    filename = f"bench-{shape}-{size}.txt"
    runs = [ingest_once(data, filename)[:2] for _ in range(repeat)]
    best = min(wall for wall, _ in runs)
    cpu = min(c for _, c in runs)
    chars = len(doc.text)
    tracemalloc.start()
    _, _, document = ingest_once(data, filename)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    split = stages(data, filename)
    row: dict[str, Any] = {
        "shape": shape,
        "bytes": len(data),
        "characters": chars,
        "sections": document.sections.count(),
        "sentences": len(document.structure["sentences"]),
        "findings": document.findings.count(),
        "ingest_s": round(best, 3),
        "runs_s": [round(wall, 3) for wall, _ in runs],
        "us_per_char": round(best / chars * 1e6, 2),
        "cpu_s": round(cpu, 3),
        "cpu_us_per_char": round(cpu / chars * 1e6, 2),
        "stages_s": {k: round(v, 3) for k, v in split.items()},
        "store_and_rest_s": round(max(best - sum(split.values()), 0.0), 3),
        "peak_traced_mb": round(peak / 2**20, 1),
    }
    row |= through_the_web(data, filename)
    if decompose:
        from luoshi.catalogs.catalog import load_catalog
        from luoshi.decomposition.services import decompose_document

        catalog = load_catalog("inner-mongolia")
        start, cpu = time.perf_counter(), time.process_time()
        result = decompose_document(document=document, catalog=catalog)
        row["decompose_s"] = round(time.perf_counter() - start, 3)
        row["decompose_cpu_s"] = round(time.process_time() - cpu, 3)
        row["proposed_tasks"] = len(result.tasks)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--decompose", action="store_true")
    parser.add_argument("--out", default="ingest_scale", help="bench/results/OUT.json")
    parser.add_argument("--label", default="", help="what code ran (default: the checkout's git commit)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    load_before = [round(x, 1) for x in os.getloadavg()]
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.texts().glob("*.txt"))]
    with tempfile.TemporaryDirectory(prefix="luoshi-bench-ingest-") as scratch:
        setup(Path(scratch))
        from django.db import connection

        from luoshi.lib import nlp
        from luoshi.testing.long_documents import clean_sentences
        from luoshi.testing.paths import seed_path

        nlp.segment("预热分词器")  # load the dictionaries outside the timings
        through_the_web(seed_path().read_bytes(), "warm-up.txt")  # middleware, URLs, templates
        sentences = clean_sentences(texts)
        rows = [
            measure(shape, size, sentences, repeat=args.repeat, decompose=args.decompose)
            for shape in args.shapes.split(",")
            for size in sizes
        ]
        vendor = connection.vendor
    print(
        f"{'shape':11} {'bytes':>9} {'chars':>8} {'sections':>8} {'ingest s':>9} {'us/char':>8} {'cpu s':>7} "
        f"{'cpu us/c':>8} {'peak MB':>8}  stages (read/normalize/structure/integrity/store+rest s)"
    )
    for r in rows:
        st = r["stages_s"]
        extra = f"  upload page {r['upload_post_s']} s, document page {r['document_page_s']} s"
        if "decompose_s" in r:
            extra += f", decompose {r['decompose_s']} s (cpu {r['decompose_cpu_s']} s), {r['proposed_tasks']} tasks"
        print(
            f"{r['shape']:11} {r['bytes']:>9} {r['characters']:>8} {r['sections']:>8} {r['ingest_s']:>9.3f} "
            f"{r['us_per_char']:>8.2f} {r['cpu_s']:>7.3f} {r['cpu_us_per_char']:>8.2f} {r['peak_traced_mb']:>8.1f}  {st['read']}/{st['normalize']}/"
            f"{st['structure']}/{st['integrity']}/{r['store_and_rest_s']}{extra}"
        )
    verdicts = {}
    for shape in {r["shape"] for r in rows}:
        mine = sorted((r for r in rows if r["shape"] == shape), key=lambda r: r["bytes"])
        largest, smallest = mine[-1], mine[0]
        verdicts[shape] = {
            "largest_bytes": largest["bytes"],
            "largest_s": largest["ingest_s"],
            "per_char_ratio_largest_to_smallest": round(largest["us_per_char"] / smallest["us_per_char"], 2),
            "cpu_per_char_ratio_largest_to_smallest": round(
                largest["cpu_us_per_char"] / smallest["cpu_us_per_char"], 2
            ),
        }
    commit = corpus.short_commit()
    summary = {
        "code": args.label or commit,
        "database": vendor,
        "repeat_best_of": args.repeat,
        "sentences_from_corpus": len(sentences),
        "target_1mb_seconds": TARGET_SECONDS_1MB,
        "target_per_char_ratio_at_most": FLAT_RATIO,
        "per_shape": verdicts,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
    }
    print()
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.out}.json").write_text(
        json.dumps({"summary": summary, "rows": rows}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
