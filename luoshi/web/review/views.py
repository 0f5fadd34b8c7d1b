"""The review pages: thin views over ``services`` and ``pages``; objects come through ``access``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from luoshi.documents.access import get_document_for
from luoshi.documents.errors import too_large_error
from luoshi.documents.queries import governing_decisions
from luoshi.lib.errors import BilingualError
from luoshi.review import access, rules, services
from luoshi.review.coverage_map import coverage_map
from luoshi.review.errors import ReviewError
from luoshi.review.models import PremiseRule, Status, Submission
from luoshi.review.register import register_rows, register_xlsx
from luoshi.review.renderers.opinion_docx import opinion_data, render_opinion
from luoshi.tasks.access import visible_tasks
from luoshi.web.answer import answer_form, redirect_with
from luoshi.web.review import forms
from luoshi.web.review.pages import detail_page, list_page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_reviews(request: HttpRequest) -> None:
    if not access.may_see_reviews(request.user):
        raise PermissionDenied


def _decisions(request: HttpRequest) -> Any:
    """The decisions a draft may name as governing: every stored decision (titles only)."""
    return governing_decisions()


def _upload(request: HttpRequest, form: Any) -> tuple[bytes, str]:
    upload = form.cleaned_data["file"]
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise too_large_error(upload.size, settings.MAX_UPLOAD_BYTES)
    return upload.read(), upload.name or ""


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def submission_list(request: HttpRequest) -> HttpResponse:
    _require_reviews(request)
    page = list_page(request.user, status=request.GET.get("status", ""), mine=request.GET.get("mine") == "1")
    return render(
        request,
        "web/review/list.html",
        {
            "page": page,
            "may_submit": access.submitting_units(request.user).exists(),
            "may_assign": access.may_assign(request.user),
            "is_reviewer": access.may_review_any(request.user),
        },
    )


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    units = access.submitting_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = forms.SubmitForm(
        request.POST or None, request.FILES or None, units=units, decisions=_decisions(request)
    )

    def page() -> HttpResponse:
        return render(request, "web/review/new.html", {"form": form}, status=400 if form.errors else 200)

    if request.method != "POST":
        return page()

    def run(d: dict[str, Any]) -> Submission:
        data, filename = _upload(request, form)
        return services.submit(
            user=request.user,
            unit=d["unit"],
            review_kind=d["review_kind"],
            title=d["title"],
            doc_kind=d["doc_kind"],
            issuing_body=d["issuing_body"],
            doc_number=d["doc_number"],
            published_on=d["published_on"],
            effective_on=d["effective_on"],
            governing=list(d["governing"]),
            explanation=d["explanation"],
            legality_review_filed=d["legality_review_filed"],
            consultation_filed=d["consultation_filed"],
            data=data,
            filename=filename,
        )

    return answer_form(
        request,
        form,
        run,
        refusals=BilingualError,
        page=page,
        done=lambda submission: redirect_with(
            request,
            _("Submitted as %(number)s.") % {"number": submission.number},
            reverse("review:detail", args=[submission.pk]),
        ),
    )


def _detail(request: HttpRequest, submission: Submission, status: int = 200, **forms_: Any) -> HttpResponse:
    page = detail_page(request.user, submission)
    context: dict[str, Any] = {
        "page": page,
        "s": submission,
        "complete_form": forms.CompleteForm(
            initial={"doc_number": submission.doc_number}, decisions=_decisions(request)
        ),
        "assign_form": forms.AssignForm(
            reviewers=access.reviewer_candidates(), initial={"reviewer": submission.reviewer_id}
        ),
        "add_form": forms.AddFindingForm(),
        "return_form": forms.ReturnForm(),
        "revise_form": forms.ReviseForm(),
        "conclude_form": forms.ConcludeForm(),
        "class_labels": forms.CLASS_LABELS,
    }
    context.update(forms_)
    return render(request, "web/review/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access.get_submission_for(request.user, pk))


def _step(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form: Any,
    may: Callable[[Any, Submission], None],
    act: Callable[[Submission, dict[str, Any]], object],
) -> HttpResponse:
    """One step of the review from its form: who may (``may``), a valid form, the service (``act``);
    a refusal is shown next to the form (``name`` in the page's context), else back to the page."""
    submission = access.get_submission_for(request.user, pk)
    may(request.user, submission)
    return answer_form(
        request,
        form,
        lambda data: act(submission, data),
        refusals=BilingualError,
        done=lambda _: redirect("review:detail", pk=pk),
        page=lambda: _detail(request, submission, 400, **{name: form}),
    )


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    def act(s: Submission, d: dict[str, Any]) -> object:
        return services.complete_filing(
            submission=s,
            user=request.user,
            explanation=d["explanation"] or s.explanation,
            legality_review_filed=d["legality_review_filed"] or s.legality_review_filed,
            consultation_filed=d["consultation_filed"] or s.consultation_filed,
            doc_number=d["doc_number"] or s.doc_number,
            governing=list(d["governing"]) or None,
        )

    return _step(
        request,
        pk,
        name="complete_form",
        form=forms.CompleteForm(request.POST, decisions=_decisions(request)),
        may=access.require_unit_side,
        act=act,
    )


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="assign_form",
        form=forms.AssignForm(request.POST, reviewers=access.reviewer_candidates()),
        may=lambda user, s: access.require_assigner(user),
        act=lambda s, d: services.assign(submission=s, user=request.user, reviewer=d["reviewer"]),
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    submission = access.get_submission_for(request.user, pk)
    finding = access.get_finding_for(request.user, finding_pk)
    if finding.version.submission_id != submission.pk:
        raise Http404
    access.require_reviewer(request.user, submission)
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        return _detail(request, submission, 400)
    d = form.cleaned_data
    try:
        services.decide_finding(
            finding=finding,
            user=request.user,
            accept=d["decision"] == "accept",
            reason=d["reason"],
            opinion=d["opinion"],
        )
    except BilingualError as exc:
        messages.error(request, exc.message())
        return _detail(request, submission, 400)
    return redirect(reverse("review:detail", kwargs={"pk": pk}) + f"#finding-{finding.pk}")


@login_required
@require_POST
def add_finding(request: HttpRequest, pk: int) -> HttpResponse:
    def act(s: Submission, d: dict[str, Any]) -> object:
        latest = s.latest
        passage = d["passage"].strip()
        start = latest.text.find(passage) if latest is not None and passage else -1
        if latest is None or start < 0:
            raise ReviewError(
                "bad_span",
                "最新送审稿中没有这段文字，请原样复制。",
                "This passage is not in the latest draft: copy it exactly.",
            )
        return services.add_finding(
            version=latest,
            user=request.user,
            cls=d["cls"],
            start=start,
            end=start + len(passage),
            basis=d["basis"],
            opinion=d["opinion"],
        )

    return _step(
        request,
        pk,
        name="add_form",
        form=forms.AddFindingForm(request.POST),
        may=access.require_reviewer,
        act=act,
    )


@login_required
@require_POST
def return_for_revision(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="return_form",
        form=forms.ReturnForm(request.POST),
        may=access.require_reviewer,
        act=lambda s, d: services.return_for_revision(submission=s, user=request.user, comment=d["comment"]),
    )


@login_required
@require_POST
def revise(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ReviseForm(request.POST, request.FILES)

    def act(s: Submission, d: dict[str, Any]) -> object:
        data, filename = _upload(request, form)
        return services.revise(submission=s, user=request.user, data=data, filename=filename, note=d["note"])

    return _step(request, pk, name="revise_form", form=form, may=access.require_unit_side, act=act)


@login_required
@require_POST
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="conclude_form",
        form=forms.ConcludeForm(request.POST),
        may=access.require_reviewer,
        act=lambda s, d: services.conclude(
            submission=s,
            user=request.user,
            conclusion=d["conclusion"],
            reason=d["reason"],
            opinion=d["opinion"],
        ),
    )


@login_required
@require_GET
def opinion_docx(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access.get_submission_for(request.user, pk)
    if submission.status != Status.CONCLUDED and not access.may_review(request.user, submission):
        raise PermissionDenied
    return _attachment(render_opinion(opinion_data(submission)), DOCX, f"opinion-{submission.pk}.docx")


@login_required
@require_GET
def original(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    submission = access.get_submission_for(request.user, pk)
    version = access.get_version_for(request.user, version_pk)
    if version.submission_id != submission.pk:
        raise Http404
    name = f"draft-{submission.pk}-v{version.number}.{version.format or 'txt'}"
    return _attachment(bytes(version.original), "application/octet-stream", name)


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    _require_reviews(request)
    period = request.GET.get("period", "").strip()
    try:
        rows, label = register_rows(access.visible_submissions(request.user), period=period)
    except BilingualError as exc:
        messages.error(request, exc.message())
        rows, label, period = register_rows(access.visible_submissions(request.user))[0], "", ""
    return render(request, "web/review/register.html", {"rows": rows, "label": label, "period": period})


@login_required
@require_GET
def register_download(request: HttpRequest) -> HttpResponse:
    _require_reviews(request)
    period = request.GET.get("period", "").strip()
    with translation.override("zh-hans"):
        try:
            rows, label = register_rows(access.visible_submissions(request.user), period=period)
        except BilingualError as exc:
            return HttpResponse(exc.message(), status=400, content_type="text/plain; charset=utf-8")
        content = register_xlsx(rows, label=label)
    stamp = period or timezone.localdate().isoformat()
    return _attachment(content, XLSX, f"filing-register-{stamp}.xlsx")


@login_required
def premise_rules(request: HttpRequest, document_pk: int) -> HttpResponse:
    document = get_document_for(request.user, document_pk)
    access.require_rule_keeper(request.user)
    form = forms.RuleForm(request.POST or None)

    def page() -> HttpResponse:
        return render(
            request,
            "web/review/rules.html",
            {"document": document, "rules": PremiseRule.objects.filter(document=document), "form": form},
            status=400 if form.errors else 200,
        )

    if request.method != "POST":
        return page()
    return answer_form(
        request,
        form,
        lambda d: rules.add_rule(
            document=document,
            user=request.user,
            code=d["code"],
            kind=d["kind"],
            name=d["name"],
            patterns=form.lines("patterns"),
            trigger=form.lines("trigger"),
            exceptions=form.lines("exceptions"),
            clause=d["clause"],
        ),
        refusals=BilingualError,
        done=lambda _: redirect("review:rules", document_pk=document.pk),
        page=page,
    )


@login_required
@require_POST
def toggle_rule(request: HttpRequest, document_pk: int, rule_pk: int) -> HttpResponse:
    document = get_document_for(request.user, document_pk)
    access.require_rule_keeper(request.user)
    rule = get_object_or_404(PremiseRule, pk=rule_pk, document=document)
    rules.set_rule_active(rule=rule, user=request.user, active=request.POST.get("active") == "1")
    return redirect("review:rules", document_pk=document.pk)


def coverage_for(user: Any, document: Any) -> Any:
    """The coverage map of ``document`` over what ``user`` may see (the document page, the dashboard)."""
    return coverage_map(
        document=document, submissions=access.visible_submissions(user), tasks=visible_tasks(user)
    )
