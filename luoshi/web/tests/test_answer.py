"""A refusal goes next to the field it names (``luoshi.web.answer.place``), with no search of its text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django import forms
from django.utils import translation

from luoshi.lib.errors import BilingualError
from luoshi.tasks.errors import TaskError
from luoshi.web.answer import place


class _Form(forms.Form):
    title = forms.CharField(required=False)
    deadline = forms.DateField(required=False)


_Rows = forms.formset_factory(_Form, extra=3)


@pytest.fixture(autouse=True)
def _chinese_page() -> Iterator[None]:
    with translation.override("zh-hans"):
        yield


def _bound(**data: str) -> _Form:
    form = _Form(data)
    assert form.is_valid()
    return form


def test_it_takes_the_field_from_the_error_type_unless_the_raise_names_one() -> None:
    assert TaskError("empty_title", "任务名称不能为空。", "The task title cannot be empty.").field == "title"
    assert TaskError("milestone_outside", "…", "…", field="start_date").field == "start_date"
    assert TaskError("stale", "…", "…").field is None
    assert BilingualError("anything", "…", "…").field is None


def test_it_puts_a_refusal_next_to_the_field_it_names() -> None:
    form = _bound(title="x")
    place(form, TaskError("empty_title", "任务名称不能为空。", "The task title cannot be empty."))
    assert form.errors == {"title": ["任务名称不能为空。"]}


def test_it_puts_a_refusal_above_a_form_without_that_field() -> None:
    form = _bound(title="x")
    place(form, TaskError("bad_cadence", "无效的报告周期。", "Invalid reporting cadence."))
    place(form, TaskError("stale", "已被他人修改。", "Changed by someone else."))
    assert form.non_field_errors() == ["无效的报告周期。", "已被他人修改。"]
    assert "cadence" not in form.errors


def test_it_puts_a_share_refusal_on_the_row_filled_in_at_that_index() -> None:
    rows = _Rows(
        {
            "form-TOTAL_FORMS": "3",
            "form-INITIAL_FORMS": "0",
            "form-0-title": "first",
            "form-2-title": "second",
        }
    )
    assert rows.is_valid()
    place(rows, TaskError("share_deadline", "时限不对。", "Bad deadline.", field="shares.1.deadline"))
    place(rows, TaskError("no_shares", "请至少指定一个单位。", "Name at least one unit."))
    place(rows, TaskError("share_deadline", "第五行。", "Row five.", field="shares.4.deadline"))
    assert [r.errors for r in rows.forms] == [{}, {}, {"deadline": ["时限不对。"]}]
    assert rows.non_form_errors() == ["请至少指定一个单位。", "第五行。"]
