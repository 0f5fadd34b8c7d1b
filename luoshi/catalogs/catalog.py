"""Unit catalogs: who can be assigned a task.

A catalog lists the units (ministries, departments, leagues/cities, ...) of
one government, with their official names, aliases, place in the hierarchy
and a short description of their functions (三定职能).  Catalogs are YAML
files (see ``data/``) or CSV files with the columns
``code,name,aliases,level,kind,parent,functions``.

``Catalog.find_name`` finds every unit named in a text (longest match wins)
and marks the unit a clause designates as lead (``由财政部牵头``,
``体育总局、民政部负责``).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).with_name("data")

LEVELS: tuple[str, ...] = ("central", "region", "league_city", "county")

_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ALIAS_SPLIT = re.compile(r"[;；、|]")

# Generic mentions that look like unit names but designate nobody in
# particular.  They are matched (so that they consume their text and no
# shorter alias fires inside them) and then dropped.
GENERIC_MENTIONS: tuple[str, ...] = (
    "各部门",
    "有关部门",
    "相关部门",
    "各有关部门",
    "各相关部门",
    "其他有关部门",
    "国务院有关部门",
    "国务院各部门",
    "中央有关部门",
    "中央和国家机关有关部门",
    "有关单位",
    "相关单位",
    "各有关单位",
    "各单位",
    "各成员单位",
    "有关方面",
    "各地区",
    "各地",
    "各级政府",
    "各级人民政府",
    "地方政府",
    "有关地方",
    "自治区有关部门",
    "自治区各部门",
    "自治区有关单位",
    "自治区直属各部门",
    "有关部门和单位",
    "各级各部门",
    "各级各有关部门",
)

# A match followed by one of these characters is part of a longer common
# noun, e.g. 财政部 in 财政部门, 教育部 in 教育部门.
_BAD_FOLLOWERS = frozenset("门")
# A match directly preceded by a locality suffix names a local counterpart
# (呼和浩特市 + 市场监管局, 各省 + 财政厅), not the catalog's unit.
_LOCALITY_SUFFIXES = frozenset("省市县区州盟旗镇乡")
_LOCAL_KINDS = frozenset({"league_city", "county", "local_government"})

# Lead markers: a clause containing one of these designates its first
# named unit as lead.  Secondary markers before the first unit cancel it.
_LEAD_WORDS = re.compile(r"牵头|负责|主管|主责|主办|抓总|总牵头")
_SECONDARY_WORDS = re.compile(r"配合|参与|协助|协办|支持单位|配合单位|参加")
_CLAUSE_SPLIT = re.compile(r"[，,。；;！？!?\n（）()]")


class CatalogError(ValueError):
    """A catalog that cannot be loaded or does not validate."""


def _err(zh: str, en: str) -> CatalogError:
    return CatalogError(f"{zh} / {en}")


catalog_error = _err


@dataclass(frozen=True)
class FormerName:
    """A name the unit had until a date (机构改革, 撤盟设市): still found in texts, pointing at the unit."""

    name: str
    until: str = ""  # "2018-03", "2001": when the name changed; "" when unknown

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "until": self.until}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    level: str = "central"
    kind: str = "office"
    parent: str | None = None
    functions: str = ""
    short_name: str = ""  # the official short name (规范简称): 国家发展改革委, 市场监管总局
    former_names: tuple[FormerName, ...] = ()
    division_code: str = ""  # GB/T 2260 code of a league/city or county

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The official name followed by the aliases (the short name among them)."""
        return (self.name, *self.aliases)

    @property
    def label(self) -> str:
        """How a task list names the unit: its official short name, else its name."""
        return self.short_name or self.name


@dataclass(frozen=True)
class Mention:
    """One unit named in a text."""

    start: int
    end: int
    text: str
    unit_code: str
    unit_name: str
    lead: bool = False
    former_until: str = ""  # the text uses a former name of the unit, changed then ("2018-03")


