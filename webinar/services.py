"""Everything that changes webinar data. Views and consumers call these, nothing else.

Seats: `SessionSeats.taken` and `BodySeats.taken` move only through conditional UPDATEs
(`taken < capacity`), inside the registration's transaction. That is correct without row
locks (SQLite runs write transactions one at a time; PostgreSQL re-checks the condition
on the row it waited for), and `select_for_update` adds the locks where they exist.
One registration per user and session is a unique constraint: a double click or a
retried request finds the row and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, When
from django.utils import timezone

from portal import access, pagecache
from portal.sanitizer import linkify_text

from .models import (
    AttendanceSpan,
    BodySeats,
    Notice,
    NoticeKind,
    Question,
    QuestionVote,
    Registration,
    RegistrationStatus,
    SatisfactionResponse,
    SessionSeats,
    SessionStatus,
    SharedMaterial,
    WebinarSessionPage,
)

MAX_QUESTION_LENGTH = 1000

REGISTRATION_REFUSALS = {
    "cancelled": "Il webinar è stato annullato: non è possibile iscriversi.",
    "not_yet": "Le iscrizioni non sono ancora aperte.",
    "closed": "Le iscrizioni a questo webinar sono chiuse.",
}


# --- Registration ----------------------------------------------------------------------


def body_id_of(user) -> int | None:
    """The body a registration is recorded for: the user's approved membership (the one
    they refer for first, then by name). Usually the policy's scope, already read for
    this request, answers alone; only several candidate bodies need the names."""
    from portal.enti.models import Membership, MembershipRole

    scope = access.scope_for(user)
    candidates = scope.referent_of or scope.member_of
    if len(candidates) <= 1:
        return next(iter(candidates), None)
    return (
        Membership.objects.approved()
        .filter(user=user)
        .annotate(referent_first=Case(When(role=MembershipRole.REFERENTE, then=0), default=1))
        .order_by("referent_first", "ente__name")
        .values_list("ente_id", flat=True)
        .first()
    )


def register(session: WebinarSessionPage, user, *, now=None) -> tuple[Registration, bool]:
    """Register the user, confirmed if a seat is free, otherwise on the waitlist.
    Returns (registration, changed): changed is False when they were already in."""
    if not user.is_authenticated:
        raise PermissionDenied
    now = now or timezone.now()
    state = session.registration_state(now)
    if state != "open":
        raise ValidationError(REGISTRATION_REFUSALS[state], code=state)
    ente_id = body_id_of(user)
    try:
        # The common case, a first registration: one transaction that reads nothing,
        # seats then the INSERT. If the person is already in (a double click, a retried
        # request, a return after cancelling) the unique constraint undoes all of it.
        with transaction.atomic():
            registration = Registration(
                session=session, user=user, ente_id=ente_id, requested_at=now
            )
            _seat(session, registration, now)
            registration.save(force_insert=True)
            _registered(registration, now)
        return registration, True
    except IntegrityError:
        pass
    except ValidationError:
        # A full body cap may be this person's own registration (a second click).
        existing = Registration.objects.filter(session=session, user=user).first()
        if existing is not None and existing.is_active:
            return existing, False
        raise
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(session=session, user=user)
        if registration.is_active:
            return registration, False
        registration.ente_id = ente_id
        registration.requested_at = now
        registration.cancelled_at = None
        _seat(session, registration, now)
        registration.save()
        _registered(registration, now)
    return registration, True


def _seat(session: WebinarSessionPage, registration: Registration, now) -> None:
    """Take the body's slot and a seat for a registration about to be saved: confirmed
    if a seat is free, waitlisted otherwise; refused if the body is over its cap."""
    if registration.ente_id is not None and not _take_body_slot(session, registration.ente_id):
        raise ValidationError(
            f"{registration.ente} ha già raggiunto il numero massimo di iscritti "
            f"({session.per_body_cap}) per questo webinar.",
            code="body_cap",
        )
    registration.holds_seat = _take_seat(session.pk)
    if registration.holds_seat:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
    else:
        registration.status = RegistrationStatus.WAITLISTED


def _registered(registration: Registration, now) -> None:
    _seats_changed()
    notify(
        registration,
        NoticeKind.CONFIRMED if registration.holds_seat else NoticeKind.WAITLISTED,
        key=now.isoformat(),
        fresh=True,
    )


def cancel(registration: Registration, *, now=None) -> bool:
    """Cancel a registration; a freed seat goes to the first on the waitlist."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if not registration.is_active:
            return False
        held_seat = registration.holds_seat
        registration.status = RegistrationStatus.CANCELLED
        registration.holds_seat = False
        registration.cancelled_at = now
        registration.save(update_fields=["status", "holds_seat", "cancelled_at"])
        if registration.ente_id:
            BodySeats.objects.filter(
                session_id=registration.session_id, ente_id=registration.ente_id, taken__gt=0
            ).update(taken=F("taken") - 1)
        if held_seat:
            SessionSeats.objects.filter(session_id=registration.session_id, taken__gt=0).update(
                taken=F("taken") - 1
            )
        _seats_changed()
        notify(registration, NoticeKind.CANCELLED_BY_USER, key=str(int(now.timestamp())))
        if held_seat:
            promote_waitlist(registration.session, now=now)
    return True


