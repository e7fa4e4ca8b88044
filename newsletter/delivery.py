"""The delivery loop that background workers run for a send.

A worker claims a batch of due delivery rows (on PostgreSQL with SELECT ... FOR UPDATE
SKIP LOCKED, so two workers never claim the same row; SQLite serialises writers),
opens one SMTP connection for the batch and sends the rows in id order, marking each
row in its own short transaction right after the server has answered.

Why this order: if a worker dies, every row of its batch except the one it was
sending is either marked (sent/failed/retry) or untouched. When the batch's lease
runs out, `recover_stale_claims` puts the untouched rows back in the queue and marks
the single row that was on the wire as "uncertain": it is never sent again
automatically, so nobody receives the issue twice. Editors see how many are uncertain.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import socket
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone

from .emails import PreparedMessage, build_message, delivery_message_id, personal_links
from .models import (
    Delivery,
    DeliveryStatus,
    IssueSend,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 60
BACKOFF_MAX_SECONDS = 6 * 3600


@dataclass
class WorkerReport:
    worker: str
    batches: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    connections: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "worker": self.worker,
            "batches": self.batches,
            "sent": self.sent,
            "failed": self.failed,
            "retried": self.retried,
            "skipped": self.skipped,
            "connections": self.connections,
            "recovered": self.recovered,
        }


class ConnectionLost(Exception):
    """The SMTP server went away: the rest of the batch waits for the next round."""


def backoff(attempts: int) -> timedelta:
    return timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS)
    )


def _lease() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE_SECONDS)


def claim_batch(send_id: int, claim: str, size: int) -> list[int]:
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(
            send_id=send_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        ).order_by("pk")
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:size])
        if ids:
            Delivery.objects.filter(pk__in=ids).update(
                status=DeliveryStatus.CLAIMED, claimed_by=claim, claimed_at=now
            )
    return ids


def recover_stale_claims(send_id: int) -> int:
    """Take back the batches of workers that stopped (see the module docstring)."""
    limit = timezone.now() - _lease()
    recovered = 0
    with transaction.atomic():
        stale = Delivery.objects.filter(
            send_id=send_id, status=DeliveryStatus.CLAIMED, claimed_at__lt=limit
        )
        if db_connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        batches: dict[str, list[int]] = {}
        for pk, claim in stale.order_by("pk").values_list("pk", "claimed_by"):
            batches.setdefault(claim, []).append(pk)
        for claim, ids in batches.items():
            in_flight, untouched = ids[0], ids[1:]
            Delivery.objects.filter(pk=in_flight, claimed_by=claim).update(
                status=DeliveryStatus.UNCERTAIN,
                last_error="Il processo di invio si è interrotto durante questo messaggio.",
            )
            Delivery.objects.filter(pk__in=untouched, claimed_by=claim).update(
                status=DeliveryStatus.PENDING, claimed_by="", claimed_at=None
            )
            recovered += len(ids)
            logger.warning(
                "newsletter send %s: took back %d rows of stopped batch %s",
                send_id,
                len(ids),
                claim,
            )
    return recovered


def _mark(delivery_id: int, claim: str, **changes) -> bool:
    return bool(
        Delivery.objects.filter(
            pk=delivery_id, claimed_by=claim, status=DeliveryStatus.CLAIMED
        ).update(**changes)
    )


_MARK_SENT_SQL = None


def _mark_sent(delivery: Delivery, claim: str) -> bool:
    """The hot path, once per message: one plain UPDATE (the ORM's query building costs
    as much as the round trip). Same condition as `_mark`: only a row still claimed by
    this batch moves."""
    global _MARK_SENT_SQL
    if _MARK_SENT_SQL is None:
        table = db_connection.ops.quote_name(Delivery._meta.db_table)
        # The model's own quoted table name; every value is a parameter.
        _MARK_SENT_SQL = (
            f"UPDATE {table} SET status = %s, sent_at = %s, attempts = %s, claimed_by = '' "  # noqa: S608
            "WHERE id = %s AND claimed_by = %s AND status = %s"
        )
    with db_connection.cursor() as cursor:
        cursor.execute(
            _MARK_SENT_SQL,
            [
                DeliveryStatus.SENT.value,
                timezone.now(),
                delivery.attempts + 1,
                delivery.pk,
                claim,
                DeliveryStatus.CLAIMED.value,
            ],
        )
        return cursor.rowcount == 1


def _smtp_code(error: Exception) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        return max(codes) if codes else None
    return getattr(error, "smtp_code", None)


def _record_failure(delivery: Delivery, claim: str, error: Exception, report: WorkerReport):
    code = _smtp_code(error)
    attempts = delivery.attempts + 1
    detail = f"{type(error).__name__}: {code or ''} {error}"[:500]
    permanent = code is not None and 500 <= code < 600
    if permanent or attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        _mark(
            delivery.pk,
            claim,
            status=DeliveryStatus.FAILED,
            attempts=attempts,
            last_error=detail,
            claimed_by="",
        )
        report.failed += 1
        if permanent and delivery.subscriber_id:
            Subscriber.objects.filter(pk=delivery.subscriber_id).update(
                bounce_count=F("bounce_count") + 1
            )
            Subscriber.objects.filter(
                pk=delivery.subscriber_id,
                status=SubscriberStatus.ACTIVE,
                bounce_count__gte=settings.NEWSLETTER_BOUNCE_THRESHOLD,
            ).update(status=SubscriberStatus.BOUNCING)
    else:
        _mark(
            delivery.pk,
            claim,
            status=DeliveryStatus.PENDING,
            attempts=attempts,
            last_error=detail,
            next_attempt_at=timezone.now() + backoff(attempts),
            claimed_by="",
            claimed_at=None,
        )
        report.retried += 1


def _send_batch(send: IssueSend, ids: list[int], claim: str, report: WorkerReport) -> None:
    deliveries = list(
        Delivery.objects.filter(pk__in=ids, claimed_by=claim)
        .select_related("subscriber")
        .only(
            "pk",
            "attempts",
            "subscriber_id",
            "subscriber__email",
            "subscriber__token",
            "subscriber__status",
        )
        .order_by("pk")
    )
    mailer = get_connection(fail_silently=False, timeout=30)
    # Over SMTP the message is built once per batch and copied per recipient.
    prepared = (
        PreparedMessage(subject=send.subject, html=send.html, text=send.text)
        if isinstance(mailer, SmtpBackend)
        else None
    )
    opened = False
    last_heartbeat = timezone.now()
    try:
        for delivery in deliveries:
            subscriber = delivery.subscriber
            if subscriber is None or subscriber.status != SubscriberStatus.ACTIVE:
                _mark(delivery.pk, claim, status=DeliveryStatus.SKIPPED, claimed_by="")
                report.skipped += 1
                continue
            if not opened:
                try:
                    mailer.open()
                except (OSError, smtplib.SMTPException) as error:
                    raise ConnectionLost(str(error)) from error
                opened = True
                report.connections += 1
            unsubscribe, preferences = personal_links(subscriber, send.pk)
            message_id = delivery_message_id(send.pk, delivery.pk)
            payload = prepared and prepared.render(
                to=subscriber.email,
                unsubscribe=unsubscribe,
                preferences=preferences,
                message_id=message_id,
            )
            try:
                if payload:
                    mailer.connection.sendmail(prepared.envelope_from, [subscriber.email], payload)
                else:
                    mailer.send_messages(
                        [
                            build_message(
                                subject=send.subject,
                                html=send.html,
                                text=send.text,
                                to=subscriber.email,
                                unsubscribe=unsubscribe,
                                preferences=preferences,
                                message_id=message_id,
                                connection=mailer,
                            )
                        ]
                    )
            except (smtplib.SMTPServerDisconnected, OSError) as error:
                # The connection broke: this row is retried later, and the rest of the
                # batch goes back to the queue.
                _record_failure(delivery, claim, error, report)
                raise ConnectionLost(str(error)) from error
            except smtplib.SMTPException as error:
                _record_failure(delivery, claim, error, report)
                if isinstance(error, smtplib.SMTPRecipientsRefused):
                    _reset_smtp(mailer)
                continue
            if _mark_sent(delivery, claim):
                report.sent += 1
            else:
                logger.error("newsletter delivery %s was taken back while sending", delivery.pk)
            now = timezone.now()
            if now - last_heartbeat > _lease() / 4:
                Delivery.objects.filter(claimed_by=claim, status=DeliveryStatus.CLAIMED).update(
                    claimed_at=now
                )
                last_heartbeat = now
    except ConnectionLost as error:
        report.errors.append(str(error))
        Delivery.objects.filter(claimed_by=claim, status=DeliveryStatus.CLAIMED).update(
            status=DeliveryStatus.PENDING,
            claimed_by="",
            claimed_at=None,
            next_attempt_at=timezone.now() + backoff(1),
        )
    finally:
        if opened:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                mailer.close()


def _reset_smtp(mailer) -> None:
    """After a refused recipient the SMTP transaction must be reset before the next one."""
    smtp = getattr(mailer, "connection", None)
    if smtp is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.rset()


def finish_if_done(send_id: int) -> bool:
    open_rows = Delivery.objects.filter(
        send_id=send_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
    )
    if open_rows.exists():
        return False
    return bool(
        IssueSend.objects.filter(pk=send_id, status=SendStatus.SENDING).update(
            status=SendStatus.DONE, finished_at=timezone.now()
        )
    )


def next_retry_at(send_id: int):
    return Delivery.objects.filter(send_id=send_id, status=DeliveryStatus.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]


@contextmanager
def _relaxed_commit():
    """On PostgreSQL each row is marked in its own commit, and a commit waits for the WAL
    to reach the disk (several ms on ordinary disks): more than the SMTP exchange itself.
    With synchronous_commit off a commit returns once it is in PostgreSQL's memory; a
    killed *worker* loses nothing (the server still writes it), only a crash of the
    database server itself can lose the last fraction of a second of marks (those rows
    would be taken back as after a worker crash). See NEWSLETTER_ASYNC_COMMIT."""
    relaxed = db_connection.vendor == "postgresql" and settings.NEWSLETTER_ASYNC_COMMIT
    if relaxed:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        if relaxed and db_connection.connection is not None:
            with db_connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit TO DEFAULT")


def run_worker(send_id: int, *, worker: str | None = None, batch_size: int | None = None) -> dict:
    """Send every due row of the send, batch after batch, until none is left."""
    with _relaxed_commit():
        return _run_worker(send_id, worker=worker, batch_size=batch_size)


def _run_worker(send_id: int, *, worker: str | None, batch_size: int | None) -> dict:
    worker = worker or f"{socket.gethostname()}-{uuid.uuid4().hex[:8]}"
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    report = WorkerReport(worker=worker)
    send = (
        IssueSend.objects.filter(pk=send_id).only("pk", "status", "subject", "html", "text").first()
    )
    if send is None or send.status != SendStatus.SENDING:
        return report.as_dict()
    while True:
        claim = f"{worker}:{report.batches + 1}"
        ids = claim_batch(send_id, claim, batch_size)
        if not ids:
            recovered = recover_stale_claims(send_id)
            report.recovered += recovered
            if recovered:
                continue
            break
        report.batches += 1
        _send_batch(send, ids, claim, report)
        if report.errors:
            break  # the SMTP server is unreachable: the retry waits for its back-off
    finish_if_done(send_id)
    return report.as_dict()
