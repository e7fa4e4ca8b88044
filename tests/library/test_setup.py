"""A freshly migrated site, without the demo, already has the library and its databases:
the library page is created after `migrate`, once, and the set-up never fights an
editor's page."""

import pytest
from django.core.management.sql import emit_post_migrate_signal
from wagtail.models import GroupPagePermission

from portal import access
from portal.library.models import LibraryIndexPage
from portal.library.setup import LIBRARY_SLUG, ensure_library_index
from portal.pages.models import ContentPage, HomePage

pytestmark = pytest.mark.django_db


def run_post_migrate():
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def test_migrate_alone_creates_the_library_page_live_under_the_home_page():
    # The test database was built by `migrate`: no fixture, no demo.
    index = LibraryIndexPage.objects.get()

    assert index.live
    assert index.slug == LIBRARY_SLUG
    assert index.get_parent().specific_class is HomePage
    assert GroupPagePermission.objects.filter(
        group__name=access.EXPERT_GROUP, page=index, permission__codename="add_page"
    ).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/biblioteca/",
        "/banche-dati/",
        "/banche-dati/documenti/",
        "/banche-dati/documenti/confronta/",
        "/banche-dati/buone-pratiche/",
        "/banche-dati/risultati/",
        "/banche-dati/dati-aperti/",
        "/banche-dati/dati-aperti/biblioteca.csv",
        "/banche-dati/dati-aperti/documenti-enti.json",
        "/banche-dati/api/buone-pratiche/",
        "/cerca/?q=guida",
    ],
)
def test_a_freshly_migrated_site_serves_the_library_and_the_databases(client, path):
    response = client.get(path)

    assert response.status_code == 200


def test_the_databases_page_links_the_library_on_a_fresh_site(client):
    response = client.get("/banche-dati/")

    assert b'href="/biblioteca/"' in response.content


def test_running_migrate_again_keeps_one_library_page():
    run_post_migrate()
    run_post_migrate()

    assert LibraryIndexPage.objects.count() == 1


def test_a_deleted_library_page_comes_back_with_the_next_migrate():
    LibraryIndexPage.objects.get().delete()

    run_post_migrate()

    assert LibraryIndexPage.objects.get().live


def test_an_editors_page_holding_the_slug_is_left_alone():
    LibraryIndexPage.objects.get().delete()
    home = HomePage.objects.get()
    home.add_child(instance=ContentPage(title="Biblioteca comunale", slug=LIBRARY_SLUG))

    assert ensure_library_index() is None
    assert not LibraryIndexPage.objects.exists()
    assert ContentPage.objects.get(slug=LIBRARY_SLUG).title == "Biblioteca comunale"
