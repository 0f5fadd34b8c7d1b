"""One way to answer a posted form: run the service, answer with the section or the page, and put a
refusal next to the field it names.

The forms check types only; the services decide what is valid and refuse with a ``BilingualError``
whose ``field`` names the argument, which is also the name of the form field that takes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from luoshi.lib.errors import BilingualError
from luoshi.web.common.http import is_htmx

T = TypeVar("T")
Refusals = type[BilingualError] | tuple[type[BilingualError], ...]


def answer_form(
    request: HttpRequest,
    form: forms.Form | forms.BaseFormSet,
    run: Callable[[Any], T],
    *,
    refusals: Refusals,
    done: Callable[[T], HttpResponse],
    page: Callable[[], HttpResponse],
    section: Callable[[], HttpResponse] | None = None,
    unplaced: Callable[[BilingualError], HttpResponse] | None = None,
) -> HttpResponse:
    """Answer a posted ``form``.

    1. A valid form: ``run`` the service with the form's ``cleaned_data``; what it returns goes to ``done``.
    2. A refusal of one of the ``refusals`` types is placed on the form (``place``); when the form
       has no field of that name and the view answers such refusals otherwise (``unplaced``), that
       answer is given instead.
    3. An invalid or refused form: ``section()`` for htmx when the view has one, else ``page()``
       (each says its own status: 400, or 200 where htmx must swap the answer in).
    """
    if form.is_valid():
        try:
            result = run(form.cleaned_data)
        except refusals as exc:
            if unplaced is not None and field_in(form, exc.field) is None:
                return unplaced(exc)
            place(form, exc)
        else:
            return done(result)
    if section is not None and is_htmx(request):
        return section()
    return page()


def place(form: forms.Form | forms.BaseFormSet, exc: BilingualError) -> None:
    """Put the refusal next to the field it names when the form has that field; above the form otherwise."""
    found = field_in(form, exc.field)
    if found is None:
        if isinstance(form, forms.BaseFormSet):
            form.non_form_errors().append(exc.message())
        else:
            form.add_error(None, exc.message())
        return
    target, name = found
    target.add_error(name, exc.message())


def field_in(form: forms.Form | forms.BaseFormSet, field: str | None) -> tuple[forms.Form, str] | None:
    """The form and field that ``field`` names: a field of ``form``, or in a formset
    "<argument>.<index>.<field>", the field of the index-th row filled in."""
    if field is None:
        return None
    if not isinstance(form, forms.BaseFormSet):
        return (form, field) if field in form.fields else None
    _argument, _, rest = field.partition(".")
    index, _, name = rest.partition(".")
    rows = [row for row in form.forms if row.has_changed()]
    if not index.isdigit() or int(index) >= len(rows) or name not in rows[int(index)].fields:
        return None
    return rows[int(index)], name


def redirect_with(request: HttpRequest, text: str, url: str) -> HttpResponse:
    """The answer to a plain form that was recorded: back to ``url``, which shows ``text`` once."""
    messages.success(request, text)
    return redirect(url)
