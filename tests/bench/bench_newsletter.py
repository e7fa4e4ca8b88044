"""Newsletter delivery benchmark: one issue sent to N subscribers (5,000 by default)
through a real SMTP sink (aiosmtpd on loopback, in its own process, recording every
recipient, Message-ID and connection), by real `db_worker` processes (Django tasks,
database backend):

- one worker, then two workers: messages/second, time to finish, SMTP connections,
  duplicates;
- one worker killed with SIGKILL halfway and a new one started (after the claim lease
  runs out, through `manage.py newsletter_dispatch`, the cron path): duplicates,
  missing, and the rows marked "uncertain" (the one on the wire when the worker died);
- the baseline, in the same run: a raw loop sending the same prebuilt messages over one
  reused SMTP connection (`smtplib`, no database).

Run: .venv/bin/python -m tests.bench.bench_newsletter [--recipients 5000] [--quick]

PostgreSQL (127.0.0.1:5432, or DATABASE_URL) when reachable, else a SQLite file. The
last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.loopback import free_port, port_open, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
BATCH_SIZE = 100


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Sink:
    """The SMTP sink in its own process, so it never competes with the sender for a GIL."""

    def __init__(self):
        self.port = free_port()
        handle, self.path = tempfile.mkstemp(prefix="bench-newsletter-sink-", suffix=".log")
        os.close(handle)
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.newsletter.smtp_sink",
                "--port",
                str(self.port),
                "--out",
                self.path,
            ],
            cwd=ROOT,
        )
        wait_for_port(self.port)
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)

    def read(self) -> tuple[list[tuple[str, str]], int]:
        messages, connections = [], 0
        if not os.path.exists(self.path):
            return messages, connections
        with open(self.path) as handle:
            for line in handle:
                parts = line.split()
                if parts and parts[0] == "EHLO":
                    connections += 1
                elif len(parts) >= 2 and parts[0] == "MSG":
                    messages.append((parts[1], parts[2] if len(parts) > 2 else ""))
        return messages, connections

    def count(self) -> int:
        if not os.path.exists(self.path):
            return 0
        with open(self.path) as handle:
            return sum(1 for line in handle if line.startswith("MSG"))


def database_url() -> tuple[str, str]:
    """(url for the benchmark's own database, vendor)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres") or (not url and port_open("127.0.0.1", 5432)):
        import psycopg

        base = url or "postgres://postgres@127.0.0.1:5432/postgres"
        name = f"bench_newsletter_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return base.rsplit("/", 1)[0] + f"/{name}", "postgresql"
    handle, path = tempfile.mkstemp(prefix="bench-newsletter-", suffix=".sqlite3")
    os.close(handle)
    os.remove(path)
    return f"sqlite:///{path}", "sqlite"


def drop_database(url: str, vendor: str) -> None:
    if vendor != "postgresql":
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def env_for(url: str, smtp_port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.newsletter.worker_settings",
        "DATABASE_URL": url,
        "NEWSLETTER_SMTP_PORT": str(smtp_port),
        "NEWSLETTER_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "NEWSLETTER_BATCH_SIZE": str(BATCH_SIZE),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def start_worker(env: dict, name: str) -> subprocess.Popen:
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


# --- Work inside the benchmark process (Django set up on the benchmark database) -------


def setup_django(env: dict) -> None:
    os.environ.update(
        {
            k: env[k]
            for k in (
                "DJANGO_SETTINGS_MODULE",
                "DATABASE_URL",
                "NEWSLETTER_SMTP_PORT",
                "NEWSLETTER_CLAIM_LEASE_SECONDS",
                "NEWSLETTER_BATCH_SIZE",
            )
        }
    )
    import django

    django.setup()


def create_subscribers(count: int) -> None:
    from django.utils import timezone

    from newsletter.models import Subscriber, SubscriberStatus

    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"lettore{n:05d}@comune.example.it",
                status=SubscriberStatus.ACTIVE,
                token=f"bench-token-{n:05d}",
                consent_at=now,
                confirmed_at=now,
            )
            for n in range(count)
        ),
        batch_size=1000,
    )


def prepare_send(label: str, workers: int) -> int:
    """A new published issue and its send started: rows written, `workers` tasks queued."""
    from datetime import date

    from django.conf import settings
    from django.utils import timezone

    from newsletter.models import IssueSend, NewsletterIndexPage
    from tests.newsletter.conftest import make_issue

    settings.NEWSLETTER_WORKERS = workers
    issue = make_issue(
        NewsletterIndexPage.objects.get(),
        title=f"Numero {label}",
        slug=f"numero-{label}",
        issue_date=date(2026, 11, 1),
    )
    send = IssueSend.objects.create(issue=issue, scheduled_for=timezone.now())
    from newsletter import services

    assert services.send_start(send.pk)
    return send.pk


def forget_queued_tasks(send_id: int) -> None:
    """The baseline's rows are sent by the raw loop, never by a worker."""
    from django_tasks_db.models import DBTaskResult

    from newsletter.models import IssueSend, SendStatus

    DBTaskResult.objects.filter(task_path="newsletter.tasks.deliver_send").delete()
    IssueSend.objects.filter(pk=send_id).update(status=SendStatus.DONE)


def send_state(send_id: int) -> dict:
    from django.db.models import Count

    from newsletter.models import Delivery, IssueSend

    counts = dict(
        Delivery.objects.filter(send_id=send_id).values_list("status").annotate(n=Count("pk"))
    )
    return {"status": IssueSend.objects.get(pk=send_id).status, "rows": counts}


