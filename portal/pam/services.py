"""Writes of the PAM app. Each service asks the access policy, validates the row
(`full_clean`), saves it and logs who changed what and when.

History: edits are logged with Wagtail's own audit log (`wagtail.log_actions.log`,
ModelLogEntry: an append-only table with user, timestamp, action and JSON data) rather
than a new dependency. Everything that happens to a plan or to its milestones,
indicators, measurements, reports and reviews is logged against the plan, so a plan's
history is one indexed query; answers, measurements, reports and reviews are
themselves append-only rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from portal import access

from .models import (
    ActionResource,
    AssessmentAnswer,
    AssessmentQuestion,
    CycleDocument,
    DocumentKind,
    ExpertReview,
    GoodPracticeProposal,
    ImprovementPlan,
    Indicator,
    Measurement,
    Milestone,
    MonitoringReport,
    PracticeStatus,
    ResourceKind,
    SelfAssessment,
)

# --- history -----------------------------------------------------------------------------


def _display(instance, field: str):
    value = getattr(instance, field)
    display = getattr(instance, f"get_{field}_display", None)
    if display is not None:
        return str(display())
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return str(value)
    return value if value is None or isinstance(value, int | float | bool) else str(value)


def _changes(before: dict, instance, fields) -> dict:
    changes = {}
    for field in fields:
        after = _display(instance, field)
        if before.get(field) != after:
            verbose = str(instance._meta.get_field(field).verbose_name)
            changes[verbose] = [before.get(field), after]
    return changes


def snapshot(instance, fields) -> dict:
    """The displayed values of some fields, to compare after an edit."""
    return {field: _display(instance, field) for field in fields}


def _log(plan_or_doc, action: str, user, **data) -> None:
    log(plan_or_doc, action, user=user, data=data)


def _touch(plan: ImprovementPlan) -> None:
    plan.last_activity_at = timezone.now()
    ImprovementPlan.objects.filter(pk=plan.pk).update(last_activity_at=plan.last_activity_at)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- self-diagnosis -------------------------------------------------------------------------


def assessment_complete(*, ente, user, answers: dict[int, tuple[int, str]]) -> SelfAssessment:
    """answers: question id -> (level 0-4, note). Every active question must be answered."""
    _require(access.can_edit_pam(user, ente))
    questions = list(AssessmentQuestion.objects.active())
    missing = [q for q in questions if q.pk not in answers]
    if not questions:
        raise ValidationError(_("Il questionario di autodiagnosi non ha ancora domande."))
    if missing:
        raise ValidationError(_("Rispondi a tutte le domande prima di concludere l'autodiagnosi."))
    by_phase: dict[str, list[int]] = {}
    for question in questions:
        level = answers[question.pk][0]
        if level not in range(5):
            raise ValidationError(_("Livello di maturità non valido."))
        by_phase.setdefault(question.phase, []).append(level)
    scores = {
        phase: round(sum(levels) * 100 / (4 * len(levels))) for phase, levels in by_phase.items()
    }
    overall = round(sum(scores.values()) / len(scores))
    with transaction.atomic():
        assessment = SelfAssessment.objects.create(
            ente=ente, completed_by=user, scores=scores, overall=overall
        )
        AssessmentAnswer.objects.bulk_create(
            AssessmentAnswer(
                assessment=assessment,
                question=question,
                phase=question.phase,
                level=answers[question.pk][0],
                note=answers[question.pk][1][:500],
            )
            for question in questions
        )
        _log(assessment, "pam.assessment.complete", user, overall=overall)
    return assessment


# --- plans -----------------------------------------------------------------------------------

PLAN_FIELDS = [
    "title",
    "problem_analysis",
    "priority_objective",
    "phase",
    "service_area",
    "responsible",
    "start_date",
    "end_date",
    "status",
]


def plan_create(*, plan: ImprovementPlan, user) -> ImprovementPlan:
    """plan: an unsaved, form-validated plan with its ente set."""
    _require(access.can_edit_pam(user, plan.ente))
    if plan.source_assessment_id and plan.source_assessment.ente_id != plan.ente_id:
        raise ValidationError(_("L'autodiagnosi indicata non appartiene a questo ente."))
    plan.created_by = user
    plan.full_clean()
    with transaction.atomic():
        plan.save()
        _log(plan, "pam.plan.create", user, object=plan.title)
    return plan


def plan_update(*, plan: ImprovementPlan, before: dict, user) -> ImprovementPlan:
    """plan: the edited (form-validated) plan; before: `snapshot(plan, PLAN_FIELDS)` taken
    before the form touched it."""
    _require(access.can_edit_pam(user, plan.ente))
    plan.full_clean()
    changes = _changes(before, plan, PLAN_FIELDS)
    if not changes:
        return plan
    # Dates of milestones must stay inside the plan.
    outside = plan.milestones.exclude(due_date__range=(plan.start_date, plan.end_date))
    if outside.exists():
        raise ValidationError(
            _("Alcune azioni scadono fuori dal nuovo periodo del piano: modificale prima.")
        )
    with transaction.atomic():
        plan.last_activity_at = timezone.now()
        plan.save()
        _log(plan, "pam.plan.edit", user, object=plan.title, changes=changes)
    return plan


MILESTONE_FIELDS = ["title", "owner", "due_date", "progress"]


def milestone_save(*, milestone: Milestone, before: dict | None, user) -> Milestone:
    plan = milestone.plan
    _require(access.can_edit_pam(user, plan.ente))
    milestone.full_clean()
    with transaction.atomic():
        if before is None:
            milestone.save()
            _log(plan, "pam.milestone.create", user, object=milestone.title)
        else:
            changes = _changes(before, milestone, MILESTONE_FIELDS)
            if not changes:
                return milestone
            milestone.save()
            _log(plan, "pam.milestone.edit", user, object=milestone.title, changes=changes)
        _touch(plan)
    return milestone


INDICATOR_FIELDS = ["name", "kind", "unit", "baseline", "target", "direction", "data_source"]


def indicator_save(*, indicator: Indicator, before: dict | None, user) -> Indicator:
    plan = indicator.plan
    _require(access.can_edit_pam(user, plan.ente))
    indicator.full_clean()
    unit_changed = before is not None and before.get("unit") != _display(indicator, "unit")
    if unit_changed and indicator.measurements.exists():
        raise ValidationError(
            {
                "unit": _(
                    "L'indicatore ha già misurazioni: non se ne può cambiare l'unità di "
                    "misura. Crea un nuovo indicatore."
                )
            }
        )
    with transaction.atomic():
        if before is None:
            indicator.save()
            _log(plan, "pam.indicator.create", user, object=indicator.name)
        else:
            changes = _changes(before, indicator, INDICATOR_FIELDS)
            if not changes:
                return indicator
            _refresh_indicator_state(indicator)
            indicator.save()
            _log(plan, "pam.indicator.edit", user, object=indicator.name, changes=changes)
        _touch(plan)
    return indicator


def _refresh_indicator_state(indicator: Indicator) -> None:
    latest = indicator.measurements.order_by("-date", "-recorded_at", "-pk").first()
    if latest is None:
        indicator.latest_value = indicator.latest_date = None
        indicator.off_target = False
        return
    indicator.latest_value = latest.value
    indicator.latest_date = latest.date
    indicator.off_target = indicator.is_off_target(latest.value, latest.date)


def measurement_record(*, measurement: Measurement, user) -> Measurement:
    """measurement: unsaved, with its indicator set. Never overwrites an earlier value."""
    indicator = measurement.indicator
    plan = indicator.plan
    _require(access.can_edit_pam(user, plan.ente))
    measurement.recorded_by = user
    measurement.recorded_at = timezone.now()
    measurement.full_clean()
    with transaction.atomic():
        measurement.save()
        _refresh_indicator_state(indicator)
        Indicator.objects.filter(pk=indicator.pk).update(
            latest_value=indicator.latest_value,
            latest_date=indicator.latest_date,
            off_target=indicator.off_target,
        )
        _log(
            plan,
            "pam.measurement.record",
            user,
            object=indicator.name,
            date=str(measurement.date),
            value=str(measurement.value),
        )
        _touch(plan)
    return measurement


def report_create(*, report: MonitoringReport, user) -> MonitoringReport:
    plan = report.plan
    _require(access.can_edit_pam(user, plan.ente))
    report.author = user
    report.created_at = timezone.now()
    report.full_clean()
    with transaction.atomic():
        report.save()
        _log(plan, "pam.report.create", user, object=str(report))
        _touch(plan)
    return report


def review_create(*, review: ExpertReview, user) -> ExpertReview:
    plan = review.plan
    _require(access.can_review_pam(user, plan.ente))
    if review.report_id and review.report.plan_id != plan.pk:
        raise ValidationError({"report": _("Il report indicato non appartiene a questo piano.")})
    review.expert = user
    review.created_at = timezone.now()
    review.full_clean()
    with transaction.atomic():
        review.save()
        plan.review_status = review.status
        ImprovementPlan.objects.filter(pk=plan.pk).update(review_status=review.status)
        _log(plan, "pam.review.create", user, status=review.get_status_display())
        _touch(plan)
    return review


# --- CGP calendar -----------------------------------------------------------------------------

# The cycle of a calendar year, from the seeds' procedure (Fasi 0-5): PEG/PDO within 20
# days of a budget approved by 31 December; measurement and evaluation in January and
# February; rewards; the Relazione sulla Performance in April, validated by the OIV/NdV
# by 30 June (d.lgs. 150/2009, art. 14) and then published in "Amministrazione
# trasparente"; monitoring with data at 30 June reported in July; the DUP for the next
# years to the Giunta by 31 July.
CYCLE: list[tuple[str, int, int]] = [
    (DocumentKind.SMVP, 1, 15),
    (DocumentKind.PEG_PDO, 1, 20),
    (DocumentKind.PIANO, 1, 31),
    (DocumentKind.MISURAZIONE, 2, 28),
    (DocumentKind.RELAZIONE, 4, 30),
    (DocumentKind.VALIDAZIONE, 6, 30),
    (DocumentKind.PUBBLICAZIONE, 7, 15),
    (DocumentKind.MONITORAGGIO, 7, 31),
    (DocumentKind.DUP, 7, 31),
]


def calendar_ensure(*, ente, year: int) -> int:
    """Create the year's deadlines a body does not have yet; never touches existing rows."""
    existing = set(
        CycleDocument.objects.filter(ente=ente, year=year).values_list("kind", flat=True)
    )
    missing = [
        CycleDocument(ente=ente, year=year, kind=kind, due_date=datetime.date(year, month, day))
        for kind, month, day in CYCLE
        if kind not in existing
    ]
    CycleDocument.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


