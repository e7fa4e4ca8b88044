"""Two real `db_worker` processes (Django tasks, database backend) share one send on
PostgreSQL against a real SMTP server (aiosmtpd on loopback): every recipient gets the
issue exactly once, and both workers did part of the work. A worker killed with
SIGKILL halfway is replaced and nobody receives the issue twice. Runs in the
PostgreSQL pass of the suite (required in CI)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter import services
from newsletter.models import (
    Delivery,
    DeliveryStatus,
    IssueSend,
    NewsletterIndexPage,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)

from .conftest import make_issue
from .smtp_sink import SmtpSink

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.timeout(240),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]
RECIPIENTS = 400


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        pytest.skip("the multi-worker delivery test runs in the PostgreSQL pass of the suite")
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def prepared_send(settings):
    """A published issue, RECIPIENTS active subscribers, the send started: delivery rows
    written and two worker tasks waiting in the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.NEWSLETTER_WORKERS = 2
    issue = make_issue(NewsletterIndexPage.objects.get())
    now = timezone.now()
    Subscriber.objects.bulk_create(
        Subscriber(
            email=f"lettore{n:04d}@comune.example.it",
            status=SubscriberStatus.ACTIVE,
            token=f"token-{n:04d}",
            consent_at=now,
            confirmed_at=now,
        )
        for n in range(RECIPIENTS)
    )
    send = IssueSend.objects.create(issue=issue, scheduled_for=now)
    assert services.send_start(send.pk)
    assert delivery_tasks().count() == 2
    return send


def delivery_tasks():
    # Wagtail queues its own tasks (search and reference index) beside ours.
    return DBTaskResult.objects.filter(task_path="newsletter.tasks.deliver_send")


def start_worker(database_url, sink, name, lease=300):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.newsletter.worker_settings",
        "DATABASE_URL": database_url,
        "NEWSLETTER_SMTP_PORT": str(sink.port),
        "NEWSLETTER_CLAIM_LEASE_SECONDS": str(lease),
    }
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--interval",
            "0.2",
            "--worker-id",
            name,
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )


def wait(processes, timeout=180):
    deadline = time.monotonic() + timeout
    for process in processes:
        process.wait(timeout=max(1, deadline - time.monotonic()))


def test_two_workers_share_a_send_and_nobody_gets_it_twice(database_url, prepared_send):
    with SmtpSink(delay=0.004) as sink:
        workers = [start_worker(database_url, sink, f"worker-{n}") for n in (1, 2)]
        try:
            wait(workers)
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
        per_recipient = sink.handler.per_recipient()

    assert len(per_recipient) == RECIPIENTS
    assert max(per_recipient.values()) == 1, per_recipient.most_common(3)
    message_ids = {message_id for _recipient, message_id in sink.received}
    assert len(message_ids) == RECIPIENTS
    assert Delivery.objects.filter(send=prepared_send, status=DeliveryStatus.SENT).count() == (
        RECIPIENTS
    )
    prepared_send.refresh_from_db()
    assert prepared_send.status == SendStatus.DONE

    reports = [result.return_value for result in delivery_tasks()]
    assert all(report and report["sent"] > 0 for report in reports), reports
    assert sum(report["sent"] for report in reports) == RECIPIENTS
    # One SMTP connection per batch, not one per message.
    assert sum(report["connections"] for report in reports) == sum(
        report["batches"] for report in reports
    )
    assert sink.handler.connections < RECIPIENTS / 10


def test_a_worker_killed_halfway_is_resumed_without_duplicates(database_url, prepared_send):
    with SmtpSink(delay=0.004) as sink:
        first = start_worker(database_url, sink, "worker-killed", lease=2)
        deadline = time.monotonic() + 60
        while len(sink.received) < RECIPIENTS // 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        time.sleep(2.5)  # the killed worker's lease runs out
        # The second queued task (or, once the queue is empty, the dispatcher) resumes.
        second = start_worker(database_url, sink, "worker-resumed", lease=2)
        wait([second])
        if Delivery.objects.filter(
            send=prepared_send, status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]
        ).exists():
            from newsletter.tasks import deliver_send

            deliver_send.enqueue(prepared_send.pk)
            third = start_worker(database_url, sink, "worker-third", lease=2)
            wait([third])
        per_recipient = sink.handler.per_recipient()

    statuses = dict(
        Delivery.objects.filter(send=prepared_send).values_list("status").annotate(n=Count("pk"))
    )
    uncertain = statuses.get(DeliveryStatus.UNCERTAIN, 0)
    assert max(per_recipient.values()) == 1, per_recipient.most_common(3)
    assert uncertain <= 1  # at most the one message on the wire when the worker died
    assert statuses.get(DeliveryStatus.SENT, 0) + uncertain == RECIPIENTS
    assert len(per_recipient) >= RECIPIENTS - uncertain
    prepared_send.refresh_from_db()
    assert prepared_send.status == SendStatus.DONE
