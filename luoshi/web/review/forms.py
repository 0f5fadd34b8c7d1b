"""Forms of the review pages: they collect input; the services decide what is valid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from luoshi.documents.queries import governing_decisions
from luoshi.lib.bilingual import CJK
from luoshi.review.models import Conclusion, DocKind, ReviewKind
from luoshi.review.services import FINDING_CLASSES
from luoshi.units.models import Unit

if TYPE_CHECKING:
    from luoshi.documents.models import Document

DATE = forms.DateInput(attrs={"type": "date"})
CLASS_LABELS: dict[str, Any] = {
    "lower_target": _("target lowered"),
    "later_deadline": _("deadline later"),
    "softened_obligation": _("obligation softened"),
    "uncovered_clause": _("governing clause not carried out"),
    "fair_competition": _("fair competition"),
    "new_power": _("licence, penalty, compulsory measure or fee without legal basis"),
    "premise": _("premise of the decision"),
    "procedure": _("procedure"),
    "other": _("other"),
}


def _data(text: str) -> str:
    """A stored title marked as data in its own language (as the pages' ``data`` filter does)."""
    if CJK.search(text):
        return format_html('<span class="data" lang="zh">{}</span>', text)
    return format_html('<span class="data">{}</span>', text)


class DecisionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _data(str(obj.short_label))


class SubmitForm(forms.Form):
    review_kind = forms.ChoiceField(label=_("Kind of review"), choices=ReviewKind.choices)
    unit = forms.ModelChoiceField(label=_("Drafting unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    doc_kind = forms.ChoiceField(label=_("Kind of document"), choices=DocKind.choices)
    issuing_body = forms.CharField(label=_("Issuing body"), max_length=200)
    doc_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    published_on = forms.DateField(label=_("Publication date"), required=False, widget=DATE)
    effective_on = forms.DateField(label=_("Effective date"), required=False, widget=DATE)
    governing = DecisionChoice(
        label=_("Governing decisions it implements"),
        queryset=governing_decisions().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    explanation = forms.CharField(
        label=_("Drafting explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    legality_review_filed = forms.BooleanField(label=_("Legality review opinion attached"), required=False)
    consultation_filed = forms.BooleanField(label=_("Public consultation record attached"), required=False)
    file = forms.FileField(label=_("Draft (.docx, .pdf, .txt)"))

    def __init__(
        self, *args: Any, units: QuerySet[Unit], decisions: QuerySet[Document], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        if units.count() == 1:
            unit_field.initial = units.first()
        governing = self.fields["governing"]
        assert isinstance(governing, forms.ModelMultipleChoiceField)
        governing.queryset = decisions


class CompleteForm(forms.Form):
    """限期补正: what an incomplete filing lacked."""

    explanation = forms.CharField(
        label=_("Drafting explanation"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    doc_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    legality_review_filed = forms.BooleanField(label=_("Legality review opinion attached"), required=False)
    consultation_filed = forms.BooleanField(label=_("Public consultation record attached"), required=False)
    governing = DecisionChoice(
        label=_("Governing decisions it implements"),
        queryset=governing_decisions().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, decisions: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        governing = self.fields["governing"]
        assert isinstance(governing, forms.ModelMultipleChoiceField)
        governing.queryset = decisions


class AssignForm(forms.Form):
    reviewer = forms.ModelChoiceField(label=_("Reviewer"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, reviewers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reviewer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = reviewers
        field.label_from_instance = lambda obj: _data(obj.get_full_name() or obj.get_username())  # type: ignore[method-assign]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("dismiss", _("Dismiss"))])
    opinion = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(
        label=_("Reason for dismissing"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddFindingForm(forms.Form):
    cls = forms.ChoiceField(label=_("Class"), choices=[(c, CLASS_LABELS[c]) for c in FINDING_CLASSES])
    passage = forms.CharField(
        label=_("Passage of the draft (copy it exactly)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    basis = forms.CharField(label=_("Problem and basis"), widget=forms.Textarea(attrs={"rows": 2}))
    opinion = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What is to be revised"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviseForm(forms.Form):
    file = forms.FileField(label=_("Revised draft (.docx, .pdf, .txt)"))
    note = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConcludeForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Conclusion.choices)
    reason = forms.CharField(
        label=_("Reason or changes required"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opinion = forms.CharField(
        label=_("Overall opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RuleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            ("required", _("must be stated")),
            ("prohibited", _("must not be said")),
            ("conditional", _("must be stated when the subject comes up")),
        ],
    )
    name = forms.CharField(label=_("Premise"), max_length=200)
    patterns = forms.CharField(
        label=_("Patterns (one regular expression per line)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    trigger = forms.CharField(
        label=_("Subject (conditional rules: one pattern per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exceptions = forms.CharField(
        label=_("Exceptions (one pattern per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    clause = forms.CharField(
        label=_("The decision's words"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in str(self.cleaned_data.get(name) or "").splitlines() if line.strip()]
