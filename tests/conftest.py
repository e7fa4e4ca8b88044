"""Shared fixtures. Tests needing PostgreSQL, Redis or a browser ask `require_service`:
outside CI they skip with the reason; in CI (CI=true) they fail instead."""

import os
import shutil

import pytest
from django.conf import settings

from portal.pages.models import AreaScope, ReservedAreaIndexPage, ReservedAreaPage

from . import factories
from .loopback import port_open  # noqa: F401 - re-exported for tests

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available: bool, reason: str) -> None:
    if available:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps its rate limits in the cache: every test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.fixture
def user_factory(db):
    return factories.UserFactory


@pytest.fixture
def ente_factory(db):
    return factories.EnteFactory


@pytest.fixture
def staff_user(db):
    return factories.StaffFactory()


@pytest.fixture
def area_factory(db):
    def make(*, ente=None, region=None, task_team=None, title=None):
        index = ReservedAreaIndexPage.objects.get()
        if ente is not None:
            scope, label = AreaScope.ENTE, ente.name
        elif region is not None:
            scope, label = AreaScope.REGION, region.name
        else:
            scope, label = AreaScope.TEAM, task_team.name
        area = ReservedAreaPage(
            title=title or f"Area riservata — {label}",
            scope=scope,
            ente=ente,
            region=region,
            task_team=task_team,
        )
        index.add_child(instance=area)
        area.save_revision().publish()
        return ReservedAreaPage.objects.get(pk=area.pk)

    return make


@pytest.fixture
def login(client):
    def do_login(user):
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        return client

    return do_login
