"""The region's units (自治区部门, 盟市, 旗县) and people, through the units and accounts services."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from luoshi.accounts.models import Role
from luoshi.people.services import NewUser, create_user, create_users
from luoshi.people.units import create_unit
from luoshi.site.region.names import COUNTIES, DEPARTMENTS, LEAGUES
from luoshi.units.models import Unit
from luoshi.units.services import load_units

CATALOG = "inner-mongolia"
PASSWORD = "luoshi-region-2026"
PREFIX = "r-"  # every region login starts with it

# Units of each level at scale 1: 72 + 45 + 103 = 220.
AT_SCALE_1 = {"region": 72, "league_city": 45, "county": 103}


@dataclass
class Region:
    """Who is who in the generated region."""

    admin: Any
    supervisors: list[Any]
    leaders: list[Any]
    region_units: list[Unit]
    leagues: list[Unit]  # the 12 leagues and cities in play (sharing work from region departments)
    league_units: list[Unit]  # leagues plus league departments
    counties: dict[int, list[Unit]]  # league id -> its counties in play
    liaisons: dict[int, Any] = field(default_factory=dict)  # unit id -> liaison
    heads: dict[int, Any] = field(default_factory=dict)  # unit id -> unit head

    def liaison(self, unit: Unit) -> Any:
        """The unit's liaison (every unit with work has one: ``add_liaisons``)."""
        return self.liaisons[unit.pk]

    def add_liaisons(self, units: Iterable[Unit]) -> None:
        """Liaisons for the units outside the scale's set that got work (the seed decision's leads), in one batch."""
        new = [u for u in units if u.pk not in self.liaisons]
        rows = [NewUser(f"{PREFIX}liaison-{u.code}", Role.LIAISON, u, f"{u.name}联络员") for u in new]
        for unit, user in zip(new, create_users(users=rows, password=PASSWORD) if rows else [], strict=True):
            self.liaisons[unit.pk] = user

    @property
    def units(self) -> list[Unit]:
        return self.region_units + self.league_units + [c for cs in self.counties.values() for c in cs]


def exists() -> bool:
    return get_user_model().objects.filter(username=f"{PREFIX}admin").exists()


def _user(username: str, role: str, unit: Unit | None, name: str) -> Any:
    return create_user(
        username=f"{PREFIX}{username}", password=PASSWORD, role=role, unit=unit, display_name=name
    )


def build_units(*, scale: float) -> Region:
    """Load the catalog, add the counties and league departments the scale needs, create the people."""
    load_units(catalog=CATALOG)
    admin = _user("admin", Role.ADMIN, None, "系统管理员")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    wanted = {level: max(3 if level == "region" else 1, round(n * scale)) for level, n in AT_SCALE_1.items()}
    stored = list(Unit.objects.filter(catalog=CATALOG, active=True))
    # Executive bureaus first: a small region still has the departments most tasks go to.
    region_units = sorted(
        (u for u in stored if u.level == "region"),
        key=lambda u: (u.kind not in {"bureau", "commission"}, u.pk),
    )[: wanted["region"]]
    wanted["league_city"] += max(
        0, wanted["region"] - len(region_units)
    )  # beyond the catalog: more departments
    by_code = {u.code: u for u in stored}
    league_count = min(len(LEAGUES), max(2, round(len(LEAGUES) * min(scale, 1.0) ** 0.5)))
    leagues = [by_code[code] for code in LEAGUES[:league_count]]
    counties = _counties(leagues, wanted["county"], stored, admin)
    league_units = leagues + _departments(leagues, wanted["league_city"] - len(leagues), admin)
    region = Region(
        admin=admin,
        supervisors=[],
        leaders=[],
        region_units=region_units,
        leagues=leagues,
        league_units=league_units,
        counties=counties,
    )
    rows = [
        NewUser(f"{PREFIX}supervisor{n}", Role.SUPERVISOR, by_code["party-office"], f"督查室 督查员{n}")
        for n in range(1, 4)
    ]
    rows += [NewUser(f"{PREFIX}leader{n}", Role.LEADER, None, f"领导{n}") for n in range(1, 3)]
    for n, unit in enumerate(region.units):
        rows.append(NewUser(f"{PREFIX}liaison-{unit.code}", Role.LIAISON, unit, f"{unit.name}联络员"))
        if n % 4 == 0:
            rows.append(NewUser(f"{PREFIX}head-{unit.code}", Role.UNIT_HEAD, unit, f"{unit.name}负责人"))
    for row, user in zip(rows, create_users(users=rows, password=PASSWORD), strict=True):
        if row.role == Role.SUPERVISOR:
            region.supervisors.append(user)
        elif row.role == Role.LEADER:
            region.leaders.append(user)
        elif row.role == Role.LIAISON:
            region.liaisons[row.unit.pk] = user  # type: ignore[union-attr]
        else:
            region.heads[row.unit.pk] = user  # type: ignore[union-attr]
    return region


def _counties(leagues: list[Unit], count: int, stored: list[Unit], admin: Any) -> dict[int, list[Unit]]:
    """``count`` counties spread over the leagues (round-robin), the catalog's own first, then created."""
    by_name = {(u.parent_id, u.name): u for u in stored if u.level == "county"}
    by_alias = {(u.parent_id, a): u for u in stored if u.level == "county" for a in u.all_names()}
    queues: dict[int, list[tuple[int, str]]] = {
        league.pk: list(enumerate(COUNTIES[league.code], start=1)) for league in leagues
    }
    out: dict[int, list[Unit]] = {league.pk: [] for league in leagues}
    made = 0
    while made < count and any(queues.values()):
        for league in leagues:
            if made >= count or not queues[league.pk]:
                continue
            n, name = queues[league.pk].pop(0)
            full = f"{league.name}{name}" if name.endswith("区") else name
            unit = (
                by_name.get((league.pk, full))
                or by_alias.get((league.pk, name))
                or by_alias.get((league.pk, full))
            )
            if unit is None:
                unit = create_unit(
                    actor=admin,
                    catalog=CATALOG,
                    code=f"{league.code}-c{n:02d}",
                    name=full,
                    level="county",
                    parent=league,
                    kind="county",
                    aliases=[name] if full != name else [],
                )
            out[league.pk].append(unit)
            made += 1
    return out


def _departments(leagues: list[Unit], count: int, admin: Any) -> list[Unit]:
    """League/city departments (e.g. 呼和浩特市发展和改革委员会), by department then league."""
    out: list[Unit] = []
    for code, name in DEPARTMENTS:
        for league in leagues:
            if len(out) >= count:
                return out
            out.append(
                create_unit(
                    actor=admin,
                    catalog=CATALOG,
                    code=f"{league.code}-d-{code}",
                    name=f"{league.name}{name}",
                    level="league_city",
                    parent=league,
                    kind="bureau",
                )
            )
    return out
