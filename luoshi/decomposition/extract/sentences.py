"""What may be proposed as a task division item: complete sentences and headings, nothing else.

A document's date line ("（2023年7月5日中国共产党内蒙古自治区第十一届委员会第六次全体会议通过）"),
its signature block (issuer and date at the end, 抄送/印发 lines) and sentence fragments are not
tasks.  A *complete sentence* ends at a sentence end (。！？；, optionally followed by a closing quote
or bracket); a *heading* is a numbered or document-title line; a *fragment* is a short piece without
an action verb.
"""

from __future__ import annotations

import re

from luoshi.decomposition.extract.actions import extract_actions

FRAGMENT_CHARS = 8  # shorter than this and without a verb: a fragment, never an item or a title

_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
_DATE_LINE = re.compile(rf"^[（(]?\s*{_DATE}.{{0,60}}?(?:通过|印发|发布|批准|施行|讨论|修订|修正)?\s*[）)]?$")
_BARE_DATE = re.compile(rf"^[（(]?\s*{_DATE}\s*[）)]?$")
_ISSUER_END = re.compile(r"(?:委员会|人民政府|办公厅|办公室|党委|党组|政府|[部厅局委办院署会])$")
_SIGNATURE_START = re.compile(r"^(?:抄送|印发|发送|主送|附件|联系人|（此件|\(此件)")
_SENTENCE_END = re.compile(r"[。！？!?；;…][”’」』）)]*$")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百\d]+[）)]|\d+[.．、]|第[一二三四五六七八九十百\d]+[章节条部分])"
)
SENTENCE_END_RE = re.compile(r"[。！？!?；;\n]")
_PUNCT = re.compile(r"[，,。；;：:！？!?、]")


def is_date_line(text: str) -> bool:
    """A line giving the document's date (and the meeting that adopted it), not a task."""
    line = text.strip()
    return (
        bool(line)
        and "\n" not in line
        and len(line) <= 90
        and not _SENTENCE_END.search(line)
        and bool(_BARE_DATE.match(line) or (_DATE_LINE.match(line) and re.match(r"^[（(]?\s*\d{4}", line)))
    )


def is_signature(text: str) -> bool:
    """An issuer line, a date under it, a 抄送/印发 line: the document's end matter."""
    lines = [ln.strip() for ln in text.strip().split("\n") if ln.strip()]
    if not lines:
        return False
    for line in lines:
        if _SIGNATURE_START.match(line) or is_date_line(line):
            continue
        if len(line) <= 30 and not _PUNCT.search(line) and _ISSUER_END.search(line):
            continue
        return False
    return True


def is_heading(text: str) -> bool:
    line = text.strip()
    return "\n" not in line and len(line) <= 60 and (bool(_NUMBERED.match(line)) or not _PUNCT.search(line))


def is_complete_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.strip()))


def is_fragment(text: str) -> bool:
    """Short and without an action verb: a piece of a sentence, not something to do."""
    piece = text.strip()
    return len(piece) < FRAGMENT_CHARS and not extract_actions(piece, use_pos=False, limit=1)


def proposable(text: str) -> bool:
    """May this block's text be proposed as an item? (complete sentence or heading, not end matter)."""
    if not text.strip() or is_date_line(text) or is_signature(text) or is_fragment(text):
        return False
    return is_complete_sentence(text) or is_heading(text)