@dataclass
class Catalog:
    name: str
    title: str
    description: str
    units: list[Unit]
    source: str = ""
    derived_prefixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    by_code: dict[str, Unit] = field(init=False)
    surface_to_code: dict[str, str] = field(init=False)
    _pattern: re.Pattern[str] | None = field(init=False, default=None, repr=False)
    cache: dict[str, Any] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_code = {}
        for unit in self.units:
            self.by_code[unit.code] = unit
        self.surface_to_code = {}
        self.former: dict[str, FormerName] = {}
        derived: list[tuple[str, str]] = []
        for unit in self.units:
            for s in (*unit.surfaces, *(f.name for f in unit.former_names)):
                self.surface_to_code[s] = unit.code
                for prefix, replacements in self.derived_prefixes.items():
                    if s.startswith(prefix) and len(s) > len(prefix) + 1:
                        for rep in replacements:
                            derived.append((rep + s[len(prefix) :], unit.code))
        for s, code in derived:
            self.surface_to_code.setdefault(s, code)
        for unit in self.units:
            for f in unit.former_names:
                if self.surface_to_code.get(f.name) == unit.code and f.name not in unit.surfaces:
                    self.former[f.name] = f

    # Identity semantics: a catalog is a loaded resource, used as a cache key.
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __len__(self) -> int:
        return len(self.units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def lookup(self, name: str) -> Unit | None:
        """The unit whose official name or alias is exactly ``name``."""
        code = self.surface_to_code.get(name.strip())
        return self.by_code[code] if code else None

    def resolve(self, text: str) -> Unit | None:
        """The unit a short phrase designates (exact name, else first mention)."""
        unit = self.lookup(text)
        if unit is not None:
            return unit
        found = self.find_name(text)
        return self.by_code[found[0].unit_code] if found else None

    def children(self, code: str) -> list[Unit]:
        return [u for u in self.units if u.parent == code]

    def ancestors(self, code: str) -> list[Unit]:
        out: list[Unit] = []
        seen: set[str] = set()
        unit = self.by_code.get(code)
        while unit is not None and unit.parent and unit.parent not in seen:
            seen.add(unit.parent)
            unit = self.by_code.get(unit.parent)
            if unit is not None:
                out.append(unit)
        return out

    # ------------------------------------------------------------ mentions
    @property
    def pattern(self) -> re.Pattern[str]:
        if self._pattern is None:
            words = set(self.surface_to_code) | set(GENERIC_MENTIONS)
            self._pattern = re.compile(_trie_regex(words))
        return self._pattern

    def find_name(self, text: str) -> list[Mention]:
        """All units named in ``text``, in order, longest match first.

        Generic mentions (各部门, 有关部门, ...) resolve to nothing.  A unit
        is marked ``lead`` when it is the first unit named in a clause that
        carries a lead marker (牵头/负责/主管...).
        """
        mentions: list[Mention] = []
        last_local_end = -10
        for m in self.pattern.finditer(text):
            s, e = m.span()
            surface = m.group()
            code = self.surface_to_code.get(surface)
            if code is None:  # generic mention
                continue
            unit = self.by_code[code]
            local = unit.kind in _LOCAL_KINDS
            if e < len(text) and text[e] in _BAD_FOLLOWERS:
                continue
            if not local:
                if s > 0 and text[s - 1] in _LOCALITY_SUFFIXES:
                    continue
                # "呼和浩特市委宣传部": a local unit named just before.
                if 0 <= s - last_local_end <= 3 and not _CLAUSE_SPLIT.search(text, last_local_end, s):
                    continue
            if local:
                last_local_end = e
            former = self.former.get(surface)
            mentions.append(
                Mention(s, e, surface, code, unit.name, former_until=former.until if former else "")
            )
        return _mark_leads(text, mentions)


def _mark_leads(text: str, mentions: list[Mention]) -> list[Mention]:
    if not mentions:
        return mentions
    out = list(mentions)
    n = len(out)
    j = 0
    clause_start = 0
    ends = [m.end() for m in _CLAUSE_SPLIT.finditer(text)] + [len(text) + 1]
    for clause_end in ends:
        if j >= n:
            break
        first = j
        while j < n and out[j].start < clause_end:
            j += 1
        if first < j:
            m = out[first]
            if _LEAD_WORDS.search(text, clause_start, clause_end) and not _SECONDARY_WORDS.search(
                text, clause_start, m.start
            ):
                out[first] = Mention(
                    m.start, m.end, m.text, m.unit_code, m.unit_name, lead=True, former_until=m.former_until
                )
        clause_start = clause_end
    return out


def _trie_regex(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, preferring the longest at a position."""
    trie: dict[str, Any] = {}
    for w in words:
        if not w:
            continue
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        terminal = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if terminal:
            return "(?:" + body + ")?"
        return body

    return emit(trie)


# ---------------------------------------------------------------- loading
def _as_aliases(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        parts = _ALIAS_SPLIT.split(value)
    elif isinstance(value, list):
        parts = [str(v) for v in value]
    else:
        raise _err(f"{where}：aliases 格式不正确", f"{where}: aliases must be a list or string")
    out: list[str] = []
    for p in parts:
        p = p.strip()
        if p and p not in out:
            out.append(p)
    return tuple(out)


def as_former_names(value: Any, where: str) -> tuple[FormerName, ...]:
    """Former names as written: a list of {name, until} mappings or of names (then the date is unknown)."""
    if value in (None, ""):
        return ()
    items = value if isinstance(value, list) else _ALIAS_SPLIT.split(str(value))
    out: list[FormerName] = []
    for item in items:
        if isinstance(item, Mapping):
            name, until = str(item.get("name") or "").strip(), str(item.get("until") or "").strip()
        elif isinstance(item, str):  # "国家旅游局@2018-03" or a bare name
            name, _at, until = (part.strip() for part in item.partition("@"))
        else:
            raise _err(
                f"{where}：former_names 格式不正确", f"{where}: former_names must be names or {{name, until}}"
            )
        if name and name not in (f.name for f in out):
            out.append(FormerName(name, until))
    return tuple(out)


def _unit_from_row(row: Mapping[str, Any], where: str) -> Unit:
    code = str(row.get("code") or "").strip()
    name = str(row.get("name") or "").strip()
    if not code:
        raise _err(f"{where}：缺少单位代码（code）", f"{where}: missing unit code")
    label = f"{where}（{code}）"
    if not _CODE_RE.match(code):
        raise _err(
            f"{label}：单位代码须为 ASCII 字母、数字、-、_", f"{where} ({code}): code must be an ASCII slug"
        )
    if not name:
        raise _err(f"{label}：单位名称为空", f"{where} ({code}): empty unit name")
    level = str(row.get("level") or "").strip() or "central"
    if level not in LEVELS:
        raise _err(
            f"{label}「{name}」：层级 {level!r} 无效，应为 {'/'.join(LEVELS)}",
            f"{where} ({code}, {name}): invalid level {level!r}",
        )
    parent_raw = row.get("parent")
    parent = str(parent_raw).strip() if parent_raw not in (None, "") else None
    aliases = tuple(a for a in _as_aliases(row.get("aliases"), label) if a != name)
    short = str(row.get("short_name") or "").strip()
    if short and short != name and short not in aliases:
        aliases = (short, *aliases)
    return Unit(
        code=code,
        name=name,
        aliases=aliases,
        level=level,
        kind=str(row.get("kind") or "").strip() or "office",
        parent=parent or None,
        functions=" ".join(str(row.get("functions") or "").split()),
        short_name=short,
        former_names=as_former_names(row.get("former_names"), label),
        division_code=str(row.get("division_code") or "").strip(),
    )


def validate(units: list[Unit]) -> None:
    """Unique codes and names, known parents, no cycles, no alias clashes."""
    by_code: dict[str, Unit] = {}
    for u in units:
        if u.code in by_code:
            raise _err(
                f"单位代码重复：{u.code}（{by_code[u.code].name} 与 {u.name}）",
                f"duplicate unit code {u.code!r} ({by_code[u.code].name} / {u.name})",
            )
        by_code[u.code] = u
    owner: dict[str, Unit] = {}
    for u in units:
        for s in u.surfaces:
            prev = owner.get(s)
            if prev is not None and prev.code != u.code:
                raise _err(
                    f"名称或简称“{s}”同时属于 {prev.code}（{prev.name}）和 {u.code}（{u.name}）",
                    f"name/alias {s!r} used by both {prev.code} and {u.code}",
                )
            owner[s] = u
    for u in units:
        for f in u.former_names:
            prev = owner.get(f.name)
            if prev is not None and prev.code != u.code:
                raise _err(
                    f"曾用名“{f.name}”（{u.code}）是 {prev.code}（{prev.name}）现在的名称或简称",
                    f"former name {f.name!r} of {u.code} is a current name/alias of {prev.code}",
                )
    for u in units:
        if u.parent is not None and u.parent not in by_code:
            raise _err(
                f"单位 {u.code}（{u.name}）的上级 {u.parent} 不存在",
                f"unit {u.code} ({u.name}): unknown parent {u.parent!r}",
            )
    for u in units:
        seen = {u.code}
        p = u.parent
        while p is not None:
            if p in seen:
                raise _err(
                    f"单位 {u.code}（{u.name}）的上级关系形成循环", f"unit {u.code} ({u.name}): parent cycle"
                )
            seen.add(p)
            p = by_code[p].parent


def _read_yaml(path: Path) -> tuple[dict[str, Any], list[Unit]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _err(f"无法解析 YAML 文件 {path.name}：{exc}", f"cannot parse YAML {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise _err(f"{path.name}：缺少 units 列表", f"{path}: missing 'units' list")
    units: list[Unit] = []
    for i, row in enumerate(data["units"], start=1):
        where = f"第{i}个单位"
        if not isinstance(row, dict):
            raise _err(f"{path.name} {where}：应为映射", f"{path} unit #{i}: not a mapping")
        units.append(_unit_from_row(row, f"{path.name} {where}"))
    if data.get("divisions") is not None:
        if not isinstance(data["divisions"], dict):
            raise _err(f"{path.name}：divisions 应为映射", f"{path}: divisions must be a mapping")
        from luoshi.catalogs.divisions import division_units

        taken = {s for u in units for s in u.surfaces}
        for unit in division_units(data["divisions"], path.name):
            # A former name someone else now bears (a code or name reused) is not the division's.
            kept = tuple(f for f in unit.former_names if f.name not in taken)
            units.append(replace(unit, former_names=kept))
    meta = {k: v for k, v in data.items() if k != "units"}
    return meta, units


def _read_csv(path: Path) -> tuple[dict[str, Any], list[Unit]]:
    units: list[Unit] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip() for f in (reader.fieldnames or [])]
        missing = {"code", "name"} - set(fields)
        if missing:
            raise _err(
                f"{path.name}：缺少列 {', '.join(sorted(missing))}",
                f"{path}: missing columns {', '.join(sorted(missing))}",
            )
        for i, raw in enumerate(reader, start=2):
            row = {(k or "").strip(): v for k, v in raw.items()}
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            units.append(_unit_from_row(row, f"{path.name} 第{i}行"))
    return {"name": path.stem, "title": path.stem, "description": ""}, units


def _resolve_path(name_or_path: str) -> Path:
    builtin = DATA_DIR / f"{name_or_path}.yaml"
    if "/" not in name_or_path and builtin.exists():
        return builtin
    path = Path(name_or_path)
    if path.exists():
        return path
    known = ", ".join(sorted(p.stem for p in DATA_DIR.glob("*.yaml")))
    raise _err(
        f"找不到单位目录 {name_or_path}（内置：{known}）", f"no catalog {name_or_path!r} (built-in: {known})"
    )


def load_catalog(name_or_path: str) -> Catalog:
    """Load a built-in catalog by name or a .yaml/.yml/.csv file, validated."""
    path = _resolve_path(str(name_or_path)).resolve()
    return _load_cached(str(path), path.stat().st_mtime_ns, _division_data_stamp())


def _division_data_stamp() -> int:
    """When the installed division data changed (a newer package reloads the catalogs that use it)."""
    from luoshi.catalogs.divisions import data_file

    try:
        return data_file().stat().st_mtime_ns
    except (CatalogError, OSError):
        return 0


@functools.lru_cache(maxsize=32)
def _load_cached(path_str: str, _mtime: int, _data_mtime: int) -> Catalog:
    path = Path(path_str)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        meta, units = _read_yaml(path)
    elif suffix == ".csv":
        meta, units = _read_csv(path)
    else:
        raise _err(f"不支持的目录文件类型：{path.name}", f"unsupported catalog file type: {path}")
    if not units:
        raise _err(f"{path.name}：单位列表为空", f"{path}: no units")
    raw_prefixes = meta.get("derived_prefixes") or {}
    if not isinstance(raw_prefixes, dict):
        raise _err(f"{path.name}：derived_prefixes 应为映射", f"{path}: derived_prefixes must be a mapping")
    prefixes = {
        str(k): tuple(str(x) for x in (v if isinstance(v, list) else [v])) for k, v in raw_prefixes.items()
    }
    validate(units)
    return Catalog(
        name=str(meta.get("name") or path.stem),
        title=str(meta.get("title") or ""),
        description=" ".join(str(meta.get("description") or "").split()),
        units=units,
        source=str(path),
        derived_prefixes=prefixes,
    )
