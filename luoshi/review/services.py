"""Pre-review and filing review: one keyword-only service per step, shared by pages, API and tests.

The flow (docs/review.md): ``submit`` (intake with metadata; held as incomplete with a dated
request to complete it, 限期补正) → ``complete_filing`` → ``assign`` → the reviewer's
``decide_finding`` / ``add_finding`` → ``return_for_revision`` → ``revise`` (a new version, checked
again, compared with the previous one) → … → ``conclude``. Every step checks who may do it
(``access``), refuses bad input with a ``ReviewError`` before writing anything, writes in one
transaction with its audit entry, and tells whoever acts next.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from luoshi.accounts.models import Role
from luoshi.audit.services import record
from luoshi.documents.models import Document
from luoshi.documents.queries import governing_decisions
from luoshi.notifications.services import notify
from luoshi.review import access
from luoshi.review.checks import CLASSES, Meta
from luoshi.review.deadlines import add_working_days, filing_due, review_days
from luoshi.review.errors import ReviewError
from luoshi.review.models import (
    Conclusion,
    DocKind,
    DraftVersion,
    FindingStatus,
    ReviewFinding,
    ReviewKind,
    Status,
    Submission,
)
from luoshi.review.stored import check, read_draft, stored_draft
from luoshi.units.models import Unit

# What an incomplete filing lacks, said to the unit.
MISSING: dict[str, tuple[str, str]] = {
    "governing": ("所依据的上级决定", "the governing decisions it implements"),
    "explanation": ("起草说明", "the drafting explanation"),
    "legality_review": ("合法性审核意见", "the legality review opinion"),
    "consultation": ("公开征求意见情况", "the record of public consultation"),
    "doc_number": ("文号", "the document number"),
}
HELD_TO_MATERIALS = frozenset({DocKind.REGULATION, DocKind.NORMATIVE})
OTHER_CLASS = "other"  # a reviewer's finding outside the first pass's classes
FINDING_CLASSES = (*CLASSES, OTHER_CLASS)


def _err(code: str, zh: str, en: str) -> ReviewError:
    return ReviewError(code, zh, en)


def _today(now: dt.datetime | None) -> dt.date:
    return timezone.localdate(now or timezone.now())


# ---------------------------------------------------------------- intake
def governing_documents(ids: Sequence[int]) -> list[Document]:
    """The governing decisions named by id (without their texts); ReviewError ``bad_field`` if one does not exist."""
    found = list(governing_decisions().filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ReviewError(
            "bad_field", "所列上级决定中有不存在的文件。", "One of the governing decisions does not exist."
        )
    return found


def missing_items(submission: Submission, *, governing: Sequence[Document] | None = None) -> list[str]:
    """The codes of what the filing lacks (see MISSING)."""
    out: list[str] = []
    has_governing = bool(governing) if governing is not None else submission.governing.exists()
    if not has_governing:
        out.append("governing")
    if not submission.explanation.strip():
        out.append("explanation")
    if submission.doc_kind in HELD_TO_MATERIALS:
        if not submission.legality_review_filed:
            out.append("legality_review")
        if not submission.consultation_filed:
            out.append("consultation")
    if submission.review_kind == ReviewKind.FILING and not submission.doc_number.strip():
        out.append("doc_number")
    return out


def missing_text(codes: Sequence[str]) -> tuple[str, str]:
    return "、".join(MISSING[c][0] for c in codes), ", ".join(MISSING[c][1] for c in codes)


def _validate(
    *,
    review_kind: str,
    doc_kind: str,
    title: str,
    issuing_body: str,
    published_on: dt.date | None,
    effective_on: dt.date | None,
) -> None:
    if review_kind not in ReviewKind.values:
        raise _err("bad_field", "请选择前置审核或备案审查。", "Choose pre-review or filing review.")
    if doc_kind not in DocKind.values:
        raise _err(
            "bad_field",
            "请选择文件种类（规章、规范性文件、政策性文件、实施方案）。",
            "Choose the kind of document (rule, normative document, policy document, implementation plan).",
        )
    if not title.strip() or len(title) > 300:
        raise _err(
            "bad_field",
            "请填写文件标题（不超过300字）。",
            "Give the document's title (at most 300 characters).",
        )
    if not issuing_body.strip() or len(issuing_body) > 200:
        raise _err(
            "bad_field", "请填写制定机关（不超过200字）。", "Give the issuing body (at most 200 characters)."
        )
    if review_kind == ReviewKind.FILING and published_on is None:
        raise _err(
            "bad_field",
            "备案审查的文件须填写公布日期。",
            "A document filed for filing review needs its publication date.",
        )
    if published_on and effective_on and effective_on < published_on:
        raise _err(
            "bad_field",
            "施行日期不能早于公布日期。",
            "The effective date cannot be before the publication date.",
        )


def meta_of(submission: Submission) -> Meta:
    return Meta(
        kind=submission.doc_kind,
        published=submission.published_on,
        effective=submission.effective_on,
        explanation=submission.explanation,
        legality_review=submission.legality_review_filed,
        consultation=submission.consultation_filed,
    )


def submit(
    *,
    user: Any,
    unit: Unit,
    review_kind: str,
    title: str,
    doc_kind: str,
    issuing_body: str,
    data: bytes,
    filename: str,
    doc_number: str = "",
    published_on: dt.date | None = None,
    effective_on: dt.date | None = None,
    governing: Sequence[Document] = (),
    explanation: str = "",
    legality_review_filed: bool = False,
    consultation_filed: bool = False,
    now: dt.datetime | None = None,
) -> Submission:
    """Take in a draft for pre-review (or a published document for filing review) with its metadata.

    1. Refuse a user who may not submit for ``unit`` and bad fields or files (nothing written).
    2. Read the draft with the ingest pipeline; run the first pass against the governing decisions
       named (or every stored decision when none is named) and store its flags as findings.
    3. A filing that lacks something (MISSING) is held as incomplete with a date to complete it by
       (LUOSHI_REVIEW_COMPLETION_DAYS working days); otherwise it is received for assignment.
    4. Audit, and tell the review heads (and, when held, the unit what to complete).
    """
    access.require_submitter(user, unit)
    _validate(
        review_kind=review_kind,
        doc_kind=doc_kind,
        title=title,
        issuing_body=issuing_body,
        published_on=published_on,
        effective_on=effective_on,
    )
    if not data:
        raise _err(
            "no_file", "请上传送审稿（.docx、.pdf 或 .txt）。", "Upload the draft (.docx, .pdf or .txt)."
        )
    read = read_draft(data=data, filename=filename, max_bytes=settings.MAX_UPLOAD_BYTES)
    now = now or timezone.now()
    today = _today(now)
    with transaction.atomic():
        submission = Submission(
            number=f"tmp-{secrets.token_hex(12)}",
            review_kind=review_kind,  # ≤ 30: replaced once the id is known
            title=title.strip(),
            drafting_unit=unit,
            issuing_body=issuing_body.strip(),
            doc_number=doc_number.strip(),
            doc_kind=doc_kind,
            published_on=published_on,
            effective_on=effective_on,
            explanation=explanation.strip(),
            legality_review_filed=legality_review_filed,
            consultation_filed=consultation_filed,
            filing_due=filing_due(published_on) if review_kind == ReviewKind.FILING else None,
            submitted_by=user,
            submitted_at=now,
        )
        submission.save()
        prefix = "审" if review_kind == ReviewKind.PRE else "备"
        submission.number = f"{prefix}{today.year}-{submission.pk:04d}"
        submission.governing.set(governing)
        _hold_or_receive(submission, missing_items(submission, governing=governing), today)
        submission.save()
        version = _new_version(
            submission, read=read, data=data, filename=filename, user=user, now=now, note=""
        )
        record(
            action="create",
            obj=submission,
            actor=user,
            changes={
                "number": [None, submission.number],
                "title": [None, submission.title],
                "status": [None, submission.status],
                "drafting_unit": [None, unit.pk],
                "governing": [None, [d.pk for d in governing]],
                "missing": [None, submission.missing],
            },
            note=f"v{version.number} {filename}",
        )
    _tell_heads(submission, now)
    if submission.status == Status.INCOMPLETE:
        _tell_unit_to_complete(submission, now)
    return submission


def _hold_or_receive(submission: Submission, missing: list[str], today: dt.date) -> None:
    submission.missing = missing
    if missing:
        submission.status = Status.INCOMPLETE
        submission.completion_due = add_working_days(today, settings.REVIEW_COMPLETION_DAYS)
    else:
        if submission.status == Status.INCOMPLETE or not submission.received_on:
            submission.received_on = today
        submission.status = Status.IN_REVIEW if submission.reviewer_id else Status.RECEIVED
        submission.completion_due = None


def _new_version(
    submission: Submission, *, read: Any, data: bytes, filename: str, user: Any, now: dt.datetime, note: str
) -> DraftVersion:
    number = (submission.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = DraftVersion.objects.create(
        submission=submission,
        number=number,
        filename=filename[:255],
        original=data,
        content_hash=hashlib.sha256(data).hexdigest(),
        format=read.format,
        text=read.draft.text,
        structure=read.structure,
        note=note,
        uploaded_by=user,
        uploaded_at=now,
    )
    run_first_pass(version, now=now)
    return version


def run_first_pass(version: DraftVersion, *, now: dt.datetime | None = None) -> list[ReviewFinding]:
    """(Re)check a version: its open first-pass findings are replaced; decided ones stay."""
    submission = version.submission
    governing = list(submission.governing.values_list("pk", flat=True))
    result = check(
        draft=stored_draft(version.text, version.structure), governing=governing, meta=meta_of(submission)
    )
    version.alignment = result.to_dict()["alignment"]
    version.coverage = [c.to_dict() for c in result.coverage]
    version.counts = result.counts()
    version.save(update_fields=["alignment", "coverage", "counts"])
    version.findings.filter(source=ReviewFinding.Source.AUTO, status=FindingStatus.OPEN).delete()
    decided = {
        (f.cls, f.rule, f.governing_start, f.sentence)
        for f in version.findings.filter(source=ReviewFinding.Source.AUTO)
    }
    existing = {
        d.pk
        for d in Document.objects.filter(
            pk__in={f.governing.decision_id for f in result.flags if f.governing}
        )
    }
    now = now or timezone.now()
    rows = []
    for f in result.flags:
        g = f.governing
        if (f.cls, f.rule, g.start if g else None, f.sentence) in decided:
            continue
        rows.append(
            ReviewFinding(
                version=version,
                cls=f.cls,
                rule=f.rule,
                start=f.start,
                end=f.end,
                sentence=f.sentence,
                basis=f.basis,
                basis_en=f.basis_en,
                note=f.note,
                governing_document_id=g.decision_id if g and g.decision_id in existing else None,
                governing_label=g.label[:100] if g else "",
                governing_start=g.start if g else None,
                governing_end=g.end if g else None,
                governing_text=g.text if g else "",
                created_at=now,
            )
        )
    return ReviewFinding.objects.bulk_create(rows)


def complete_filing(
    *,
    submission: Submission,
    user: Any,
    explanation: str | None = None,
    legality_review_filed: bool | None = None,
    consultation_filed: bool | None = None,
    governing: Sequence[Document] | None = None,
    doc_number: str | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """The unit completes its filing (补正); once nothing is missing it is received for assignment."""
    access.require_unit_side(user, submission)
    if submission.status not in (Status.INCOMPLETE, Status.RECEIVED):
        raise _err(
            "wrong_status",
            "该件已在审核中或已办结，不能再补正材料。",
            "This submission is under review or concluded: its filing can no longer be completed.",
        )
    now = now or timezone.now()
    before = {
        "explanation": submission.explanation,
        "legality_review_filed": submission.legality_review_filed,
        "consultation_filed": submission.consultation_filed,
        "doc_number": submission.doc_number,
        "governing": sorted(submission.governing.values_list("pk", flat=True)),
        "status": submission.status,
    }
    with transaction.atomic():
        if explanation is not None:
            submission.explanation = explanation.strip()
        if legality_review_filed is not None:
            submission.legality_review_filed = legality_review_filed
        if consultation_filed is not None:
            submission.consultation_filed = consultation_filed
        if doc_number is not None:
            submission.doc_number = doc_number.strip()[:100]
        if governing is not None:
            submission.governing.set(governing)
        _hold_or_receive(submission, missing_items(submission), _today(now))
        submission.save()
        latest = submission.latest
        if latest is not None:
            run_first_pass(latest, now=now)
        after = {
            "explanation": submission.explanation,
            "legality_review_filed": submission.legality_review_filed,
            "consultation_filed": submission.consultation_filed,
            "doc_number": submission.doc_number,
            "governing": sorted(submission.governing.values_list("pk", flat=True)),
            "status": submission.status,
        }
        record(
            action="update",
            obj=submission,
            actor=user,
            changes={k: [before[k], after[k]] for k in before if before[k] != after[k]},
            note="补正 / completed",
        )
    if submission.status == Status.RECEIVED:
        _tell_heads(submission, now)
    return submission


# ---------------------------------------------------------------- the reviewer's work
def assign(*, submission: Submission, user: Any, reviewer: Any, now: dt.datetime | None = None) -> Submission:
    """The review head assigns (or reassigns) a reviewer; the review's clock starts at assignment."""
    access.require_assigner(user)
    if submission.status in (Status.INCOMPLETE, Status.CONCLUDED):
        raise _err(
            "wrong_status",
            "待补正或已办结的件不能分配。",
            "A submission awaiting completion or concluded cannot be assigned.",
        )
    if not access.reviewer_candidates().filter(pk=getattr(reviewer, "pk", None)).exists():
        raise _err(
            "bad_reviewer",
            "只能分配给在岗的审核员或审核负责人。",
            "Assign an active reviewer or review head.",
        )
    now = now or timezone.now()
    with transaction.atomic():
        before = [submission.reviewer_id, submission.status]
        first = submission.reviewer_id is None
        submission.reviewer = reviewer
        submission.assigned_at = now
        if first or submission.review_due is None:
            submission.review_due = add_working_days(_today(now), review_days(submission))
        if submission.status == Status.RECEIVED:
            submission.status = Status.IN_REVIEW
        submission.save()
        record(
            action="update",
            obj=submission,
            actor=user,
            changes={
                "reviewer": [before[0], reviewer.pk],
                "status": [before[1], submission.status],
                "review_due": [None, submission.review_due],
            },
            note="分配 / assigned",
        )
    _tell(
        submission,
        recipients=[reviewer],
        event="assigned",
        title="分配给您审核 / assigned to you",
        body=f"《{submission.title}》请于 {submission.review_due} 前办结。 / Conclude by {submission.review_due}.",
        key_suffix=f":at={now.isoformat()}",
        now=now,
    )
    return submission


