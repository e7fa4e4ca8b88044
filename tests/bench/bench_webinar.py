"""Registration-rush benchmark: 500 people press "Iscriviti" at the same moment for a
100-seat webinar, through real server processes.

Run: .venv/bin/python -m tests.bench.bench_webinar [--repetitions 10] [--quick]

Profiles: "sqlite" (one daphne process on SQLite) and "postgres" (two daphne processes
on PostgreSQL, requests alternating between them; skipped with a note when PostgreSQL
is not reachable). Each profile builds its own database with the demo, 500 users with
an approved membership and a login session each, and one fresh 100-seat session per
repetition. In each repetition the client opens 500 connections, then sends the 500
POSTs at once and waits for every answer (time to drain); afterwards the database must
hold exactly 100 confirmed and 400 waitlisted registrations, 100 confirmation notices
and 100 queued email tasks, and every answer must be the redirect back to the session.

Two baselines, in the same run, on the same kind of servers and the same database:
the minimal correct registration view (`webinar_site.py`: the same settings and
middleware, one conditional UPDATE and one INSERT, nothing else), which is what the aim
compares with, and the same two statements with no framework at all
(`webinar_baseline.py`), the floor under both. Also reported: requests
per second (wrk) and queries of the programme page and a session page, anonymous and
logged in; the anonymous pages come from the cache with 0 queries and no cookie.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.bench_chat import Server, daphne
from tests.loopback import port_open

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-only-" + "w" * 50
USERS = 500
CAPACITY = 100

SETUP_SCRIPT = r"""
import json, django
django.setup()
from datetime import timedelta
from django.conf import settings
from django.contrib.auth import get_user_model, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from portal.cgp import CgpPhase
from portal.enti.models import Ente, Membership, MembershipRole, MembershipState
from webinar.models import WebinarCyclePage, WebinarIndexPage, WebinarSessionPage, WebinarTheme

users, repetitions, capacity = {users}, {repetitions}, {capacity}
User = get_user_model()
password = make_password(None)
User.objects.bulk_create(
    [User(email=f"corsa{{i}}@bench.example.it", first_name="Corsa", last_name=str(i),
          password=password) for i in range(users)],
    ignore_conflicts=True,
)
people = list(User.objects.filter(email__endswith="@bench.example.it").order_by("pk")[:users])
bodies = list(Ente.objects.order_by("pk")[:50])
Membership.objects.bulk_create(
    [Membership(user=u, ente=bodies[i % len(bodies)], role=MembershipRole.MEMBRO,
                state=MembershipState.APPROVED) for i, u in enumerate(people)],
    ignore_conflicts=True,
) if bodies else None
sessions = []
for user in people:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    sessions.append(store.session_key)
index = WebinarIndexPage.objects.get()
cycle = WebinarCyclePage(title="Ciclo del benchmark", slug="ciclo-benchmark")
index.add_child(instance=cycle)
cycle.save_revision().publish()
def session_pages(prefix):
    pages = []
    for number in range(repetitions):
        page = WebinarSessionPage(
            title=f"{{prefix}} {{number + 1}}", slug=f"{{prefix.lower()}}-{{number + 1}}",
            starts_at=timezone.now() + timedelta(days=14, hours=number),
            theme=WebinarTheme.OBIETTIVI, cgp_phase=CgpPhase.OBIETTIVI,
            summary="Sessione del benchmark.", capacity=capacity,
            meeting_url="https://meet.example.it/bench",
        )
        cycle.add_child(instance=page)
        page.save_revision().publish()
        pages.append({{"id": page.pk, "path": page.url}})
    return pages
print(json.dumps({{"sessions": sessions, "users": [u.pk for u in people],
                  "pages": session_pages("Corsa"), "baseline_pages": session_pages("Base"),
                  "index": index.url}}))
