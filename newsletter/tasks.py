"""Background work of the newsletter, through the Django tasks API."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from . import delivery, services


def task_backend_defers() -> bool:
    """Can tasks be queued to run later (database backend), or only at once?"""
    return bool(getattr(default_task_backend, "supports_defer", False))


@task()
def start_send(send_id: int) -> bool:
    return services.send_start(send_id)


@task()
def deliver_send(send_id: int) -> dict:
    report = delivery.run_worker(send_id)
    retry_at = delivery.next_retry_at(send_id)
    if retry_at is not None and task_backend_defers():
        # Temporary failures wait for their back-off in the queue, not in a sleeping worker.
        deliver_send.using(run_after=max(retry_at, timezone.now())).enqueue(send_id)
    return report


def enqueue_workers(send_id: int) -> None:
    """One task per configured worker: each claims its own batches of the same send."""

    def enqueue():
        for _n in range(max(1, settings.NEWSLETTER_WORKERS)):
            deliver_send.enqueue(send_id)

    transaction.on_commit(enqueue)


@task()
def send_test_issue(*, subject: str, html: str, text: str, to: str) -> int:
    from .emails import build_message

    example = f"{settings.PORTAL_BASE_URL}/newsletter/preferenze/prova/"
    message = build_message(
        subject=subject, html=html, text=text, to=to, unsubscribe=example, preferences=example
    )
    return message.send()


@task()
def dispatch_newsletter() -> dict:
    """Start due scheduled sends, resume interrupted ones, forget expired sign-ups."""
    started = services.start_due_sends()
    resumed = 0
    from .models import IssueSend, SendStatus

    for send_id in IssueSend.objects.filter(status=SendStatus.SENDING).values_list("pk", flat=True):
        if delivery.next_retry_at(send_id) is not None or delivery.recover_stale_claims(send_id):
            deliver_send.enqueue(send_id)
            resumed += 1
        else:
            delivery.finish_if_done(send_id)
    purged = services.purge_expired_pending()
    return {"started": started, "resumed": resumed, "purged": purged}