DOCUMENT_FIELDS = ["status", "link", "due_date"]


def document_update(*, document: CycleDocument, before: dict, user, new_file=None) -> CycleDocument:
    _require(access.can_manage_pam(user, document.ente))
    if new_file is not None:
        document.file = new_file
    document.full_clean()
    changes = _changes(before, document, DOCUMENT_FIELDS)
    if new_file is not None:
        changes[str(_("file"))] = [None, new_file.name]
    if not changes:
        return document
    document.updated_at = timezone.now()
    document.updated_by = user
    with transaction.atomic():
        # Saving the row commits the uploaded file to private storage.
        document.save()
        _log(document, "pam.document.edit", user, object=str(document), changes=changes)
    return document


# --- what supports an action, good practices --------------------------------------------------


def resource_add(*, milestone: Milestone, user, page=None, topic=None) -> ActionResource:
    """Link a webinar session, a methodology page or a forum topic to an action. The
    person linking must be able to see it; the kind follows from what it is."""
    plan = milestone.plan
    _require(access.can_edit_pam(user, plan.ente))
    if (page is None) == (topic is None):
        raise ValidationError(_("Scegli un webinar, un materiale o una discussione (uno solo)."))
    if page is not None:
        if not access.can_view_page(user, page):
            raise ValidationError(_("La pagina indicata non esiste."))
        from webinar.models import WebinarSessionPage

        kind = (
            ResourceKind.WEBINAR
            if issubclass(page.specific_class or type(page), WebinarSessionPage)
            else ResourceKind.MATERIAL
        )
    else:
        if not access.can_view_topic(user, topic):
            raise ValidationError(_("La discussione indicata non esiste."))
        kind = ResourceKind.FORUM
    duplicate = ActionResource.objects.filter(milestone=milestone, page=page, topic=topic)
    if duplicate.exists():
        raise ValidationError(_("Questo supporto è già collegato all'azione."))
    with transaction.atomic():
        resource = ActionResource.objects.create(
            milestone=milestone, kind=kind, page=page, topic=topic, added_by=user
        )
        _log(
            plan,
            "pam.resource.add",
            user,
            object=milestone.title,
            resource=f"{resource.get_kind_display()}: {resource}",
        )
        _touch(plan)
    return resource