def _require_reviewing(user: Any, submission: Submission) -> None:
    access.require_reviewer(user, submission)
    if submission.status != Status.IN_REVIEW:
        raise _err("wrong_status", "该件不在审核中。", "This submission is not under review.")


def decide_finding(
    *,
    finding: ReviewFinding,
    user: Any,
    accept: bool,
    reason: str = "",
    opinion: str = "",
    now: dt.datetime | None = None,
) -> ReviewFinding:
    """Accept a finding (with an optional opinion for the opinion letter) or dismiss it with a reason."""
    submission = finding.version.submission
    _require_reviewing(user, submission)
    if finding.version_id != getattr(submission.latest, "pk", None):
        raise _err(
            "wrong_status", "只能处理最新版本的问题。", "Only findings on the latest version can be decided."
        )
    if not accept and not reason.strip():
        raise _err("reason_required", "不采纳须说明理由。", "Give the reason for dismissing it.")
    now = now or timezone.now()
    with transaction.atomic():
        before = [finding.status, finding.reason, finding.opinion]
        finding.status = FindingStatus.ACCEPTED if accept else FindingStatus.DISMISSED
        finding.reason = "" if accept else reason.strip()
        finding.opinion = opinion.strip() if accept else ""
        finding.decided_by, finding.decided_at = user, now
        finding.save()
        record(
            action="update",
            obj=submission,
            actor=user,
            changes={
                "finding": [None, finding.pk],
                "status": [before[0], finding.status],
                "reason": [before[1], finding.reason],
                "opinion": [before[2], finding.opinion],
            },
            note=f"{finding.cls}",
        )
    return finding


