"""Which units a document as a whole points at: its leaning, a prior for every task in it.

A decision on one sector (体育竞赛表演产业, 综合保税区) gives most of its tasks to the sector's
department, even where a task's own words are about money or training.  Two signals, each 0..1:

1. the title's content match with the catalog's functions (the issuer named in it is masked), as the
   best unit's share times its confidence;
2. the units the text names (besides the issuer and places), by how often, relative to the most named.

``document_prior`` returns unit code -> the larger of the two, times its weight; ``suggest`` adds it
(times ``PRIOR_WEIGHT``) to every content suggestion of the document.
"""

from __future__ import annotations

from collections import Counter

from luoshi.catalogs.catalog import Catalog
from luoshi.catalogs.suggest import suggest_units
from luoshi.documents.textproc.model import Structure

TITLE_WEIGHT = 1.0
NAMED_WEIGHT = 0.5
# Only title matches at least this sure count (a generic title points at nobody).
MIN_TITLE_SCORE = 0.3


def document_prior(text: str, structure: Structure, catalog: Catalog) -> dict[str, float]:
    """Unit code -> how strongly the document leans to the unit (see module doc)."""
    prior: dict[str, float] = {}
    title = structure.title or text[: text.find("\n")] if text else ""
    if title:
        masked = _mask(title, catalog)
        for s in suggest_units(masked, catalog, k=3):
            if s.source == "content" and s.score >= MIN_TITLE_SCORE:
                prior[s.unit_code] = max(prior.get(s.unit_code, 0.0), TITLE_WEIGHT * s.score)
    issuer = {m.unit_code for m in catalog.find_name(title)} if title else set()
    counts = Counter(
        m.unit_code
        for m in catalog.find_name(text)
        if m.unit_code not in issuer and catalog.by_code[m.unit_code].kind not in _PLACES
    )
    if counts:
        most = max(counts.values())
        for code, n in counts.items():
            prior[code] = max(prior.get(code, 0.0), NAMED_WEIGHT * n / most)
    return prior


_PLACES = frozenset({"league_city", "county", "local_government"})


def _mask(text: str, catalog: Catalog) -> str:
    chars = list(text)
    for m in catalog.find_name(text):
        chars[m.start : m.end] = ["，"] * (m.end - m.start)
    return "".join(chars)


class CommonWords:
    """A content word's share of the document's actionable blocks (0 with fewer than four blocks)."""

    MIN_BLOCKS = 4

    def __init__(self, blocks: list[list[str]]) -> None:
        from luoshi.catalogs.suggest import terms_of

        counts: Counter[str] = Counter()
        for words in blocks:
            counts.update(set(terms_of(words)))
        n = len(blocks)
        self._share = {t: c / n for t, c in counts.items()} if n >= self.MIN_BLOCKS else {}

    def __call__(self, word: str) -> float:
        return self._share.get(word, 0.0)
