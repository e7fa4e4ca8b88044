"""PAM dashboard benchmark: the staff project board, an expert's board and a body's plan
page over a project-sized history, on SQLite and on PostgreSQL.

Run: .venv/bin/python -m tests.bench.bench_pam [--seconds 5] [--backends sqlite,postgres]

Each backend runs in its own process on a throw-away database (a temporary SQLite file;
a `bench_pam` database on the PostgreSQL server at $BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres). The data: 150 bodies, 5 plans each,
4 milestones and 10 indicators per plan, 3 years of monthly measurements per indicator
(270,000 rows), a CGP calendar per body. Pages are requested in-process through
Django's test client (the view, ORM and template cost, without a web server) on the
production settings. The last line is one JSON object: requests/second and queries per
page and backend.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BODIES, PLANS, INDICATORS, MONTHS, MILESTONES = 150, 5, 10, 36, 4
EXPERT_BODIES = 10


def build() -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from portal import access
    from portal.enti.models import Ente, ExpertAssignment, Membership, Region
    from portal.pages.setup import ensure_site_structure
    from portal.pam import services
    from portal.pam.models import (
        CycleDocument,
        ImprovementPlan,
        Indicator,
        Measurement,
        Milestone,
    )

    ensure_site_structure()
    User = get_user_model()
    today = timezone.localdate()
    regions = [
        Region.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in [
            ("CAL", "Calabria"),
            ("CAM", "Campania"),
            ("PUG", "Puglia"),
            ("SIC", "Sicilia"),
        ]
    ]
    kinds = ["comune", "comune", "capoluogo", "universita"]
    Ente.objects.bulk_create(
        Ente(
            name=f"Ente di prova {i:03d}",
            slug=f"ente-{i:03d}",
            kind=kinds[i % 4],
            region=regions[i % 4],
            cohort="prima_fase",
        )
        for i in range(BODIES)
    )
    bodies = list(Ente.objects.order_by("pk"))
    staff = User.objects.create(email="staff@bench.it", first_name="S", last_name="Staff")
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get_or_create(name=access.STAFF_GROUP)[0])
    expert = User.objects.create(email="expert@bench.it", first_name="E", last_name="Esperto")
    member = User.objects.create(email="member@bench.it", first_name="M", last_name="Membro")
    for ente in bodies[:EXPERT_BODIES]:
        ExpertAssignment.objects.create(expert=expert, ente=ente)
    Membership.objects.create(user=member, ente=bodies[0], state="approved")

    # Three years of monthly measurements up to this month.
    first = today.year * 12 + today.month - 1 - (MONTHS - 1)
    start = datetime.date(first // 12, first % 12 + 1, 1)
    end = datetime.date(today.year + 1, 12, 31)
    ImprovementPlan.objects.bulk_create(
        ImprovementPlan(
            ente=ente,
            title=f"Piano {p} di {ente.name}",
            problem_analysis="Analisi del problema. " * 20,
            priority_objective="Obiettivo prioritario.",
            phase="obiettivi",
            service_area="rifiuti" if p == 0 else "",
            responsible="Dirigente",
            start_date=start,
            end_date=end,
            status="in_corso",
            review_status=["in_linea", "a_rischio", "in_ritardo", ""][p % 4],
        )
        for ente in bodies
        for p in range(PLANS)
    )
    plans = list(ImprovementPlan.objects.order_by("pk"))
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            title=f"Azione {m}",
            owner="Ufficio",
            due_date=start + datetime.timedelta(days=200 * (m + 1)),
            progress=[100, 80, 40, 0][m],
        )
        for plan in plans
        for m in range(MILESTONES)
    )
    months = [datetime.date((first + k) // 12, (first + k) % 12 + 1, 1) for k in range(MONTHS)]
    Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            name=f"Indicatore {i}",
            kind="risultato",
            unit="percentuale",
            baseline=Decimal(30),
            target=Decimal(70),
            direction="aumento",
            data_source="Fonte",
            latest_value=Decimal(30 + len(months) * (0.5 + (i % 3) * 0.5)),
            latest_date=months[-1],
            off_target=i % 3 == 0,
        )
        for plan in plans
        for i in range(INDICATORS)
    )
    indicator_ids = list(Indicator.objects.values_list("pk", flat=True))
    batch = []
    for indicator_id in indicator_ids:
        for k, day in enumerate(months):
            batch.append(Measurement(indicator_id=indicator_id, date=day, value=Decimal(30 + k)))
        if len(batch) >= 20000:
            Measurement.objects.bulk_create(batch)
            batch = []
    Measurement.objects.bulk_create(batch)
    for year in (today.year - 1, today.year):
        for ente in bodies:
            services.calendar_ensure(ente=ente, year=year)
    CycleDocument.objects.filter(
        year=today.year - 1, ente_id__in=[b.pk for b in bodies[::3]]
    ).update(status="adottato")
    return {
        "staff": staff,
        "expert": expert,
        "member": member,
        "plan": plans[0],
        "measurements": Measurement.objects.count(),
    }


def measure(client, url: str, seconds: float) -> dict:
    from django.db import connection

    for _ in range(3):
        assert client.get(url).status_code == 200, url
    # Counted with an execute wrapper: it survives the request closing the connection.
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        client.get(url)
        done += 1
    elapsed = time.perf_counter() - started
    return {"rps": round(done / elapsed, 1), "queries": len(executed), "requests": done}


def child(backend: str, seconds: float) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    world = build()
    built = round(time.perf_counter() - started, 1)
    results = {"build_seconds": built, "measurements": world["measurements"]}
    pages = {
        "staff_board": (world["staff"], reverse("pam:board")),
        "expert_board": (world["expert"], reverse("pam:board")),
        "plan_page": (world["member"], reverse("pam:plan", args=[world["plan"].pk])),
    }
    for name, (user, url) in pages.items():
        client = Client()
        client.force_login(user)
        results[name] = measure(client, url, seconds)
    print(json.dumps({backend: results}))


def run_backend(backend: str, seconds: float) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="paq-bench-pam-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        # The bench logs staff and experts in without a second factor.
        "PORTAL_REQUIRE_MFA": "false",
        "SQLITE_PATH": str(workdir / "bench.sqlite3"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "MEDIA_ROOT": str(workdir / "media"),
    }
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    if backend == "postgres":
        import psycopg

        server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench_pam")
            connection.execute("CREATE DATABASE bench_pam")
        env["DATABASE_URL"] = server.rsplit("/", 1)[0] + "/bench_pam"
    try:
        output = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "tests.bench.bench_pam",
                "--child",
                backend,
                "--seconds",
                str(seconds),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if output.returncode != 0:
            raise RuntimeError(f"{backend} run failed:\n{output.stderr[-4000:]}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if backend == "postgres":
            with psycopg.connect(server, autocommit=True) as connection:
                connection.execute("DROP DATABASE IF EXISTS bench_pam")
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.seconds)
        return
    results = {
        "bodies": BODIES,
        "plans_per_body": PLANS,
        "indicators_per_plan": INDICATORS,
        "months": MONTHS,
    }
    for backend in args.backends.split(","):
        results.update(run_backend(backend, args.seconds))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
