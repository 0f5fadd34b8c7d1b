"""The decomposition review page: a plan's proposed tasks next to the words they came from.

Supervisors, leaders and administrators see plans; only roles allowed to
"plan" (supervisors, administrators) change them. The review operations are
the service functions of ``luoshi.decomposition.services``; this module only
arranges what the page shows and collects its input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from luoshi.accounts.scope import can
from luoshi.decomposition.access import catalog_units
from luoshi.decomposition.models import Plan, PlanTask
from luoshi.decomposition.schedule import SuggestedIndicator, suggest_indicators
from luoshi.documents.runs import Run, text_runs
from luoshi.tasks.default_deadline import default_deadline_for
from luoshi.tasks.queries import ReportingCadence as Cadence
from luoshi.tasks.queries import created_from_plan
from luoshi.units.models import Unit
from luoshi.web.plan.forms import PlanIndicatorForm, PlanMilestoneForm
from luoshi.web.plan.reasons import reason_html, reason_parts, reason_text

if TYPE_CHECKING:
    from luoshi.tasks.models import Task

# Built-in catalogs a plan may be proposed with (never a path from the browser); the labels are
# translated when shown.
CATALOGS: dict[str, str] = {
    "inner-mongolia": cast(str, gettext_lazy("Inner Mongolia Autonomous Region")),
    "state-council": cast(str, gettext_lazy("State Council departments")),
}
ACTIONABLE = ("task", "recurring")


def catalog_name(code: str) -> str:
    """A unit catalog as the office knows it ("内蒙古自治区"); a catalog made on the people pages is its own name."""
    return str(CATALOGS.get(code, code))


@dataclass
class Meter:
    label: str
    actionable: int
    covered: int
    reviewed: bool = True

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.actionable) if self.actionable else 100


@dataclass
class Suggestion:
    unit: Unit | None  # None: the catalog's unit is not loaded (then it cannot be chosen)
    name: str
    score: float
    why: str  # the reason as text, in the page's language
    why_html: SafeString  # the reason with its words marked as data


@dataclass
class Card:
    """One task on the right-hand side, with its suggestions resolved to units one can pick, and the
    forms that add milestones and indicators (one prefilled per target its words give)."""

    task: PlanTask
    leads: list[Suggestion]
    cos: list[Suggestion]
    milestone_form: PlanMilestoneForm | None = None
    indicator_form: PlanIndicatorForm | None = None
    suggestions: list[tuple[SuggestedIndicator, PlanIndicatorForm]] = field(default_factory=list)

    @property
    def actionable(self) -> bool:
        return self.task.kind in ACTIONABLE

    @property
    def cadence_label(self) -> str:
        """The task's own reporting cadence, or "" for the default chosen when the tasks are created."""
        return str(dict(Cadence.choices).get(self.task.cadence or "", ""))

    @property
    def setup_open(self) -> bool:
        """Show the milestone and indicator forms unfolded: one of them was refused."""
        return any(
            f is not None and f.is_bound and bool(f.errors)
            for f in (self.milestone_form, self.indicator_form)
        )


@dataclass
class Group:
    heading: list[str]
    cards: list[Card] = field(default_factory=list)


@dataclass
class PlanPage:
    plan: Plan
    runs: list[Run[PlanTask]]
    groups: list[Group]
    overall: Meter
    sections: list[Meter]
    units: list[Unit]
    may_edit: bool
    may_create_tasks: bool
    created: list[Task]
    unreviewed: int = 0
    reviewed: int = 0


