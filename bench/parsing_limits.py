"""How fast a zip bomb is refused: a 20 MB-unpacked DOCX of repeated runs, and one just under the ratio limit.

Prints seconds and peak memory; writes bench/results/parsing_limits.json. Run: .venv/bin/python bench/parsing_limits.py
"""

from __future__ import annotations

import json
import resource
import time
from pathlib import Path


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "luoshi.test_settings")
    django.setup()
    from luoshi.documents.readers import IngestError, read_document
    from luoshi.documents.tests.test_parsing_limits import MB, _docx_with_body, _runs

    results: dict[str, object] = {}
    for megabytes in (20, 100):
        data = _docx_with_body(_runs(megabytes))
        start = time.perf_counter()
        try:
            read_document(data, filename="bomb.docx", max_bytes=20 * MB)
            code = "accepted"
        except IngestError as exc:
            code = exc.code
        seconds = time.perf_counter() - start
        results[f"{megabytes}MB"] = {
            "packed_kb": len(data) // 1024,
            "code": code,
            "seconds": round(seconds, 3),
        }
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps(results, indent=2))
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "parsing_limits.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
