"""Background work: deadline reminders to a body and weekly digests to experts.

`manage.py pam_reminders` (run daily by cron) decides what is due and enqueues these
tasks; the rows in ReminderSent / DigestSent make a second run send nothing twice.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from portal.enti.models import Membership
from portal.mail import absolute_url, queue_templated_email


@task()
def send_deadline_reminder(*, document_id: int, days_before: int) -> int:
    from .models import CycleDocument

    document = CycleDocument.objects.select_related("ente").filter(pk=document_id).first()
    if document is None or document.is_done:
        return 0
    recipients = sorted(
        set(
            Membership.objects.approved()
            .filter(ente=document.ente, user__is_active=True)
            .values_list("user__email", flat=True)
        )
    )
    if not recipients:
        return 0
    queue_templated_email(
        template="pam/email/reminder",
        to=recipients,
        context={
            "document": document,
            "days": (document.due_date - timezone.localdate()).days,
            "url": absolute_url(reverse("pam:calendar", args=[document.ente_id, document.year])),
        },
    )
    return len(recipients)


@task()
def send_expert_digest(*, expert_id: int) -> int:
    from . import selectors

    expert = get_user_model().objects.filter(pk=expert_id, is_active=True).first()
    if expert is None:
        return 0
    lists = selectors.board_lists(expert)
    if not any(lists[key] for key in ("late_milestones", "off_target", "upcoming")):
        return 0
    queue_templated_email(
        template="pam/email/digest",
        to=[expert.email],
        context={"expert": expert, "lists": lists, "url": absolute_url(reverse("pam:board"))},
    )
    return 1


@task()
def extract_cycle_document_text(*, document_id: int) -> bool:
    """Read the text of a cycle document's new file for the documents database search."""
    from .search import cycle_document_text_store

    row = cycle_document_text_store(document_id)
    return row is not None and not row.error
