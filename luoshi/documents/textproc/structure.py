"""Document structure: title block, heading tree, paragraphs, sentences.

``parse_structure(text)`` works on NORMALIZED text (one paragraph per line,
see ``normalize``).  All spans are offsets into that text.

Headings are recognised only at paragraph start:

====================  =========  ====================================
marker                kind       number as stored
====================  =========  ====================================
第X编 / 第X章 / 第X节   volume/chapter/section  "第三章"
第X条                 article    "第五条" (articles have no heading)
一、                  part       "一"
（一）                item       "（一）"
1. / 1．/ 1、         point      "1"
（1）                 subpoint   "（1）"
一是 (paragraph start) enum     "一是"
——                    bullet     "——"
unnumbered line       heading    "" (or "附件1" for attachments)
====================  =========  ====================================

Nesting follows the order in which the schemes first appear in the
document, corrected towards the usual order (章 > 节 > 条 > 一、 > （一） >
1. > （1）) when the document gives no evidence of the unusual nesting (an
early "1." list in the preamble does not make "1." the top level).
Unnumbered headings are always top-level.  Paragraph-level enums ("一是…")
and bullets ("——…") hang under the innermost numbered section; inline enums
("…。一是…；二是…") become children of the section holding their paragraph.

Heading text: for a heading on its own line, the line without its number;
for a heading running into its paragraph ("（三）完善农机装备创新体系。瞄准…")
the first sentence WITHOUT its final "。" (trailing ，；： are also dropped).
A section spans from its number to the start of the next sibling-or-higher
section (trailing whitespace excluded); bullets, and enums whose paragraph
has body text after the heading sentence, end with their paragraph.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from luoshi.documents.textproc.model import Paragraph, Section, Sentence, Structure
from luoshi.documents.textproc.normalize import HSPACE
from luoshi.lib.nlp import split_sentences
from luoshi.lib.numerals import chinese_to_int

_N = "零〇一二两三四五六七八九十百千"


def chinese_numeral_value(s: str) -> int | None:
    """Value of a numeral as printed: "十一" -> 11, "二十三" -> 23, "1" -> 1.

    Tolerates the usual wrappers: "（十一）", "第五条", "三、", "4.", "一是".
    Returns None when ``s`` is not a number.
    """
    s = s.strip().strip("（）()、.．是")
    s = re.sub(r"^第|[编章节条款项号]$", "", s)
    if not s:
        return None
    return chinese_to_int(s)


# --- patterns ------------------------------------------------------------------------

_CANON = {
    "volume": 0,
    "chapter": 1,
    "section": 2,
    "article": 3,
    "part": 4,
    "item": 5,
    "point": 6,
    "subpoint": 7,
}
_CHAPTER = re.compile(rf"第([{_N}\d]+)([编章节])")
_ARTICLE = re.compile(rf"第([{_N}\d]+)条")
_PART = re.compile(rf"([{_N}]+)[、．.]")
_ITEM = re.compile(rf"[（(]([{_N}]+)[）)]")
_SUBPOINT = re.compile(r"[（(](\d{1,3})[）)]")
_POINT = re.compile(r"(\d{1,3})(?:[.．](?!\d)|、)")
_POINT_BEFORE_DIGIT = re.compile(r"(\d{1,3})[.．](?=\d)")
_ENUM = re.compile(rf"([{_N}]+)是")
_BULLET = re.compile(r"——(?!\s*\d{4}年\d{1,2}月\d{1,2}日(?:在|于))")
_ATTACHMENT = re.compile(rf"附件\s*([\d{_N}]*)\s*(?:[:：]\s*)?(.{{0,30}})")
_INLINE_ENUM = re.compile(rf"(?m)(?:(?<=[。；;：:，,！？!?])|^)([{_N}]{{1,3}})是")

_SENT_STOP = re.compile(r"[。！？!?]")
_CLAUSE_STOP = re.compile(r"[。！？!?，,；;：:]")
_PUNCT_ANY = re.compile(r"[。，；：！？、,;:!?]")
_HEADING_PUNCT = re.compile(r"[。，；：！？、,;:!?（）()]")
_HEADING_KEYWORD = re.compile(r"(?:回顾|安排|建议|目标|任务|重点工作|名词解释|附录|说明|成就|成绩)$")

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ONLY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
_DATE_PAREN = re.compile(r"[（(][^（）()]*\d{4}年\d{1,2}月\d{1,2}日[^（）()]*[)）]")
_MEETING = re.compile(r"(?:——)?\s*\d{4}年\d{1,2}月\d{1,2}日(?:在|于).*")
_SUBTITLE = re.compile(r"——.+")
_DOCNUM = re.compile(rf"[{_N}\u4e00-\u9fff]{{1,14}}[〔\[［【(（]\d{{4}}[〕\]］】)）]\s*第?\s*\d+\s*号")
_ORDER_HEAD = re.compile(r"(?:中华人民共和国)?(\S{1,16}?)令")
_ORDER_NO = re.compile(r"第\s*(\d+)\s*号")
_BOOK = re.compile(r"《([^《》]{2,40})》")
_SALUTATION = re.compile(r".{1,60}[:：]")
_PERSON = re.compile(
    r"[\u4e00-\u9fff·]{0,24}(?:总理|主席|省长|市长|区长|县长|州长|书记|委员长|部长|主任|院长|同志)"
    r"[\u4e00-\u9fff·]{0,5}|[\u4e00-\u9fff·]{2,4}"
)
_ORG_SUFFIX = re.compile(
    r"(?:党委|党组|人民政府|政府|国务院|办公厅|办公室|委员会|常委会|中央|部|委|厅|局|院|署|办)$"
)
_TITLE_END = re.compile(
    r"(?:通知|意见|决定|报告|条例|办法|规定|方案|纲要|规划|决议|公告|通告|批复|函|细则|章程|讲话|令|法|意见稿)$"
)


@dataclass
class _Head:
    kind: str
    number: str
    value: int
    start: int  # section start (the number)
    heading_start: int
    heading_end: int
    para: int  # paragraph index
    para_end: int
    own_paragraph: bool  # ends with its paragraph (bullets, enums with body)


def _trim_heading(text: str, hs: int, he: int) -> int:
    while he > hs and text[he - 1] in "；;，,、：: ":
        he -= 1
    return he


def _first_sentence(text: str, hs: int, pe: int) -> tuple[int, bool]:
    """End of the heading running from ``hs`` (exclusive of its "。"), and
    whether body text follows it in the paragraph."""
    m = _SENT_STOP.search(text, hs, pe)
    if not m:
        return _trim_heading(text, hs, pe), False
    end = m.start()
    rest = m.end()
    while rest < pe and text[rest] in "”’」』）)":
        rest += 1
    return _trim_heading(text, hs, end), rest < pe


def _after_spaces(text: str, pos: int, end: int) -> int:
    """``pos`` moved past the spaces between a marker and its heading ("1. 加强…")."""
    while pos < end and text[pos] in HSPACE:
        pos += 1
    return pos


def _match_marker(text: str, s: int, e: int) -> tuple[str, str, int, int] | None:
    """(kind, number, value, heading_start) of a numbered marker at paragraph start."""
    found = _marker(text, s, e)
    if found is None:
        return None
    kind, number, value, marker_end = found
    return kind, number, value, _after_spaces(text, marker_end, e)


def _marker(text: str, s: int, e: int) -> tuple[str, str, int, int] | None:
    line = text[s:e]
    m = _CHAPTER.match(line)
    if m and len(line) <= 50 and not _SENT_STOP.search(line):
        kind = {"编": "volume", "章": "chapter", "节": "section"}[m.group(2)]
        return kind, m.group(0), chinese_numeral_value(m.group(1)) or 0, s + m.end()
    m = _ARTICLE.match(line)
    if m:
        return "article", m.group(0), chinese_numeral_value(m.group(1)) or 0, s + m.end()
    m = _PART.match(line)
    if m and m.end() < len(line):
        return "part", m.group(1), chinese_numeral_value(m.group(1)) or 0, s + m.end()
    m = _ITEM.match(line)
    if m and m.end() < len(line):
        num = "（" + m.group(1) + "）"
        return "item", num, chinese_numeral_value(m.group(1)) or 0, s + m.end()
    m = _SUBPOINT.match(line)
    if m and m.end() < len(line):
        return "subpoint", "（" + m.group(1) + "）", int(m.group(1)), s + m.end()
    m = _POINT.match(line)
    if m and m.end() < len(line):
        return "point", m.group(1), int(m.group(1)), s + m.end()
    return None


# --- header ---------------------------------------------------------------------------


@dataclass
class _Header:
    end_para: int = 0
    title_paras: tuple[int, int] | None = None
    doc_number: str = ""
    issuer: str = ""
    date_para: int | None = None


def _is_titlelike(line: str) -> bool:
    return (
        0 < len(line) <= 60
        and not re.search(r"[。；！？!?]", line)
        and not line.endswith(("：", ":"))
        and _match_marker(line, 0, len(line)) is None
        and not _DATE_ONLY.fullmatch(line)
    )


def _is_dateline(line: str) -> bool:
    return bool(
        _DATE_PAREN.fullmatch(line)
        or _MEETING.fullmatch(line)
        or _DATE_ONLY.fullmatch(line)
        or (_DATE.search(line) and _SUBTITLE.fullmatch(line))
    )


def _parse_header(lines: list[str]) -> _Header:
    h = _Header()
    n = len(lines)
    i = 0
    date_candidates: list[int] = []
    # "中华人民共和国国务院令 / 第706号 / 《X》已经…公布… / 总理 / date / X": an
    # order wrapping the document; the title is the line naming 《X》.
    if n > 2:
        m1, m2 = _ORDER_HEAD.fullmatch(lines[0]), _ORDER_NO.fullmatch(lines[1])
        if m1 and m2:
            h.issuer = m1.group(1)
            h.doc_number = f"{m1.group(1)}令第{m2.group(1)}号"
            book = _BOOK.search(lines[2])
            j = 2
            if book:
                for k in range(2, min(n, 12)):
                    if lines[k] == book.group(1):
                        j = k
                        break
            for k in range(2, j):
                if _DATE_ONLY.fullmatch(lines[k]):
                    date_candidates.append(k)
            i = j
    while i < n:
        line = lines[i]
        if _DOCNUM.fullmatch(line) or (
            len(line) <= 40 and _DOCNUM.search(line) and not _SENT_STOP.search(line)
        ):
            if not h.doc_number:
                h.doc_number = re.sub(r"\s+", "", _DOCNUM.search(line).group(0))  # type: ignore[union-attr]
            i += 1
            continue
        if _is_dateline(line):
            date_candidates.append(i)
            i += 1
            continue
        if h.title_paras is None:
            if not _is_titlelike(line):
                break
            first = last = i
            i += 1
            while (
                i < n
                and len(lines[i]) <= 40
                and _is_titlelike(lines[i])
                and not lines[i].startswith("——")
                and not _TITLE_END.search(lines[last])
                and not _is_dateline(lines[i])
                and not _DOCNUM.search(lines[i])
                and not _PERSON.fullmatch(lines[i])
                and i + 1 < n
            ):
                last = i
                i += 1
            h.title_paras = (first, last)
            continue
        if _SUBTITLE.fullmatch(line) and len(line) <= 80:
            i += 1
            continue
        if len(line) <= 30 and _PERSON.fullmatch(line):
            i += 1
            continue
        break
    h.end_para = i
    if date_candidates:
        h.date_para = date_candidates[0]
    return h


# --- body -----------------------------------------------------------------------------


def _kind_order(seq: list[tuple[str, int]]) -> dict[str, int]:
    """Rank numbered kinds: first appearance, unless the document shows no
    evidence that a usually-deeper kind really encloses a usually-higher one."""
    first: dict[str, int] = {}
    for i, (k, _) in enumerate(seq):
        first.setdefault(k, i)
    kinds = sorted(first, key=lambda k: first[k])

    def encloses(x: str, y: str) -> bool:
        # Does y restart at 1 after an occurrence of x that follows y's first use?
        seen_x = False
        for i, (k, v) in enumerate(seq):
            if i <= first[y]:
                continue
            if k == x:
                seen_x = True
            elif k == y and v == 1 and seen_x:
                return True
        return False

    changed = True
    while changed:
        changed = False
        for a in range(len(kinds) - 1):
            x, y = kinds[a], kinds[a + 1]
            if _CANON[x] > _CANON[y] and not encloses(x, y):
                kinds[a], kinds[a + 1] = y, x
                changed = True
    return {k: r for r, k in enumerate(kinds)}


def _closing_block_start(text: str, paras: list[tuple[int, int]], lo: int) -> int:
    """Index of the first paragraph of a trailing signature block
    ("国务院办公厅 / 2018年12月6日 / （此件公开发布）"), or len(paras)."""
    k = len(paras)
    has_date = False
    while k - 1 >= lo and len(paras) - k < 5:
        line = text[paras[k - 1][0] : paras[k - 1][1]]
        if _DATE_ONLY.fullmatch(line):
            has_date = True
        elif not (
            re.fullmatch(r"[（(][^（）()。]{1,20}[)）]", line)
            or (len(line) <= 20 and not _PUNCT_ANY.search(line) and _ORG_SUFFIX.search(line))
            or (len(line) <= 20 and _PERSON.fullmatch(line) and not _PUNCT_ANY.search(line))
        ):
            break
        k -= 1
    return k if has_date else len(paras)


def _unnumbered_candidates(
    text: str, paras: list[tuple[int, int]], lo: int, hi: int, marked: dict[int, _Head]
) -> list[int]:
    cands: list[int] = []
    for i in range(lo, hi):
        if i in marked:
            continue
        s, e = paras[i]
        line = text[s:e]
        if not (2 <= len(line) <= 30) or _HEADING_PUNCT.search(line) or line.startswith("——"):
            continue
        if i + 1 >= hi:
            continue
        ns, ne = paras[i + 1]
        if not (ne - ns >= 40 or (i + 1) in marked or _ATTACHMENT.fullmatch(text[ns:ne])):
            continue
        if i > lo:
            ps, pe = paras[i - 1]
            prev = text[ps:pe].rstrip("”’）)")
            after_candidate = bool(cands) and cands[-1] == i - 1  # cands ascend: no scan of the list
            if prev and prev[-1] not in "。！？!?；：:" and (i - 1) not in marked and not after_candidate:
                continue
        cands.append(i)
    if len(cands) >= 2:
        return cands
    return [i for i in cands if _HEADING_KEYWORD.search(text[paras[i][0] : paras[i][1]])]


def parse_structure(text: str) -> Structure:
    """Parse normalized ``text`` into a :class:`Structure` (see module docstring)."""
    st = Structure()
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        s, e = pos, pos + len(line)
        while s < e and text[s] in HSPACE:
            s += 1
        while e > s and text[e - 1] in HSPACE:
            e -= 1
        if e > s:
            paras.append((s, e))
        pos += len(line) + 1
    st.paragraphs = [Paragraph(s, e) for s, e in paras]
    if not paras:
        return st
    lines = [text[s:e] for s, e in paras]
    header = _parse_header(lines)
    if header.title_paras:
        a, b = header.title_paras
        st.title = "".join(lines[a : b + 1])
        st.title_span = (paras[a][0], paras[b][1])
    st.doc_number = header.doc_number
    st.issuer = header.issuer
    if not st.issuer and st.title:
        m = re.match(r"(.{2,30}?)(?:关于|印发)", st.title)
        if m and _ORG_SUFFIX.search(m.group(1)):
            st.issuer = m.group(1)

    body_lo = header.end_para
    body_hi = _closing_block_start(text, paras, body_lo)
    doc_end = paras[body_hi - 1][1] if body_hi > 0 else 0

    # Numbered and marked paragraphs.
    marked: dict[int, _Head] = {}
    last_point = 0
    for i in range(body_lo, body_hi):
        s, e = paras[i]
        mk = _match_marker(text, s, e)
        if mk is None and last_point:
            # "8.6个重大科技专项" right after point 7 is point 8, not a decimal.
            m = _POINT_BEFORE_DIGIT.match(text, s, e)
            if m and int(m.group(1)) == last_point + 1:
                mk = ("point", m.group(1), last_point + 1, m.end())
        if mk and mk[0] == "point":
            last_point = mk[2]
        if mk:
            kind, number, value, hs = mk
            if kind == "article" or kind in ("volume", "chapter", "section"):
                he = hs if kind == "article" else _trim_heading(text, hs, e)
                marked[i] = _Head(kind, number, value, s, hs, he, i, e, False)
            else:
                he, _body = _first_sentence(text, hs, e)
                marked[i] = _Head(kind, number, value, s, hs, he, i, e, False)
            continue
        m = _BULLET.match(text, s, e)
        if m and m.end() < e:
            he, _body = _first_sentence(text, m.end(), e)
            marked[i] = _Head("bullet", "——", 0, s, m.end(), he, i, e, True)
            continue
        m = _ENUM.match(text, s, e)
        if m and m.end() < e:
            value = chinese_numeral_value(m.group(1)) or 0
            # "一是…；二是…" inside the same paragraph: an inline enumeration.
            inline = False
            for im in _INLINE_ENUM.finditer(text, m.end(), e):
                iv = chinese_numeral_value(im.group(1))
                inline = iv == value + 1
                break
            if not inline and value:
                he, body = _first_sentence(text, m.end(), e)
                marked[i] = _Head("enum", m.group(0), value, s, m.end(), he, i, e, body)
    # Unnumbered headings and attachments.
    skip: set[int] = set()
    for i in range(body_lo, body_hi):
        if i in marked:
            continue
        s, e = paras[i]
        m = _ATTACHMENT.fullmatch(text, s, e)
        if m and not _SENT_STOP.search(text, s, e):
            hs = s + m.start(2) - m.start() if m.group(2) else e
            he = e
            number = text[s : s + m.end(1) - m.start()].replace(" ", "") if m.group(1) else "附件"
            if not m.group(2) and i + 1 < body_hi and (i + 1) not in marked:
                ns, ne = paras[i + 1]
                if _is_titlelike(text[ns:ne]):
                    hs, he = ns, ne
                    skip.add(i + 1)
            marked[i] = _Head("heading", number, 0, s, hs, he, i, e, False)
    for i in _unnumbered_candidates(text, paras, body_lo, body_hi, marked):
        if i in skip:
            continue
        s, e = paras[i]
        marked[i] = _Head("heading", "", 0, s, s, e, i, e, False)

    heads = [marked[i] for i in sorted(marked)]
    seq = [(h.kind, h.value) for h in heads if h.kind in _CANON]
    rank = _kind_order(seq)

    # Build the tree.
    roots: list[Section] = []
    stack: list[tuple[_Head, Section]] = []
    info: dict[int, _Head] = {}

    def attach(node: Section) -> None:
        if stack:
            parent = stack[-1][1]
            node.level = parent.level + 1
            parent.children.append(node)
        else:
            node.level = 1
            roots.append(node)

    for h in heads:
        node = Section(
            kind=h.kind,
            number=h.number,
            heading=text[h.heading_start : h.heading_end],
            start=h.start,
            end=h.para_end,
            heading_start=h.heading_start,
            heading_end=h.heading_end,
        )
        info[id(node)] = h
        if h.kind == "heading":
            stack.clear()
        elif h.kind in ("enum", "bullet"):
            while stack and stack[-1][0].kind in ("enum", "bullet"):
                stack.pop()
        else:
            while stack and stack[-1][0].kind in ("enum", "bullet"):
                stack.pop()
            if any(x[0].kind == h.kind for x in stack):
                while stack[-1][0].kind != h.kind:
                    stack.pop()
                stack.pop()
            else:
                while stack and stack[-1][0].kind != "heading" and rank[stack[-1][0].kind] > rank[h.kind]:
                    stack.pop()
        attach(node)
        stack.append((h, node))

    def rstrip_pos(p: int) -> int:
        while p > 0 and (text[p - 1] == "\n" or text[p - 1] in HSPACE):
            p -= 1
        return p

    def set_ends(nodes: list[Section], limit: int) -> None:
        for k, node in enumerate(nodes):
            nxt = nodes[k + 1].start if k + 1 < len(nodes) else limit
            h = info[id(node)]
            end = h.para_end if h.own_paragraph else rstrip_pos(nxt)
            node.end = max(end, node.heading_end)
            set_ends(node.children, node.end)

    set_ends(roots, doc_end)
    index = SectionIndex(roots)

    # Inline enumerations ("…。一是…；二是…").
    for i in range(body_lo, body_hi):
        s, e = paras[i]
        head = marked.get(i)
        lo = head.heading_start if head is not None and head.kind == "enum" else s
        group: list[tuple[int, int, str]] = []  # (start, value, number)
        groups: list[list[tuple[int, int, str]]] = []
        for m in _INLINE_ENUM.finditer(text, lo, e):
            if m.start() == s and head is not None:
                continue
            v = chinese_numeral_value(m.group(1)) or 0
            if group and v == group[-1][1] + 1:
                group.append((m.start(), v, m.group(0)))
            elif v == 1 or (m.start() == s and not group):
                if len(group) >= 2:
                    groups.append(group)
                group = [(m.start(), v, m.group(0))]
        if len(group) >= 2:
            groups.append(group)
        for g in groups:
            parent = index.innermost(g[0][0])
            for k, (gs, _v, number) in enumerate(g):
                ge = rstrip_pos(g[k + 1][0]) if k + 1 < len(g) else e
                hs = gs + len(number)
                cm = _CLAUSE_STOP.search(text, hs, ge)
                he = cm.start() if cm else ge
                node = Section("enum", number, text[hs:he], gs, ge, hs, he)
                node.level = 1 if parent is None else parent.level + 1
                index.insert(roots if parent is None else parent.children, node)

    st.sections = roots
    _fix_levels(roots, 1)

    # Date.
    date_para = header.date_para
    if date_para is None:
        first_sec = roots[0].start if roots else len(text)
        pre = [
            i
            for i in range(body_lo, len(paras))
            if paras[i][0] < first_sec and _DATE_ONLY.fullmatch(lines[i])
        ]
        tail = [i for i in range(max(body_lo, len(paras) - 8), len(paras)) if _DATE_ONLY.fullmatch(lines[i])]
        date_para = pre[0] if pre else (tail[-1] if tail else None)
        if date_para is not None and not st.issuer and date_para > 0:
            prev = lines[date_para - 1]
            if len(prev) <= 20 and _ORG_SUFFIX.search(prev) and not _PUNCT_ANY.search(prev):
                st.issuer = prev
    if date_para is not None:
        line = lines[date_para]
        dates = _DATE.findall(line)
        y, mo, d = dates[-1] if _DATE_PAREN.fullmatch(line) else dates[0]
        st.date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
        st.date_line = line
        st.date_span = paras[date_para]

    header_end = paras[body_lo][0] if body_lo < len(paras) else len(text)
    pre_end = roots[0].start if roots else doc_end
    pre_end = rstrip_pos(pre_end)
    if pre_end > header_end:
        st.preamble_span = (header_end, pre_end)

    # Sentences with the path of their innermost section.
    for s, e in paras:
        for ss, se in split_sentences(text, s, e):
            st.sentences.append(Sentence(ss, se, index.path(ss)))
    return st


def _fix_levels(nodes: list[Section], level: int) -> None:
    for n in nodes:
        n.level = level
        _fix_levels(n.children, level + 1)


class SectionIndex:
    """Where an offset falls in a section tree, by bisecting each sibling list's start offsets.

    The start offsets of a sibling list are computed once, when first needed, and kept in step by
    :meth:`insert`, so a lookup costs O(depth × log(siblings)) instead of a pass over the siblings
    (a code of 8,000 top-level articles made the sentence paths quadratic).
    """

    def __init__(self, roots: list[Section]) -> None:
        self.roots = roots
        self._starts: dict[int, list[int]] = {}  # id(sibling list) -> its nodes' start offsets

    def starts(self, nodes: list[Section]) -> list[int]:
        key = id(nodes)
        found = self._starts.get(key)
        if found is None:
            found = self._starts[key] = [n.start for n in nodes]
        return found

    def insert(self, nodes: list[Section], node: Section) -> None:
        """Insert ``node`` into the sibling list ``nodes`` after every sibling starting at or before it."""
        starts = self.starts(nodes)
        k = bisect_right(starts, node.start)
        starts.insert(k, node.start)
        nodes.insert(k, node)

    def innermost(self, pos: int) -> Section | None:
        """The deepest section holding ``pos`` (an empty section holds its own start)."""
        found: Section | None = None
        nodes = self.roots
        while nodes:
            k = bisect_right(self.starts(nodes), pos) - 1
            if k < 0 or not (nodes[k].start <= pos < max(nodes[k].end, nodes[k].start + 1)):
                break
            found = nodes[k]
            nodes = found.children
        return found

    def path(self, pos: int) -> list[int]:
        """The index path of the innermost section holding ``pos``; [] outside every section."""
        path: list[int] = []
        nodes = self.roots
        while nodes:
            k = bisect_right(self.starts(nodes), pos) - 1
            if k < 0 or not (nodes[k].start <= pos < nodes[k].end):
                break
            path.append(k)
            nodes = nodes[k].children
        return path
