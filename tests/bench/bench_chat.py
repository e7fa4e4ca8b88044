"""Chat fan-out benchmark: real ASGI servers on loopback, client processes that stamp
every message (sender, number, send time) so each receiver measures latency and
detects gaps and duplicates.

Run: .venv/bin/python -m tests.bench.bench_chat [--seconds 30] [--quick]

Profiles: "embedded" (one daphne process, in-memory layer, SQLite) and "production"
(two daphne workers on Redis and PostgreSQL, clients split across them; skipped with a
note when PostgreSQL or Redis is missing). Baselines in the same run and harness: the
Channels tutorial consumer (no persistence, no checks) and a bare `websockets`
broadcast server. The last line printed is one JSON object with every figure.
The per-user flood limit is lifted for the run: it is a policy, not a capacity.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.loopback import free_port, port_open, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-only-" + "s" * 50
SENDERS = 25
PROCESS_SOCKETS = 125
CEILING_P99_MS = 250


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(math.ceil(fraction * len(ordered))) - 1)], 1)


class Server:
    def __init__(self, command, env=None, ready_line=None):
        self.port = free_port()
        self.command = [part.replace("{port}", str(self.port)) for part in command]
        self.env = env or os.environ.copy()
        self.ready_line = ready_line
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            self.command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, text=True
        )
        wait_for_port(self.port)
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def daphne(app: str, env: dict) -> Server:
    return Server(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            "{port}",
            "-v",
            "0",
            "--websocket_connect_timeout",
            "60",
            app,
        ],
        env=env,
    )


def portal_env(database: dict[str, str], redis_url: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_CHAT_RATE_LIMIT_MESSAGES": "1000000",
        "LOG_LEVEL": "ERROR",
        **database,
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


SETUP_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from forum.chat.services import project_room
User = get_user_model()
count = {count}
password = make_password(None)
User.objects.bulk_create(
    [User(email=f"bench{{i}}@bench.example.it", first_name="Bench", last_name=str(i),
          password=password) for i in range(count)],
    ignore_conflicts=True,
)
sessions = []
for user in User.objects.filter(email__startswith="bench").order_by("pk")[:count]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    sessions.append(session.session_key)
print(json.dumps({{"room": project_room().pk, "sessions": sessions}}))
"""