def promote_waitlist(session: WebinarSessionPage, *, now=None) -> int:
    """Give free seats to the waitlist, first come first served. Call inside a
    transaction that may have freed a seat (or after a capacity change)."""
    now = now or timezone.now()
    promoted = 0
    if session.is_cancelled or session.is_past(now):
        return 0
    with transaction.atomic():
        while True:
            candidate = (
                Registration.objects.select_for_update(skip_locked=True)
                .filter(session_id=session.pk, status=RegistrationStatus.WAITLISTED)
                .order_by("requested_at", "pk")
                .first()
            )
            if candidate is None or not _take_seat(session.pk):
                return promoted
            candidate.status = RegistrationStatus.CONFIRMED
            candidate.holds_seat = True
            candidate.confirmed_at = now
            candidate.save(update_fields=["status", "holds_seat", "confirmed_at"])
            notify(candidate, NoticeKind.PROMOTED)
            promoted += 1


def _take_seat(session_id: int) -> bool:
    return bool(
        SessionSeats.objects.filter(session_id=session_id, taken__lt=F("capacity")).update(
            taken=F("taken") + 1
        )
    )


def _take_body_slot(session: WebinarSessionPage, ente_id: int) -> bool:
    slots = BodySeats.objects.filter(session_id=session.pk, ente_id=ente_id)
    if session.per_body_cap is not None:
        slots = slots.filter(taken__lt=session.per_body_cap)
    if slots.update(taken=F("taken") + 1):
        return True
    # No row matched: the body's first registration, or its cap is reached, or the row
    # was created by a transaction that committed after our UPDATE began. Make sure the
    # row exists, then ask again: the second UPDATE sees every committed row.
    if not BodySeats.objects.filter(session_id=session.pk, ente_id=ente_id).exists():
        try:
            with transaction.atomic():
                BodySeats.objects.create(session_id=session.pk, ente_id=ente_id)
        except IntegrityError:
            pass  # created by a concurrent registration of the same body
    return bool(slots.update(taken=F("taken") + 1))


# --- Notices (emails) ------------------------------------------------------------------


def _seats_changed() -> None:
    # Session pages show the free seats: cached copies must go.
    transaction.on_commit(pagecache.invalidate)


def notify(
    registration: Registration, kind: str, key: str = "", *, fresh: bool = False
) -> Notice | None:
    """Record that this registrant is owed this email and queue it after commit. The
    (registration, kind, key) row is unique: asking twice queues one email. `fresh`:
    the key names an event that just happened, so no earlier row can exist."""
    if fresh:
        notice = Notice.objects.create(registration=registration, kind=kind, key=key)
    else:
        notice, created = Notice.objects.get_or_create(
            registration=registration, kind=kind, key=key
        )
        if not created:
            return None
    from .tasks import deliver_notice

    if _durable_task_queue():
        # The task row commits with the registration: one write transaction, not two,
        # and no registration without its email if the process dies after the commit.
        deliver_notice.enqueue(notice.pk)
    else:
        transaction.on_commit(lambda: deliver_notice.enqueue(notice.pk))
    return notice


def _durable_task_queue() -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    from .tasks import deliver_notice

    return isinstance(task_backends[deliver_notice.backend], DatabaseBackend)


