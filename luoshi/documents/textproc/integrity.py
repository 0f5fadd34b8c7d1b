"""Integrity checks on a normalized, parsed document (no Django here).

``check_integrity(norm, structure)`` returns :class:`Finding` objects, sorted by
position, that tell a reader where the text is probably damaged:

- ``numbering_gap``: a sibling number is skipped, repeated or goes backwards;
- ``starts_mid_sentence`` / ``ends_mid_sentence``: a paragraph begins or ends
  inside a sentence (text lost at a column or page break);
- ``truncated``: the document stops at a page jump or inside a sentence;
- ``page_jump`` / ``furniture``: what normalization removed, so users see it;
- ``unbalanced``: brackets or quotes that do not pair up within a paragraph;
- ``garbled``: clauses that a unigram language model finds far less probable
  than the rest of the same document (interleaved columns, OCR noise).

All offsets are in the normalized text; messages are plain Chinese and English.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from luoshi.documents.textproc.model import Finding, Normalized, Paragraph, Section, Structure
from luoshi.lib import nlp
from luoshi.lib.numerals import chinese_to_int

# ---------------------------------------------------------------------------
# Character classes

_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CLOSERS = "”’」』）)】》〉]"
_TERMINAL = "。！？!?；;：:…"
# Punctuation that continues a sentence: a paragraph cannot start with it.
_CONTINUATION = "、，,。．；;：:！？!?）)】》〉”’」』"
_CLAUSE_SPLIT_RE = re.compile(r"[，,、。．；;：:！？!?“”\"‘’'（）()《》〈〉【】「」『』\[\]…—\s·]+")
_NUMBER_LEAD_RE = re.compile(
    r"^\s*(?:第[〇零一二三四五六七八九十百千两\d]+[编章节条款项部分]|"
    r"[（(][〇零一二三四五六七八九十百\d]+[）)]|"
    r"[〇零一二三四五六七八九十百]+[、．.]|"
    r"\d+[、．.）)]|[①-⑳]|[一二三四五六七八九十]+是|[—－-]{2})"
)

_PAIRS = {"（": "）", "(": ")", "“": "”", "《": "》", "【": "】", "「": "」", "『": "』", "‘": "’"}
_CLOSING_TO_OPEN = {v: k for k, v in _PAIRS.items()}

_CN_NUMERAL_RE = re.compile(r"[〇零一二三四五六七八九十百千两]+")
_DIGITS_RE = re.compile(r"[0-9０-９]+")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# A paragraph-initial one-character token followed by a comma is a lost
# word's tail when the character is rarely a word by itself (P(S|c) from
# jieba's HMM: 省 0.25, 市 0.16 as legitimate list heads; 观 0.08, 革 0.02).
BOUND_CHAR_PROB = 0.12
BOUND_PAIR_PROB = 0.05

# Garbled-text detection (see ``_garbled``).  Scores are per-character
# surprisal (negative natural-log probability) of the best segmentation.
GARBLE_MIN_CHARS = 6  # shorter clauses are too noisy to score
GARBLE_MIN_CLAUSES = 30  # fewer scored clauses: use the default distribution
GARBLE_DEFAULT_MEDIAN = 4.6  # typical policy prose (corpus medians 4.4-4.9)
GARBLE_DEFAULT_SCALE = 0.5
GARBLE_MIN_SCALE = 0.35
# Clean corpus (24 files, ~32k clauses): max clause z 8.3, max mean z of 3
# consecutive clauses 4.4; terse slogans ("学纪知纪明纪守纪") make the tail.
GARBLE_Z_ALONE = 13.0  # one clause, anywhere
GARBLE_Z_RUN = 6.0  # mean of 3 consecutive clauses, anywhere
GARBLE_RUN = 3
# Just after a break in the text flow (a column/paragraph break closed up by
# normalization, or a paragraph starting/ending mid-sentence) interleaving is
# likely a priori, so a much weaker language-model signal suffices.
GARBLE_Z_CONTEXT = 3.0
GARBLE_CONTEXT_CHARS = 150  # how far after a break the context reaches
# The reported span: the maximal run of adjacent clauses around the flagged
# one that score worse than the document's median.
GARBLE_Z_EXTEND = 0.5


# ---------------------------------------------------------------------------
# Public API


def check_integrity(norm: Normalized, structure: Structure) -> list[Finding]:
    """All integrity findings for a document, sorted by ``start``."""
    text = norm.text
    paragraphs = list(structure.paragraphs) or _paragraphs_from_text(text)
    findings: list[Finding] = []
    findings.extend(_numbering(structure))
    findings.extend(_removals(norm))
    flow = _flow(text, structure, paragraphs)
    findings.extend(flow)
    findings.extend(_truncation(norm, structure, paragraphs))
    findings.extend(_unbalanced(text, paragraphs))
    breaks = [f.start if f.kind == "starts_mid_sentence" else f.end for f in flow]
    breaks += _joined_breaks(norm)
    findings.extend(_garbled(text, paragraphs, breaks))
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return findings


def numeral_value(printed: str) -> int | None:
    """The value of a printed section number: "（三）", "第十二条", "1.", "②", "二是"."""
    m = _DIGITS_RE.search(printed)
    if m:
        return int(m.group().translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    for ch in printed:
        if ch in _CIRCLED:
            return _CIRCLED.index(ch) + 1
    m = _CN_NUMERAL_RE.search(printed)
    if not m:
        return None
    return chinese_to_int(m.group())


# ---------------------------------------------------------------------------
# Numbering


def _chinese_numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        head = digits[n // 100] + "百"
        if rest == 0:
            return head
        if rest < 10:
            return head + "零" + digits[rest]
        if rest < 20:
            return head + "一" + _chinese_numeral(rest)
        return head + _chinese_numeral(rest)
    return str(n)


def _render_like(printed: str, value: int) -> str:
    """``printed`` with its numeral replaced by ``value`` in the same script."""
    m = _DIGITS_RE.search(printed)
    if m:
        return printed[: m.start()] + str(value) + printed[m.end() :]
    for ch in printed:
        if ch in _CIRCLED:
            return printed.replace(ch, _CIRCLED[value - 1] if 0 < value <= len(_CIRCLED) else str(value))
    m = _CN_NUMERAL_RE.search(printed)
    if m:
        return printed[: m.start()] + _chinese_numeral(value) + printed[m.end() :]
    return str(value)


_EN_KIND = {
    "part": "part {}",
    "chapter": "chapter {}",
    "section": "section {}",
    "article": "article {}",
    "item": "({})",
    "point": "{}.",
    "subpoint": "({})",
    "enum": "enumeration item {}",
}


def _en_label(kind: str, value: int) -> str:
    return _EN_KIND.get(kind, "no. {}").format(value)


@dataclass
class _Numbered:
    section: Section
    parent: int  # id() of the parent section, 0 for top level
    value: int


def _numbered_by_kind(structure: Structure) -> dict[str, list[_Numbered]]:
    out: dict[str, list[_Numbered]] = {}

    def visit(sections: list[Section], parent: int) -> None:
        for sec in sorted(sections, key=lambda s: s.start):
            value = numeral_value(sec.number) if sec.number else None
            if value is not None and sec.kind not in ("heading", "bullet"):
                out.setdefault(sec.kind, []).append(_Numbered(sec, parent, value))
            visit(sec.children, id(sec))

    visit(structure.sections, 0)
    for items in out.values():
        items.sort(key=lambda n: n.section.start)
    return out


def _numbering(structure: Structure) -> list[Finding]:
    """Gaps, duplicates and backward steps among numbered sections of a kind.

    Numbers of one kind are read in document order.  Whether a kind restarts
    under each parent or continues across parents is decided per parent
    change: a run that starts again at 1 restarts; a run that starts above
    the previous number continues it (the seed's (四) under part 二).
    """
    findings: list[Finding] = []
    for kind, items in _numbered_by_kind(structure).items():
        prev: _Numbered | None = None
        for cur in items:
            sec = cur.section
            new_parent = prev is None or cur.parent != prev.parent
            if prev is None:
                if cur.value != 1:
                    findings.append(_gap_finding(kind, None, 1, cur))
            elif cur.value == 1 and (new_parent or prev.value != 1):
                pass  # a (re)start
            elif cur.value == prev.value + 1:
                pass
            elif cur.value > prev.value + 1:
                findings.append(_gap_finding(kind, prev, prev.value + 1, cur))
            elif cur.value == prev.value and not new_parent:
                findings.append(
                    _finding(
                        "numbering_gap",
                        f"编号重复：{sec.number}出现两次",
                        f"Duplicate number: {_en_label(kind, cur.value)} appears twice",
                        sec.start,
                        _heading_end(sec),
                    )
                )
            elif new_parent:
                # restarted without its first number(s)
                findings.append(_gap_finding(kind, None, 1, cur))
            else:
                findings.append(
                    _finding(
                        "numbering_gap",
                        f"编号倒退：{prev.section.number}之后出现{sec.number}",
                        f"Numbering goes backwards: {_en_label(kind, cur.value)} "
                        f"after {_en_label(kind, prev.value)}",
                        sec.start,
                        _heading_end(sec),
                    )
                )
            prev = cur
    return findings


def _heading_end(sec: Section) -> int:
    end = max(sec.heading_end, sec.start + max(1, len(sec.number)))
    return min(end, sec.end) if sec.end > sec.start else end


def _gap_finding(kind: str, prev: _Numbered | None, expected: int, cur: _Numbered) -> Finding:
    sec = cur.section
    expected_zh = _render_like(sec.number, expected)
    if prev is None:
        zh = f"编号缺失：应从{expected_zh}开始，实为{sec.number}"
        en = f"Numbering gap: expected {_en_label(kind, expected)} first, found {_en_label(kind, cur.value)}"
    else:
        expected_zh = _render_like(prev.section.number, expected)
        zh = f"编号缺失：{prev.section.number}之后应为{expected_zh}，实为{sec.number}"
        en = (
            f"Numbering gap: after {_en_label(kind, prev.value)} expected "
            f"{_en_label(kind, expected)}, found {_en_label(kind, cur.value)}"
        )
    return _finding("numbering_gap", zh, en, sec.start, _heading_end(sec))


# ---------------------------------------------------------------------------
# Removals


def _norm_offset(norm: Normalized, source_offset: int) -> int:
    """The normalized offset where a source offset lies (first char at/after it)."""
    offsets = norm.source_offsets
    if not offsets:
        return 0
    i = bisect.bisect_left(offsets, source_offset)
    return min(i, len(norm.text))


def _clip(s: str, n: int = 30) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n] + "…"


def _removals(norm: Normalized) -> list[Finding]:
    findings: list[Finding] = []
    for r in norm.removals:
        at = _norm_offset(norm, r.source_start)
        shown = _clip(r.text)
        if r.kind == "page_jump":
            zh = f"已删除转版标记：“{shown}”"
            en = f"Removed page-jump marker: '{shown}'"
        elif r.kind == "furniture":
            zh = f"已删除版面杂项：“{shown}”"
            en = f"Removed page furniture: '{shown}'"
        else:
            zh = f"已删除（{r.kind}）：“{shown}”"
            en = f"Removed ({r.kind}): '{shown}'"
        findings.append(_finding(r.kind, zh, en, at, at))
    return findings


# ---------------------------------------------------------------------------
# Paragraph flow: starts / ends mid-sentence, truncation


def _paragraphs_from_text(text: str) -> list[Paragraph]:
    return [Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()]


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _ends_complete(s: str) -> bool:
    """Does this paragraph text end at a sentence boundary?"""
    s = s.rstrip()
    while s:
        last = s[-1]
        if last in _TERMINAL:
            return True
        if last in "）)】":
            opener = "（" if last == "）" else ("(" if last == ")" else "【")
            i = s.rfind(opener)
            if i <= 0:
                return True  # the whole paragraph is a parenthetical (date line, note)
            s = s[:i].rstrip()
            continue
        if last in _CLOSERS:
            s = s[:-1].rstrip()
            continue
        return False
    return True


def _is_body_like(s: str) -> bool:
    """Running prose rather than a heading, title, signature or date line."""
    inner = s.rstrip()[:-1]
    if any(c in inner for c in "。；;！？!?"):
        return True
    return len(s) >= 60 and ("，" in s or "," in s)


def _starts_with_number(s: str) -> bool:
    return bool(_NUMBER_LEAD_RE.match(s))


def _outside_body(p: tuple[int, int], structure: Structure) -> bool:
    for span in (structure.title_span, structure.date_span):
        if span and p[0] < span[1] and span[0] < p[1]:
            return True
    return False


def _heading_starts(structure: Structure) -> set[int]:
    return {s.start for s in structure.all_sections()}


def _first_clause(s: str) -> str:
    m = _CLAUSE_SPLIT_RE.search(s)
    return s[: m.start()] if m else s


def _flow(text: str, structure: Structure, paragraphs: list[Paragraph]) -> list[Finding]:
    findings: list[Finding] = []
    heading_starts = _heading_starts(structure)
    spans = [_strip_span(text, p.start, p.end) for p in paragraphs]
    spans = [sp for sp in spans if sp[1] > sp[0]]
    char_counts = Counter(text)
    prev_open = False  # previous body paragraph ended inside a sentence
    for idx, (start, end) in enumerate(spans):
        para = text[start:end]
        outside = _outside_body((start, end), structure)
        numbered = start in heading_starts or _starts_with_number(para)
        body = _is_body_like(para) and not outside
        reason_zh = reason_en = ""
        if idx > 0 and not numbered and not outside:
            first = para[0]
            clause = _first_clause(para)
            if first in _CONTINUATION:
                reason_zh, reason_en = "以标点开头", "begins with punctuation"
            elif (
                len(clause) == 1
                and _CJK_RE.match(clause)
                and len(para) > 1
                and para[1] in "、，,。；;"
                and nlp.single_char_word_prob(clause) < BOUND_CHAR_PROB
            ):
                reason_zh, reason_en = "以单字残片开头", "begins with a one-character word fragment"
            elif prev_open and (body or _ends_complete(para)):
                reason_zh, reason_en = "上一段未完句", "the previous paragraph ends mid-sentence"
            elif body and _unsupported_start(para, char_counts):
                reason_zh, reason_en = "开头字词无法成词", "its first characters form no known word"
        if reason_zh:
            show_end = min(end, start + max(len(_first_clause(para)), 1), start + 12)
            findings.append(
                _finding(
                    "starts_mid_sentence",
                    f"段落疑似从句子中间开始（{reason_zh}，前文可能缺失）：“{_clip(para, 12)}”",
                    f"Paragraph seems to start mid-sentence ({reason_en}; preceding text may be lost): "
                    f"'{_clip(para, 12)}'",
                    start,
                    max(show_end, start + 1),
                )
            )
        is_last = idx == len(spans) - 1
        prev_open = body and not _ends_complete(para)
        if prev_open and not is_last:
            tail_start = max(start, end - 12)
            findings.append(
                _finding(
                    "ends_mid_sentence",
                    f"段落疑似在句子中间结束（后文可能缺失）：“…{text[tail_start:end]}”",
                    f"Paragraph seems to end mid-sentence (following text may be lost): '…{text[tail_start:end]}'",
                    tail_start,
                    end,
                )
            )
    return findings


def _unsupported_start(para: str, char_counts: Counter[str]) -> bool:
    """A paragraph that opens with two one-character tokens forming no word,
    which are unlikely to both be one-character words, and whose first
    character occurs nowhere else in the document: typically the OCR'd tail
    of a sentence whose beginning was lost."""
    m = _CJK_RE.match(para)
    if not m or len(m.group()) < 3:
        return False
    head = m.group()[:8]
    toks = nlp.tokens(head)
    if len(toks) < 2 or len(toks[0].word) != 1 or len(toks[1].word) != 1:
        return False
    if char_counts[head[0]] > 1 or nlp.is_word(head[:2]):
        return False
    joint = nlp.single_char_word_prob(head[0]) * nlp.single_char_word_prob(head[1])
    return joint < BOUND_PAIR_PROB


def _truncation(norm: Normalized, structure: Structure, paragraphs: list[Paragraph]) -> list[Finding]:
    text = norm.text
    findings: list[Finding] = []
    for r in norm.removals:
        if r.kind != "page_jump":
            continue
        at = _norm_offset(norm, r.source_start)
        rest = text[at:]
        if _CJK_RE.search(rest) or re.search(r"[0-9A-Za-z]", rest):
            continue
        if "接" in r.text and "转" not in r.text:
            continue  # "continued from": not a continuation onwards
        findings.append(
            _finding(
                "truncated",
                f"文档在转版标记“{_clip(r.text)}”处结束，后续内容缺失",
                f"Document ends at a page jump '{_clip(r.text)}': the rest is missing",
                at,
                at,
            )
        )
        return findings
    spans = [_strip_span(text, p.start, p.end) for p in paragraphs]
    spans = [sp for sp in spans if sp[1] > sp[0]]
    if not spans:
        return findings
    start, end = spans[-1]
    para = text[start:end]
    if _is_body_like(para) and not _ends_complete(para) and not _outside_body((start, end), structure):
        tail_start = max(start, end - 12)
        findings.append(
            _finding(
                "truncated",
                f"文档在句子中间结束：“…{text[tail_start:end]}”",
                f"Document ends mid-sentence: '…{text[tail_start:end]}'",
                tail_start,
                end,
            )
        )
    return findings


# ---------------------------------------------------------------------------
# Brackets and quotes


_LEADING_NUMBER_CLOSER_RE = re.compile(
    r"(?:^|(?<=[。；;：:\s]))[0-9０-９一二三四五六七八九十a-zA-Z]{1,3}[）)]"
)


def _unbalanced(text: str, paragraphs: list[Paragraph]) -> list[Finding]:
    findings: list[Finding] = []
    for p in paragraphs:
        start, end = _strip_span(text, p.start, p.end)
        para = text[start:end]
        ignore = {m.end() - 1 for m in _LEADING_NUMBER_CLOSER_RE.finditer(para)}
        stack: list[tuple[str, int]] = []
        problem: tuple[int, str, str] | None = None
        for i, ch in enumerate(para):
            if i in ignore:
                continue
            if ch in _PAIRS:
                stack.append((ch, i))
            elif ch in _CLOSING_TO_OPEN:
                if stack and stack[-1][0] == _CLOSING_TO_OPEN[ch]:
                    stack.pop()
                    continue
                if stack:
                    opener, at = stack[-1]
                    problem = (i, f"“{opener}”与“{ch}”不配对", f"'{opener}' is closed by '{ch}'")
                else:
                    problem = (i, f"多余的“{ch}”", f"'{ch}' has no opening counterpart")
                break
        if problem is None and stack:
            opener, at = stack[0]
            problem = (at, f"“{opener}”未闭合", f"'{opener}' is never closed")
        if problem is None:
            for q in ('"', "'"):
                positions = [i for i, c in enumerate(para) if c == q]
                if len(positions) % 2 == 1:
                    problem = (positions[-1], f"半角引号{q}不成对", f"odd number of {q} quotes")
                    break
        if problem is not None:
            at, zh, en = problem
            findings.append(
                _finding(
                    "unbalanced",
                    f"括号或引号不配对：{zh}（“{_clip(para[max(0, at - 8) : at + 8], 16)}”）",
                    f"Unbalanced brackets or quotes: {en} ('{_clip(para[max(0, at - 8) : at + 8], 16)}')",
                    start + at,
                    start + at + 1,
                )
            )
    return findings


# ---------------------------------------------------------------------------
# Garbled text


@dataclass
class ClauseScore:
    start: int
    end: int
    chars: int
    score: float  # per-character surprisal (nats)
    z: float = 0.0


def _joined_breaks(norm: Normalized) -> list[int]:
    """Places where normalization joined two CJK characters across more source
    text than it usually does (a paragraph/column break closed up)."""
    text, offsets = norm.text, norm.source_offsets
    if len(offsets) < len(text) + 1:
        return []
    removed = sorted((r.source_start, r.source_end) for r in norm.removals)
    joints: list[tuple[int, int]] = []
    for i in range(1, len(text)):
        gap = offsets[i] - offsets[i - 1]
        if gap > 1 and _CJK_RE.match(text[i - 1]) and _CJK_RE.match(text[i]):
            j = bisect.bisect_left(removed, (offsets[i - 1], 0))
            if j < len(removed) and removed[j][0] < offsets[i]:
                continue
            joints.append((i, gap))
    if not joints:
        return []
    usual = Counter(g for _, g in joints).most_common(1)[0][0]
    return [i for i, g in joints if g > usual]


def _score_clauses(text: str, paragraphs: list[Paragraph]) -> list[list[ClauseScore]]:
    rows: list[list[ClauseScore]] = []
    for p in paragraphs:
        row: list[ClauseScore] = []
        pos = p.start
        for m in _CLAUSE_SPLIT_RE.finditer(text, p.start, p.end):
            _add_clause(text, pos, m.start(), row)
            pos = m.end()
        _add_clause(text, pos, p.end, row)
        rows.append(row)
    return rows


def _add_clause(text: str, start: int, end: int, row: list[ClauseScore]) -> None:
    if end - start < GARBLE_MIN_CHARS:
        return
    runs = _CJK_RE.findall(text, start, end)
    n = sum(len(r) for r in runs)
    if n < GARBLE_MIN_CHARS:
        return
    logprob = sum(nlp.best_path_logprob(r) for r in runs)
    row.append(ClauseScore(start, end, n, -logprob / n))


def garble_scores(text: str, paragraphs: list[Paragraph] | None = None) -> list[list[ClauseScore]]:
    """Clauses with their surprisal and robust z-score (exposed for tuning)."""
    paras = paragraphs if paragraphs is not None else _paragraphs_from_text(text)
    rows = _score_clauses(text, paras)
    scores = [c.score for row in rows for c in row]
    if len(scores) >= GARBLE_MIN_CLAUSES:
        median = statistics.median(scores)
        scale = max(1.4826 * statistics.median(abs(s - median) for s in scores), GARBLE_MIN_SCALE)
    else:
        median, scale = GARBLE_DEFAULT_MEDIAN, GARBLE_DEFAULT_SCALE
    for row in rows:
        for c in row:
            c.z = (c.score - median) / scale
    return rows


def _garbled(text: str, paragraphs: list[Paragraph], breaks: list[int]) -> list[Finding]:
    """Clauses whose language-model score is far below the document's own.

    Each clause (text between punctuation, at least ``GARBLE_MIN_CHARS`` CJK
    characters) is scored by the per-character surprisal of jieba's best
    segmentation (unigram dictionary model) and compared with the median and
    MAD of all clauses of the same document.  Terse policy slogans also score
    low, so a clause alone must be extreme; a run of consecutive low clauses,
    or a low clause in a paragraph whose flow is broken (text lost or joined
    at a column/page break, where columns get interleaved), needs less.
    A unigram model cannot tell subtle interleaving (a few swapped
    characters) from terse slogans without that layout context.
    """
    rows = garble_scores(text, paragraphs)
    breaks = sorted(breaks)
    flagged: list[tuple[int, int, float]] = []  # row index, clause index, peak z
    for r_i, row in enumerate(rows):
        if not row:
            continue
        for c_i, c in enumerate(row):
            j = bisect.bisect_right(breaks, c.start)
            in_context = j > 0 and c.start - breaks[j - 1] <= GARBLE_CONTEXT_CHARS
            if c.z >= GARBLE_Z_ALONE or (in_context and c.z >= GARBLE_Z_CONTEXT):
                flagged.append((r_i, c_i, c.z))
        for c_i in range(len(row) - GARBLE_RUN + 1):
            window = row[c_i : c_i + GARBLE_RUN]
            mean_z = sum(c.z for c in window) / GARBLE_RUN
            if mean_z >= GARBLE_Z_RUN:
                flagged.extend((r_i, c_i + k, mean_z) for k in range(GARBLE_RUN))
    findings: list[Finding] = []
    flagged_keys = {(r_i, c_i) for r_i, c_i, _ in flagged}
    done: set[tuple[int, int]] = set()
    for r_i, c_i, _peak in sorted(flagged):
        if (r_i, c_i) in done:
            continue
        row = rows[r_i]
        lo = hi = c_i
        while lo > 0 and (row[lo - 1].z > GARBLE_Z_EXTEND or (r_i, lo - 1) in flagged_keys):
            lo -= 1
        while hi + 1 < len(row) and (row[hi + 1].z > GARBLE_Z_EXTEND or (r_i, hi + 1) in flagged_keys):
            hi += 1
        done.update((r_i, k) for k in range(lo, hi + 1))
        span = row[lo : hi + 1]
        start, end = span[0].start, span[-1].end
        findings.append(
            _finding(
                "garbled",
                # In words for the office: the span's scores (nats per character, robust SDs above the
                # document's median) decide the finding but mean nothing to the reader.
                f"这一段文字不通顺，像是扫描或排版错乱（串栏或乱码），请对照原件核对：“{_clip(text[start:end], 24)}”",
                "This passage does not read as sentences; it looks scrambled by scanning or layout "
                f"(interleaved columns or garbled text). Check it against the original: '{_clip(text[start:end], 24)}'",
                start,
                end,
            )
        )
    return findings


# ---------------------------------------------------------------------------


def _finding(kind: str, zh: str, en: str, start: int, end: int) -> Finding:
    return Finding(kind=kind, message_zh=zh, message_en=en, start=start, end=end)
