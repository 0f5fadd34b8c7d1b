"""An audit entry said in words for the pages: field names as labels, stored ids as names, codes as their
labels, lists and mappings as text (the CSV export keeps the raw values)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from luoshi.lib.bilingual import one_language
from luoshi.web.pages.plan import catalog_name

# The names audit diffs use (model fields and a few of the services' own keys), as the office says them.
FIELD_LABELS: dict[str, Any] = {
    "action": _("action"),
    "active": _("active"),
    "actual_progress": _("actual progress"),
    "address": _("address"),
    "aliases": _("aliases"),
    "approval": _("approval"),
    "approval_comment": _("approval comment"),
    "approved_at": _("approved at"),
    "approved_by": _("approved by"),
    "content_hash": _("content hash"),
    "evidence": _("evidence files"),
    "size": _("size"),
    "requires_head_approval": _("reports need the unit head's approval"),
    "as_of": _("as of"),
    "assignment": _("assignment"),
    "baseline": _("baseline"),
    "baseline_date": _("baseline date"),
    "body": _("body"),
    "cadence": _("report cadence"),
    "catalog": _("unit catalog"),
    "channel": _("channel"),
    "co_units": _("co-operating units"),
    "code": _("code"),
    "comment": _("comment"),
    "comments": _("comments"),
    "confidence": _("confidence"),
    "confirmed_at": _("confirmed at"),
    "confirmed_by": _("confirmed by"),
    "content_type": _("file type"),
    "created_at": _("created at"),
    "created_by": _("created by"),
    "custom_dates": _("custom report dates"),
    "date": _("date"),
    "days_before": _("days before"),
    "days_overdue": _("days overdue"),
    "deadline": _("deadline"),
    "deadlines": _("deadlines"),
    "decided_at": _("decided at"),
    "decided_by": _("decided by"),
    "designated_at": _("designated at"),
    "designated_by": _("designated by"),
    "display_name": _("display name"),
    "doc_number": _("document number"),
    "document": _("document"),
    "due_date": _("due date"),
    "effect": _("effect"),
    "evaluated_at": _("evaluated at"),
    "evaluated_by": _("evaluated by"),
    "excerpt": _("excerpt"),
    "expected_progress": _("expected progress"),
    "file": _("file"),
    "first_submitted_at": _("first submitted at"),
    "heading": _("heading"),
    "indicator": _("indicator"),
    "indicator_targets": _("indicator targets"),
    "indicators": _("indicators"),
    "is_active": _("active"),
    "issued_at": _("issued at"),
    "issued_by": _("issued by"),
    "issuer": _("issuer"),
    "kind": _("kind"),
    "lead_unit": _("lead unit"),
    "level": _("level"),
    "milestones": _("milestones"),
    "name": _("name"),
    "narrative": _("narrative"),
    "new_deadline": _("new deadline"),
    "next_steps": _("next steps"),
    "note": _("note"),
    "number": _("number"),
    "old_deadline": _("old deadline"),
    "original_name": _("file name"),
    "overridden": _("overridden"),
    "override_reason": _("reason for the adjustment"),
    "parent": _("parent"),
    "period": _("report period"),
    "period_end": _("period end"),
    "period_start": _("period start"),
    "phone": _("phone"),
    "plan": _("task division"),
    "plan_task": _("task division item"),
    "planned_progress": _("planned progress"),
    "problems": _("problems"),
    "progress": _("progress"),
    "rag": _("rating"),
    "reason": _("reason"),
    "recheck_date": _("recheck date"),
    "report": _("report"),
    "report_day": _("report day"),
    "requested_at": _("requested at"),
    "requested_by": _("requested by"),
    "respond_by": _("respond by"),
    "responded_at": _("responded at"),
    "responded_by": _("responded by"),
    "response": _("response"),
    "revoked_at": _("revoked at"),
    "role": _("role"),
    "selected_at": _("selected at"),
    "selected_by": _("selected by"),
    "start_date": _("start date"),
    "state": _("state"),
    "status": _("status"),
    "submitted_at": _("submitted at"),
    "submitted_by": _("submitted by"),
    "target": _("target value"),
    "target_date": _("target date"),
    "targets": _("targets"),
    "task": _("task"),
    "tasks": _("tasks"),
    "text": _("text"),
    "title": _("title"),
    "unit": _("unit"),
    "unit_of_measure": _("unit of measure"),
    "units": _("units"),
    "user": _("user"),
    "username": _("username"),
    "value": _("value"),
    "version": _("version"),
    "weight": _("weight"),
    "year": _("year"),
    "email": _("email"),
    "first_name": _("display name"),
}

DEFAULT_REPR = re.compile(r"^\w+ object \((\w+)\)$")


def model_of(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """"tasks.milestone" as the model's name in the page's language ("节点")."""
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def object_label(object_type: str, object_id: str, object_repr: str) -> str:
    """What the entry is about: its stored name, or the model's name and number for a nameless one."""
    if object_repr and not DEFAULT_REPR.match(object_repr):
        return object_repr
    return f"{type_label(object_type)} #{object_id}"


def note_text(note: str) -> str:
    """A note the services wrote as "中文 / English": the page's half only."""
    return one_language(note)


def field_label(model: type[Model] | None, name: str) -> str:
    label = FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    if model is not None:
        try:
            verbose = getattr(model._meta.get_field(name), "verbose_name", None)  # a reverse relation has none
        except FieldDoesNotExist:
            verbose = None
        if isinstance(verbose, Promise):
            return str(verbose)
    return name.replace("_", " ")


class Words:
    """Turns stored values into words, looking up each related object once per page."""

    def __init__(self) -> None:
        self._names: dict[tuple[type[Model], Any], str] = {}

    def _name(self, model: type[Model], pk: Any) -> str:
        key = (model, pk)
        if key not in self._names:
            found = model._default_manager.filter(pk=pk).first() if isinstance(pk, (int, str)) else None
            self._names[key] = str(found) if found is not None else f"#{pk}"
        return self._names[key]

    def value(self, model: type[Model] | None, name: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if name == "catalog" and isinstance(value, str):
            return catalog_name(value)
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
        if not getattr(field, "concrete", False):  # a reverse relation or a service's own key: the value as stored
            field = None
        related = getattr(field, "related_model", None)
        if related is not None and not isinstance(related, str):
            if isinstance(value, list):
                return "、".join(self._name(related, v) for v in value)
            return self._name(related, value)
        choices = dict(getattr(field, "flatchoices", None) or ())
        if choices and not isinstance(value, (list, dict)) and value in choices:
            return str(choices[value])
        return plain(value)


def plain(value: Any) -> str:
    """A stored value (JSON: str, number, bool, list, mapping) as text, never as JSON."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _g("yes") if value else _g("no")
    if isinstance(value, list):
        return "、".join(plain(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return "；".join(f"{field_label(None, str(k))}：{plain(v)}" for k, v in value.items()) if value else "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    return str(value)