def plan_page(*, user: Any, plan: Plan, bound: tuple[int, forms.Form] | None = None) -> PlanPage:
    """The review page; ``bound``: a task's refused milestone or indicator form (without htmx)."""
    top = top_tasks(plan)
    overall, sections = live_coverage(plan, top)
    units = list(catalog_units(plan))
    by_code = {u.code: u for u in units}
    may_plan = can(user, "plan")
    return PlanPage(
        plan=plan,
        runs=text_runs(plan.document.text, [(int(s), int(e), t) for t in top for s, e in t.spans]),
        groups=group_by_heading(
            [with_bound(make_card(t, by_code), bound[1] if bound and bound[0] == t.pk else None) for t in top]
        ),
        overall=overall,
        sections=sections,
        units=units,
        may_edit=may_plan and plan.is_draft,
        may_create_tasks=may_plan and not plan.is_draft,
        created=list(created_from_plan(plan=plan)),
        unreviewed=sum(1 for t in top if t.kind in ACTIONABLE and t.status == PlanTask.PROPOSED),
        reviewed=sum(1 for t in top if t.kind in ACTIONABLE and t.status != PlanTask.PROPOSED),
    )


def top_tasks(plan: Plan) -> list[PlanTask]:
    return list(
        plan.tasks.filter(parent=None)
        .select_related("lead_unit")
        .prefetch_related("co_units", "subtasks")
        .order_by("order", "id")
    )


def make_card(task: PlanTask, units_by_code: dict[str, Unit]) -> Card:
    def resolve(items: list[dict[str, Any]]) -> list[Suggestion]:
        out = []
        for s in items:
            source, keywords = reason_parts(s)
            out.append(
                Suggestion(
                    units_by_code.get(str(s.get("code"))),
                    str(s.get("unit", s.get("code", ""))),
                    float(s.get("score") or 0),
                    reason_text(source, keywords),
                    reason_html(source, keywords),
                )
            )
        return out

    card = Card(task, resolve(task.lead_suggestions), resolve(task.co_suggestions))
    if card.actionable:
        card.milestone_form = PlanMilestoneForm(task=task)
        card.indicator_form = PlanIndicatorForm(task=task)
        taken = [str(i.get("name", "")) for i in task.indicators]
        card.suggestions = [
            (s, PlanIndicatorForm.suggested(task=task, suggestion=s))
            for s in suggest_indicators(task.targets, taken=taken)
        ]
    return card


def card_for(task: PlanTask, *, bound: forms.Form | None = None) -> Card:
    """The card of one task, for an htmx answer; ``bound``: a refused milestone or indicator form."""
    task = (
        PlanTask.objects.select_related("lead_unit", "plan")
        .prefetch_related("co_units", "subtasks")
        .get(pk=task.pk)
    )
    return with_bound(make_card(task, {u.code: u for u in catalog_units(task.plan)}), bound)


def with_bound(card: Card, bound: forms.Form | None) -> Card:
    """The card showing a refused form (with what was typed and why) in place of its blank one."""
    if isinstance(bound, PlanMilestoneForm):
        card.milestone_form = bound
    elif isinstance(bound, PlanIndicatorForm):
        card.indicator_form = bound
    return card


def coverage_for(plan: Plan) -> tuple[Meter, list[Meter]]:
    return live_coverage(plan, top_tasks(plan))


def group_by_heading(cards: list[Card]) -> list[Group]:
    """Consecutive tasks under the same top-level part form one group."""
    groups: list[Group] = []
    for card in cards:
        heading = list(card.task.heading_path[:1])
        if not groups or groups[-1].heading != heading:
            groups.append(Group(heading))
        groups[-1].cards.append(card)
    return groups


