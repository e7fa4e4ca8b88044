"""Page-serving benchmark: the same pages through WSGI (gunicorn) and ASGI (daphne).

Run: .venv/bin/python -m tests.bench.bench_pages [--seconds 10]

It builds a throw-away SQLite database with the demo, starts real servers on loopback
with the production profile, drives them with wrk (Debian's `wrk`), and prints one JSON
object on its last line: requests/second per server and page, the ASGI/WSGI ratio,
and the queries each page makes. The WSGI server is the baseline of the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.loopback import free_port

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"home": "/", "content": "/ciclo-della-performance/monitoraggio/"}


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


def wrk(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(  # noqa: S603
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in output:
        raise RuntimeError(f"errors while loading {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def query_counts(env: dict[str, str]) -> dict[str, int]:
    code = (
        "import django, json; django.setup();"
        "from django.test import Client; from django.db import connection;"
        "from django.test.utils import CaptureQueriesContext;"
        "c = Client(HTTP_HOST='127.0.0.1', secure=True); out = {};"
        f"pages = {PAGES!r}\n"
        "for name, path in pages.items():\n"
        "    c.get(path)\n"
        "    with CaptureQueriesContext(connection) as ctx: c.get(path)\n"
        "    out[name] = len(ctx.captured_queries)\n"
        "print(json.dumps(out))"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="paq-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "MEDIA_ROOT": str(workdir / "media"),
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_demo", "--allow-without-debug", "-v0"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603

    results: dict[str, dict[str, float]] = {}
    servers = {
        "wsgi_gunicorn_1_worker": lambda port: [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "1",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "portal.wsgi",
        ],
        "asgi_daphne_1_process": lambda port: [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "-v",
            "0",
            "portal.asgi:application",
        ],
        "wsgi_gunicorn_2_workers": lambda port: [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "portal.wsgi",
        ],
    }
    try:
        for name, command in servers.items():
            port = free_port()
            process = subprocess.Popen(command(port), cwd=ROOT, env=env)  # noqa: S603
            try:
                base = f"http://127.0.0.1:{port}"
                wait_until_up(base + "/")
                results[name] = {}
                for page, path in PAGES.items():
                    wrk(base + path, 2, args.connections)  # warm-up
                    results[name][page] = wrk(base + path, args.seconds, args.connections)
                    print(f"{name} {page}: {results[name][page]:.0f} req/s", flush=True)
            finally:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        queries = query_counts(env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    ratio = {
        page: round(
            results["asgi_daphne_1_process"][page] / results["wsgi_gunicorn_1_worker"][page], 2
        )
        for page in PAGES
    }
    print(
        json.dumps(
            {
                "benchmark": "pages",
                "seconds": args.seconds,
                "connections": args.connections,
                "requests_per_second": results,
                "asgi_over_wsgi_same_process_count": ratio,
                "queries_per_page_anonymous": queries,
            }
        )
    )


if __name__ == "__main__":
    main()