def announce_changes(session: WebinarSessionPage) -> int:
    """After a publish: tell registrants about a new time or a cancellation, and give
    seats a larger capacity opened to the waitlist. Returns the notices queued."""
    queued = 0
    with transaction.atomic():
        seats, _created = SessionSeats.objects.select_for_update().get_or_create(
            session_id=session.pk,
            defaults={
                "capacity": session.capacity,
                "announced_starts_at": session.starts_at,
                "announced_status": session.status,
            },
        )
        moved = seats.announced_starts_at != session.starts_at
        cancelled = (
            session.status == SessionStatus.CANCELLED
            and seats.announced_status != SessionStatus.CANCELLED
        )
        if moved or cancelled:
            seats.ics_sequence += 1
        seats.announced_starts_at = session.starts_at
        seats.announced_status = session.status
        seats.capacity = session.capacity
        seats.save()
        if moved or cancelled:
            kind = NoticeKind.SESSION_CANCELLED if cancelled else NoticeKind.CHANGED
            key = session.status if cancelled else session.starts_at.isoformat()
            for registration in session.registrations.exclude(status=RegistrationStatus.CANCELLED):
                queued += notify(registration, kind, key=key) is not None
        if not cancelled:
            promote_waitlist(session)
    schedule_reminders(session)
    return queued


def reminder_offsets() -> list[tuple[str, timedelta]]:
    return [(name, timedelta(minutes=minutes)) for name, minutes in settings.WEBINAR_REMINDERS]


def schedule_reminders(session: WebinarSessionPage) -> None:
    """Enqueue the reminder runs for the session's current time, where the task backend
    can defer work. A run that finds the time moved does nothing; `webinar_reminders`
    (cron) sends whatever is due on backends that cannot defer."""
    from django_tasks import default_task_backend

    from .tasks import send_due_reminders

    if not default_task_backend.supports_defer or session.is_cancelled:
        return
    now = timezone.now()
    for _name, offset in reminder_offsets():
        run_at = session.starts_at - offset
        if run_at > now:
            transaction.on_commit(
                lambda run_at=run_at: send_due_reminders.using(run_after=run_at).enqueue(session.pk)
            )


def queue_due_reminders(session: WebinarSessionPage, *, now=None) -> int:
    """Queue every reminder due now for this session (idempotent)."""
    now = now or timezone.now()
    if session.is_cancelled or now >= session.starts_at:
        return 0
    queued = 0
    due = [name for name, offset in reminder_offsets() if now >= session.starts_at - offset]
    if not due:
        return 0
    # Only the closest reminder: someone registering an hour before gets one, not two.
    name = due[-1]
    key = f"{name}@{session.starts_at.isoformat()}"
    with transaction.atomic():
        for registration in session.registrations.filter(status=RegistrationStatus.CONFIRMED):
            queued += notify(registration, NoticeKind.REMINDER, key=key) is not None
    return queued


def send_follow_up(session: WebinarSessionPage) -> int:
    """After the session: recording, material, questionnaire, certificate (idempotent)."""
    if not session.is_past():
        raise ValidationError("Il messaggio di follow-up si invia a webinar concluso.")
    queued = 0
    with transaction.atomic():
        for registration in session.registrations.filter(status=RegistrationStatus.CONFIRMED):
            queued += notify(registration, NoticeKind.FOLLOW_UP) is not None
    return queued


# --- Live session: questions, shared material, attendance ------------------------------


def question_ask(session, user, body: str) -> Question:
    if not access.can_enter_live_session(user, session):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError("Scrivi la domanda prima di inviarla.", code="empty")
    if len(body) > MAX_QUESTION_LENGTH:
        raise ValidationError(
            f"La domanda è troppo lunga: al massimo {MAX_QUESTION_LENGTH} caratteri.",
            code="too_long",
        )
    question = Question.objects.create(
        session=session, author=user, body=body, body_html=linkify_text(body)
    )
    _live_changed(session)
    return question


def _live_question(session, user, question_id) -> Question:
    question = Question.objects.filter(pk=question_id, session=session).first()
    if question is None or not access.can_enter_live_session(user, session):
        raise PermissionDenied
    return question


def question_vote(session, user, question_id) -> bool:
    """Upvote once; a second vote by the same person takes it back."""
    question = _live_question(session, user, question_id)
    if question.hidden_at or question.answered_at or question.forum_topic_url:
        raise ValidationError("Non si può votare una domanda già chiusa.", code="closed")
    with transaction.atomic():
        deleted, _ = QuestionVote.objects.filter(question=question, user=user).delete()
        if not deleted:
            try:
                with transaction.atomic():
                    QuestionVote.objects.create(question=question, user=user)
            except IntegrityError:
                return True
        Question.objects.filter(pk=question.pk).update(
            votes_count=QuestionVote.objects.filter(question=question).count()
        )
    _live_changed(session)
    return not deleted


