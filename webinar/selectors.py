"""Reads for pages, feeds and reports. Query counts stay constant in the number of rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from portal import access
from portal.cgp import CgpPhase

from .models import (
    AttendanceSpan,
    Question,
    Registration,
    RegistrationStatus,
    SatisfactionResponse,
    SessionSeats,
    SessionSpeaker,
    SharedMaterial,
    WebinarCyclePage,
    WebinarSessionPage,
    WebinarTheme,
)

WHEN_CHOICES = [("prossimi", "In programma"), ("passati", "Già svolti"), ("tutti", "Tutti")]


def public_sessions():
    return (
        access.public_pages(WebinarSessionPage.objects.live())
        .select_related("seats")
        .prefetch_related(
            Prefetch("speakers", queryset=SessionSpeaker.objects.select_related("user"))
        )
    )


def sessions_between(start, end):
    """Sessions starting in [start, end): for calendars elsewhere (newsletter)."""
    return public_sessions().filter(starts_at__gte=start, starts_at__lt=end).order_by("starts_at")


def upcoming_sessions(after=None, limit: int | None = None):
    after = after or timezone.now()
    sessions = public_sessions().filter(starts_at__gte=after).order_by("starts_at")
    return sessions[:limit] if limit else sessions


def programme(index, params) -> dict:
    """The programme page: sessions filtered by theme, CGP phase and time."""
    theme = params.get("tema", "")
    phase = params.get("fase", "")
    when = params.get("quando", "prossimi")
    if when not in dict(WHEN_CHOICES):
        when = "prossimi"
    now = timezone.now()
    sessions = public_sessions().descendant_of(index)
    if theme in WebinarTheme.values:
        sessions = sessions.filter(theme=theme)
    else:
        theme = ""
    if phase in CgpPhase.values:
        sessions = sessions.filter(cgp_phase=phase)
    else:
        phase = ""
    # A session is "past" once it has ended; durations are short, so filter on the start
    # and let the rare session in progress show among the upcoming ones.
    recent = now - timedelta(hours=4)
    upcoming = sessions.filter(starts_at__gte=recent).order_by("starts_at")
    past = sessions.filter(starts_at__lt=recent).order_by("-starts_at")
    cycles = {
        cycle.pk: cycle
        for cycle in access.public_pages(WebinarCyclePage.objects.child_of(index).live())
    }
    return {
        "upcoming": list(upcoming) if when in ("prossimi", "tutti") else [],
        "past": list(past) if when in ("passati", "tutti") else [],
        "cycles": cycles,
        "filters": {"tema": theme, "fase": phase, "quando": when},
        "theme_choices": WebinarTheme.choices,
        "phase_choices": CgpPhase.choices,
        "when_choices": WHEN_CHOICES,
        "now": now,
    }


def registration_of(session, user) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(session=session, user=user).first()


def waitlist_position(registration: Registration) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        session_id=registration.session_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(requested_at__lt=registration.requested_at)
        | Q(requested_at=registration.requested_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


def session_page_context(session, user) -> dict:
    speakers = list(session.speakers.select_related("user"))
    # The policy asks who speaks: answer from the list already read.
    session.__dict__["speaker_users"] = [speaker.user for speaker in speakers]
    registration = registration_of(session, user)
    seats = SessionSeats.objects.filter(session=session).first()
    may_enter = access.can_enter_live_session(user, session)
    return {
        "registration": registration,
        "waitlist_position": waitlist_position(registration),
        "registration_state": session.registration_state(),
        "free_seats": seats.free if seats else session.capacity,
        "may_enter_live": may_enter,
        "show_registrant_material": may_enter,
        "is_live": session.is_live(),
        "is_past": session.is_past(),
        "is_organiser": access.is_webinar_organiser(user),
        "speakers": speakers,
    }


def my_registrations(user):
    return (
        Registration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("session", "ente")
        .order_by("-session__starts_at")
    )


# --- Live page -------------------------------------------------------------------------


def live_state(session) -> dict:
    """What every participant's live page shows: the questions and the material on
    screen. Built once per change and sent to everyone."""
    questions = (
        Question.objects.filter(session=session, hidden_at__isnull=True)
        .select_related("author")
        .order_by("answered_at", "-votes_count", "created_at")
    )
    material = SharedMaterial.objects.filter(session=session).select_related("document").first()
    return {
        "questions": [
            {
                "id": q.pk,
                "html": q.body_html,
                "author": (q.author.get_full_name() or "Partecipante") if q.author else "—",
                "votes": q.votes_count,
                "answered": q.answered_at is not None,
                "forum_url": q.forum_topic_url,
            }
            for q in questions
        ],
        "material": (
            {
                "title": material.title,
                "url": material.document.url if material.document else material.url,
                "shared_at": material.shared_at.isoformat(),
            }
            if material
            else None
        ),
    }


def shareable_documents(session):
    """Documents a speaker may put on screen: the session's own material."""
    documents = []
    for stream in (session.material, session.registrant_material):
        for block in stream:
            document = block.value.get("document")
            if document is not None:
                documents.append(document)
    return documents


