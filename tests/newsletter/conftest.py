"""Fixtures of the newsletter tests: the archive, issues, subscribers, editors."""

from datetime import date

import pytest
from django.utils import timezone

from newsletter.models import (
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
    SubscriberStatus,
)
from portal import access
from portal.pages.models import ContentPage, HomePage
from tests.factories import StaffFactory, UserFactory


@pytest.fixture
def newsletter_index(db):
    return NewsletterIndexPage.objects.get()


@pytest.fixture
def article(db):
    home = HomePage.objects.get()
    page = ContentPage(
        title="Il Sistema di Misurazione e Valutazione della Performance",
        slug="smvp-approfondimento",
        intro="Come si costruisce un SMVP aggiornato alle Linee guida del DFP.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_issue(
    index,
    *,
    title="Newsletter di novembre",
    slug="novembre-2026",
    body=None,
    publish=True,
    **fields,
):
    issue = NewsletterIssuePage(
        title=title,
        slug=slug,
        issue_date=fields.pop("issue_date", date(2026, 11, 1)),
        intro=fields.pop("intro", "Il monitoraggio intermedio del PdP e le novità dal DFP."),
        **fields,
    )
    issue.body = (
        body
        if body is not None
        else [
            (
                "editorial",
                {
                    "title": "Editoriale",
                    "text": "<p>Il <b>monitoraggio</b> intermedio è alle porte.</p>",
                    "signature": "La redazione",
                },
            ),
            (
                "news",
                {
                    "title": "Nuove Linee guida",
                    "text": "<p>Pubblicate le Linee guida n. 5.</p>",
                    "page": None,
                    "url": "https://www.funzionepubblica.gov.it/",
                },
            ),
            (
                "from_bodies",
                {
                    "ente": "Comune di Giugliano in Campania",
                    "title": "Il PIAO in 90 giorni",
                    "text": "<p>Il gruppo di lavoro ha chiuso la mappatura.</p>",
                    "url": "",
                },
            ),
        ]
    )
    issue.live = publish
    index.add_child(instance=issue)
    revision = issue.save_revision()
    if publish:
        revision.publish()
    return NewsletterIssuePage.objects.get(pk=issue.pk)


@pytest.fixture
def issue_factory(newsletter_index):
    def make(**kwargs):
        return make_issue(newsletter_index, **kwargs)

    return make


@pytest.fixture
def issue(issue_factory):
    return issue_factory()


@pytest.fixture
def subscriber_factory(db):
    counter = {"n": 0}

    def make(email=None, status=SubscriberStatus.ACTIVE, **fields):
        counter["n"] += 1
        now = timezone.now()
        return Subscriber.objects.create(
            email=email or f"iscritto{counter['n']}@comune.example.it",
            status=status,
            consent_text="consenso di prova",
            consent_at=now,
            consent_ip="192.0.2.1",
            confirmed_at=now if status == SubscriberStatus.ACTIVE else None,
            **fields,
        )

    return make


@pytest.fixture
def editor(db):
    return UserFactory(email="redattore@paq.example.it", groups=[access.EDITOR_GROUP])


@pytest.fixture
def moderator(db):
    return UserFactory(email="moderatore@paq.example.it", groups=[access.MODERATOR_GROUP])


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff.newsletter@paq.example.it")


@pytest.fixture
def participant(db):
    return UserFactory(email="partecipante@comune.example.it")


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(request, monkeypatch):
    """Emails and tasks are queued after commit; in a test wrapped in a transaction they
    run at once instead (transactional tests commit for real and keep the real hook)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and not marker.kwargs.get("transaction"):
        from django.db import transaction

        monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
    yield
