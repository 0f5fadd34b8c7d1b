"""Render a sample bulletin and look at it: DOCX through LibreOffice, PDF through WeasyPrint, page 1 as PNG.

Run by ``make render-check`` (which installs fonts-noto-cjk, LibreOffice
Writer, poppler-utils and the Pango libraries from Debian when missing).
Builds the demo chain in a throw-away SQLite database with a fixed date and
writes under bench/results/:

- bulletin.docx / bulletin.html / bulletin.pdf / bulletin.xlsx, ledger.xlsx, urging.docx
- bulletin-docx-p1.png (the DOCX as LibreOffice lays it out), bulletin-pdf-p1.png,
  urging-docx-p1.png
- render_check.json: sizes, page counts, the CJK fonts fontconfig offers, and page 1's lines of 16 pt
  text as laid out in each PDF (pdfminer): characters, CJK characters, left/right edge in mm and the line
  pitch — GB/T 9704 wants 28 characters a line (26 after the 2-character indent) and 28.95 pt lines.

    .venv/bin/python bench/render_check.py
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
TODAY = dt.date(2024, 4, 5)
PERIOD = "2024-Q1"


def _setup(data_dir: str) -> None:
    os.environ["LUOSHI_DATA_DIR"] = data_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{data_dir}/render.sqlite3"
    os.environ.setdefault("LUOSHI_DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "luoshi.settings"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _png(pdf: Path, png: Path) -> None:
    """Page 1 of the PDF as a PNG (pdftoppm from poppler-utils)."""
    stem = png.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=120,
    )


def _pages(pdf: Path) -> int | None:
    if shutil.which("pdfinfo") is None:
        return None
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return None


def _body_lines(pdf: Path, page: int = 0) -> dict[str, Any]:
    """Page ``page``'s lines of 16 pt (body) text: text, characters, CJK characters, edges in mm; the pitch."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(item: Any) -> Any:
        if isinstance(item, LTChar):
            yield item
        elif hasattr(item, "__iter__"):
            for child in item:
                yield from chars(child)

    layouts = list(extract_pages(str(pdf), page_numbers=[page]))
    rows: dict[float, list[Any]] = {}
    for ch in chars(layouts[0] if layouts else []):
        if round(ch.size) == 16:
            rows.setdefault(round(ch.y0), []).append(ch)
    lines = []
    for _, row in sorted(rows.items(), reverse=True):
        row.sort(key=lambda c: c.x0)
        text = "".join(c.get_text() for c in row)
        lines.append(
            {
                "text": text,
                "chars": len(text),
                "cjk": sum(1 for c in text if ord(c) >= 0x3000),
                "left_mm": round(row[0].x0 / 72 * 25.4, 1),
                "right_mm": round(row[-1].x1 / 72 * 25.4, 1),
                "y_pt": round(row[0].y0, 2),
            }
        )
    pitches = [a["y_pt"] - b["y_pt"] for a, b in itertools.pairwise(lines)]
    return {"lines": lines, "min_pitch_pt": round(min(pitches), 2) if pitches else None}


def _docx_to_pdf(docx: Path, outdir: Path) -> Path:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        raise SystemExit(
            "LibreOffice not found: run `make render-check` (installs libreoffice-writer-nogui)."
        )
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                office,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx),
            ],
            check=True,
            timeout=300,
            capture_output=True,
        )
    return outdir / (docx.stem + ".pdf")


def main() -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data_dir:
        _setup(data_dir)
        from luoshi.bulletins import services
        from luoshi.bulletins.renderers.pdf import cjk_fonts
        from luoshi.site.demo import load_demo
        from luoshi.units.models import Unit

        load_demo(today=TODAY)
        data = services.bulletin_data(period=PERIOD, as_of=TODAY)
        head = services.masthead(data, number="2024年第1期", issue_date=TODAY)
        written: dict[str, Any] = {}
        for fmt in ("docx", "html", "xlsx", "pdf"):
            path = RESULTS / f"bulletin.{fmt}"
            path.write_bytes(services.render(data, fmt=fmt, head=head))
            written[path.name] = path.stat().st_size
        (RESULTS / "ledger.xlsx").write_bytes(services.render_ledger(as_of=TODAY, per_unit_sheets=True))
        unit = Unit.objects.get(code="ethnic-affairs")
        urging = services.urging_for_unit(unit=unit, as_of=TODAY, number="督催〔2024〕1号")
        (RESULTS / "urging.docx").write_bytes(services.render_urging_notice(urging))

        with tempfile.TemporaryDirectory() as outdir:
            docx_pdf = _docx_to_pdf(RESULTS / "bulletin.docx", Path(outdir))
            urging_pdf = _docx_to_pdf(RESULTS / "urging.docx", Path(outdir))
            _png(docx_pdf, RESULTS / "bulletin-docx-p1.png")
            _png(urging_pdf, RESULTS / "urging-docx-p1.png")
            docx_pages = _pages(docx_pdf)
            docx_lines = _body_lines(docx_pdf)
        _png(RESULTS / "bulletin.pdf", RESULTS / "bulletin-pdf-p1.png")
        report = {
            "date": TODAY.isoformat(),
            "period": PERIOD,
            "files": written,
            "pages": {
                "docx_via_libreoffice": docx_pages,
                "pdf_via_weasyprint": _pages(RESULTS / "bulletin.pdf"),
            },
            "page1_body_lines": {
                "docx_via_libreoffice": docx_lines,
                "pdf_via_weasyprint": _body_lines(RESULTS / "bulletin.pdf"),
            },
            "cjk_fonts": cjk_fonts(),
            "summary": data.to_dict()["summary"],
        }
        (RESULTS / "render_check.json").write_text(
            json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(json.dumps(report, ensure_ascii=False, indent=2))
        print("PNG: bench/results/bulletin-docx-p1.png, bulletin-pdf-p1.png, urging-docx-p1.png")


if __name__ == "__main__":
    main()
