"""Procedure points: the effective date and the filing's materials.

- A 规章 or 规范性文件 takes effect 30 days or more after publication unless a reason is stated
  (国家安全, 紧急情况, 公布后不立即施行将有碍施行…, beside the effective date or in the drafting
  explanation).
  The effective date is the filing's, else the text's own (自2024年9月1日起施行, 自印发之日起施行);
  the publication date is the filing's, else the draft's date line. Other kinds are not held to it.
- The drafting explanation (起草说明) is filed for every kind; the legality review opinion
  (合法性审核意见) and the public consultation record (征求意见情况) for 规章 and 规范性文件.
  These are checked only when the filing says what it holds (``Meta``; the command line does not).
"""

from __future__ import annotations

import datetime as dt
import re

from luoshi.review.checks.model import Clause, Draft, Flag, Meta

MIN_DAYS = 30
HELD_TO_DATES = frozenset({"regulation", "normative"})
_EFFECTIVE = re.compile(
    r"自(?:(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日|(?P<issue>印发|发布|公布|下发)之日)起(?:施行|实施|执行|生效)"
)
_REASON = re.compile(
    r"不立即施行将?(?:会)?有碍|国家安全|社会稳定|紧急|突发|重大公共利益|立即施行的(?:理由|原因)|需要立即施行"
)


def check_procedure(draft: Draft, meta: Meta | None) -> list[Flag]:
    meta = meta or Meta()
    flags: list[Flag] = []
    kind = meta.kind
    if kind in HELD_TO_DATES:
        flags += _dates(draft, meta)
    if meta.explanation is not None and not meta.explanation.strip():
        flags.append(
            _flag(draft, "procedure:no_explanation", "未附起草说明。", "No drafting explanation was filed.")
        )
    if kind in HELD_TO_DATES:
        if meta.legality_review is False:
            flags.append(
                _flag(
                    draft,
                    "procedure:no_legality_review",
                    "未附合法性审核意见。",
                    "No legality review opinion was filed.",
                )
            )
        if meta.consultation is False:
            flags.append(
                _flag(
                    draft,
                    "procedure:no_consultation",
                    "未附公开征求意见情况。",
                    "No record of public consultation was filed.",
                )
            )
    return flags


def _dates(draft: Draft, meta: Meta) -> list[Flag]:
    published = meta.published or draft.date
    m = _EFFECTIVE.search(draft.text)
    effective = meta.effective
    if effective is None and m:
        if m.group("issue"):
            effective = published
        else:
            try:
                effective = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                effective = None
    if published is None or effective is None:
        return []
    days = (effective - published).days
    clause = _clause_at(draft, m.start()) if m else None
    # The reason is stated where the date is (that sentence or the one before) or in the explanation.
    near = (
        ""
        if clause is None
        else "".join(c.text for c in draft.clauses[max(0, clause.index - 1) : clause.index + 1])
    )
    if days >= MIN_DAYS or _REASON.search(near) or _REASON.search(meta.explanation or ""):
        return []
    start, end = (clause.start, clause.end) if clause else (m.start(), m.end()) if m else (0, 0)
    flag = Flag(
        "procedure",
        start,
        end,
        clause.text if clause else (m.group(0) if m else ""),
        f"施行日期（{effective.isoformat()}）距公布（{published.isoformat()}）不足{MIN_DAYS}日（{days}日），且未说明理由。",
        f"Takes effect {days} days after publication ({published.isoformat()} → {effective.isoformat()}), "
        f"less than {MIN_DAYS}, and no reason is stated.",
        "procedure:effective_date",
    )
    return [flag]


def _clause_at(draft: Draft, pos: int) -> Clause | None:
    return next((c for c in draft.clauses if c.start <= pos < c.end), None)


def _flag(draft: Draft, rule: str, basis: str, basis_en: str) -> Flag:
    return Flag("procedure", 0, 0, "", basis, basis_en, rule)