def prepare_portal_database(env: dict, count: int) -> dict:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],  # noqa: S603
        cwd=ROOT,
        env=env,
        check=True,
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SETUP_SCRIPT.format(count=count)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_load(
    *, servers, protocol, clients, rate, seconds, sessions=None, room="bench", drain=3.0
) -> dict:
    """`clients` sockets spread over `servers`, `rate` messages/s in total."""
    senders = min(SENDERS, clients)
    interval = senders / rate
    run_id = f"r{time.time_ns() % 10**12:012d}"  # client ids are unique per run
    sockets = []
    for index in range(clients):
        server = servers[index % len(servers)]
        url = f"ws://127.0.0.1:{server.port}/ws/chat/{room}/"
        sockets.append((url, sessions[index] if sessions else None))
    sender_of = {
        index: number for number, index in enumerate(range(0, clients, max(1, clients // senders)))
    }
    sender_of = dict(list(sender_of.items())[:senders])
    processes = []
    for start in range(0, clients, PROCESS_SOCKETS):
        chunk = range(start, min(clients, start + PROCESS_SOCKETS))
        job = {
            "run": run_id,
            "protocol": protocol,
            "origin": "http://127.0.0.1",
            "sockets": [sockets[i] for i in chunk],
            "sender_numbers": {str(i - start): sender_of[i] for i in chunk if i in sender_of},
            "senders": senders,
            "sender_interval": interval,
            "seconds": seconds,
            "drain": drain,
        }
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.bench.chat_clients"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        process.stdin.write(json.dumps(job) + "\n")
        process.stdin.flush()
        processes.append(process)
    for process in processes:
        line = process.stdout.readline().strip()
        if line != "READY":
            raise RuntimeError(f"client process failed to connect: {line!r}")
    # Let the arrivals' presence notices drain before the measured window opens.
    go = time.time() + 2.0 + clients / 100
    for process in processes:
        process.stdin.write(f"GO {go}\n")
        process.stdin.flush()
    results = []
    for process in processes:
        output = process.stdout.read().strip().splitlines()
        process.wait(timeout=60)
        results.append(json.loads(output[-1]))
    sent = sum(r["sent"] for r in results)
    received = sum(r["received_unique"] for r in results)
    latencies = [value for r in results for value in r["latencies"]]
    expected = sent * clients
    return {
        "clients": clients,
        "rate_per_s": rate,
        "seconds": seconds,
        "sent": sent,
        "deliveries": received,
        "deliveries_per_s": round(received / seconds, 1),
        "lost": expected - received,
        "duplicated": sum(r["duplicates"] for r in results),
        # Delivered by the client's catch-up after the layer dropped the live frame.
        "recovered": sum(r.get("recovered", 0) for r in results),
        "errors": sum(r["errors"] for r in results),
        "latency_ms": {
            "p50": percentile(latencies, 0.50),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
        },
    }


def ceiling(start_servers, protocol, clients, seconds, sessions=None, room="bench"):
    """Raise the rate until p99 passes 250 ms or anything is lost."""
    best = None
    steps = []
    for rate in (5, 10, 20, 40, 80, 160, 320, 640):
        servers = start_servers()
        try:
            result = run_load(
                servers=servers,
                protocol=protocol,
                clients=clients,
                rate=rate,
                seconds=seconds,
                sessions=sessions,
                room=room,
            )
        finally:
            for server in servers:
                server.stop()
        steps.append(
            {k: result[k] for k in ("rate_per_s", "deliveries_per_s", "lost")}
            | {"p99_ms": result["latency_ms"]["p99"]}
        )
        print(f"  ceiling {protocol} rate {rate}: {steps[-1]}", flush=True)
        if result["lost"] or result["duplicated"] or result["latency_ms"]["p99"] > CEILING_P99_MS:
            break
        best = result["deliveries_per_s"]
    return {"deliveries_per_s": best, "steps": steps}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--ceiling-seconds", type=int, default=8)
    parser.add_argument("--clients", default="50,200,500")
    parser.add_argument("--ceiling-clients", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="short runs to try the harness")
    parser.add_argument(
        "--no-ceilings", action="store_true", help="only the fixed-rate profiles (a quick check)"
    )
    parser.add_argument("--profiles", default="embedded,production")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.ceiling_seconds, args.clients = 6, 4, "50,200"
        args.ceiling_clients = 50
    sizes = [int(n) for n in args.clients.split(",")]
    largest = max(sizes + [args.ceiling_clients])
    report: dict = {"benchmark": "chat", "rate_per_s": 5, "profiles": {}, "ceilings": {}}
    workdir = Path(tempfile.mkdtemp(prefix="paq-chat-bench-"))
    database = None
    try:
        # Embedded: one process, in-memory layer, SQLite.
        embedded_env = portal_env({"SQLITE_PATH": str(workdir / "chat.sqlite3")}, None)
        embedded_env.pop("DATABASE_URL", None)
        embedded = prepare_portal_database(embedded_env, largest)
        profiles = {"embedded": (embedded_env, embedded, 1)}

        redis_url = "redis://127.0.0.1:6379/13"
        if port_open("127.0.0.1", 5432) and port_open("127.0.0.1", 6379):
            database = f"paq_chat_bench_{os.getpid()}"
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qc",  # noqa: S607
                    f"CREATE DATABASE {database}",
                ],
                check=True,
            )
            subprocess.run(
                ["redis-cli", "-n", "13", "flushdb"],
                check=True,  # noqa: S607
                stdout=subprocess.DEVNULL,
            )
            production_env = portal_env(
                {"DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}, redis_url
            )
            production = prepare_portal_database(production_env, largest)
            profiles["production"] = (production_env, production, 2)
        else:
            report["profiles"]["production"] = "skipped: PostgreSQL or Redis not reachable"

        for name, (env, data, workers) in profiles.items():
            if name not in args.profiles.split(","):
                continue
            report["profiles"][name] = []
            for clients in sizes:
                servers = [daphne("portal.asgi:application", env).start() for _ in range(workers)]
                try:
                    result = run_load(
                        servers=servers,
                        protocol="portal",
                        clients=clients,
                        rate=5,
                        seconds=args.seconds,
                        sessions=data["sessions"],
                        room=str(data["room"]),
                    )
                finally:
                    for server in servers:
                        server.stop()
                report["profiles"][name].append(result)
                print(f"{name} {clients} clients: {json.dumps(result)}", flush=True)

        if args.no_ceilings:
            return  # the report is printed below, after the clean-up

        def portal_servers():
            return [daphne("portal.asgi:application", embedded_env).start()]

        def tutorial_servers():
            env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
            return [daphne("tests.bench.tutorial_asgi:application", env).start()]

        def websockets_servers():
            server = Server([sys.executable, "-m", "tests.bench.baselines", "{port}"])
            return [server.start()]

        report["ceilings"]["portal_embedded"] = ceiling(
            portal_servers,
            "portal",
            args.ceiling_clients,
            args.ceiling_seconds,
            sessions=embedded["sessions"],
            room=str(embedded["room"]),
        )
        if "production" in profiles:
            env, data, _workers = profiles["production"]
            report["ceilings"]["portal_production"] = ceiling(
                lambda: [daphne("portal.asgi:application", env).start() for _ in range(2)],
                "portal",
                args.ceiling_clients,
                args.ceiling_seconds,
                sessions=data["sessions"],
                room=str(data["room"]),
            )
        report["ceilings"]["channels_tutorial"] = ceiling(
            tutorial_servers, "tutorial", args.ceiling_clients, args.ceiling_seconds
        )
        report["ceilings"]["bare_websockets"] = ceiling(
            websockets_servers, "raw", args.ceiling_clients, args.ceiling_seconds
        )
        # None: the server failed already at the first step of the search.
        report["ratios"] = {
            f"{ours_name}_over_{name}": round(ours / value, 2) if ours and value else None
            for ours_name in ("portal_embedded", "portal_production")
            if ours_name in report["ceilings"]
            for ours in [report["ceilings"][ours_name]["deliveries_per_s"]]
            for name in ("channels_tutorial", "bare_websockets")
            for value in [report["ceilings"][name]["deliveries_per_s"]]
        }
    finally:
        if database:
            subprocess.run(
                [
                    "psql",
                    "-h",
                    "127.0.0.1",
                    "-U",
                    "postgres",
                    "-qc",
                    f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
                ],  # noqa: S607
                check=False,
            )
        shutil.rmtree(workdir, ignore_errors=True)
        print(json.dumps(report))


if __name__ == "__main__":
    main()