# --- Attendance and follow-up ----------------------------------------------------------


def attended_minutes(session, spans) -> float:
    """Minutes inside the session's time, counting overlapping stays (two tabs) once."""
    start, end = session.starts_at, session.ends_at
    intervals = sorted(
        (max(span.joined_at, start), min(span.left_at or span.last_seen_at, end)) for span in spans
    )
    total = timedelta()
    current_start = current_end = None
    for begin, finish in intervals:
        if finish <= begin:
            continue
        if current_end is None or begin > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = begin, finish
        else:
            current_end = max(current_end, finish)
    if current_end is not None:
        total += current_end - current_start
    return total.total_seconds() / 60


def attendance_percent(session, user) -> int:
    spans = AttendanceSpan.objects.filter(session=session, user=user)
    return _percent(session, attended_minutes(session, spans))


def _percent(session, minutes: float) -> int:
    return (
        min(100, round(100 * minutes / session.duration_minutes)) if session.duration_minutes else 0
    )


def may_answer_questionnaire(session, user) -> bool:
    if not user.is_authenticated or not session.is_past():
        return False
    return Registration.objects.filter(
        session=session, user=user, status=RegistrationStatus.CONFIRMED
    ).exists()


def certificate_for(session, user) -> dict | None:
    """The certificate's facts, or None when the user has not earned it."""
    if not may_answer_questionnaire(session, user):
        return None
    percent = attendance_percent(session, user)
    if percent < session.attendance_threshold:
        return None
    spans = AttendanceSpan.objects.filter(session=session, user=user)
    return {"percent": percent, "minutes": round(attended_minutes(session, spans))}


# --- Organisers' report ----------------------------------------------------------------


def session_report(session, user) -> dict:
    """Registrations by body and region, waitlist, attendance and questionnaire results,
    limited to the regions the organiser follows."""
    regions = access.webinar_report_regions(user)
    registrations = Registration.objects.filter(session=session).select_related(
        "user", "ente__region"
    )
    if regions is not None:
        registrations = registrations.filter(ente__region_id__in=regions)
    registrations = list(registrations.order_by("status", "requested_at", "pk"))
    user_ids = [r.user_id for r in registrations]
    spans_by_user = defaultdict(list)
    for span in AttendanceSpan.objects.filter(session=session, user_id__in=user_ids):
        spans_by_user[span.user_id].append(span)
    rows = []
    for registration in registrations:
        minutes = attended_minutes(session, spans_by_user.get(registration.user_id, []))
        rows.append(
            {
                "registration": registration,
                "minutes": round(minutes),
                "percent": _percent(session, minutes),
                "certified": registration.status == RegistrationStatus.CONFIRMED
                and _percent(session, minutes) >= session.attendance_threshold,
            }
        )
    active = [r for r in rows if r["registration"].status != RegistrationStatus.CANCELLED]
    by_body = Counter(
        (r["registration"].ente.name if r["registration"].ente else "Senza ente")
        for r in active
        if r["registration"].status == RegistrationStatus.CONFIRMED
    )
    by_region = Counter(
        (r["registration"].ente.region.name if r["registration"].ente else "—")
        for r in active
        if r["registration"].status == RegistrationStatus.CONFIRMED
    )
    responses = SatisfactionResponse.objects.filter(session=session)
    if regions is not None:
        responses = responses.filter(user_id__in=user_ids)
    responses = list(responses)

    def average(field):
        values = [getattr(r, field) for r in responses]
        return round(sum(values) / len(values), 1) if values else None

    return {
        "rows": rows,
        "confirmed": sum(1 for r in active if r["registration"].status == "confirmed"),
        "waitlisted": [r for r in active if r["registration"].status == "waitlisted"],
        "cancelled": sum(1 for r in rows if r["registration"].status == "cancelled"),
        "attended": sum(1 for r in active if r["minutes"] > 0),
        "certified": sum(1 for r in active if r["certified"]),
        "by_body": sorted(by_body.items(), key=lambda item: (-item[1], item[0])),
        "by_region": sorted(by_region.items(), key=lambda item: (-item[1], item[0])),
        "questionnaire": {
            "count": len(responses),
            "overall": average("overall"),
            "content": average("content"),
            "speakers": average("speakers"),
            "comments": [r.comment for r in responses if r.comment],
        },
        "regions_limited": regions is not None,
    }


REPORT_COLUMNS = [
    "Cognome",
    "Nome",
    "Email",
    "Ente",
    "Regione",
    "Stato iscrizione",
    "Richiesta il",
    "Minuti di presenza",
    "Presenza (%)",
    "Attestato",
]


def report_table(report) -> list[list]:
    rows = []
    for row in report["rows"]:
        registration = row["registration"]
        rows.append(
            [
                registration.user.last_name,
                registration.user.first_name,
                registration.user.email,
                registration.ente.name if registration.ente else "",
                registration.ente.region.name if registration.ente else "",
                registration.get_status_display(),
                timezone.localtime(registration.requested_at).strftime("%d/%m/%Y %H:%M"),
                row["minutes"],
                row["percent"],
                "sì" if row["certified"] else "no",
            ]
        )
    return rows
