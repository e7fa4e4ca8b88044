"""The whole suite, as the README's test command runs it.

Pass 1 runs every test on the embedded default (SQLite), browser and Redis tests
included. Pass 2 runs the suite again on PostgreSQL (browser tests aside: they exercise
the same views). Outside CI a missing PostgreSQL skips pass 2 with the reason; with
CI=true it fails the run.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / ".test-artifacts"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def run_pass(name: str, extra_args: list[str], env: dict[str, str]) -> tuple[int, dict[str, int]]:
    report = ARTIFACTS / f"junit-{name}.xml"
    command = [sys.executable, "-m", "pytest", f"--junitxml={report}", *extra_args]
    print(f"\n=== {name}: {' '.join(command[2:])}", flush=True)
    code = subprocess.call(command, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter
    counts = {"passed": 0, "failed": 0, "skipped": 0}
    if report.exists():
        suite = ET.parse(report).getroot()  # noqa: S314 - our own report
        suites = [suite] if suite.tag == "testsuite" else list(suite)
        for item in suites:
            total = int(item.get("tests", 0))
            failed = int(item.get("failures", 0)) + int(item.get("errors", 0))
            skipped = int(item.get("skipped", 0))
            counts["failed"] += failed
            counts["skipped"] += skipped
            counts["passed"] += total - failed - skipped
    return code, counts


def main() -> int:
    ARTIFACTS.mkdir(exist_ok=True)
    in_ci = os.environ.get("CI", "").lower() == "true"
    base_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    results = []

    results.append(run_pass("sqlite", sys.argv[1:], base_env))

    postgres_url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    if reachable(postgres_url):
        env = {**base_env, "DATABASE_URL": postgres_url}
        results.append(run_pass("postgresql", ["-m", "not e2e", *sys.argv[1:]], env))
    elif in_ci:
        print(f"\nFAILED: PostgreSQL is required in CI and is not reachable at {postgres_url}")
        results.append((1, {"passed": 0, "failed": 1, "skipped": 0}))
    else:
        print(
            f"\nSKIPPED PostgreSQL pass: no server at {postgres_url} "
            "(set TEST_DATABASE_URL to run it)."
        )

    total = {key: sum(counts[key] for _code, counts in results) for key in results[0][1]}
    exit_code = max(code for code, _counts in results)
    print(
        f"\nsuite: {total['passed']} passed, {total['failed']} failed, {total['skipped']} skipped"
    )
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