def add_finding(
    *,
    version: DraftVersion,
    user: Any,
    cls: str,
    start: int,
    end: int,
    basis: str,
    opinion: str = "",
    now: dt.datetime | None = None,
) -> ReviewFinding:
    """A reviewer's own finding on a passage of the latest version (accepted at once)."""
    submission = version.submission
    _require_reviewing(user, submission)
    if version.pk != getattr(submission.latest, "pk", None):
        raise _err("wrong_status", "只能在最新版本上添加问题。", "Findings are added on the latest version.")
    if cls not in FINDING_CLASSES:
        raise _err("bad_field", "未知的问题类别。", "Unknown class of finding.")
    if not (0 <= start < end <= len(version.text)):
        raise _err("bad_span", "请在送审稿中选定一段文字。", "Select a passage of the draft.")
    if not basis.strip():
        raise _err("bad_field", "请写明问题及依据。", "Say what the problem is and on what basis.")
    now = now or timezone.now()
    with transaction.atomic():
        finding = ReviewFinding.objects.create(
            version=version,
            cls=cls,
            rule="reviewer",
            start=start,
            end=end,
            sentence=version.text[start:end],
            basis=basis.strip(),
            source=ReviewFinding.Source.REVIEWER,
            status=FindingStatus.ACCEPTED,
            opinion=opinion.strip(),
            decided_by=user,
            decided_at=now,
            created_by=user,
            created_at=now,
        )
        record(
            action="create",
            obj=submission,
            actor=user,
            changes={"finding": [None, finding.pk], "class": [None, cls]},
            note=finding.sentence[:80],
        )
    return finding


