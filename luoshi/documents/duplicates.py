"""Recognise a decision stored before under another file: same text, or a revised version.

The comparison works on a *content key*: the normalized text with everything but letters and digits
removed, so a GBK text file and a DOCX of the same decision compare equal whatever their line breaks,
spaces and punctuation widths.  Near-duplicates are found with a bottom-k MinHash sketch of 5-character
shingles (linear in the text, 128 integers stored per document); the estimated Jaccard similarity J is
reported as the Dice coefficient 2J/(1+J), which for a revision that rewrites a contiguous share p of
the text is close to difflib's ratio (about 1 - p).
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

SHINGLE = 5
SKETCH = 128
NEAR = 0.9  # Dice similarity from which a document counts as a revised version of another


def content_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def key_hash(text: str) -> str:
    return hashlib.sha256(content_key(text).encode("utf-8")).hexdigest()


def fingerprint(text: str) -> list[int]:
    """The SKETCH smallest distinct CRC-32 values of the content key's shingles."""
    key = content_key(text)
    if len(key) < SHINGLE:
        return [zlib.crc32(key.encode("utf-8"))] if key else []
    hashes = {zlib.crc32(key[i : i + SHINGLE].encode("utf-8")) for i in range(len(key) - SHINGLE + 1)}
    return sorted(hashes)[:SKETCH]


def similarity(a: list[int], b: list[int]) -> float:
    """Dice similarity estimated from two bottom-k sketches (0 when either is empty)."""
    if not a or not b:
        return 0.0
    union = sorted(set(a) | set(b))[:SKETCH]
    both = set(a) & set(b)
    jaccard = sum(1 for h in union if h in both) / len(union)
    return 2 * jaccard / (1 + jaccard)


@dataclass
class Match:
    """A stored document the new text duplicates (``same``) or nearly duplicates."""

    document: Any
    similarity: float
    same: bool

    @property
    def words(self) -> str:
        return _("identical content") if self.same else _("highly similar content (a revised version?)")

    def to_dict(self) -> dict[str, Any]:
        doc = self.document
        return {
            "document_id": doc.pk,
            "title": doc.title,
            "date": doc.date.isoformat() if doc.date else None,
            "doc_number": doc.doc_number,
            "similarity": round(self.similarity, 3),
            "same": self.same,
            "words": self.words,
        }


def find_match(text: str, *, sketch: list[int] | None = None) -> Match | None:
    """The stored document with the same content key, else the most similar one at or above NEAR."""
    from luoshi.documents.models import Document

    twin = Document.objects.filter(text_key=key_hash(text)).only("id", "title", "date", "doc_number").first()
    if twin is not None:
        return Match(twin, 1.0, same=True)
    sketch = fingerprint(text) if sketch is None else sketch
    best: tuple[float, int] | None = None
    for pk, other in Document.objects.values_list("id", "fingerprint").iterator():
        score = similarity(sketch, other or [])
        if score >= NEAR and (best is None or score > best[0]):
            best = (score, pk)
    if best is None:
        return None
    doc = Document.objects.only("id", "title", "date", "doc_number").get(pk=best[1])
    return Match(doc, best[0], same=False)
