"""Responsible-unit mentions and their roles.

Roles
- "lead": 由X牵头, X牵头, X负责, X主管, 牵头单位：X; in a list followed by
  负责 ("A、B负责") the first-listed unit leads and the others are "co"
  (State Council convention: 排在第一位的部门为牵头部门).
- "co": X配合, 会同X, X参与, X协助, 配合单位：X; the units after the first in a
  负责 list.
- "generic": 各盟市, 各地区, 各部门, 有关部门, 各级党委和政府… (kept as text).
- "listed": any other mention.

Unit names come from the ``names`` callback (the catalog's ``find_name``)
when given; otherwise from a suffix pattern for government units
(…部/委/局/署/办/厅/总局/委员会/人民政府/党委…) which is only trusted in
role contexts (next to 负责/牵头/配合…, after 由/会同, in a role parenthetical,
or in a 、-list with such a member), so that 格局/干部/督办 are not units.

Parentheticals such as "（人力资源社会保障部、财政部负责）" and
"（国家发展改革委牵头，财政部等按职责分工负责）" are parsed into an
ordered list by ``parse_unit_parenthetical`` / ``find_unit_parentheticals``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from ._common import flat_asdict, words

NamesFn = Callable[[str], list[tuple[int, int, str]]]


@dataclass
class UnitMention:
    """A unit mentioned in text; ``name`` is the catalog name when known."""

    text: str
    role: str
    start: int
    end: int
    name: str = ""
    generic: bool = False
    and_others: bool = False

    def to_dict(self) -> dict[str, Any]:
        return flat_asdict(self)


@dataclass
class UnitAssignment:
    """A responsibility parenthetical and its ordered units (first = lead)."""

    text: str
    start: int
    end: int
    units: list[UnitMention] = field(default_factory=list)

    @property
    def lead(self) -> UnitMention | None:
        for u in self.units:
            if u.role == "lead":
                return u
        return None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        lead = self.lead
        d["lead"] = lead.text if lead else None
        return d


GENERIC_UNITS = (
    "各级党委和政府",
    "各级党委政府",
    "各级人民政府",
    "地方各级人民政府",
    "各级政府",
    "各级党委",
    "各盟市",
    "各旗县（市、区）",
    "各旗县",
    "各市（州）",
    "各市县",
    "各市",
    "各县",
    "各区",
    "各省（区、市）",
    "各省（自治区、直辖市）",
    "各省区市",
    "各省",
    "各地区各部门",
    "各地区",
    "各部门",
    "各地",
    "各单位",
    "各有关部门",
    "各有关单位",
    "各相关部门",
    "有关部门",
    "相关部门",
    "有关单位",
    "相关单位",
    "其他有关部门",
    "有关地方",
    "地方政府",
    "试点城市政府",
    "各试点城市",
    "各级各部门",
    "各级各类",
    "省级有关部门",
    "国务院有关部门",
    "国务院各部委",
    "各直属机构",
    "行业主管部门",
    "主管部门",
)
_RE_GENERIC = re.compile("|".join(re.escape(g) for g in sorted(GENERIC_UNITS, key=len, reverse=True)))

_SUFFIX = (
    r"(?:人民政府|委员会|办公厅|办公室|领导小组|总局|总署|总社|组委|政府|党委|党组|"
    r"银行|法院|检察院|部|委|局|署|办|厅|会|院|社)"
)
_RE_UNIT = re.compile(rf"[\u4e00-\u9fff]{{1,16}}?{_SUFFIX}")
_NOT_UNITS = frozenset(
    words(
        "全部 内部 外部 西部 东部 中部 北部 南部 干部 局部 大局 格局 布局 当局 结局 开局 全局 变局 "
        "督办 举办 主办 承办 创办 开办 兴办 包办 代办 协办 查办 照办 快办 马上办 一网通办 "
        "机会 社会 大会 全会 研讨会 博览会 运动会 交易会 座谈会 学院 医院 剧院 影院 书院 庭院 "
        "执行 运行 进行 实行 施行 推行 试行 先行 同行 发行 出行 旅行 公社 厅局 部委"
    )
)
_RE_NOT_UNIT_TAIL = re.compile("(?:" + "|".join(sorted(_NOT_UNITS, key=len, reverse=True)) + ")$")
_SUFFIX_LAST = frozenset("府会厅室组局署社委党部办行院")
_ROLE_AFTER = re.compile(r"(?P<word>牵头负责|牵头|负责|主管|主抓|主办|配合|参与|协助|协同|指导)")
_LEAD_WORDS = ("牵头负责", "牵头", "负责", "主管", "主抓", "主办", "指导")
_CO_WORDS = ("配合", "参与", "协助", "协同")
_LABEL = re.compile(r"(?P<label>牵头单位|责任单位|主办单位|配合单位|参与单位|协办单位)[：:]")
_LIST_SEP = set("、和及与")
_STOP_CHARS = set('，。；：！？,.;:!?（）()《》“”"\n ')
_PAREN = re.compile(r"[（(](?P<body>[^（）()]{2,160}?)[）)]")
_PAREN_ROLE = re.compile(r"负责|牵头|配合|参与|指导|会同|按职责分工")


def _clean_name(s: str) -> str:
    return s.strip(" \u3000“”\"'")


_RE_SEPS = re.compile(
    r"[、，。；：！？,.;:!?（）()《》“”\"\s]|由|会同|牵头|负责|配合|参与|协助|主管|指导|等有关|等部门|"
    r"等单位|等按职责|按职责分工"
)
_RE_AND = re.compile(r"[和及与]")


def _pattern_names(text: str) -> list[tuple[int, int, str]]:
    """Fallback unit finder: runs of CJK between separators ending in a unit suffix."""
    out: list[tuple[int, int, str]] = []
    seg_start = 0
    for m in _RE_SEPS.finditer(text):
        _add_candidate(text, seg_start, m.start(), out)
        seg_start = m.end()
    _add_candidate(text, seg_start, len(text), out)
    return out


def _add_candidate(text: str, s: int, e: int, out: list[tuple[int, int, str]]) -> None:
    if e - s < 2 or e - s > 40:
        return
    # "商务部和海关总署": split at 和/及/与 only after a unit suffix
    # (keeps 工业和信息化部, 文化和旅游部 whole).
    for m in _RE_AND.finditer(text, s, e):
        if _RE_UNIT.fullmatch(text, s, m.start()) and _RE_UNIT.fullmatch(text, m.end(), e):
            _add_candidate(text, s, m.start(), out)
            _add_candidate(text, m.end(), e, out)
            return
    if e - s > 18:
        return
    cand = text[s:e]
    if cand.endswith("等"):
        cand = cand[:-1]
        e -= 1
    if cand[-1:] not in _SUFFIX_LAST or _RE_NOT_UNIT_TAIL.search(cand):
        return
    if _RE_UNIT.fullmatch(cand) is None:
        return
    out.append((s, e, cand))


def _role_context(text: str, s: int, e: int) -> tuple[str | None, bool]:
    """Role implied by the words right around text[s:e] (None when none)."""
    after = text[e : e + 8]
    before = text[max(0, s - 4) : s]
    and_others = after.startswith("等")
    k = 1 if and_others else 0
    if after.startswith("等有关部门", 0) or after.startswith("等部门"):
        k = after.find("门") + 1
    rest = after[k:]
    if before.endswith("会同"):
        return "co", and_others
    if before.endswith("由"):
        return "lead", and_others
    m = _ROLE_AFTER.match(rest)
    if m:
        word = m["word"]
        if word in _LEAD_WORDS:
            return "lead", and_others
        return "co", and_others
    if rest.startswith("会同"):
        return "lead", and_others
    return None, and_others


def _generic_mentions(text: str) -> list[UnitMention]:
    return [
        UnitMention(m.group(0), "generic", m.start(), m.end(), name=m.group(0), generic=True)
        for m in _RE_GENERIC.finditer(text)
    ]


def _group_lists(mentions: list[UnitMention], text: str) -> list[list[UnitMention]]:
    """Group mentions separated only by 、/和/及/与 into lists."""
    groups: list[list[UnitMention]] = []
    for u in mentions:
        if groups:
            prev = groups[-1][-1]
            gap = text[prev.end : u.start]
            if gap and len(gap) <= 2 and all(ch in _LIST_SEP for ch in gap):
                groups[-1].append(u)
                continue
            if gap == "" and prev.end == u.start:
                groups[-1].append(u)
                continue
        groups.append([u])
    return groups


def _assign_roles(group: list[UnitMention], text: str, label_role: str | None) -> None:
    last = group[-1]
    role, others = _role_context(text, last.end, last.end)
    first_role, _ = _role_context(text, group[0].start, group[0].start)
    before = text[max(0, group[0].start - 4) : group[0].start]
    if before.endswith("会同"):
        role = "co"
    elif before.endswith("由") and role is None:
        role = "lead"
    del first_role
    if label_role is not None and role is None:
        role = label_role
    last.and_others = others
    for i, u in enumerate(group):
        if u.generic:
            u.role = "generic"
            continue
        if role == "lead":
            u.role = "lead" if i == 0 else "co"
        elif role == "co":
            u.role = "co"
        else:
            u.role = "listed"


def extract_unit_mentions(text: str, names: NamesFn | None = None) -> list[UnitMention]:
    """Unit mentions in ``text`` with roles (lead/co/generic/listed), by offset.

    ``names(text)`` returns (start, end, name) catalog matches; without it a
    suffix pattern is used, restricted to role contexts and lists with one.
    """
    generic = _generic_mentions(text)
    taken = [(g.start, g.end) for g in generic]
    raw = names(text) if names is not None else _pattern_names(text)
    specific: list[UnitMention] = []
    for s, e, name in raw:
        if any(gs < e and s < ge for gs, ge in taken):
            continue
        specific.append(UnitMention(text[s:e], "listed", s, e, name=name))
    mentions = sorted(specific + generic, key=lambda u: u.start)
    labels = [(m.end(), m["label"]) for m in _LABEL.finditer(text)]
    out: list[UnitMention] = []
    for group in _group_lists(mentions, text):
        label_role: str | None = None
        for pos, label in labels:
            if 0 <= group[0].start - pos <= 1:
                label_role = "co" if label in ("配合单位", "参与单位", "协办单位") else "lead"
        _assign_roles(group, text, label_role)
        if names is None and label_role is None:
            # Pattern-found names need a role context (or a generic/known partner).
            has_role = any(u.role in ("lead", "co") for u in group)
            if not has_role:
                group = [u for u in group if u.generic]
        out.extend(group)
    return out


_ROLE_TAIL = re.compile(
    r"(?P<others>等有关部门|等有关单位|等相关部门|等部门|等单位|等)?(?:按职责分工)?"
    r"(?P<role>牵头负责|负责落实|负责|牵头|配合|参与|协助|指导)(?:落实)?$"
)
_RE_CLAUSE = re.compile(r"[^，；。,;]+")
_RE_ITEM = re.compile(r"[^、]+")


def _list_items(part: str, base: int, names: NamesFn | None) -> list[tuple[int, int, str]]:
    """(start, end, name) of the units listed in ``part`` (offsets + base)."""
    if names is not None:
        found = [(base + s, base + e, n) for s, e, n in names(part)]
        if found:
            return found
    out: list[tuple[int, int, str]] = []
    for m in _RE_ITEM.finditer(part):
        name = _clean_name(m.group(0))
        if name:
            lead_ws = len(m.group(0)) - len(m.group(0).lstrip(" \u3000“\"'"))
            out.append((base + m.start() + lead_ws, base + m.start() + lead_ws + len(name), name))
    return out


def parse_unit_parenthetical(body: str, names: NamesFn | None = None, offset: int = 0) -> list[UnitMention]:
    """Units of a responsibility parenthetical in order; the first is the lead.

    ``body`` may include the brackets.  Each clause (split at ，；。) that ends
    in a role word (负责/牵头/配合/参与/协助/指导, optionally preceded by
    等/等有关部门/按职责分工) contributes its units; other clauses are remarks
    ("排在第一位的部门为牵头部门，下同") and are ignored.  "A会同B负责": A
    leads, B co-operates.  Returns [] when nothing reads as a unit list.
    Offsets are relative to ``body`` plus ``offset``.
    """
    units: list[UnitMention] = []
    for cm in _RE_CLAUSE.finditer(body):
        clause = cm.group(0).strip("（）() ")
        cs = cm.start() + cm.group(0).find(clause) if clause else cm.start()
        rm = _ROLE_TAIL.search(clause)
        if rm is None or rm.start() == 0:
            continue
        is_co = rm["role"] in _CO_WORDS
        head = clause[: rm.start()]
        groups: list[tuple[list[tuple[int, int, str]], bool]] = []
        if "会同" in head:
            k = head.index("会同")
            groups.append((_list_items(head[:k], cs, names), False))
            groups.append((_list_items(head[k + 2 :], cs + k + 2, names), True))
        else:
            groups.append((_list_items(head, cs, names), False))
        for items, forced_co in groups:
            for i, (s, e, name) in enumerate(items):
                is_generic = bool(_RE_GENERIC.fullmatch(name))
                if is_generic:
                    role = "generic"
                elif is_co or forced_co or any(u.role == "lead" for u in units):
                    role = "co"
                else:
                    role = "lead"
                units.append(
                    UnitMention(
                        body[s:e],
                        role,
                        offset + s,
                        offset + e,
                        name=name,
                        generic=is_generic,
                        and_others=bool(rm["others"]) and i == len(items) - 1 and not forced_co,
                    )
                )
        others = rm["others"]
        if others and len(others) > 1:
            g = others[1:]
            gs = cs + rm.start() + 1
            units.append(UnitMention(g, "generic", offset + gs, offset + gs + len(g), name=g, generic=True))
    return units


def find_unit_parentheticals(text: str, names: NamesFn | None = None) -> list[UnitAssignment]:
    """Responsibility parentheticals in ``text`` ("（A、B负责）"), parsed."""
    out: list[UnitAssignment] = []
    for m in _PAREN.finditer(text):
        body = m["body"]
        if not _PAREN_ROLE.search(body):
            continue
        units = parse_unit_parenthetical(body, names, offset=m.start("body"))
        if not units:
            continue
        # Reject notes whose items are not unit-like (e.g. long clauses).
        if any(len(u.text) > 20 for u in units):
            continue
        out.append(UnitAssignment(m.group(0), m.start(), m.end(), units))
    return out
