"""Background work: each email is claimed before it is sent, so a retried task sends
nothing twice; reminders run at their time where the backend can defer work."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from portal.mail import absolute_url

from .models import Notice, NoticeKind, WebinarSessionPage

logger = logging.getLogger(__name__)

WITH_CALENDAR = {
    NoticeKind.CONFIRMED,
    NoticeKind.PROMOTED,
    NoticeKind.CHANGED,
    NoticeKind.SESSION_CANCELLED,
    NoticeKind.REMINDER,
}


def build_notice_email(notice: Notice) -> EmailMultiAlternatives:
    from . import ics

    registration = notice.registration
    session = registration.session.specific
    context = {
        "notice": notice,
        "kind": notice.kind,
        "registration": registration,
        "session": session,
        "user": registration.user,
        "session_url": absolute_url(session.url),
        "live_url": absolute_url(f"/webinar/{session.pk}/diretta/"),
        "my_url": absolute_url("/webinar/i-miei-webinar/"),
        "questionnaire_url": absolute_url(f"/webinar/{session.pk}/questionario/"),
        "certificate_url": absolute_url(f"/webinar/{session.pk}/attestato.pdf"),
    }
    subject = render_to_string("webinar/email/notice_subject.txt", context).strip()
    text = render_to_string("webinar/email/notice_message.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}".splitlines()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[registration.user.email],
    )
    if notice.kind in WITH_CALENDAR:
        message.attach("webinar.ics", ics.session_calendar(session), "text/calendar")
    return message


@task()
def deliver_notice(notice_id: int) -> bool:
    claimed = Notice.objects.filter(pk=notice_id, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return False  # already sent (a retried task) or gone
    notice = Notice.objects.select_related("registration__user", "registration__session").get(
        pk=notice_id
    )
    try:
        build_notice_email(notice).send()
    except Exception:
        # Unclaim, so `webinar_notices` (or a retry) can send it later.
        Notice.objects.filter(pk=notice_id).update(sent_at=None)
        logger.exception("webinar notice %s not sent", notice_id)
        raise
    return True


@task()
def send_due_reminders(session_id: int) -> int:
    from .services import queue_due_reminders

    session = WebinarSessionPage.objects.live().filter(pk=session_id).first()
    return queue_due_reminders(session) if session is not None else 0