def resource_remove(*, resource: ActionResource, user) -> None:
    plan = resource.milestone.plan
    _require(access.can_edit_pam(user, plan.ente))
    with transaction.atomic():
        _log(
            plan,
            "pam.resource.remove",
            user,
            object=resource.milestone.title,
            resource=f"{resource.get_kind_display()}: {resource}",
        )
        resource.delete()
        _touch(plan)


def practice_propose(*, milestone: Milestone, user, summary: str) -> GoodPracticeProposal:
    plan = milestone.plan
    _require(access.can_edit_pam(user, plan.ente))
    if not milestone.is_done:
        raise ValidationError(_("Si possono proporre come buona pratica solo azioni completate."))
    if GoodPracticeProposal.objects.filter(milestone=milestone).exists():
        raise ValidationError(_("Questa azione è già stata proposta come buona pratica."))
    proposal = GoodPracticeProposal(milestone=milestone, summary=summary, proposed_by=user)
    proposal.full_clean()
    with transaction.atomic():
        proposal.save()
        _log(plan, "pam.practice.propose", user, object=milestone.title)
        _touch(plan)
    return proposal


def practice_consent(*, proposal: GoodPracticeProposal, user) -> GoodPracticeProposal:
    """The body's consent, given by its referent."""
    plan = proposal.milestone.plan
    _require(access.can_manage_pam(user, plan.ente))
    if proposal.status != PracticeStatus.PROPOSED:
        raise ValidationError(_("Il consenso dell'ente è già stato dato."))
    proposal.status = PracticeStatus.CONSENTED
    proposal.consent_by = user
    proposal.consent_at = timezone.now()
    with transaction.atomic():
        proposal.save()
        _log(plan, "pam.practice.consent", user, object=proposal.milestone.title)
    return proposal


def practice_decide(
    *, proposal: GoodPracticeProposal, user, approve: bool, note: str = ""
) -> GoodPracticeProposal:
    """An assigned expert approves (or not) once the body has consented."""
    plan = proposal.milestone.plan
    _require(access.can_review_pam(user, plan.ente))
    if proposal.status != PracticeStatus.CONSENTED:
        raise ValidationError(
            _("L'esperto decide solo dopo il consenso dell'ente e una volta sola.")
        )
    proposal.status = PracticeStatus.APPROVED if approve else PracticeStatus.REJECTED
    proposal.decided_by = user
    proposal.decided_at = timezone.now()
    proposal.decision_note = note[:500]
    with transaction.atomic():
        proposal.save()
        _log(
            plan,
            "pam.practice.decide",
            user,
            object=proposal.milestone.title,
            status=proposal.get_status_display(),
        )
    return proposal