def live_coverage(plan: Plan, tasks: list[PlanTask]) -> tuple[Meter, list[Meter]]:
    """Coverage as the plan now stands: actionable sentences inside a kept actionable task with a lead.

    The sentence kinds come from the proposal (``plan.coverage``); which
    task owns a sentence follows the review (rejections, merges, new leads).
    """
    # Only reviewed items count: a proposal nobody accepted covers nothing yet (尚未审核).
    owned = [
        (int(s), int(e))
        for t in tasks
        if t.kind in ACTIONABLE and t.status == PlanTask.ACCEPTED and t.lead_unit_id
        for s, e in t.spans
    ]
    sentences = [s for s in plan.coverage.get("sentences", []) if s.get("kind") in ACTIONABLE]

    def covered(sentence: dict[str, Any]) -> bool:
        return any(a <= sentence["start"] and sentence["end"] <= b for a, b in owned)

    any_reviewed = plan.status == Plan.CONFIRMED or any(
        t.kind in ACTIONABLE and t.status != PlanTask.PROPOSED for t in tasks
    )

    def meter(label: str, inside: list[dict[str, Any]]) -> Meter:
        return Meter(label, len(inside), sum(1 for s in inside if covered(s)), any_reviewed)

    sections = [
        meter(sec["section"], [s for s in sentences if sec["start"] <= s["start"] < sec["end"]])
        for sec in plan.coverage.get("sections", [])
    ]
    return meter(gettext("Whole text"), sentences), sections


# Forms: they collect input; the services decide what is allowed.


class ProposeForm(forms.Form):
    catalog = forms.ChoiceField(choices=list(CATALOGS.items()))


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(PlanTask.ACCEPTED, "accept"), (PlanTask.REJECTED, "reject"), (PlanTask.PROPOSED, "undo")]
    )
    version = forms.IntegerField(min_value=1)


class EditForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("Task title"), max_length=200)
    lead_unit = forms.ModelChoiceField(
        label=gettext_lazy("Lead unit"), queryset=Unit.objects.none(), required=False
    )
    co_units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-units"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    deadline = forms.DateField(
        label=gettext_lazy("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cadence = forms.ChoiceField(
        label=gettext_lazy("Reporting cadence"),
        required=False,
        choices=[
            ("", gettext_lazy("the default chosen when the tasks are created")),
            *(c for c in Cadence.choices if c[0] != Cadence.CUSTOM),
        ],
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = catalog_units(plan)
        lead = self.fields["lead_unit"]
        co = self.fields["co_units"]
        assert isinstance(lead, forms.ModelChoiceField) and isinstance(co, forms.ModelMultipleChoiceField)
        lead.queryset = co.queryset = units

    @classmethod
    def for_task(cls, task: PlanTask) -> EditForm:
        return cls(
            plan=task.plan,
            initial={
                "version": task.version,
                "title": task.title,
                "lead_unit": task.lead_unit_id,
                "co_units": [u.pk for u in task.co_units.all()],
                "deadline": task.deadline,
                "cadence": task.cadence or "",
            },
        )


class SplitForm(forms.Form):
    at = forms.IntegerField(min_value=1)
    version = forms.IntegerField(min_value=1)


class MergeForm(forms.Form):
    tasks = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tasks"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(t.pk, t.title) for t in plan.tasks.filter(parent=None)]


class CreateTasksForm(forms.Form):
    start_date = forms.DateField(
        label=gettext_lazy("Start date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    default_deadline = forms.DateField(
        label=gettext_lazy("Default deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cadence = forms.ChoiceField(
        label=gettext_lazy("Reporting cadence"),
        initial=Cadence.QUARTERLY,
        choices=[c for c in Cadence.choices if c[0] != Cadence.CUSTOM],
    )

    @classmethod
    def for_plan(cls, plan: Plan, today: dt.date, data: Any = None) -> CreateTasksForm:
        """Starting today; the default deadline is the end of the latest year the decision states, else none."""
        form = cls(data, initial={"start_date": today})
        stated = default_deadline_for(document=plan.document, start_date=today)
        field = form.fields["default_deadline"]
        if stated is None:
            field.help_text = gettext("The decision states no year after today: choose the deadline.")
        else:
            form.initial["default_deadline"] = stated.date
            field.help_text = gettext("From the decision: “%(words)s”, the end of %(year)s.") % {
                "words": stated.words,
                "year": stated.date.year,
            }
        return form


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Task-division table (.xlsx)"))
