"""Text normalization with a map back to the source.

``normalize(source)`` cleans decoded document text (OCR'd newspaper pages,
web pages, Word exports) into one paragraph per line and returns a
:class:`Normalized` whose ``source_offsets`` map every output character to
its index in ``source``.  Every edit is either a deletion or a same-length
substitution (ASCII punctuation -> full-width, CR -> LF), so each output
character is a source character, possibly converted.

Pipeline (each step counted in ``Normalized.steps``):

1. Unicode cleanup: zero-width characters and BOM dropped (lines that held
   only such characters are dropped with their line break), CRLF/CR -> LF.
2. Page-jump markers (下转4版, 上接第1版) and newspaper/web furniture
   (来源, 记者…摄, 字号 bars, 下载/打印/分享, timestamps, related-links
   blocks, wikisource licence footer) removed and recorded as ``Removal``.
3. Line breaks: each break between two non-empty lines is either a
   paragraph break (kept as a single ``\\n``) or a soft break inside a
   sentence (removed), see :func:`_is_soft_break`.
4. ASCII punctuation next to Chinese text converted to full-width.
5. Whitespace inside Chinese text removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from luoshi.documents.textproc.model import Normalized, Removal

# --- character classes -------------------------------------------------------

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK punctuation and full-width forms, plus the typographic quotes, dash,
# ellipsis and middle dot used in Chinese text.
CJK_PUNCT = "\u3001-\u303f\uff01-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7\u2015"
_WIDE = CJK_CHARS + CJK_PUNCT
# Horizontal space: tab and every Unicode space separator (Zs): the ASCII space, NBSP, the em/en/thin
# spaces of U+2000–U+200A, the narrow NBSP, the ideographic space… Word exports and typeset PDFs indent
# headings with any of them.
HSPACE = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_HSPACE = HSPACE
_WIDE_SPACE = frozenset(HSPACE) - frozenset(" \t")  # typographic spaces: dropped beside Chinese text
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

_IS_WIDE = re.compile(f"[{_WIDE}]")
_IS_CJK = re.compile(f"[{CJK_CHARS}]")

# Characters that end a sentence (a line ending with one of them, possibly
# followed by closing quotes/brackets, ends a paragraph).
_SENT_END = "。！？!?；;：:…."
_CLOSERS = "”’」』）)》〉】]］"
_OPENERS = "“‘「『（(《〈【[［"
# A line starting with one of these continues the previous line.
_CONTINUES = "，,、。；;：:！!？?%％" + _CLOSERS
# A line ending with one of these continues on the next line.
_DANGLING = "，,、—" + _OPENERS

# Word and PDF readers write a table row as one line, cells joined by this
# separator (docx_reader.TABLE_CELL_SEPARATOR): such a line is never joined
# with its neighbours, so every row stays a line of its own.
TABLE_ROW_MARK = " | "

_NUM = "一二三四五六七八九十百千零〇两"
# Heading / enumeration / bullet markers at the start of a line.
_MARKER = re.compile(
    rf"(?:第[{_NUM}\d]+[编章节条]"
    rf"|[{_NUM}]+[、．.]"
    rf"|[（(][{_NUM}]+[）)]"
    r"|[（(]\d{1,3}[）)]"
    r"|\d{1,3}[.．、](?!\d)"
    rf"|[{_NUM}]+是"
    r"|——|[①-⑳]"
    r"|附件\s*\d*\s*$|附件\s*\d+)"
)
_HAS_SENT_END = re.compile("[。！？；]")
_BARE_MARKER = re.compile(rf"(?:——|[{_NUM}]+[、．.]|[（(][{_NUM}\d]+[）)]|\d{{1,3}}[.．])$")

# --- furniture and page jumps --------------------------------------------------

_PAGE_NO = r"[0-9０-９一二三四五六七八九十]+"
_PAGE_JUMP_INLINE = re.compile(
    rf"[（(][{_HSPACE}]*(?:下转|上接|紧接|接上|转下|转)第?[{_HSPACE}]*{_PAGE_NO}[{_HSPACE}]*版[{_HSPACE}]*[)）]"
)
_PAGE_JUMP_LINE = re.compile(rf"(?:下转|上接|紧接|接上)第?\s*{_PAGE_NO}\s*版(?:[（(].{{0,8}}[)）])?")

_FONT_BAR = re.compile(
    r"【\s*(?:字号|字体)\s*[:：]?(?:\s*(?:加大|还原|减小|放大|缩小|默认|标准|大|中|小|T|A)[|丨/]?)*\s*】"
    r"|【(?:打印|关闭|关闭窗口|收藏|打印本页|返回顶部|打印此文|纠错)】"
)
_CHROME_WORD = (
    r"(?:下载|打印|全屏|收藏|分享|分享到|打印本页|打印此页|关闭|关闭窗口|关闭本页|返回顶部|返回首页|返回"
    r"|扫一扫在手机(?:上)?打开当前页|扫一扫|相关报道|相关新闻|相关链接|相关附件|相关阅读|相关文章|相关稿件"
    r"|字号|字体|大|中|小|加大|还原|减小|默认|放大|缩小)"
)
_CHROME_LINE = re.compile(rf"(?:{_CHROME_WORD}(?:\s*(?:[:：]|>>|》》|>))?[\s|丨/]*)+")
_CHROME_STRONG = re.compile(
    r"(?:打印本页|打印此页|关闭窗口|关闭本页|返回顶部|相关链接|相关附件|相关报道|相关新闻|扫一扫在手机(?:上)?打开当前页)"
)
_SOURCE_LINE = re.compile(r"(?:来源|稿源|信息来源|文章来源|来源于)\s*[:：]\s*(?P<v>[^。，；！？]{0,30})")
_OUTLET = re.compile(
    rf"[{CJK_CHARS}A-Za-z·]{{2,16}}(?:日报|晚报|报|网|新闻社|社|台|客户端|杂志|刊|在线|频道)"
)
_TIME_LINE = re.compile(
    r"(?:发布)?(?:时间|日期)\s*[:：]\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*\d{1,2}[:：时]\d{1,2}分?(?:[:：]\d{1,2}秒?)?)?"
)
_TIMESTAMP_LINE = re.compile(
    r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*\d{1,2}\s*[:：时]\s*\d{1,2}\s*分?(?:\s*[:：]?\s*\d{1,2}\s*秒?)?"
)
_EDITOR_LINE = re.compile(
    r"[（(\[【]?(?:责任编辑|编辑|责编|校对|审核|审校|终审|初审|复审)\s*[:：]\s*(?P<v>[^。，；！？]{0,20}?)[）)\]】]?"
)
_SHORT_NAME = re.compile(rf"[{CJK_CHARS}·]{{2,6}}(?:[\s、，,]+[{CJK_CHARS}·]{{2,6}})*")
_PHOTO_CREDIT = re.compile(
    rf"(?:(?:本报|新华社|特约)?(?:记者|通讯员|摄影记者|摄影)[{_HSPACE}]*[{CJK_CHARS}·]{{2,8}}"
    rf"(?:[{_HSPACE}、]+[{CJK_CHARS}·]{{2,8}})*[{_HSPACE}]*(?:/)?[{_HSPACE}]*摄"
    rf"|[（(][^（()）]{{0,30}}摄[)）])$"
)
_HASH_LINE = re.compile(r"[0-9a-f]{24,64}[:：]?")
_LICENCE_START = re.compile(r"本作品(?:来自|收录|采用|在全世界)")
_LICENCE_MARK = re.compile(r"公有领域|Public domain|public domain|著作权法")

# --- punctuation ------------------------------------------------------------------

_FULLWIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_SIMPLE_PUNCT = re.compile(r"[,;:!?]")
_PAREN_PAIR = re.compile(r"\(([^()\n]{0,300})\)")
_LONE_PAREN = re.compile(r"[()]")
_SPACE_RUN = re.compile(f"[{_HSPACE}]+")


class _Buffer:
    """Working text with the source index of every character."""

    def __init__(self, text: str, offsets: list[int]) -> None:
        self.text = text
        self.offsets = offsets

    def apply(self, edits: Iterable[tuple[int, int, str]]) -> int:
        """Apply sorted, non-overlapping edits; each replacement is "" (delete)
        or a same-length substitution.  Returns the number of edits applied."""
        parts: list[str] = []
        offs: list[int] = []
        pos = 0
        count = 0
        text, old = self.text, self.offsets
        for start, end, rep in edits:
            if start < pos:
                continue  # overlapping edit: keep the first one
            parts.append(text[pos:start])
            offs.extend(old[pos:start])
            if rep:
                assert len(rep) == end - start
                parts.append(rep)
                offs.extend(old[start:end])
            pos = end
            count += 1
        if count:
            parts.append(text[pos:])
            offs.extend(old[pos:])
            self.text = "".join(parts)
            self.offsets = offs
        return count

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.offsets[start], self.offsets[end - 1] + 1


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, end excluding the newline."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _HSPACE:
        start += 1
    while end > start and text[end - 1] in _HSPACE:
        end -= 1
    return start, end


def _is_wide(ch: str) -> bool:
    return bool(_IS_WIDE.match(ch))


def _is_cjk(ch: str) -> bool:
    return bool(_IS_CJK.match(ch))


# --- step 1 --------------------------------------------------------------------------


def _cleanup(buf: _Buffer, steps: dict[str, int]) -> None:
    edits: list[tuple[int, int, str]] = []
    for m in re.finditer(r"\r\n?", buf.text):
        if m.group() == "\r\n":
            edits.append((m.start(), m.start() + 1, ""))
        else:
            edits.append((m.start(), m.end(), "\n"))
    steps["crlf_normalized"] = buf.apply(edits)
    zw = re.escape(_ZERO_WIDTH)
    # Lines holding only invisible characters go with their line break, so
    # "74.4\n\u200b\n万亿元" stays a single (soft) break.
    ghost = re.compile(f"(?m)^[{_HSPACE}]*[{zw}][{zw}{_HSPACE}]*\n")
    edits = [(m.start(), m.end(), "") for m in ghost.finditer(buf.text)]
    steps["zero_width_lines_removed"] = buf.apply(edits)
    edits = [(m.start(), m.end(), "") for m in re.finditer(f"[{zw}]+", buf.text)]
    steps["zero_width_removed"] = buf.apply(edits)


# --- step 2 --------------------------------------------------------------------------


def _furniture_line(line: str, nxt: str | None) -> tuple[str, bool]:
    """Classify a stripped line: ("", False) for content, else (kind, also_next)."""
    if not line:
        return "", False
    if len(line) <= 24 and _PAGE_JUMP_LINE.fullmatch(line):
        return "page_jump", False
    if len(line) <= 80 and _CHROME_LINE.fullmatch(line):
        return "furniture", False
    m = _SOURCE_LINE.fullmatch(line)
    if m and line[:2] != "来源于":
        if (
            not m.group("v").strip()
            and nxt is not None
            and (_OUTLET.fullmatch(nxt) or (len(nxt) <= 12 and not re.search("[。，；：！？]", nxt)))
        ):
            return "furniture", True
        return "furniture", False
    if _TIME_LINE.fullmatch(line) or _TIMESTAMP_LINE.fullmatch(line):
        return "furniture", False
    m = _EDITOR_LINE.fullmatch(line)
    if m:
        also = not m.group("v").strip() and nxt is not None and bool(_SHORT_NAME.fullmatch(nxt))
        return "furniture", also
    if len(line) <= 120 and _PHOTO_CREDIT.search(line):
        return "furniture", False
    if _HASH_LINE.fullmatch(line):
        # CMS related-article ids; the next line is the linked title.
        also = nxt is not None and len(nxt) <= 80 and "。" not in nxt
        return "furniture", also
    return "", False


def _remove_furniture(buf: _Buffer, source: str, removals: list[Removal], steps: dict[str, int]) -> None:
    text = buf.text
    # Inline page-jump markers and 【字号：加大 还原 减小】 bars (may span lines).
    edits: list[tuple[int, int, str]] = []
    kinds: list[str] = []
    for rx, kind in ((_PAGE_JUMP_INLINE, "page_jump"), (_FONT_BAR, "furniture")):
        for m in rx.finditer(text):
            s, e = m.start(), m.end()
            ls, le = text.rfind("\n", 0, s) + 1, text.find("\n", e)
            le = len(text) if le < 0 else le
            if not text[ls:s].strip(_HSPACE) and not text[e:le].strip(_HSPACE):
                s, e = ls, le  # the marker is the whole line: take the line
            edits.append((s, e, ""))
            kinds.append(kind)
    order = sorted(range(len(edits)), key=lambda i: edits[i][0])
    edits = [edits[i] for i in order]
    kinds = [kinds[i] for i in order]
    kept: list[tuple[int, int, str]] = []
    last = -1
    for (s, e, r), kind in zip(edits, kinds, strict=True):
        if s < last:
            continue
        last = e
        kept.append((s, e, r))
        ss, se = buf.source_span(s, e)
        removals.append(Removal(kind, source[ss:se], ss, se))
        steps[f"{kind}_removed"] = steps.get(f"{kind}_removed", 0) + 1
    buf.apply(kept)

    # Whole furniture lines.
    text = buf.text
    lines = _lines(text)
    stripped = [_strip_span(text, s, e) for s, e in lines]
    contents = [text[s:e] for s, e in stripped]
    nonempty = [i for i, c in enumerate(contents) if c]
    drop: dict[int, str] = {}
    last_chrome = -1
    k = 0
    while k < len(nonempty):
        i = nonempty[k]
        nxt = contents[nonempty[k + 1]] if k + 1 < len(nonempty) else None
        kind, also = _furniture_line(contents[i], nxt)
        if kind:
            drop[i] = kind
            if _CHROME_STRONG.search(contents[i]) or _HASH_LINE.fullmatch(contents[i]):
                last_chrome = i
            if also and k + 1 < len(nonempty):
                drop[nonempty[k + 1]] = kind
                k += 1
        elif _LICENCE_START.match(contents[i]):
            rest = text[lines[i][0] :]
            if len(rest) < 4000 and _LICENCE_MARK.search(rest):
                for j in nonempty[k:]:
                    drop[j] = "furniture"
                break
        k += 1
    # Text after the last page-chrome line that repeats an earlier line (CMS
    # share snippets: the title and first sentence again).
    if last_chrome >= 0:
        tail = [i for i in nonempty if i > last_chrome and i not in drop]
        if tail and sum(len(contents[i]) for i in tail) <= 400:
            earlier = {contents[i] for i in nonempty if i < last_chrome}
            if contents[tail[0]] in earlier:
                for i in tail:
                    drop[i] = "furniture"
    if not drop:
        return
    edits = []
    # One Removal per block of consecutive dropped lines of the same kind.
    rank = {i: r for r, i in enumerate(nonempty)}
    groups: list[list[int]] = []
    for i in sorted(drop):
        g = groups[-1] if groups else None
        if g and rank[g[-1]] + 1 == rank[i] and drop[g[-1]] == drop[i]:
            g.append(i)
        else:
            groups.append([i])
    for g in groups:
        ss, _ = buf.source_span(*stripped[g[0]])
        _, se = buf.source_span(*stripped[g[-1]])
        kind = drop[g[0]]
        removals.append(Removal(kind, source[ss:se], ss, se))
        steps[f"{kind}_removed"] = steps.get(f"{kind}_removed", 0) + 1
    for i in sorted(drop):
        s, e = lines[i]
        if e < len(text):
            edits.append((s, e + 1, ""))
        elif s > 0:
            edits.append((s - 1, e, ""))
        else:
            edits.append((s, e, ""))
    # Merge adjacent/overlapping deletions (a last-line deletion takes the
    # previous newline, which the previous line's deletion may also cover).
    merged: list[tuple[int, int, str]] = []
    for s, e, _ in sorted(edits):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]), "")
        else:
            merged.append((s, e, ""))
    buf.apply(merged)


# --- step 3 --------------------------------------------------------------------------


def _ends_sentence(line: str) -> bool:
    body = line.rstrip(_CLOSERS)
    if not body:
        return False
    return body[-1] in _SENT_END


def _quote_state(line: str) -> tuple[bool, bool]:
    """(ends inside an open quote/bracket, starts by closing one)."""
    depth = 0
    closes_first = False
    for ch in line:
        if ch in "“《（(【":
            depth += 1
        elif ch in "”》）)】":
            if depth == 0:
                closes_first = True
            else:
                depth -= 1
    return depth > 0, closes_first


def _is_soft_break(a: str, b: str, blank_lines: int, blank_mode: bool) -> bool:
    """Decide whether the break between non-empty lines ``a`` and ``b`` is
    inside a sentence (and so removed).

    Evidence, strongest first:
    0. A table row (a line with ``TABLE_ROW_MARK``) is a paragraph of its own.
    1. ``b`` starts with punctuation that cannot start a paragraph (，。、”）…).
    2. ``a`` ends with a comma, dash or opening quote/bracket, or is a bare
       marker ("——", "（一）").
    3. ``a`` ends a sentence (。！？：； + closing quotes), or ``b`` starts with
       a heading/enumeration/bullet marker: paragraph break.
    4. ``a`` leaves a quote/bracket open, or ``b`` closes one it never opened.
    5. In documents whose paragraphs are separated by blank lines, a single
       newline is a wrap (web hyperlink fragments, "政府工作报\\n告"), unless
       ``a`` is a numbered heading line.
    6. A long line (a wrapped paragraph, >= 50 chars) ending in a Chinese
       character or digit, not itself a numbered heading, followed by a line
       starting with one: a column/page break inside a word ("历\\n\\n史").
    Otherwise the break is a paragraph break: short lines without final
    punctuation are titles and headings.
    """
    if TABLE_ROW_MARK in a or TABLE_ROW_MARK in b:
        return False
    if b[0] in _CONTINUES:
        return True
    if a[-1] in _DANGLING or _BARE_MARKER.fullmatch(a):
        return True
    if _ends_sentence(a) or _MARKER.match(b):
        return False
    a_open, _ = _quote_state(a)
    _, b_closes = _quote_state(b)
    if a_open or b_closes:
        return True
    if a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return False  # never glue two Latin words
    heading_line = bool(_MARKER.match(a)) and not _HAS_SENT_END.search(a)
    if blank_mode and blank_lines == 0 and not heading_line:
        return True
    return (
        len(a) >= 50
        and not heading_line
        and (_is_cjk(a[-1]) or a[-1].isdigit())
        and (_is_cjk(b[0]) or b[0].isdigit())
    )


def _join_lines(buf: _Buffer, steps: dict[str, int]) -> None:
    text = buf.text
    spans = [_strip_span(text, s, e) for s, e in _lines(text)]
    items = [(s, e) for s, e in spans if e > s]
    edits: list[tuple[int, int, str]] = []
    if not items:
        if text:
            edits.append((0, len(text), ""))
        buf.apply(edits)
        return
    if items[0][0] > 0:
        edits.append((0, items[0][0], ""))
    # Paragraphs separated by blank lines or by single newlines?
    blank_after_sentence = single_after_sentence = 0
    for (s1, e1), (s2, _e2) in pairwise(items):
        if _ends_sentence(text[s1:e1]):
            if text.count("\n", e1, s2) > 1:
                blank_after_sentence += 1
            else:
                single_after_sentence += 1
    blank_mode = blank_after_sentence >= 2 and blank_after_sentence > single_after_sentence
    joined = breaks = 0
    for (s1, e1), (s2, _e2) in pairwise(items):
        newlines = text.count("\n", e1, s2)
        if _is_soft_break(text[s1:e1], text[s2:_e2], newlines - 1, blank_mode):
            edits.append((e1, s2, ""))
            joined += 1
        else:
            nl = text.index("\n", e1, s2)
            if nl > e1:
                edits.append((e1, nl, ""))
            if s2 > nl + 1:
                edits.append((nl + 1, s2, ""))
            breaks += 1
    if items[-1][1] < len(text):
        edits.append((items[-1][1], len(text), ""))
    buf.apply(edits)
    steps["line_breaks_joined"] = joined
    steps["paragraph_breaks"] = breaks


# --- step 4 --------------------------------------------------------------------------


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    """Nearest non-space characters before ``start`` and at/after ``end`` on the line."""
    i = start - 1
    while i >= 0 and text[i] in _HSPACE:
        i -= 1
    j = end
    while j < len(text) and text[j] in _HSPACE:
        j += 1
    prev = text[i] if i >= 0 and text[i] != "\n" else ""
    nxt = text[j] if j < len(text) and text[j] != "\n" else ""
    return prev, nxt


def _wideish(ch: str) -> bool:
    return bool(ch) and (_is_wide(ch) or ch in '"()')


def _convert_punct(buf: _Buffer, steps: dict[str, int]) -> None:
    text = buf.text
    subs: dict[int, str] = {}
    for m in _SIMPLE_PUNCT.finditer(text):
        p = m.start()
        prev, nxt = _neighbours(text, p, p + 1)
        if m.group() in ",:" and prev.isdigit() and nxt.isdigit():
            continue  # 1,000 and 07:41
        if _wideish(prev) or _wideish(nxt):
            subs[p] = _FULLWIDTH[m.group()]
    for m in _PAREN_PAIR.finditer(text):
        prev, _ = _neighbours(text, m.start(), m.start())
        _, nxt = _neighbours(text, m.end(), m.end())
        if _IS_WIDE.search(m.group(1)) or _is_wide(prev or " ") or _is_wide(nxt or " "):
            subs[m.start()] = "（"
            subs[m.end() - 1] = "）"
    for m in _LONE_PAREN.finditer(text):
        p = m.start()
        if p in subs:
            continue
        prev, nxt = _neighbours(text, p, p + 1)
        if _is_wide(prev or " ") or _is_wide(nxt or " "):
            subs[p] = _FULLWIDTH[m.group()]
    n_punct = len(subs)
    # Straight double quotes alternate open/close within a paragraph.  When a
    # paragraph has an odd number of them, a stray "'" next to Chinese text is
    # taken as an OCR-damaged double quote.
    n_quotes = 0
    for ls, le in _lines(text):
        line = text[ls:le]
        if '"' not in line:
            continue
        pos = [ls + i for i, ch in enumerate(line) if ch == '"']
        if len(pos) % 2 and "'" in line:
            for i, ch in enumerate(line):
                if ch == "'":
                    prev, nxt = _neighbours(text, ls + i, ls + i + 1)
                    if _is_cjk(prev or " ") or _is_cjk(nxt or " "):
                        pos.append(ls + i)
            pos.sort()
        for k, p in enumerate(pos):
            prev, nxt = _neighbours(text, p, p + 1)
            if _wideish(prev) or _wideish(nxt):
                subs[p] = "“" if k % 2 == 0 else "”"
                n_quotes += 1
    buf.apply((p, p + 1, subs[p]) for p in sorted(subs))
    steps["punct_to_fullwidth"] = n_punct
    steps["quotes_converted"] = n_quotes


# --- step 5 --------------------------------------------------------------------------


def _remove_cjk_spaces(buf: _Buffer, steps: dict[str, int]) -> None:
    text = buf.text
    edits: list[tuple[int, int, str]] = []
    for m in _SPACE_RUN.finditer(text):
        s, e = m.start(), m.end()
        prev = text[s - 1] if s > 0 else ""
        nxt = text[e] if e < len(text) else ""
        wide_prev, wide_next = _is_wide(prev or " "), _is_wide(nxt or " ")
        if (wide_prev and wide_next) or (
            (wide_prev or wide_next) and all(c in _WIDE_SPACE for c in m.group())
        ):
            edits.append((s, e, ""))
    steps["cjk_space_removed"] = buf.apply(edits)


def normalize(source: str) -> Normalized:
    """Normalize ``source``; see the module docstring for the steps."""
    buf = _Buffer(source, list(range(len(source))))
    steps: dict[str, int] = {}
    removals: list[Removal] = []
    _cleanup(buf, steps)
    _remove_furniture(buf, source, removals, steps)
    steps.setdefault("page_jump_removed", 0)
    steps.setdefault("furniture_removed", 0)
    _join_lines(buf, steps)
    _convert_punct(buf, steps)
    _remove_cjk_spaces(buf, steps)
    offsets = buf.offsets
    sentinel = offsets[-1] + 1 if offsets else 0
    removals.sort(key=lambda r: r.source_start)
    return Normalized(text=buf.text, source_offsets=[*offsets, sentinel], removals=removals, steps=steps)