def _require_all_decided(submission: Submission) -> None:
    latest = submission.latest
    if latest is not None and latest.findings.filter(status=FindingStatus.OPEN).exists():
        raise _err(
            "open_findings",
            "还有未处理的问题：请逐条采纳或不采纳后再继续。",
            "Some findings are still to decide: accept or dismiss each one first.",
        )


def return_for_revision(
    *, submission: Submission, user: Any, comment: str, now: dt.datetime | None = None
) -> Submission:
    """Return the draft to its unit with the accepted findings; the unit has LUOSHI_REVISION_DAYS working days."""
    _require_reviewing(user, submission)
    _require_all_decided(submission)
    if not comment.strip():
        raise _err("reason_required", "请写明退回修改的意见。", "Say what is to be revised.")
    now = now or timezone.now()
    with transaction.atomic():
        submission.status = Status.RETURNED
        submission.return_comment = comment.strip()
        submission.revision_due = add_working_days(_today(now), settings.REVISION_DAYS)
        submission.save()
        record(
            action="transition",
            obj=submission,
            actor=user,
            changes={
                "status": [Status.IN_REVIEW, Status.RETURNED],
                "revision_due": [None, submission.revision_due],
            },
            note=comment.strip()[:200],
        )
    _tell(
        submission,
        recipients=_unit_people(submission),
        event="returned",
        title="退回修改 / returned for revision",
        body=f"《{submission.title}》：{comment.strip()} 请于 {submission.revision_due} 前报送修改稿。 / "
        f"Upload the revised draft by {submission.revision_due}.",
        key_suffix=f":at={now.isoformat()}",
        now=now,
    )
    return submission


