"""The public programme: index, cycle and session pages, times in Europe/Rome, iCalendar
files, bounded query counts, and anonymous pages served from the cache."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from portal.cgp import CgpPhase
from tests import factories
from webinar import services
from webinar.models import SessionStatus, WebinarIndexPage, WebinarTheme

pytestmark = pytest.mark.django_db

# 22 January 2027, 09:30 UTC: 10:30 in Rome (winter time, UTC+1).
WINTER_START = datetime(2027, 1, 22, 9, 30, tzinfo=UTC)


def index_url():
    return WebinarIndexPage.objects.get().url


def calendar_events(content: bytes):
    calendar = Calendar.from_ical(content)
    return list(calendar.walk("VEVENT"))


@pytest.fixture
def mixed_programme(session_factory):
    """Two upcoming sessions on different themes/phases and one already held."""
    return {
        "obiettivi": session_factory(
            title="Sessione Alfa sugli indicatori",
            theme=WebinarTheme.OBIETTIVI,
            cgp_phase=CgpPhase.OBIETTIVI,
            starts_in=timedelta(days=10),
        ),
        "controlli": session_factory(
            title="Sessione Beta sulla Legge 213",
            theme=WebinarTheme.CONTROLLI,
            cgp_phase=CgpPhase.MONITORAGGIO,
            starts_in=timedelta(days=20),
        ),
        "passato": session_factory(
            title="Sessione Gamma sul ciclo",
            theme=WebinarTheme.CICLO,
            cgp_phase=CgpPhase.PROGRAMMAZIONE,
            starts_in=-timedelta(days=30),
        ),
    }


def titles_in(response, section_id):
    """Session titles listed in one section of the programme page."""
    html = response.content.decode()
    start = html.index(f'id="{section_id}"')
    end = html.find("</section>", start)
    return html[start:end]


# --- Programme page ----------------------------------------------------------------------


def test_programme_lists_upcoming_by_default_and_past_on_request(client, mixed_programme):
    response = client.get(index_url())

    assert response.status_code == 200
    upcoming = titles_in(response, "in-programma")
    assert "Sessione Alfa sugli indicatori" in upcoming
    assert "Sessione Beta sulla Legge 213" in upcoming
    assert "Sessione Gamma sul ciclo" not in response.content.decode()

    past = client.get(index_url(), {"quando": "passati"})
    assert "Sessione Gamma sul ciclo" in titles_in(past, "gia-svolti")
    assert "Sessione Alfa sugli indicatori" not in past.content.decode()

    everything = client.get(index_url(), {"quando": "tutti"}).content.decode()
    for session in mixed_programme.values():
        assert session.title in everything


def test_upcoming_sessions_are_in_date_order(client, mixed_programme):
    html = titles_in(client.get(index_url()), "in-programma")
    assert html.index("Sessione Alfa sugli indicatori") < html.index(
        "Sessione Beta sulla Legge 213"
    )


def test_programme_filters_by_theme_and_by_cgp_phase(client, mixed_programme):
    by_theme = client.get(index_url(), {"tema": WebinarTheme.CONTROLLI, "quando": "tutti"})
    assert by_theme.context["filters"]["tema"] == WebinarTheme.CONTROLLI
    assert [s.title for s in by_theme.context["upcoming"]] == ["Sessione Beta sulla Legge 213"]
    assert by_theme.context["past"] == []

    by_phase = client.get(index_url(), {"fase": CgpPhase.PROGRAMMAZIONE, "quando": "tutti"})
    assert by_phase.context["upcoming"] == []
    assert [s.title for s in by_phase.context["past"]] == ["Sessione Gamma sul ciclo"]

    both = client.get(index_url(), {"tema": WebinarTheme.OBIETTIVI, "fase": CgpPhase.MONITORAGGIO})
    assert both.context["upcoming"] == []
    assert "Nessun webinar in programma con questi filtri." in both.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"tema": "<script>alert(1)</script>"},
        {"fase": "nessuna"},
        {"quando": "ieri"},
        {"tema": "", "fase": "", "quando": ""},
        {"tema": "obiettivi'--", "quando": "passati' OR 1=1"},
    ],
)
def test_bad_filter_values_are_ignored(client, mixed_programme, params):
    response = client.get(index_url(), params)

    assert response.status_code == 200
    assert response.context["filters"]["quando"] == "prossimi"
    assert response.context["filters"]["tema"] == ""
    assert response.context["filters"]["fase"] == ""
    assert len(response.context["upcoming"]) == 2
    assert b"<script>alert(1)</script>" not in response.content


def test_cancelled_session_stays_listed_with_its_badge(client, session_factory):
    session_factory(title="Annullato per maltempo", status=SessionStatus.CANCELLED)
    html = client.get(index_url()).content.decode()
    assert "Annullato per maltempo" in html
    assert "Annullato</span>" in html


def test_unpublished_sessions_are_not_in_the_programme(client, session_factory):
    session_factory(title="Bozza non pubblicata", publish=False, live=False)
    assert (
        "Bozza non pubblicata" not in client.get(index_url(), {"quando": "tutti"}).content.decode()
    )


# --- Cycle and session pages ------------------------------------------------------------


def test_cycle_page_lists_its_sessions_in_order(client, programme, mixed_programme):
    response = client.get(programme.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Sessione Gamma sul ciclo") < html.index("Sessione Alfa sugli indicatori")
    assert "Sessione Beta sulla Legge 213" in html


def test_session_page_shows_time_in_europe_rome_speakers_audience_and_goals(
    client, session_factory, expert
):
    session = session_factory(
        title="Lo sviluppo di Obiettivi ed Indicatori",
        starts_at=WINTER_START,
        duration_minutes=120,
        audience="Direttori generali, segretari generali, componenti OIV",
        goals="<p>Saper scrivere un indicatore misurabile</p>",
    )

    response = client.get(session.url)
    html = response.content.decode()

    assert response.status_code == 200
    assert "venerdì 22 gennaio 2027, ore 10:30" in html.lower()  # 09:30 UTC is 10:30 in Rome
    assert 'datetime="2027-01-22T10:30:00+01:00"' in html
    assert "120 minuti" in html
    assert "Giulia Ferraro" in html
    assert "Direttori generali, segretari generali, componenti OIV" in html
    assert "Saper scrivere un indicatore misurabile" in html
    assert f"/webinar/{session.pk}/evento.ics" in html


def test_summer_time_is_shown_as_italian_summer_time(client, session_factory):
    session = session_factory(starts_at=datetime(2027, 6, 10, 8, 0, tzinfo=UTC))
    assert "ore 10:00" in client.get(session.url).content.decode()  # UTC+2 in June


def test_anonymous_visitor_is_invited_to_log_in_and_sees_no_meeting_link(client, session_factory):
    session = session_factory()
    html = client.get(session.url).content.decode()
    assert "accedi" in html
    assert "meet.example.it" not in html
    assert f"/webinar/{session.pk}/iscrizione/" not in html


# --- iCalendar ---------------------------------------------------------------------------


def test_programme_feed_has_one_event_per_published_session(client, mixed_programme):
    response = client.get("/webinar/calendario.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = calendar_events(response.content)
    assert {str(e["SUMMARY"]) for e in events} == {s.title for s in mixed_programme.values()}
    for session in mixed_programme.values():
        (event,) = [e for e in events if str(e["UID"]) == f"webinar-{session.pk}@portale-paq"]
        assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
        assert event.decoded("DTEND") == session.ends_at.replace(microsecond=0)


def test_session_ics_is_an_attachment_with_start_end_and_uid(client, session_factory):
    session = session_factory(title="Obiettivi ed Indicatori", starts_at=WINTER_START)

    response = client.get(f"/webinar/{session.pk}/evento.ics")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    (event,) = calendar_events(response.content)
    assert event.decoded("DTSTART") == WINTER_START
    assert event.decoded("DTEND") == WINTER_START + timedelta(minutes=90)
    assert str(event["UID"]) == f"webinar-{session.pk}@portale-paq"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 0
    assert session.url in str(event["URL"])


def test_ics_of_unknown_or_unpublished_session_is_not_found(client, session_factory):
    draft = session_factory(publish=False, live=False)
    assert client.get(f"/webinar/{draft.pk}/evento.ics").status_code == 404
    assert client.get("/webinar/999999/evento.ics").status_code == 404


def test_a_time_change_then_a_cancellation_raise_the_sequence(
    client, session_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_factory(starts_at=WINTER_START)
    (before,) = calendar_events(client.get(f"/webinar/{session.pk}/evento.ics").content)

    moved_to = WINTER_START + timedelta(days=1, hours=2)
    session.starts_at = moved_to
    with django_capture_on_commit_callbacks(execute=True):
        session.save_revision().publish()
    (after_move,) = calendar_events(client.get(f"/webinar/{session.pk}/evento.ics").content)

    session.status = SessionStatus.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        session.save_revision().publish()
    (after_cancel,) = calendar_events(client.get(f"/webinar/{session.pk}/evento.ics").content)

    assert str(before["UID"]) == str(after_move["UID"]) == str(after_cancel["UID"])
    assert int(before["SEQUENCE"]) < int(after_move["SEQUENCE"]) < int(after_cancel["SEQUENCE"])
    assert after_move.decoded("DTSTART") == moved_to
    assert str(after_cancel["STATUS"]) == "CANCELLED"
    feed_events = calendar_events(client.get("/webinar/calendario.ics").content)
    (in_feed,) = [e for e in feed_events if str(e["UID"]) == str(after_cancel["UID"])]
    assert str(in_feed["STATUS"]) == "CANCELLED"
    assert int(in_feed["SEQUENCE"]) == int(after_cancel["SEQUENCE"])


def test_republishing_without_a_change_keeps_the_sequence(
    client, session_factory, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_factory()
    session.summary = "Nuovo sommario, stesso orario."
    with django_capture_on_commit_callbacks(execute=True):
        session.save_revision().publish()
    (event,) = calendar_events(client.get(f"/webinar/{session.pk}/evento.ics").content)
    assert int(event["SEQUENCE"]) == 0


# --- Query counts ------------------------------------------------------------------------


def _count_queries(client, url):
    cache.clear()  # anonymous pages would come from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _add_sessions(session_factory, count, **fields):
    speaker = factories.UserFactory(first_name="Luca", last_name="Bianchi")
    for number in range(count):
        session_factory(
            starts_in=timedelta(days=number + 1),
            speaker=speaker if number % 2 else None,
            **fields,
        )


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_programme_page_queries_are_bounded_and_constant_in_sessions(
    client, session_factory, django_assert_max_num_queries, logged_in
):
    if logged_in:
        client.force_login(factories.UserFactory())
    _add_sessions(session_factory, 3)
    client.get(index_url())  # warm the site root caches
    with_three = _count_queries(client, index_url())
    _add_sessions(session_factory, 9)
    with_twelve = _count_queries(client, index_url())

    assert with_three == with_twelve
    cache.clear()
    with django_assert_max_num_queries(27 if logged_in else 20):
        response = client.get(index_url())
    assert len(response.context["upcoming"]) == 12


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_cycle_page_queries_are_constant_in_sessions(client, programme, session_factory, logged_in):
    if logged_in:
        client.force_login(factories.UserFactory())
    _add_sessions(session_factory, 3)
    client.get(programme.url)
    with_three = _count_queries(client, programme.url)
    _add_sessions(session_factory, 9)
    assert _count_queries(client, programme.url) == with_three


@pytest.mark.parametrize("role", ["anonymous", "participant", "registrant"])
def test_session_page_queries_are_bounded_and_constant_in_registrations(
    client, session_factory, django_assert_max_num_queries, role
):
    session = session_factory()
    user = factories.UserFactory()
    if role != "anonymous":
        client.force_login(user)
    if role == "registrant":
        services.register(session, user)
    client.get(session.url)
    before = _count_queries(client, session.url)
    for _ in range(10):
        services.register(session, factories.UserFactory())

    assert _count_queries(client, session.url) == before
    cache.clear()
    with django_assert_max_num_queries(20 if role == "anonymous" else 30):
        assert client.get(session.url).status_code == 200


# --- Anonymous page cache ---------------------------------------------------------------


@pytest.fixture(autouse=False)
def site_settings(client):
    """The first request of a new site creates its settings row, which (rightly) starts
    a new cache generation: get it out of the way."""
    client.get("/")


@pytest.mark.parametrize("which", ["index", "session"])
def test_anonymous_pages_come_from_the_cache_with_no_queries_and_no_cookie(
    client, site_settings, session_factory, django_assert_num_queries, which
):
    session = session_factory(title="Dalla cache")
    url = index_url() if which == "index" else session.url
    first = client.get(url)
    assert first.status_code == 200
    assert not first.cookies

    with django_assert_num_queries(0):
        second = client.get(url)

    assert second.status_code == 200
    assert second["X-Cache"] == "hit"
    assert not second.cookies
    assert "Set-Cookie" not in second
    assert second.content == first.content


def test_a_publish_replaces_the_cached_page(client, site_settings, session_factory):
    session = session_factory(title="Titolo vecchio")
    client.get(session.url)
    assert client.get(session.url)["X-Cache"] == "hit"

    session.title = "Titolo nuovo"
    session.save_revision().publish()

    response = client.get(session.url)
    assert "X-Cache" not in response
    assert "Titolo nuovo" in response.content.decode()
    programme = client.get(index_url())
    assert "Titolo nuovo" in programme.content.decode()


def test_a_registration_refreshes_the_free_seats_shown_from_the_cache(
    client, site_settings, session_factory, django_capture_on_commit_callbacks
):
    session = session_factory(capacity=5)
    client.get(session.url)
    assert client.get(session.url)["X-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.register(session, factories.UserFactory())
    assert "X-Cache" not in client.get(session.url)


def test_requests_with_a_cookie_are_never_served_from_the_cache(
    client, site_settings, session_factory
):
    session = session_factory()
    client.get(session.url)
    client.cookies["sessionid"] = "whatever"
    response = client.get(session.url)
    assert "X-Cache" not in response


def test_a_logged_in_page_never_enters_the_cache(client, session_factory):
    session = session_factory()
    user = factories.UserFactory(first_name="Privata", last_name="Persona")
    client.force_login(user)
    services.register(session, user)
    client.get(session.url)
    client.logout()
    client.cookies.clear()
    html = client.get(session.url).content.decode()
    assert "Sei iscritto/a" not in html
    assert "Privata Persona" not in html


def test_now_is_not_frozen_in_the_programme(client, session_factory):
    """A session that ended hours ago is listed among the past ones."""
    session_factory(title="Appena concluso", starts_at=timezone.now() - timedelta(hours=6))
    response = client.get(index_url(), {"quando": "tutti"})
    assert [s.title for s in response.context["past"]] == ["Appena concluso"]