"""

COUNT_SCRIPT = r"""
import json, django
django.setup()
from django.db.models import Count
from django_tasks_db.models import DBTaskResult
from webinar.models import Notice, Registration, SessionSeats
session_id = {session_id}
statuses = dict(Registration.objects.filter(session_id=session_id).values_list("status")
                .annotate(n=Count("pk")).values_list("status", "n"))
confirmed_ids = set(Notice.objects.filter(registration__session_id=session_id, kind="confirmed")
                    .values_list("pk", flat=True))
notice_ids = set(Notice.objects.filter(registration__session_id=session_id)
                 .values_list("pk", flat=True))
email_args = [row["args"][0] for row in DBTaskResult.objects.filter(
    task_path__endswith="deliver_notice").values_list("args_kwargs", flat=True)]
print(json.dumps({{
    "confirmation_email_tasks": sum(1 for a in email_args if a in confirmed_ids),
    "email_tasks": sum(1 for a in email_args if a in notice_ids),
    "confirmed": statuses.get("confirmed", 0),
    "waitlisted": statuses.get("waitlisted", 0),
    "seats_taken": SessionSeats.objects.get(session_id=session_id).taken,
    "confirmed_notices": Notice.objects.filter(registration__session_id=session_id,
                                               kind="confirmed").count(),
    "waitlisted_notices": Notice.objects.filter(registration__session_id=session_id,
                                                kind="waitlisted").count(),
}}))
"""

QUERY_SCRIPT = r"""
import json, django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
pages, session_key = {pages!r}, {session_key!r}
out = {{}}
for name, path in pages.items():
    anonymous = Client(HTTP_HOST="127.0.0.1")
    anonymous.get(path)  # warm-up (and the settings row of a new site)
    cache.clear()
    with CaptureQueriesContext(connection) as miss:
        first = anonymous.get(path)
    with CaptureQueriesContext(connection) as hit:
        second = anonymous.get(path)
    member = Client(HTTP_HOST="127.0.0.1")
    member.cookies["sessionid"] = session_key
    member.get(path)
    with CaptureQueriesContext(connection) as logged:
        third = member.get(path)
    assert first.status_code == second.status_code == third.status_code == 200
    out[name] = {{
        "anonymous_uncached": len(miss.captured_queries),
        "anonymous_cached": len(hit.captured_queries),
        "anonymous_cached_sets_cookie": bool(second.cookies) or "Set-Cookie" in second,
        "anonymous_cached_hit": second.get("X-Cache") == "hit",
        "logged_in": len(logged.captured_queries),
    }}
