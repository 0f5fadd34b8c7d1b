"""Shared pieces of the property tests: generated inputs, "nothing changed", one example's rollback.

Hypothesis runs many examples inside one pytest test, so the function-scoped ``db`` fixture is set
up once: each example runs inside ``rolled_back()`` so that what one example writes never leaks
into the next.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models, transaction
from hypothesis import strategies as st

# Any date Python has (year 1 to 9999); the services must refuse what is outside their horizon.
any_date = st.dates(min_value=dt.date.min, max_value=dt.date.max)
# Half of them near today, so that examples also get past the horizon check to the rules behind it.
user_date = st.one_of(any_date, st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2032, 12, 31)))
# Any text without surrogates (which no UTF-8 request or file can carry): control characters,
# NUL, private-use, unassigned code points, combining marks and very long lines included.
any_char = st.characters(exclude_categories=["Cs"])
any_text = st.text(alphabet=any_char, max_size=300)
# A mostly-valid text with a few odd characters mixed in: reaches the checks behind "not empty".
mixed_text = st.lists(
    st.one_of(st.sampled_from(["推进", "工作", "任务", "。", " ", "\n"]), any_char), min_size=0, max_size=40
).map("".join)


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a transaction that is always rolled back (the example's writes vanish)."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def db_state(model_classes: Iterable[type[models.Model]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the given models, as plain values: compared before and after a refusal."""
    return {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in model_classes}