def revise(
    *,
    submission: Submission,
    user: Any,
    data: bytes,
    filename: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> DraftVersion:
    """The unit uploads a revised draft: a new version, checked again; decisions on unchanged findings carry over."""
    access.require_unit_side(user, submission)
    if submission.status not in (Status.RETURNED, Status.INCOMPLETE):
        raise _err(
            "wrong_status",
            "只有退回修改或待补正的件可以报送修改稿。",
            "A revised draft is uploaded only when the submission was returned or awaits completion.",
        )
    if not data:
        raise _err("no_file", "请上传修改稿。", "Upload the revised draft.")
    previous = submission.latest
    if previous is not None and hashlib.sha256(data).hexdigest() == previous.content_hash:
        raise _err(
            "same_draft", "上传的文件与上一版本完全相同。", "The file is the same as the previous version."
        )
    read = read_draft(data=data, filename=filename, max_bytes=settings.MAX_UPLOAD_BYTES)
    now = now or timezone.now()
    with transaction.atomic():
        version = _new_version(
            submission, read=read, data=data, filename=filename, user=user, now=now, note=note.strip()
        )
        if previous is not None:
            _carry_over(previous, version)
        before = submission.status
        if submission.status == Status.RETURNED:
            submission.status = Status.IN_REVIEW
            submission.revision_due = None
        submission.save()
        record(
            action="create",
            obj=submission,
            actor=user,
            changes={
                "version": [previous.number if previous else None, version.number],
                "status": [before, submission.status],
            },
            note=note.strip()[:200] or filename,
        )
    if submission.reviewer is not None:
        _tell(
            submission,
            recipients=[submission.reviewer],
            event="revised",
            title=f"已报送第{version.number}稿 / version {version.number} uploaded",
            body=f"《{submission.title}》已修改，请继续审核。 / Revised: please continue the review.",
            key_suffix=f":version={version.number}",
            now=now,
        )
    return version


def _carry_over(previous: DraftVersion, version: DraftVersion) -> None:
    """A first-pass finding raised again on the same sentence keeps the reviewer's decision."""
    old = {
        (f.cls, f.rule, f.governing_start, f.sentence): f
        for f in previous.findings.filter(source=ReviewFinding.Source.AUTO).exclude(status=FindingStatus.OPEN)
    }
    for f in version.findings.filter(source=ReviewFinding.Source.AUTO, status=FindingStatus.OPEN):
        was = old.get((f.cls, f.rule, f.governing_start, f.sentence))
        if was is None:
            continue
        f.status, f.reason, f.opinion = was.status, was.reason, was.opinion
        f.decided_by, f.decided_at, f.carried_from = was.decided_by, was.decided_at, was
        f.save()


def conclude(
    *,
    submission: Submission,
    user: Any,
    conclusion: str,
    reason: str = "",
    opinion: str = "",
    now: dt.datetime | None = None,
) -> Submission:
    """Record the conclusion (通过 / 修改后通过 / 不予通过 / 纠正) with the overall opinion."""
    _require_reviewing(user, submission)
    _require_all_decided(submission)
    if conclusion not in Conclusion.values:
        raise _err("bad_field", "请选择审核结论。", "Choose a conclusion.")
    if conclusion == Conclusion.CORRECT and submission.review_kind != ReviewKind.FILING:
        raise _err(
            "bad_field",
            "“纠正”只用于备案审查。",
            "'Correction required' is a conclusion of filing review only.",
        )
    if (
        conclusion in (Conclusion.REJECT, Conclusion.CORRECT, Conclusion.PASS_WITH_CHANGES)
        and not reason.strip()
    ):
        raise _err(
            "reason_required",
            "该结论须写明理由或修改要求。",
            "This conclusion needs its reason or the changes required.",
        )
    now = now or timezone.now()
    with transaction.atomic():
        submission.status = Status.CONCLUDED
        submission.conclusion, submission.conclusion_reason = conclusion, reason.strip()
        submission.opinion = opinion.strip()
        submission.concluded_at, submission.concluded_by = now, user
        submission.save()
        record(
            action="approve",
            obj=submission,
            actor=user,
            changes={"status": [Status.IN_REVIEW, Status.CONCLUDED], "conclusion": [None, conclusion]},
            note=reason.strip()[:200],
        )
    _tell(
        submission,
        recipients=[*_unit_people(submission), submission.submitted_by],
        event="concluded",
        title=f"审核结论：{Conclusion(conclusion).label} / concluded",
        body=f"《{submission.title}》审核已办结，可下载审核意见书。 / The review is concluded; the opinion letter can be downloaded.",
        now=now,
    )
    return submission


# ---------------------------------------------------------------- notices
def _unit_people(submission: Submission) -> Any:
    """The drafting unit's active liaisons and unit heads."""
    return get_user_model().objects.filter(
        is_active=True,
        profile__unit=submission.drafting_unit,
        profile__role__in=(Role.LIAISON, Role.UNIT_HEAD),
    )


def _tell(
    submission: Submission,
    *,
    recipients: Any,
    event: str,
    title: str,
    body: str,
    now: dt.datetime,
    key_suffix: str = "",
) -> None:
    """Notify about ``submission``: kind ``review_<event>``, title after its number, a link to its page."""
    notify(
        recipients=recipients,
        kind=f"review_{event}",
        title=f"{submission.number} {title}",
        body=body,
        link=f"/review/{submission.pk}/",
        key=f"review:{event}:submission={submission.pk}{key_suffix}",
        now=now,
    )


def _tell_heads(submission: Submission, now: dt.datetime) -> None:
    heads = get_user_model().objects.filter(is_active=True, profile__role=Role.REVIEW_HEAD)
    _tell(
        submission,
        recipients=heads,
        event="received",
        title="新送审件 / new submission",
        body=f"{submission.drafting_unit.name}报送《{submission.title}》（{submission.get_review_kind_display()}）。",
        key_suffix=f":status={submission.status}",
        now=now,
    )


def _tell_unit_to_complete(submission: Submission, now: dt.datetime) -> None:
    zh, en = missing_text(submission.missing)
    _tell(
        submission,
        recipients=[*_unit_people(submission), submission.submitted_by],
        event="incomplete",
        title="请限期补正 / please complete the filing",
        body=f"《{submission.title}》缺少：{zh}。请于 {submission.completion_due} 前补正。 / Missing: {en}. "
        f"Complete it by {submission.completion_due}.",
        now=now,
    )
