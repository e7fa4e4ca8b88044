"""What reminders and digests are due today (called by `manage.py pam_reminders`)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.enti.models import ExpertAssignment

from .models import DONE_STATUSES, CycleDocument, DigestSent, ReminderSent
from .tasks import send_deadline_reminder, send_expert_digest

# Days before a deadline when the body is reminded (the closest one that applies).
REMINDER_DAYS = (14, 3)


def ensure_calendars(today: datetime.date | None = None) -> int:
    """Every active body gets this year's CGP calendar (and next year's from October, when
    the DUP and the budget for it are prepared)."""
    from portal.enti.models import Ente

    from .services import calendar_ensure

    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= 10 else [])
    created = 0
    for ente in Ente.objects.active().only("pk"):
        for year in years:
            created += calendar_ensure(ente=ente, year=year)
    return created


def queue_due_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    documents = (
        CycleDocument.objects.filter(due_date__range=(today, horizon))
        .exclude(status__in=DONE_STATUSES)
        .prefetch_related("reminders")
    )
    queued = 0
    for document in documents:
        days_left = (document.due_date - today).days
        threshold = min(d for d in REMINDER_DAYS if d >= days_left)
        sent = {r.days_before for r in document.reminders.all()}
        if threshold in sent:
            continue
        try:
            with transaction.atomic():
                # Larger thresholds count as done too: one reminder, not two at once.
                ReminderSent.objects.bulk_create(
                    [
                        ReminderSent(document=document, days_before=d)
                        for d in REMINDER_DAYS
                        if d >= threshold and d not in sent
                    ]
                )
                transaction.on_commit(
                    lambda pk=document.pk, d=threshold: send_deadline_reminder.enqueue(
                        document_id=pk, days_before=d
                    )
                )
        except IntegrityError:
            continue  # another run got there first
        queued += 1
    return queued


def queue_expert_digests(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    label = f"{year}-W{week:02d}"
    experts = set(ExpertAssignment.objects.values_list("expert_id", flat=True))
    done = set(DigestSent.objects.filter(week=label).values_list("expert_id", flat=True))
    queued = 0
    for expert_id in sorted(experts - done):
        try:
            with transaction.atomic():
                DigestSent.objects.create(expert_id=expert_id, week=label)
                transaction.on_commit(lambda pk=expert_id: send_expert_digest.enqueue(expert_id=pk))
        except IntegrityError:
            continue
        queued += 1
    return queued
