"""Measure lead-unit suggestion against gold task records.

A gold record (``gold_tasks_*.jsonl``) has ``h1``/``h2`` (heading path),
``task_text``, ``units_raw`` (the official assignment wording) and
``lead_first_listed``.  ``evaluate_leads`` suggests units for each task text
(with the heading path as context) and counts how often the official lead is
the first suggestion (top-1) or among the first three (top-3).
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from luoshi.catalogs.catalog import Catalog
from luoshi.catalogs.suggest import suggest_units, warm_up

# An official responsibility parenthetical at the end of a task, e.g.
# （人力资源社会保障部、财政部负责）.
_UNIT_PAREN = re.compile(r"[（(][^（）()]{0,120}?(?:负责|牵头|参与|指导|配合)[^（）()]{0,40}[）)]\s*$")


def strip_unit_parenthetical(text: str) -> str:
    """Remove a trailing official responsibility parenthetical, if any."""
    prev = None
    while prev != text:
        prev = text
        text = _UNIT_PAREN.sub("", text).rstrip()
    return text


def mask_unit_names(text: str, catalog: Catalog) -> str:
    """Replace every unit the catalog finds in ``text`` by ○ (content-only runs)."""
    chars = list(text)
    for m in catalog.find_name(text):
        for i in range(m.start, m.end):
            chars[i] = "○"
    return "".join(chars)


def resolve_lead(record: Mapping[str, Any], catalog: Catalog) -> str | None:
    """The unit code of a record's official lead, or None.

    ``lead_first_listed`` is tried first (exact name/alias, else the first
    unit named in it, so "生态环境部指导" and "教育部会同有关部门" resolve);
    then the first unit named in ``units_raw``.
    """
    for key in ("lead_first_listed", "units_raw"):
        raw = str(record.get(key) or "").strip()
        if not raw:
            continue
        unit = catalog.resolve(raw)
        if unit is not None:
            return unit.code
    return None


def load_records(paths: Iterable[str | Path]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line:
                    records.append(json.loads(line))
    return records


def evaluate_leads(
    records: Iterable[Mapping[str, Any]],
    catalog: Catalog,
    *,
    content_only: bool = False,
    k: int = 3,
) -> dict[str, Any]:
    """Top-1 / top-k lead accuracy of ``suggest_units`` on gold records.

    The input is ``task_text`` with any official unit parenthetical
    stripped, and context ``h1 + h2``.  With ``content_only`` the unit names
    still present in the text are masked too, so only content matching is
    measured.  The baseline always answers the most frequent lead (top-1) or
    the ``k`` most frequent leads (top-k); it is fitted on the same records,
    so it is optimistic.
    """
    rows = list(records)
    warm_up(catalog)
    n = 0
    hit1 = hitk = 0
    unresolved: list[str] = []
    misses: list[dict[str, Any]] = []
    lead_counts: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    elapsed = 0.0
    for r in rows:
        gold = resolve_lead(r, catalog)
        if gold is None:
            unresolved.append(str(r.get("lead_first_listed") or r.get("units_raw") or ""))
            continue
        n += 1
        lead_counts[gold] += 1
        text = strip_unit_parenthetical(str(r.get("task_text") or ""))
        if content_only:
            text = mask_unit_names(text, catalog)
        context = " ".join(str(r.get(h) or "") for h in ("h1", "h2")).strip()
        t0 = time.perf_counter()
        sugg = suggest_units(text, catalog, context=context, k=max(k, 5))
        elapsed += time.perf_counter() - t0
        codes = [s.unit_code for s in sugg]
        if codes:
            by_source[sugg[0].source] += 1
        if codes[:1] == [gold]:
            hit1 += 1
        if gold in codes[:k]:
            hitk += 1
        else:
            misses.append(
                {
                    "gold": catalog.by_code[gold].name,
                    "suggested": [s.unit_name for s in sugg[:k]],
                    "why": sugg[0].why if sugg else "",
                    "task_text": text[:60],
                }
            )
    base = lead_counts.most_common(k)
    base1 = base[0][1] / n if n else 0.0
    basek = sum(c for _, c in base) / n if n else 0.0
    return {
        "catalog": catalog.name,
        "records": len(rows),
        "evaluated": n,
        "unresolved": unresolved,
        "content_only": content_only,
        "top1": hit1 / n if n else 0.0,
        f"top{k}": hitk / n if n else 0.0,
        "baseline_unit": catalog.by_code[base[0][0]].name if base else None,
        "baseline_top1": base1,
        f"baseline_top{k}": basek,
        "top1_source": dict(by_source),
        "ms_per_suggestion": 1000.0 * elapsed / n if n else 0.0,
        "misses": misses,
    }
