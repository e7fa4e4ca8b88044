"""The public site: pages, navigation, search, footer, structure, settings profiles."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from wagtail.models import GroupPagePermission, Page, WorkflowPage

from portal.pages.models import ContentPage, HomePage, ReservedAreaIndexPage

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def content_page():
    home = HomePage.objects.get()
    page = ContentPage(
        title="Obiettivi e indicatori",
        slug="obiettivi-e-indicatori",
        intro="Come si definiscono obiettivi misurabili.",
        body=[
            ("heading", "Indicatori di risultato"),
            ("paragraph", "<p>Un indicatore misura il grado di raggiungimento.</p>"),
        ],
        show_in_menus=True,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_home_page_is_italian_and_styled_with_bootstrap_italia(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="it">' in html
    assert "bootstrap-italia.min.css" in html
    assert "Vai al contenuto principale" in html
    assert "Valutazione delle Performance" in html


def test_a_content_page_shows_its_blocks_and_sits_in_the_menu(client, content_page):
    response = client.get("/obiettivi-e-indicatori/")

    html = response.content.decode()
    assert "Indicatori di risultato" in html
    assert "Un indicatore misura il grado" in html
    assert 'href="/obiettivi-e-indicatori/"' in client.get("/").content.decode()


def test_search_finds_public_pages_by_their_text(client, content_page):
    response = client.get("/cerca/", {"q": "indicatore"})

    assert "Obiettivi e indicatori" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "x" * 500, "(?:a+)+$", "\u202e\u0000\ufeff", "<script>alert(1)</script>"],
    ids=["sql", "too-long", "regex", "odd-unicode", "html"],
)
def test_hostile_search_input_is_answered_calmly(client, query):
    response = client.get("/cerca/", {"q": query})

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_home_page_has_a_bounded_number_of_queries(
    client, content_page, django_assert_max_num_queries
):
    """Guards against menus or settings queried once per item."""
    client.get("/")
    with django_assert_max_num_queries(12):
        client.get("/")


def test_editors_rights_stop_at_the_home_page():
    """Wagtail grants its Editors and Moderators the whole tree; here they get the home
    page only, so reserved areas (beside it) are out of their reach in the admin."""
    home = HomePage.objects.get()
    index = ReservedAreaIndexPage.objects.get()

    editor_pages = GroupPagePermission.objects.filter(
        group__name__in=["Editors", "Moderators"]
    ).values_list("page_id", flat=True)

    assert set(editor_pages) == {home.pk}
    assert not index.is_descendant_of(home)
    assert WorkflowPage.objects.get().page_id == home.pk
    assert Page.objects.get(pk=index.pk).url_path == "/aree-riservate/"


def test_embedded_sqlite_waits_for_writers_instead_of_failing():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        busy = cursor.fetchone()[0]

    assert journal == "wal"
    assert busy >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def _manage(*args, **env):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")},
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", ALLOWED_HOSTS="portale.example.it")

    assert result.returncode != 0
    assert "SECRET_KEY deve essere impostata" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _manage("check", SECRET_KEY="k" * 60)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS deve essere impostata" in result.stderr


def test_production_passes_the_deployment_checks_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-key-" + "x7Qz" * 12,
        ALLOWED_HOSTS="portale.example.it",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
