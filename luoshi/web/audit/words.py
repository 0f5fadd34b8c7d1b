"""An audit entry said in words for the pages: field names as labels, stored ids as names, codes as their
labels, lists and mappings as text (the CSV export keeps the raw values)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from luoshi.audit.context import ANONYMOUS_LABEL, CLI_LABEL
from luoshi.audit.models import AuditEntry
from luoshi.lib.bilingual import one_language
from luoshi.web.plan.pages import catalog_name

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
    "content_hash": _("content fingerprint"),
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
    "evidence": _("evidence files"),
    "evaluation": _("evaluation"),
    "in_bulletin": _("cited in bulletins"),
    "subject": _("what it is on"),
    "sha256": _("content fingerprint"),
    "size": _("file size"),
    "first_name": _("display name"),
}

# Keys a service records on an object for a field that lives on a related model: (type, key) -> (model, field).
ELSEWHERE: dict[tuple[str, str], tuple[str, str]] = {
    ("auth.user", "role"): ("accounts.profile", "role"),
    ("auth.user", "unit"): ("accounts.profile", "unit"),
    ("reports.report", "state"): ("reports.obligation", "state"),
}
# Digests: shown as a short prefix, marked as code (no language), the whole one on hover.
HASHES = {"content_hash", "sha256"}
HASH_SHOWN = 12


def model_of(object_type: str) -> type[Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    """ "tasks.milestone" as the model's name in the page's language ("节点")."""
    model = model_of(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def actor_text(label: str) -> str:
    """Who acted, in the page's language: a username as it is, the command line and the anonymous in words."""
    if label == CLI_LABEL:
        return _g("command line")
    if label == ANONYMOUS_LABEL:
        return _g("anonymous")
    return label


def _concrete(model: type[Model] | None, name: str) -> Field[Any, Any] | None:
    """The model field a recorded key is about (on the model, or where ``ELSEWHERE`` says), if concrete."""
    if model is None:
        return None
    owner, field_name = model, name
    borrowed = ELSEWHERE.get((model._meta.label_lower, name))
    if borrowed is not None:
        owner, field_name = apps.get_model(borrowed[0]), borrowed[1]
    try:
        found = owner._meta.get_field(field_name)
    except FieldDoesNotExist:
        return None
    return found if getattr(found, "concrete", False) and isinstance(found, Field) else None


def note_text(note: str) -> str:
    """A note the services wrote as "中文 / English": the page's half only."""
    return one_language(note)


def field_label(model: type[Model] | None, name: str) -> str:
    label = FIELD_LABELS.get(name)
    if label is not None:
        return str(label)
    verbose = getattr(_concrete(model, name), "verbose_name", None)
    if isinstance(verbose, Promise):
        return str(verbose)
    return name.replace("_", " ")


DEFAULT_STR = re.compile(r"^\w+ object \(\w+\)$")


def said(obj: Model) -> str:
    """An object by name in the active language: its own ``str``, else its title or name, else its model's
    name and number (never Django's "Milestone object (1)")."""
    text = str(obj)
    if not DEFAULT_STR.match(text):
        return text
    for attribute in ("title", "name"):
        value = getattr(obj, attribute, None)
        if isinstance(value, str) and value:
            return value
    return f"{obj._meta.verbose_name} #{obj.pk}"


class Words:
    """Turns stored values into words, looking up each related object once per page."""

    def __init__(self) -> None:
        self._names: dict[tuple[type[Model], str], str | None] = {}  # None: no such object (any more)

    def prefetch(self, entries: Iterable[AuditEntry]) -> None:
        """Look up the objects of a page of entries at once, a query per type."""
        wanted: dict[type[Model], set[str]] = defaultdict(set)
        for entry in entries:
            model = model_of(entry.object_type)
            if model is not None and (model, entry.object_id) not in self._names:
                wanted[model].add(entry.object_id)
        for model, ids in wanted.items():
            for pk in ids:
                self._names[(model, pk)] = None
            try:
                found = list(model._default_manager.filter(pk__in=ids).select_related())
            except (ValueError, TypeError):  # an id of the wrong kind
                continue
            for obj in found:
                self._names[(model, str(obj.pk))] = said(obj)

    def _lookup(self, model: type[Model], pk: Any) -> str | None:
        key = (model, str(pk))
        if key not in self._names:
            try:
                found = model._default_manager.filter(pk=pk).first() if isinstance(pk, (int, str)) else None
            except (ValueError, TypeError):
                found = None
            # Said now, in the page's language (a stored description is in the language of its day).
            self._names[key] = said(found) if found is not None else None
        return self._names[key]

    def _name(self, model: type[Model], pk: Any) -> str:
        name = self._lookup(model, pk)
        return name if name is not None else f"#{pk}"

    def object_label(self, object_type: str, object_id: str) -> str:
        """What the entry is about, by its name now; the model's name and number once it is gone."""
        model = model_of(object_type)
        name = self._lookup(model, object_id) if model is not None else None
        return name if name is not None else f"{type_label(object_type)} #{object_id}"

    def value(self, model: type[Model] | None, name: str, value: Any) -> str:
        if value is None or value == "" or value == [] or value == {}:
            return "—"
        if name == "catalog" and isinstance(value, str):
            return catalog_name(value)
        if name in HASHES and isinstance(value, str):
            return format_html('<code lang="zxx" title="{}">{}</code>', value, value[:HASH_SHOWN])
        field = _concrete(
            model, name
        )  # None for a reverse relation or a service's own key: the value as stored
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
        return (
            "；".join(f"{field_label(None, str(k))}：{plain(v)}" for k, v in value.items()) if value else "—"
        )
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and len(value) >= 19 and value[10:11] == "T":
        try:
            return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    return str(value)
