"""Webinars in the newsletter come from `webinar.selectors` (the webinar app's door):
upcoming sessions fill the block of an issue, recordings go in the automatic draft."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from newsletter import services, sources
from newsletter.emails import render_issue
from newsletter.models import NewsletterIssuePage


class FakeSession:
    def __init__(self, title, starts_at, recording_url=""):
        self.title = title
        self.starts_at = starts_at
        self.recording_url = recording_url

    def get_url(self, request=None):
        return f"/webinar/{self.title.lower().replace(' ', '-')}/"


@pytest.fixture
def programme(monkeypatch):
    now = timezone.now()
    past = FakeSession("Indicatori di impatto", now - timedelta(hours=2), "https://video.example/1")
    upcoming = [
        FakeSession("Il PIAO semplificato", now + timedelta(days=3)),
        FakeSession("Valutazione partecipativa", now + timedelta(days=10)),
    ]
    module = SimpleNamespace(
        upcoming_sessions=lambda after=None, limit=None: upcoming[:limit],
        sessions_between=lambda start, end: [
            s for s in [past, *upcoming] if start <= s.starts_at < end
        ],
    )
    monkeypatch.setattr(sources, "_webinar_selectors", lambda: module)
    return module


@pytest.mark.django_db
def test_upcoming_webinars_fill_the_block_on_the_web_and_in_the_email(
    client, issue_factory, programme
):
    issue = issue_factory(body=[("upcoming_webinars", {"title": "Prossimi webinar", "limit": 2})])
    page = client.get(issue.url).content.decode()
    _subject, html, text = render_issue(issue)
    for output in (page, html, text):
        assert "Il PIAO semplificato" in output
        assert "Valutazione partecipativa" in output
    assert "http://testserver/webinar/il-piao-semplificato/" in html


@pytest.mark.django_db
def test_without_a_webinar_programme_the_block_is_simply_absent(client, issue_factory, monkeypatch):
    monkeypatch.setattr(sources, "_webinar_selectors", lambda: None)
    issue = issue_factory(body=[("upcoming_webinars", {"title": "Prossimi webinar", "limit": 2})])
    assert "Prossimi webinar" not in client.get(issue.url).content.decode()
    assert "Prossimi webinar" not in render_issue(issue)[1]


@pytest.mark.django_db
def test_the_draft_announces_recordings_and_upcoming_webinars(editor, programme):
    month = timezone.localdate().replace(day=1)
    draft = services.issue_draft_from_activity(month=month, user=editor)
    draft = NewsletterIssuePage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    blocks = [(block.block_type, block.value) for block in draft.body]
    titles = [value["title"] for kind, value in blocks if kind == "news"]
    past = timezone.localdate() - timedelta(days=0)
    if past.month == month.month:
        assert "Registrazione disponibile: Indicatori di impatto" in titles
    assert "upcoming_webinars" in [kind for kind, _value in blocks]
