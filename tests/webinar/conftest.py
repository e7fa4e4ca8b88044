"""Webinar fixtures: a programme with one cycle and sessions built in the page tree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.cgp import CgpPhase
from portal.pages.models import HomePage
from tests import factories
from webinar.models import (
    SessionSpeaker,
    WebinarCyclePage,
    WebinarIndexPage,
    WebinarSessionPage,
    WebinarTheme,
)


@pytest.fixture
def programme(db):
    home = HomePage.objects.get()
    index = WebinarIndexPage(title="Webinar", slug="webinar")
    home.add_child(instance=index)
    index.save_revision().publish()
    cycle = WebinarCyclePage(title="Ciclo di prova", slug="ciclo")
    index.add_child(instance=cycle)
    cycle.save_revision().publish()
    return cycle


@pytest.fixture
def expert(db):
    from portal import access

    return factories.UserFactory(
        first_name="Giulia", last_name="Ferraro", groups=[access.EXPERT_GROUP]
    )


@pytest.fixture
def session_factory(programme, expert):
    counter = {"n": 0}

    def make(*, starts_in=timedelta(days=7), speaker=None, publish=True, **fields):
        counter["n"] += 1
        defaults = {
            "title": f"Webinar {counter['n']}",
            "slug": f"webinar-{counter['n']}",
            "starts_at": (timezone.now() + starts_in).replace(second=0, microsecond=0),
            "theme": WebinarTheme.OBIETTIVI,
            "cgp_phase": CgpPhase.OBIETTIVI,
            "summary": "Obiettivi e indicatori negli enti locali.",
            "capacity": 100,
            "meeting_url": "https://meet.example.it/segreto",
        }
        defaults.update(fields)
        page = WebinarSessionPage(**defaults)
        page.speakers = [SessionSpeaker(user=speaker or expert, role="Esperto")]
        programme.add_child(instance=page)
        if publish:
            page.save_revision().publish()
        return WebinarSessionPage.objects.get(pk=page.pk)

    return make