def raw_baseline(recipients: int, send_id: int) -> dict:
    """The same messages, prebuilt, over one reused SMTP connection: the ceiling."""
    from newsletter.emails import build_message, delivery_message_id, personal_links
    from newsletter.models import Delivery, IssueSend

    send = IssueSend.objects.get(pk=send_id)
    rows = list(Delivery.objects.filter(send=send).select_related("subscriber").order_by("pk"))[
        :recipients
    ]
    prepared = []
    for row in rows:
        unsubscribe, preferences = personal_links(row.subscriber, send.pk)
        message = build_message(
            subject=send.subject,
            html=send.html,
            text=send.text,
            to=row.subscriber.email,
            unsubscribe=unsubscribe,
            preferences=preferences,
            message_id=delivery_message_id(send.pk, row.pk),
        ).message()
        prepared.append((row.subscriber.email, message.as_bytes(linesep="\r\n")))
    with Sink() as sink:
        started = time.monotonic()
        smtp = smtplib.SMTP("127.0.0.1", sink.port)
        for address, payload in prepared:
            smtp.sendmail("newsletter@paq.example.it", [address], payload)
        smtp.quit()
        elapsed = time.monotonic() - started
        time.sleep(0.3)
        messages, connections = sink.read()
    return {
        "messages": len(messages),
        "seconds": round(elapsed, 2),
        "messages_per_second": round(len(messages) / elapsed, 1),
        "smtp_connections": connections,
    }


def run_workers(env_base: dict, label: str, workers: int, recipients: int) -> dict:
    send_id = prepare_send(label, workers)
    with Sink() as sink:
        env = env_for(env_base["DATABASE_URL"], sink.port)
        started = time.monotonic()
        processes = [start_worker(env, f"{label}-{n}") for n in range(workers)]
        first_message = None
        while any(process.poll() is None for process in processes):
            if first_message is None and sink.count():
                first_message = time.monotonic()
            time.sleep(0.05)
        finished = time.monotonic()
        time.sleep(0.3)
        messages, connections = sink.read()
    per_recipient = Counter(recipient for recipient, _id in messages)
    sending = finished - (first_message or started)
    return {
        "workers": workers,
        "messages": len(messages),
        "recipients_reached": len(per_recipient),
        "duplicates": sum(n - 1 for n in per_recipient.values() if n > 1),
        "missing": recipients - len(per_recipient),
        "seconds_total": round(finished - started, 2),
        "seconds_sending": round(sending, 2),
        "messages_per_second": round(len(messages) / sending, 1) if sending else None,
        "smtp_connections": connections,
        "send": send_state(send_id),
    }


def run_killed(env_base: dict, recipients: int) -> dict:
    send_id = prepare_send("sigkill", 1)
    with Sink() as sink:
        env = env_for(env_base["DATABASE_URL"], sink.port)
        worker = start_worker(env, "killed")
        deadline = time.monotonic() + 300
        # Halfway and mid-batch, so that a message is on the wire when the worker dies.
        while sink.count() < recipients // 2 + BATCH_SIZE // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed_at = sink.count()
        time.sleep(LEASE_SECONDS + 0.5)
        manage(env, "newsletter_dispatch")
        restarted = start_worker(env, "restarted")
        restarted.wait(timeout=300)
        time.sleep(0.3)
        messages, _connections = sink.read()
    per_recipient = Counter(recipient for recipient, _id in messages)
    state = send_state(send_id)
    return {
        "killed_after_messages": killed_at,
        "messages": len(messages),
        "duplicates": sum(n - 1 for n in per_recipient.values() if n > 1),
        "missing": recipients - len(per_recipient),
        "uncertain_rows": state["rows"].get("incerto", 0),
        "send": state,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="1,000 recipients")
    args = parser.parse_args()
    recipients = 1000 if args.quick else args.recipients

    url, vendor = database_url()
    env = env_for(url, 0)
    log(f"database: {vendor}; migrating …")
    try:
        manage(env, "migrate", "--no-input")
        setup_django(env)
        create_subscribers(recipients)
        log("raw SMTP loop …")
        baseline_send = prepare_send("baseline", 0)
        forget_queued_tasks(baseline_send)
        baseline = raw_baseline(recipients, baseline_send)
        log(f"  {baseline}")
        results = {}
        for workers in (1, 2):
            log(f"{workers} worker(s) …")
            results[f"workers_{workers}"] = run_workers(env, f"w{workers}", workers, recipients)
            log(f"  {results[f'workers_{workers}']}")
        log("SIGKILL halfway and restart …")
        killed = run_killed(env, recipients)
        log(f"  {killed}")
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(url, vendor)

    best = max(r["messages_per_second"] or 0 for r in results.values())
    summary = {
        "benchmark": "newsletter_delivery",
        "database": vendor,
        "recipients": recipients,
        "batch_size": BATCH_SIZE,
        "baseline_raw_smtp_loop": baseline,
        **results,
        "sigkill_restart": killed,
        "ratio_one_worker_vs_raw": round(
            (results["workers_1"]["messages_per_second"] or 0) / baseline["messages_per_second"], 2
        ),
        "ratio_best_vs_raw": round(best / baseline["messages_per_second"], 2),
        "target_ratio": 0.6,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