def question_mark_answered(session, user, question_id, answered: bool = True) -> None:
    question = _live_question(session, user, question_id)
    if not access.can_lead_session(user, session):
        raise PermissionDenied
    question.answered_at = timezone.now() if answered else None
    question.answered_by = user if answered else None
    question.save(update_fields=["answered_at", "answered_by"])
    _live_changed(session)


def question_hide(session, user, question_id) -> None:
    question = _live_question(session, user, question_id)
    if not access.can_lead_session(user, session):
        raise PermissionDenied
    question.hidden_at = timezone.now()
    question.save(update_fields=["hidden_at"])
    _live_changed(session)


def material_share(session, user, *, document=None, url: str = "", title: str = ""):
    if not access.can_lead_session(user, session):
        raise PermissionDenied
    if document is None and not url:
        raise ValidationError("Scegli un documento o indica un indirizzo.", code="empty")
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError("L'indirizzo deve iniziare con https://.", code="bad_url")
    shared = SharedMaterial.objects.create(
        session=session,
        document=document,
        url=url,
        title=(title or (document.title if document else url))[:200],
        shared_by=user,
    )
    _live_changed(session)
    return shared


def _live_changed(session) -> None:
    from .events import broadcast_live_state

    transaction.on_commit(lambda: broadcast_live_state(session.pk))


def attendance_join(session, user) -> AttendanceSpan:
    return AttendanceSpan.objects.create(session=session, user=user)


def attendance_touch(span_id: int) -> None:
    AttendanceSpan.objects.filter(pk=span_id, left_at__isnull=True).update(
        last_seen_at=timezone.now()
    )


def attendance_leave(span_id: int) -> None:
    now = timezone.now()
    AttendanceSpan.objects.filter(pk=span_id, left_at__isnull=True).update(
        left_at=now, last_seen_at=now
    )


# --- After the session -----------------------------------------------------------------


def questionnaire_submit(session, user, cleaned: dict) -> SatisfactionResponse:
    from . import selectors

    if not selectors.may_answer_questionnaire(session, user):
        raise PermissionDenied
    try:
        with transaction.atomic():
            return SatisfactionResponse.objects.create(session=session, user=user, **cleaned)
    except IntegrityError:
        raise ValidationError(
            "Hai già compilato il questionario per questo webinar.", code="duplicate"
        ) from None


def _topic_title(question: str, session_title: str) -> str:
    """The question's first line, or a title naming the webinar when that line is too
    short to stand alone as a forum title ("E l'OIV?")."""
    first_line = " ".join(question.strip().splitlines()[0].split()) if question.strip() else ""
    title = first_line if len(first_line) >= 20 else f"Dal webinar «{session_title}»: {first_line}"
    return title if len(title) <= 120 else title[:119] + "…"


def open_questions_to_forum(session, user) -> int:
    """Unanswered questions become forum topics assigned to the speaking expert, with a
    link back to the session. Each question moves once."""
    from forum.boards import selectors as board_selectors
    from forum.boards import services as board_services

    if not access.can_lead_session(user, session):
        raise PermissionDenied
    board = board_selectors.board_for_theme(
        f"{session.get_theme_display()} {session.get_cgp_phase_display()}"
    )
    if board is None:
        raise ValidationError("Nessuna bacheca pubblica del forum disponibile.", code="no_board")
    speaker = session.speaker_users[0] if session.speaker_users else user
    moved = 0
    questions = session.questions.filter(
        answered_at__isnull=True, hidden_at__isnull=True, forum_topic_url=""
    ).select_related("author")
    for question in questions:
        with transaction.atomic():
            title = _topic_title(question.body, session.title)
            topic = board_services.topic_start(
                board=board,
                author=question.author or user,
                title=title,
                body=f"{question.body}\n\n_Domanda posta durante il webinar «{session.title}»._",
                assigned_to=speaker,
                origin_url=session.url,
                origin_label=f"Webinar: {session.title}",
            )
            question.forum_topic_url = topic.get_absolute_url()
            question.save(update_fields=["forum_topic_url"])
            moved += 1
    if moved:
        _live_changed(session)
    return moved
