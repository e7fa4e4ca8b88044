"""Forum benchmark: a topic with 5,000 posts and a board with 2,000 topics.

Run: .venv/bin/python -m tests.bench.bench_forum [--seconds 3] [--postgres URL]

For each database (SQLite always; PostgreSQL when a server answers at --postgres, by
default postgres://postgres@127.0.0.1:5432/postgres, in a throw-away database) a child
process builds the data, then drives the production settings' full middleware stack
in-process with Django's test client (no network, so the figures are the framework's
and the forum's, not a socket's). It measures requests/second and queries of:

- the board page (2,000 topics) and the first, middle and last page of the 5,000-post
  topic, for a visitor served from the page cache, a visitor whose pages are rendered,
  and a logged-in member;
- posting a reply (POST, redirect; notifications are enqueued as tasks);
- the framework's floor: a trivial view returning as many bytes as each page, through
  the same stack; the ratio page/floor says how much the page costs;
- the layout alone (the forum's empty search form in the site's frame), to tell the
  site's frame from the forum in that cost.

The last line is one JSON object with every figure and the checks the issue asks for
(same query count on every page of the topic; last page no slower than 1.2x the first,
timed in alternating rounds of the two pages), taken on the rendered pages.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
POSTS_IN_TOPIC = 5_000
TOPICS_IN_BOARD = 2_000
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
# "anonymous": a visitor with no cookie, as deployed (board and topic pages come from the
# page cache after the first request); "anonymous_rendered": a visitor whose browser
# carries some cookie, so every page is rendered; "logged_in": an approved member.
WHO = ("anonymous", "anonymous_rendered", "logged_in")
RENDERED = ("anonymous_rendered", "logged_in")
BENCH_DATABASE = "bench_forum"


# --- The floor: a trivial view through the same stack -------------------------------------


def floor(request):
    from django.http import HttpResponse

    size = request.GET.get("byte", "0")
    return HttpResponse(b"x" * int(size), content_type="text/html; charset=utf-8")


def __getattr__(name):
    """This module is the child's URLconf: the floor view, then the portal's URLs (read
    lazily, so the parent process never imports Django's settings)."""
    if name == "urlpatterns":
        from django.urls import path

        from portal.urls import urlpatterns

        return [path("__floor__/", floor), *urlpatterns]
    raise AttributeError(name)


# --- Child: one database ------------------------------------------------------------------


def _build(stdout):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0, interactive=False)
    from forum.boards.models import Board, Post, Topic
    from forum.boards.services import topic_start
    from tests.factories import MembershipFactory, UserFactory

    User = get_user_model()
    authors = [UserFactory(first_name="Autore", last_name=f"N{i}") for i in range(20)]
    reader = MembershipFactory(user__first_name="Lettrice", user__last_name="Bench").user
    board = Board.objects.get(slug="obiettivi-e-indicatori")
    big = topic_start(
        board=board, author=authors[0], title="Discussione con 5.000 messaggi", body="Inizio"
    )
    body = (
        "Per l'obiettivo sugli **asili nido** usiamo il tasso di copertura e la "
        "percentuale di domande soddisfatte; la fonte è l'anagrafe al 31 dicembre."
    )
    from forum.boards.rendering import render_markdown

    html = str(render_markdown(body))
    now = timezone.now()
    Post.objects.bulk_create(
        (
            Post(
                topic=big,
                number=n,
                author=authors[n % len(authors)],
                body=body,
                body_html=html,
                created_at=now,
            )
            for n in range(2, POSTS_IN_TOPIC + 1)
        ),
        batch_size=1000,
    )
    Topic.objects.filter(pk=big.pk).update(last_number=POSTS_IN_TOPIC, post_count=POSTS_IN_TOPIC)
    big.refresh_from_db()  # else its page count stays 1 and "last page" is the first

    crowded = Board.objects.get(slug="confronto-tra-enti")
    topics = Topic.objects.bulk_create(
        (
            Topic(
                board=crowded,
                title=f"Confronto tra enti n. {i}: indicatori del PEG",
                author=authors[i % len(authors)],
                last_post_author=authors[(i + 1) % len(authors)],
                last_number=1,
                post_count=1,
                last_post_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(TOPICS_IN_BOARD)
        ),
        batch_size=500,
    )
    if topics[0].pk is None:  # backends that do not return ids from bulk inserts
        topics = list(Topic.objects.filter(board=crowded))
    Post.objects.bulk_create(
        (
            Post(topic=t, number=1, author=t.author, body=body, body_html=html, created_at=now)
            for t in topics
        ),
        batch_size=1000,
    )
    Board.objects.filter(pk=crowded.pk).update(
        topic_count=TOPICS_IN_BOARD, post_count=TOPICS_IN_BOARD, last_post_at=now
    )
    stdout.write(f"built: {User.objects.count()} users, {Post.objects.count()} posts\n")
    return big, crowded, reader


def _rate(client, url, seconds, method="get", data=None, expect=200):
    call = getattr(client, method)
    for _ in range(5):  # warm-up
        response = call(url, data) if data else call(url)
        assert response.status_code == expect, (url, response.status_code)
    count = 0
    started = time.perf_counter()
    deadline = started + seconds
    while time.perf_counter() < deadline:
        response = call(url, data) if data else call(url)
        assert response.status_code == expect, (url, response.status_code)
        count += 1
    return count / (time.perf_counter() - started), len(response.content)


def _first_and_last_times(client, first_url, last_url, rounds=9, per_round=15):
    """Median seconds per request of two pages measured in alternating rounds, so that
    the machine's ups and downs fall on both alike (two separate timed windows differed
    by 20% between identical pages)."""
    samples = {first_url: [], last_url: []}
    for url in samples:
        client.get(url)
    for _ in range(rounds):
        for url in (first_url, last_url):
            started = time.perf_counter()
            for _ in range(per_round):
                assert client.get(url).status_code == 200
            samples[url].append((time.perf_counter() - started) / per_round)
    return statistics.median(samples[first_url]), statistics.median(samples[last_url])


def _queries(client, url, method="get", data=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = getattr(client, method)
    call(url, data) if data else call(url)
    with CaptureQueriesContext(connection) as context:
        call(url, data) if data else call(url)
    return len(context)


def child(seconds: float) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    big, crowded, reader = _build(sys.stderr)
    last_page = big.page_count
    assert last_page > 2, "the long topic must span many pages"
    pages = {
        "board": crowded.get_absolute_url(),
        "topic_first": f"{big.get_absolute_url()}?pagina=1",
        "topic_middle": f"{big.get_absolute_url()}?pagina={last_page // 2}",
        "topic_last": f"{big.get_absolute_url()}?pagina={last_page}",
    }
    result: dict = {"database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]}
    # Static URLs without collectstatic's manifest (nothing is written into the tree).
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(ROOT_URLCONF="tests.bench.bench_forum", STORAGES=storages):
        for who in WHO:
            client = Client(HTTP_HOST="127.0.0.1", secure=True)
            if who == "logged_in":
                client.force_login(reader, backend=settings.AUTHENTICATION_BACKENDS[0])
            elif who == "anonymous_rendered":
                # Any cookie keeps a visitor out of the page cache: every page is rendered.
                client.cookies["bench"] = "1"
            rows = {}
            for name, url in pages.items():
                rps, size = _rate(client, url, seconds)
                floor_rps, _size = _rate(client, f"/__floor__/?byte={size}", seconds)
                rows[name] = {
                    "requests_per_second": round(rps, 1),
                    "queries": _queries(client, url),
                    "bytes": size,
                    "floor_requests_per_second": round(floor_rps, 1),
                    "ratio_to_floor": round(rps / floor_rps, 3),
                }
                print(f"{result['database']} {who} {name}: {rps:.0f} req/s", file=sys.stderr)
            # The layout alone (header, menu, footer around a one-field form): how much of
            # a page's time is the site's frame rather than the forum.
            rps, size = _rate(client, "/forum/cerca/", seconds)
            rows["layout_only_search_form"] = {
                "requests_per_second": round(rps, 1),
                "queries": _queries(client, "/forum/cerca/"),
                "bytes": size,
            }
            if who in RENDERED:
                first, last = _first_and_last_times(
                    client, pages["topic_first"], pages["topic_last"]
                )
                rows["topic_first_and_last_alternating_ms"] = {
                    "first": round(first * 1000, 2),
                    "last": round(last * 1000, 2),
                }
            result[who] = rows
        client = Client(HTTP_HOST="127.0.0.1", secure=True)
        client.force_login(reader, backend=settings.AUTHENTICATION_BACKENDS[0])
        reply_url = f"/forum/discussioni/{big.pk}/rispondi/"
        data = {"body": "Una risposta dal benchmark, con **grassetto** e un link https://x.it"}
        rps, _size = _rate(client, reply_url, seconds, method="post", data=data, expect=302)
        result["post_reply"] = {
            "requests_per_second": round(rps, 1),
            "queries": _queries(client, reply_url, method="post", data=data),
        }
    topic_queries = {
        who: {result[who][name]["queries"] for name in pages if name.startswith("topic_")}
        for who in RENDERED
    }
    result["checks"] = {
        "same_queries_on_every_topic_page": all(len(q) == 1 for q in topic_queries.values()),
        "anonymous_topic_queries": max(topic_queries["anonymous_rendered"]),
        "logged_in_topic_queries": max(topic_queries["logged_in"]),
        "last_over_first_time": {
            who: round(
                result[who]["topic_first_and_last_alternating_ms"]["last"]
                / result[who]["topic_first_and_last_alternating_ms"]["first"],
                3,
            )
            for who in RENDERED
        },
    }
    result["checks"]["last_page_within_1_2x_first"] = all(
        v <= 1.2 for v in result["checks"]["last_over_first_time"].values()
    )
    return result


# --- Parent: one child per database ---------------------------------------------------------


def _postgres_ready(url: str) -> bool:
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        return True
    except Exception as error:  # noqa: BLE001 - any failure means "not available"
        print(f"PostgreSQL not available ({error}): skipped", file=sys.stderr)
        return False


def _drop_postgres(url: str) -> None:
    import psycopg

    with psycopg.connect(url, connect_timeout=3, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


def _run_child(env: dict, seconds: float) -> dict:
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.bench.bench_forum", "--child", "--seconds", str(seconds)],
        cwd=ROOT,
        env=env,
        capture_output=False,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.seconds)))
        return

    # The machine may be shared: the load before and after says how far to trust a run.
    load_before = [round(x, 2) for x in os.getloadavg()]
    workdir = Path(tempfile.mkdtemp(prefix="paq-bench-forum-"))
    base_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "PORTAL_REQUIRE_MFA": "false",
        "PORTAL_FORUM_RATE_LIMIT_POSTS": "100000000",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "MEDIA_ROOT": str(workdir / "media"),
    }
    base_env.pop("REDIS_URL", None)
    results = []
    try:
        sqlite_env = {**base_env, "SQLITE_PATH": str(workdir / "bench.sqlite3")}
        sqlite_env.pop("DATABASE_URL", None)
        results.append(_run_child(sqlite_env, args.seconds))
        if _postgres_ready(args.postgres):
            database_url = args.postgres.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"
            try:
                results.append(_run_child({**base_env, "DATABASE_URL": database_url}, args.seconds))
            finally:
                _drop_postgres(args.postgres)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(
        json.dumps(
            {
                "benchmark": "forum",
                "posts_in_topic": POSTS_IN_TOPIC,
                "topics_in_board": TOPICS_IN_BOARD,
                "seconds_per_measure": args.seconds,
                "load_average_before_after": [
                    load_before,
                    [round(x, 2) for x in os.getloadavg()],
                ],
                "results": {r["database"]: r for r in results},
            }
        )
    )


if __name__ == "__main__":
    main()
