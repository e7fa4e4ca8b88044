"""Reads of the PAM app: bounded queries, aggregated in the database.

Every listing here is narrowed by `portal.access.visible_pam` first; callers never
widen it.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal import access
from portal.enti.models import Ente, EnteKind

from .models import (
    DONE_STATUSES,
    ActionResource,
    AssessmentAnswer,
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
    ReviewStatus,
    SelfAssessment,
)

# The project's expected results (seeds: the Atto aggiuntivo).
TARGET_RELAZIONI = 40
TARGET_SMVP_PIANI = 40
TARGET_BODIES = {
    EnteKind.COMUNE: 80,
    EnteKind.CAPOLUOGO: 25,
    EnteKind.UNIVERSITA: 23,
}

BOARD_LIST_LIMIT = 10
UPCOMING_DAYS = 60


def _count(queryset, ente_path: str):
    """A correlated COUNT per body, in the same query as the bodies."""
    return Coalesce(
        Subquery(
            queryset.filter(**{ente_path: OuterRef("pk")})
            .order_by()
            .values(ente_path)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def board_bodies(user, today: datetime.date | None = None):
    """The bodies a user sees on the board, one row each with its figures."""
    today = today or timezone.localdate()
    pending_docs = CycleDocument.objects.filter(ente=OuterRef("pk")).exclude(
        status__in=DONE_STATUSES
    )
    bodies = access.visible_pam(user, Ente.objects.active().select_related("region"))
    return bodies.annotate(
        plan_count=_count(ImprovementPlan.objects.all(), "ente"),
        late_milestones=_count(
            Milestone.objects.filter(due_date__lt=today, progress__lt=100), "plan__ente"
        ),
        off_target=_count(Indicator.objects.filter(off_target=True), "plan__ente"),
        plans_at_risk=_count(
            ImprovementPlan.objects.filter(
                review_status__in=[ReviewStatus.AT_RISK, ReviewStatus.LATE]
            ),
            "ente",
        ),
        overdue_documents=_count(
            CycleDocument.objects.filter(due_date__lt=today).exclude(status__in=DONE_STATUSES),
            "ente",
        ),
        next_deadline=Subquery(
            pending_docs.filter(due_date__gte=today).order_by("due_date").values("due_date")[:1]
        ),
        next_deadline_kind=Subquery(
            pending_docs.filter(due_date__gte=today).order_by("due_date").values("kind")[:1]
        ),
        last_activity=Subquery(
            ImprovementPlan.objects.filter(ente=OuterRef("pk"))
            .order_by("-last_activity_at")
            .values("last_activity_at")[:1]
        ),
        maturity=Subquery(
            SelfAssessment.objects.filter(ente=OuterRef("pk"))
            .order_by("-completed_at")
            .values("overall")[:1]
        ),
    ).order_by("region__name", "name")


def board_lists(user, today: datetime.date | None = None) -> dict:
    """The short lists under the board: what needs attention first."""
    today = today or timezone.localdate()
    milestones = access.visible_pam(
        user, Milestone.objects.select_related("plan__ente"), "plan__ente__"
    )
    indicators = access.visible_pam(
        user, Indicator.objects.select_related("plan__ente"), "plan__ente__"
    )
    documents = access.visible_pam(user, CycleDocument.objects.select_related("ente"), "ente__")
    plans = access.visible_pam(user, ImprovementPlan.objects.select_related("ente"), "ente__")
    return {
        "late_milestones": list(
            milestones.filter(due_date__lt=today, progress__lt=100).order_by("due_date")[
                :BOARD_LIST_LIMIT
            ]
        ),
        "off_target": list(
            indicators.filter(off_target=True).order_by("-latest_date", "pk")[:BOARD_LIST_LIMIT]
        ),
        "upcoming": list(
            documents.filter(
                due_date__range=(today, today + datetime.timedelta(days=UPCOMING_DAYS))
            )
            .exclude(status__in=DONE_STATUSES)
            .order_by("due_date", "ente__name")[:BOARD_LIST_LIMIT]
        ),
        "recent_plans": list(plans.order_by("-last_activity_at")[:BOARD_LIST_LIMIT]),
    }


def project_summary(user) -> dict:
    """Progress against the expected results, by region and by kind of body, for the
    bodies the user sees (staff: the whole project)."""
    done_rdp = Q(
        cycle_documents__kind=DocumentKind.RELAZIONE, cycle_documents__status__in=DONE_STATUSES
    )
    done_smvp = Q(
        cycle_documents__kind__in=[DocumentKind.SMVP, DocumentKind.PIANO],
        cycle_documents__status__in=DONE_STATUSES,
    )
    bodies = access.visible_pam(user, Ente.objects.active())
    has_plan = Exists(ImprovementPlan.objects.filter(ente=OuterRef("pk")))
    figures = {
        "bodies": Count("pk", distinct=True),
        "with_plan": Count("pk", filter=Q(has_plan=True), distinct=True),
        "relazioni": Count("pk", filter=done_rdp, distinct=True),
        "smvp_piani": Count("pk", filter=done_smvp, distinct=True),
    }
    annotated = bodies.annotate(has_plan=has_plan)
    by_region = list(annotated.values("region__name").annotate(**figures).order_by("region__name"))
    by_kind = list(annotated.values("kind").annotate(**figures).order_by("kind"))
    kind_labels = dict(EnteKind.choices)
    for row in by_kind:
        row["label"] = kind_labels.get(row["kind"], row["kind"])
        row["target"] = TARGET_BODIES.get(row["kind"])
    totals = annotated.aggregate(**figures)
    for row in by_region:
        row["plan_pct"] = round(100 * row["with_plan"] / row["bodies"]) if row["bodies"] else 0
    return {
        "by_region": by_region,
        "by_kind": by_kind,
        "totals": totals,
        "targets": [
            {
                "label": "Relazioni sulla Performance adottate",
                "value": totals["relazioni"],
                "target": TARGET_RELAZIONI,
                "pct": min(100, round(100 * totals["relazioni"] / TARGET_RELAZIONI)),
            },
            {
                "label": "SMVP / Piani della Performance adottati",
                "value": totals["smvp_piani"],
                "target": TARGET_SMVP_PIANI,
                "pct": min(100, round(100 * totals["smvp_piani"] / TARGET_SMVP_PIANI)),
            },
        ],
    }


# --- a body --------------------------------------------------------------------------------


def ente_overview(ente) -> dict:
    assessments = list(SelfAssessment.objects.filter(ente=ente).order_by("-completed_at")[:2])
    plans = list(
        ImprovementPlan.objects.filter(ente=ente)
        .annotate(
            milestone_count=_count(Milestone.objects.all(), "plan"),
            late_count=_count(
                Milestone.objects.filter(due_date__lt=timezone.localdate(), progress__lt=100),
                "plan",
            ),
            indicator_count=_count(Indicator.objects.all(), "plan"),
            off_target_count=_count(Indicator.objects.filter(off_target=True), "plan"),
        )
        .order_by("-start_date", "title")
    )
    return {
        "assessment": assessments[0] if assessments else None,
        "previous": assessments[1] if len(assessments) > 1 else None,
        "plans": plans,
    }


def assessment_detail(assessment) -> dict:
    answers = list(
        AssessmentAnswer.objects.filter(assessment=assessment)
        .select_related("question")
        .order_by("phase", "question__order", "pk")
    )
    previous = (
        SelfAssessment.objects.filter(
            ente_id=assessment.ente_id, completed_at__lt=assessment.completed_at
        )
        .order_by("-completed_at")
        .first()
    )
    return {
        "answers": answers,
        "gaps": [a for a in answers if a.is_gap],
        "previous": previous,
    }


def plan_detail(plan, user=None) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    milestones = list(plan.milestones.select_related("practice").order_by("due_date", "pk"))
    resources = plan_resources(plan, user) if user is not None else {}
    for milestone in milestones:
        milestone.visible_resources = resources.get(milestone.pk, [])
    measurements = Measurement.objects.select_related("recorded_by").order_by(
        "date", "recorded_at", "pk"
    )
    return {
        "milestones": milestones,
        "attendance": webinar_attendance(plan, resources),
        "indicators": list(
            plan.indicators.order_by("pk").prefetch_related(
                Prefetch("measurements", queryset=measurements)
            )
        ),
        "reports": list(MonitoringReport.objects.filter(plan=plan).select_related("author")),
        "reviews": list(ExpertReview.objects.filter(plan=plan).select_related("expert", "report")),
        "history": list(plan_history(plan)[:15]),
    }


def plan_history(plan):
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ImprovementPlan),
            object_id=str(plan.pk),
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def document_history(ente, year: int):
    ids = [
        str(pk)
        for pk in CycleDocument.objects.filter(ente=ente, year=year).values_list("pk", flat=True)
    ]
    return (
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(CycleDocument), object_id__in=ids
        )
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def export_plan_rows(user):
    """One row per plan the user may see, with its figures, for CSV/XLSX."""
    today = timezone.localdate()
    plans = access.visible_pam(
        user, ImprovementPlan.objects.select_related("ente__region"), "ente__"
    )
    return plans.annotate(
        milestone_count=_count(Milestone.objects.all(), "plan"),
        late_count=_count(Milestone.objects.filter(due_date__lt=today, progress__lt=100), "plan"),
        indicator_count=_count(Indicator.objects.all(), "plan"),
        off_target_count=_count(Indicator.objects.filter(off_target=True), "plan"),
    ).order_by("ente__region__name", "ente__name", "start_date", "pk")


def plan_resources(plan, user) -> dict[int, list]:
    """Milestone id -> the supports of that action the viewer may see (a linked reserved
    page or forum topic stays hidden from whoever may not read it)."""
    from wagtail.models import Page

    from forum.boards.models import Topic

    rows = list(ActionResource.objects.filter(milestone__plan=plan).select_related("page", "topic"))
    page_ids = {r.page_id for r in rows if r.page_id}
    topic_ids = {r.topic_id for r in rows if r.topic_id}
    visible_page_ids = (
        set(
            access.visible_pages(user, Page.objects.filter(pk__in=page_ids)).values_list(
                "pk", flat=True
            )
        )
        if page_ids
        else set()
    )
    visible_topic_ids = set()
    if topic_ids:
        topics = Topic.objects.filter(pk__in=topic_ids)
        query = access.visible_topic_q(user)
        visible_topic_ids = set(
            (topics if query is None else topics.filter(query)).values_list("pk", flat=True)
        )
    grouped: dict[int, list] = {}
    for row in rows:
        if row.page_id in visible_page_ids or row.topic_id in visible_topic_ids:
            grouped.setdefault(row.milestone_id, []).append(row)
    return grouped


def webinar_attendance(plan, resources: dict[int, list]) -> list[dict]:
    """For each webinar linked to the plan's actions: how many of the body's people
    registered and how many attended (joined the live session)."""
    sessions = {
        r.page_id: r.page
        for rows in resources.values()
        for r in rows
        if r.kind == ResourceKind.WEBINAR
    }
    if not sessions:
        return []
    from portal.enti.models import Membership
    from webinar.models import AttendanceSpan, Registration, RegistrationStatus

    registered = dict(
        Registration.objects.filter(
            session_id__in=sessions, ente=plan.ente, status=RegistrationStatus.CONFIRMED
        )
        .values("session_id")
        .annotate(n=Count("user", distinct=True))
        .values_list("session_id", "n")
    )
    members = Membership.objects.approved().filter(ente=plan.ente).values("user_id")
    attended = dict(
        AttendanceSpan.objects.filter(session_id__in=sessions, user_id__in=members)
        .values("session_id")
        .annotate(n=Count("user", distinct=True))
        .values_list("session_id", "n")
    )
    return [
        {"page": page, "registered": registered.get(pk, 0), "attended": attended.get(pk, 0)}
        for pk, page in sessions.items()
    ]


def approved_practices(user):
    return access.visible_pam(
        user,
        GoodPracticeProposal.objects.filter(status=PracticeStatus.APPROVED).select_related(
            "milestone__plan__ente", "decided_by"
        ),
        "milestone__plan__ente__",
    ).order_by("-decided_at")
