"""Library and databases benchmark: 10,000 library items and 5,000 body documents.

Run: .venv/bin/python -m tests.bench.bench_library [--items 10000] [--documents 5000]
         [--seconds 5] [--backends sqlite,postgres]

For each database backend a worker process builds a throw-away database (SQLite file, or
a PostgreSQL database `bench_library` on DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432/postgres), fills it in bulk, indexes the items for
search (items, and the text of every body document's file), and drives Django's test
client in-process against three requests: the filtered library list with its facets, the
unified search results page (library section; all sections, bodies' documents matched by
file text included), and a full CSV export of the library and of the documents database;
also the documents list searched by file text. It reports requests/second
and the queries each request makes, and prints one JSON object on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "bench_library"


# --- worker (runs inside Django) ----------------------------------------------------------


def _fill(items: int, documents: int) -> dict:
    import datetime
    import random
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from portal.cgp import CgpPhase
    from portal.enti.models import Cohort, Ente, EnteKind, Region
    from portal.library.models import Audience, LibraryItemPage, LibraryTopic, MaterialType
    from portal.library.setup import ensure_library_index
    from portal.pam.models import CycleDocument, DocumentKind, DocumentStatus

    rng = random.Random(8)
    started = time.perf_counter()
    index = ensure_library_index()
    content_type = ContentType.objects.get_for_model(LibraryItemPage)
    locale = Locale.get_default()
    now = timezone.now()
    words = [
        "indicatori",
        "obiettivi",
        "performance",
        "monitoraggio",
        "relazione",
        "piano",
        "valutazione",
        "trasparenza",
        "servizi",
        "rifiuti",
        "istruzione",
        "bilancio",
        "programmazione",
        "dirigenti",
        "cittadini",
        "benchmarking",
        "qualità",
        "tempi",
        "pagamento",
    ]
    phases = [c for c, _ in CgpPhase.choices]
    topics = [c for c, _ in LibraryTopic.choices]
    kinds = [c for c, _ in EnteKind.choices] + [""]
    materials = [c for c, _ in MaterialType.choices]

    def path_step(n: int) -> str:
        alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        out = ""
        for _ in range(4):
            n, r = divmod(n, 36)
            out = alphabet[r] + out
        return out

    pages, rows = [], []
    for i in range(items):
        title = f"{rng.choice(words).capitalize()} {rng.choice(words)} {rng.choice(words)} n. {i}"
        slug = f"materiale-{i}"
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=index.path + path_step(i + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale=locale,
                translation_key=uuid.uuid4(),
            )
        )
    with transaction.atomic():
        Page.objects.bulk_create(pages, batch_size=1000)
        Page.objects.filter(pk=index.pk).update(numchild=items)
        ids = list(
            Page.objects.filter(path__startswith=index.path, depth=index.depth + 1)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        for pk in ids:
            rows.append(
                (
                    pk,
                    " ".join(rng.choice(words) for _ in range(25)),
                    "",
                    rng.choice(phases),
                    rng.choice(topics),
                    rng.choice(kinds),
                    rng.choice(materials),
                    rng.randint(2015, 2026),
                    Audience.PARTICIPANTS if rng.random() < 0.2 else Audience.PUBLIC,
                )
            )
        table = LibraryItemPage._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (page_ptr_id, summary, body, cgp_phase, topic, ente_kind, "  # noqa: S608
                "material_type, year, audience) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
    filled_items = time.perf_counter() - started

    backend = get_search_backend()
    queryset = LibraryItemPage.objects.all().order_by("pk")
    for start in range(0, items, 1000):
        backend.add_bulk(LibraryItemPage, list(queryset[start : start + 1000]))
    indexed = time.perf_counter() - started - filled_items

    regions = [
        Region.objects.get_or_create(code=c, defaults={"name": n})[0]
        for c, n in [
            ("CAL", "Calabria"),
            ("CAM", "Campania"),
            ("PUG", "Puglia"),
            ("SIC", "Sicilia"),
        ]
    ]
    doc_kinds = [c for c, _ in DocumentKind.choices]
    statuses = [c for c, _ in DocumentStatus.choices]
    per_ente = len(doc_kinds) * 10
    enti = Ente.objects.bulk_create(
        [
            Ente(
                name=f"Comune di Prova {n}",
                slug=f"prova-{n}",
                kind=rng.choice(kinds[:-1]),
                istat_code=f"{n:06d}",
                region=rng.choice(regions),
                cohort=Cohort.PRIMA_FASE,
            )
            for n in range(documents // per_ente + 1)
        ]
    )
    cycle = []
    for ente in enti:
        for year in range(2016, 2026):
            for kind in doc_kinds:
                if len(cycle) >= documents:
                    break
                status = rng.choice(statuses)
                cycle.append(
                    CycleDocument(
                        ente=ente,
                        year=year,
                        kind=kind,
                        status=status,
                        due_date=datetime.date(year, 6, 30),
                        link="https://example.it/t" if rng.random() < 0.5 else "",
                    )
                )
    CycleDocument.objects.bulk_create(cycle, batch_size=1000)
    # Every body document has a file whose text is indexed (as the extraction task leaves
    # it), so text searches of the documents database run against 5,000 texts.
    from portal.pam.models import CycleDocumentText

    started_texts = time.perf_counter()
    texts = [
        CycleDocumentText(
            document_id=pk,
            file_name=f"pam/{pk}.pdf",
            text=" ".join(rng.choice(words) for _ in range(300)),
        )
        for pk in CycleDocument.objects.order_by("pk").values_list("pk", flat=True)
    ]
    CycleDocumentText.objects.bulk_create(texts, batch_size=1000)
    text_rows = CycleDocumentText.objects.order_by("pk")
    for start in range(0, len(texts), 1000):
        backend.add_bulk(CycleDocumentText, list(text_rows[start : start + 1000]))
    indexed_texts = time.perf_counter() - started_texts
    # A live database has planner statistics (autovacuum); a bulk-loaded one has none, and
    # PostgreSQL then plans a two-word full-text query as a nested loop (4 s instead of
    # 10 ms). Measure the steady state.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "items": items,
        "documents": len(cycle),
        "fill_seconds": round(filled_items, 1),
        "index_seconds": round(indexed, 1),
        "document_texts_seconds": round(indexed_texts, 1),
    }


def _measure(client, url: str, seconds: float, params=None) -> dict:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, params or {})
        if getattr(response, "streaming", False):
            size = sum(len(chunk) for chunk in response.streaming_content)
        else:
            size = len(response.content)
    assert response.status_code == 200, (url, response.status_code)
    count_done, deadline = 0, time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline or count_done == 0:
        response = client.get(url, params or {})
        if getattr(response, "streaming", False):
            for _chunk in response.streaming_content:
                pass
        count_done += 1
    elapsed = time.perf_counter() - started
    return {
        "rps": round(count_done / elapsed, 2),
        "ms": round(1000 * elapsed / count_done, 1),
        "queries": len(executed),
        "bytes": size,
    }


def worker(args) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    from portal.library.models import LibraryIndexPage

    filled = _fill(args.items, args.documents)
    index_url = LibraryIndexPage.objects.get().url
    # A logged-in participant: never served from the anonymous page cache, and sees the
    # reserved items too (the larger listing).
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from portal import access

    user = get_user_model().objects.create(email="bench@paq.example.it")
    user.groups.add(Group.objects.get_or_create(name=access.EXPERT_GROUP)[0])
    client = Client()
    client.force_login(user)
    results = {
        "library_filtered_with_facets": _measure(
            client, index_url, args.seconds, {"fase": ["obiettivi", "monitoraggio"], "anno": "2024"}
        ),
        "library_text_with_facets": _measure(client, index_url, args.seconds, {"q": "indicatori"}),
        "search_results_page": _measure(
            client, "/cerca/", args.seconds, {"q": "indicatori monitoraggio", "tipo": "biblioteca"}
        ),
        "search_all_sections": _measure(client, "/cerca/", args.seconds, {"q": "indicatori"}),
        "csv_export_library": _measure(
            client, "/banche-dati/dati-aperti/biblioteca.csv", args.seconds
        ),
        "csv_export_documents": _measure(
            client, "/banche-dati/dati-aperti/documenti-enti.csv", args.seconds
        ),
        "documents_filtered_with_facets": _measure(
            client, "/banche-dati/documenti/", args.seconds, {"regione": "CAM", "anno": "2024"}
        ),
        "documents_text_search_with_facets": _measure(
            client, "/banche-dati/documenti/", args.seconds, {"q": "indicatori monitoraggio"}
        ),
        "api_page": _measure(
            client, "/banche-dati/api/documenti-enti/", args.seconds, {"limit": "100"}
        ),
    }
    return {"setup": filled, "requests": results}


# --- driver -------------------------------------------------------------------------------


def _run_backend(backend: str, args) -> dict:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="portal.settings.test")
    env.pop("TEST_DATABASE_NAME", None)
    if backend == "postgres":
        import psycopg

        server = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
        with psycopg.connect(
            server.replace("postgres://", "postgresql://"), autocommit=True
        ) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            conn.execute(f"CREATE DATABASE {PG_DB}")
        env["DATABASE_URL"] = server.rsplit("/", 1)[0] + f"/{PG_DB}"
    else:
        env.pop("DATABASE_URL", None)
    command = [
        sys.executable,
        "-m",
        "tests.bench.bench_library",
        "--worker",
        "--items",
        str(args.items),
        "--documents",
        str(args.documents),
        "--seconds",
        str(args.seconds),
    ]
    try:
        output = subprocess.run(  # noqa: S603
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
        ).stdout
    except subprocess.CalledProcessError as error:
        return {"error": error.stderr[-2000:]}
    finally:
        if backend == "postgres":
            import psycopg

            with psycopg.connect(
                server.replace("postgres://", "postgresql://"), autocommit=True
            ) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--documents", type=int, default=5_000)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--worker", action="store_true")
    args = parser.parse_args()
    if args.worker:
        result = worker(args)
        from django.conf import settings

        name = str(settings.DATABASES["default"]["NAME"])
        if name.endswith(".sqlite3"):
            from django.db import connection

            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)
        print(json.dumps(result))
        return
    report = {"benchmark": "library", "items": args.items, "documents": args.documents}
    for backend in args.backends.split(","):
        report[backend] = _run_backend(backend.strip(), args)
        print(f"{backend}: {json.dumps(report[backend])}", file=sys.stderr)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