print(json.dumps(out))
"""


def portal_env(database: dict[str, str]) -> dict[str, str]:
    env = {
        **os.environ,
        # Production settings plus the baseline view's URL (tests/bench/webinar_site.py).
        "DJANGO_SETTINGS_MODULE": "tests.bench.webinar_settings",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_REQUIRE_MFA": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "ERROR",
        **database,
    }
    env.pop("REDIS_URL", None)
    if "DATABASE_URL" not in database:
        env.pop("DATABASE_URL", None)
    return env


def run_python(env: dict, code: str) -> dict:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(env: dict, repetitions: int) -> dict:
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--allow-without-debug", "-v0"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603
    code = SETUP_SCRIPT.format(users=USERS, repetitions=repetitions, capacity=CAPACITY)
    return run_python(env, code)


# --- The rush: raw HTTP/1.1 on loopback (no client library in the way) -----------------


async def _rush(requests: list[tuple[int, bytes]]) -> tuple[float, list[tuple[int, str]]]:
    """Open every connection first, then send every request at once; return the time
    from the first byte sent to the last answer read, and (status, location) each."""
    connections = await asyncio.gather(
        *(asyncio.open_connection("127.0.0.1", port) for port, _ in requests)
    )
    go = asyncio.Event()

    async def one(connection, payload):
        reader, writer = connection
        await go.wait()
        writer.write(payload)
        await writer.drain()
        raw = await reader.read()
        writer.close()
        head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        status = int(head.split(" ", 2)[1]) if head.startswith("HTTP/") else 0
        location = re.search(r"(?im)^location:\s*(\S+)", head)
        return status, location.group(1) if location else ""

    tasks = [
        asyncio.create_task(one(connection, payload))
        for connection, (_, payload) in zip(connections, requests, strict=True)
    ]
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    go.set()
    results = await asyncio.gather(*tasks)
    return time.perf_counter() - started, results


def portal_requests(ports, data, page, url="/webinar/{id}/iscrizione/") -> list[tuple[int, bytes]]:
    requests = []
    for number, session_key in enumerate(data["sessions"]):
        token = secrets.token_hex(16)  # any 32-character secret: cookie and header agree
        body = b""
        payload = (
            f"POST {url.format(id=page['id'])} HTTP/1.1\r\n"
            "Host: 127.0.0.1\r\n"
            f"Cookie: sessionid={session_key}; csrftoken={token}\r\n"
            f"X-CSRFToken: {token}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
        requests.append((ports[number % len(ports)], payload))
    return requests


def baseline_requests(ports, data, row_id) -> list[tuple[int, bytes]]:
    return [
        (
            ports[number % len(ports)],
            (
                f"POST /register/{row_id}/{user_id}/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Length: 0\r\nConnection: close\r\n\r\n"
            ).encode(),
        )
        for number, user_id in enumerate(data["users"])
    ]


# --- Pages: requests per second (wrk) and queries --------------------------------------


def wrk(url: str, seconds: int, connections: int, cookie: str | None = None) -> float:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _warm_up(url: str, cookie: str | None) -> None:
    # Gunicorn's workers load the application on their first request: four of them
    # loading at once on two cores took longer than a one-second warm-up, and the first
    # measured page read 0 requests/second.
    for _attempt in range(15):
        if wrk(url, 1, 8, cookie) > 0:
            return


def measure_pages(env, data, server: str, processes: int, seconds: int) -> dict:
    paths = {"programme": data["index"], "session": data["pages"][0]["path"]}
    servers = start_servers(server, processes, env)
    try:
        base = f"http://127.0.0.1:{servers[0].port}"
        rates = {}
        for name, path in paths.items():
            for who, cookie in (
                ("anonymous", None),
                ("logged_in", f"sessionid={data['sessions'][-1]}"),
            ):
                _warm_up(base + path, cookie)
                rates[f"{name}_{who}"] = round(wrk(base + path, seconds, 8, cookie), 1)
    finally:
        for server in servers:
            server.stop()
    code = QUERY_SCRIPT.format(pages=paths, session_key=data["sessions"][-1])
    return {"requests_per_second": rates, "queries": run_python(env, code)}


def gunicorn(app: str, env: dict, workers: int) -> Server:
    return Server(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            "127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            app,
        ],
        env=env,
    )


def start_servers(kind: str, processes: int, env: dict, baseline: bool = False) -> list[Server]:
    """daphne: `processes` separate servers (requests alternate between them);
    gunicorn: one server with `processes` sync workers."""
    if kind == "daphne":
        app = "tests.bench.webinar_baseline:application" if baseline else "portal.asgi:application"
        return [daphne(app, env).start() for _ in range(processes)]
    app = "tests.bench.webinar_baseline:wsgi_application" if baseline else "portal.wsgi"
    return [gunicorn(app, env, processes).start()]


def _served_rush(
    server, processes, env, requests_for, raw=False
) -> tuple[float, list[tuple[int, str]]]:
    """One rush on fresh servers, stopped before anyone counts: a daphne process keeps a
    database connection per request thread, and PostgreSQL has only so many."""
    servers = start_servers(server, processes, env, baseline=raw)
    try:
        for process in servers:  # a first request loads the URLconf and the database
            subprocess.run(
                ["curl", "-s", "-o", "/dev/null", f"http://127.0.0.1:{process.port}/"],
                check=False,
            )
        return asyncio.run(_rush(requests_for([s.port for s in servers])))
    finally:
        for process in servers:
            process.stop()


def _median_spread(runs: list[dict]) -> dict:
    seconds = [r["seconds"] for r in runs]
    return {
        "median": round(statistics.median(seconds), 3),
        "min": min(seconds),
        "max": max(seconds),
    }


def run_profile(name, env, baseline_db, data, offset, server, processes, repetitions, page_s):
    raw_env = {**env, "BASELINE_DATABASE": baseline_db}
    from tests.bench import webinar_baseline

    webinar_baseline.DATABASE = baseline_db
    rows = [offset + n + 1 for n in range(repetitions)]
    webinar_baseline.setup([(row, CAPACITY) for row in rows])

    runs, view_runs, raw_runs = [], [], []
    for number in range(repetitions):
        page = data["pages"][offset + number]
        seconds, answers = _served_rush(
            server, processes, env, lambda ports, page=page: portal_requests(ports, data, page)
        )
        ok = sum(
            1 for status, location in answers if status == 302 and location.endswith(page["path"])
        )
        counts = run_python(env, COUNT_SCRIPT.format(session_id=page["id"]))
        runs.append({"seconds": round(seconds, 3), "errors": USERS - ok, **counts})
        print(f"[{name}] portal {number + 1}: {runs[-1]}", flush=True)

        # The minimal Django view, same servers' settings and database (webinar_site.py).
        view_page = data["baseline_pages"][offset + number]
        seconds, answers = _served_rush(
            server,
            processes,
            env,
            lambda ports, page=view_page: portal_requests(
                ports, data, page, url="/__baseline__/iscrizione/{id}/"
            ),
        )
        counts = run_python(env, COUNT_SCRIPT.format(session_id=view_page["id"]))
        view_runs.append(
            {
                "seconds": round(seconds, 3),
                "errors": sum(1 for status, _ in answers if status != 302),
                "confirmed": counts["confirmed"],
                "waitlisted": counts["waitlisted"],
            }
        )
        print(f"[{name}] baseline view {number + 1}: {view_runs[-1]}", flush=True)

        # No framework at all: the floor under both (webinar_baseline.py).
        seconds, answers = _served_rush(
            server,
            processes,
            raw_env,
            lambda ports, row=rows[number]: baseline_requests(ports, data, row),
            raw=True,
        )
        raw_counts = webinar_baseline.counts(rows[number])
        raw_runs.append(
            {
                "seconds": round(seconds, 3),
                "errors": sum(1 for status, _ in answers if status != 200),
                "confirmed": raw_counts.get("confirmed", 0),
                "waitlisted": raw_counts.get("waitlisted", 0),
            }
        )
        print(f"[{name}] baseline without framework {number + 1}: {raw_runs[-1]}", flush=True)

    pages = measure_pages(env, data, server, processes, page_s)
    portal_drain, view_drain, raw_drain = (
        _median_spread(runs),
        _median_spread(view_runs),
        _median_spread(raw_runs),
    )

    def exact(r):
        return (
            r["confirmed"] == CAPACITY and r["waitlisted"] == USERS - CAPACITY and not r["errors"]
        )

    return {
        "server": server,
        "server_processes": processes,
        "repetitions": repetitions,
        "all_exact": all(
            exact(r)
            and r["confirmed_notices"] == CAPACITY
            and r["confirmation_email_tasks"] == CAPACITY
            and r["email_tasks"] == USERS
            and r["seats_taken"] == CAPACITY
            for r in runs
        ),
        "confirmed": sorted({r["confirmed"] for r in runs}),
        "waitlisted": sorted({r["waitlisted"] for r in runs}),
        "errors_total": sum(r["errors"] for r in runs),
        "confirmation_notices": sorted({r["confirmed_notices"] for r in runs}),
        "confirmation_email_tasks": sorted({r["confirmation_email_tasks"] for r in runs}),
        "drain_seconds": portal_drain,
        "registrations_per_second_median": round(USERS / portal_drain["median"], 1),
        "baseline_view_drain_seconds": view_drain,
        "baseline_view_exact": all(exact(r) for r in view_runs),
        "portal_over_baseline_view": round(portal_drain["median"] / view_drain["median"], 2),
        "baseline_without_framework_drain_seconds": raw_drain,
        "baseline_without_framework_exact": all(exact(r) for r in raw_runs),
        "portal_over_baseline_without_framework": round(
            portal_drain["median"] / raw_drain["median"], 2
        ),
        "runs": runs,
        "baseline_view_runs": view_runs,
        "baseline_without_framework_runs": raw_runs,
        **pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=10)
    parser.add_argument("--page-seconds", type=int, default=5)
    parser.add_argument(
        "--profiles",
        default="sqlite-daphne-1,sqlite-gunicorn-1,postgres-gunicorn-4,postgres-daphne-2",
        help="database-server-processes, comma separated",
    )
    parser.add_argument("--quick", action="store_true", help="2 repetitions, short page runs")
    args = parser.parse_args()
    if args.quick:
        args.repetitions, args.page_seconds = 2, 2
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    profiles = [tuple(p.split("-")) for p in args.profiles.split(",") if p]
    report: dict = {
        "benchmark": "webinar_registration_rush",
        "users": USERS,
        "capacity": CAPACITY,
        "repetitions": args.repetitions,
        "profiles": {},
    }
    workdir = Path(tempfile.mkdtemp(prefix="paq-webinar-bench-"))
    database = None
    try:
        for engine in ("sqlite", "postgres"):
            mine = [p for p in profiles if p[0] == engine]
            if not mine:
                continue
            if engine == "sqlite":
                target = str(workdir / "webinar.sqlite3")
                env = portal_env({"SQLITE_PATH": target})
            elif not port_open("127.0.0.1", 5432):
                for profile in mine:
                    report["profiles"]["-".join(profile)] = "skipped: PostgreSQL not reachable"
                continue
            else:
                database = f"paq_webinar_bench_{os.getpid()}"
                psql(f"CREATE DATABASE {database}")
                target = f"postgres://postgres@127.0.0.1:5432/{database}"
                env = portal_env({"DATABASE_URL": target})
            env["PRIVATE_MEDIA_ROOT"] = str(workdir / f"private-{engine}")
            env["MEDIA_ROOT"] = str(workdir / f"media-{engine}")
            print(f"[{engine}] preparing the database", flush=True)
            data = prepare(env, args.repetitions * len(mine))
            for number, (_engine, server, processes) in enumerate(mine):
                name = f"{engine}-{server}-{processes}"
                try:
                    report["profiles"][name] = run_profile(
                        name,
                        env,
                        target,
                        data,
                        number * args.repetitions,
                        server,
                        int(processes),
                        args.repetitions,
                        args.page_seconds,
                    )
                except Exception as error:  # one profile failing must not lose the others
                    report["profiles"][name] = f"failed: {error!r}"[:500]
                print(f"[{name}] result {json.dumps(report['profiles'][name])}", flush=True)
    finally:
        if database:
            psql(f"DROP DATABASE IF EXISTS {database}", check=False)
        shutil.rmtree(workdir, ignore_errors=True)
    summary = {
        name: (
            {
                key: profile[key]
                for key in (
                    "all_exact",
                    "errors_total",
                    "drain_seconds",
                    "baseline_view_drain_seconds",
                    "portal_over_baseline_view",
                    "baseline_without_framework_drain_seconds",
                    "portal_over_baseline_without_framework",
                )
            }
            if isinstance(profile, dict)
            else profile
        )
        for name, profile in report["profiles"].items()
    }
    print(json.dumps(summary, indent=1), flush=True)
    print(json.dumps(report))


def psql(command: str, check: bool = True) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", command],  # noqa: S607
        check=check,
    )


if __name__ == "__main__":
    main()
