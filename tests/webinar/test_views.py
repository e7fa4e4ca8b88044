"""What a person does through the pages: register and cancel, "my webinars", the live
page (questions, votes, moderation, shared material, questions to the forum), the
questionnaire, the certificate, and the organisers' report with its exports and the
follow-up email. Every refusal is a clear Italian message and changes nothing."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from openpyxl import load_workbook

from forum.boards.models import Topic
from tests import factories
from webinar import services
from webinar.models import (
    AttendanceSpan,
    Notice,
    NoticeKind,
    Question,
    QuestionVote,
    Registration,
    RegistrationStatus,
    SatisfactionResponse,
    SharedMaterial,
)

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert("x")</script><img src=x onerror=alert(1)> <a href="javascript:alert(2)">qui</a>'
)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _fresh_messages(client):
    """Each response carries only its own messages: earlier ones (never displayed, since
    redirects are not followed) are dropped from the cookie before every request."""
    original = client.request

    def request(**kwargs):
        client.cookies.pop("messages", None)
        return original(**kwargs)

    client.request = request


def enrol(session, user, status=RegistrationStatus.CONFIRMED, ente=None):
    """A registration as it stands after the fact (for sessions whose registration is
    closed: live or past)."""
    confirmed = status == RegistrationStatus.CONFIRMED
    return Registration.objects.create(
        session=session,
        user=user,
        ente=ente,
        status=status,
        holds_seat=confirmed,
        confirmed_at=timezone.now() if confirmed else None,
    )


@pytest.fixture
def session(session_factory):
    return session_factory(title="Lo sviluppo di Obiettivi ed Indicatori")


@pytest.fixture
def live_session(session_factory):
    return session_factory(title="In diretta ora", starts_in=-timedelta(minutes=10))


@pytest.fixture
def past_session(session_factory):
    return session_factory(
        title="Già svolto",
        starts_in=-timedelta(hours=5),
        duration_minutes=100,
        attendance_threshold=75,
        recording_url="https://video.example.it/registrazione",
    )


@pytest.fixture
def participant(db):
    return factories.UserFactory(first_name="Anna", last_name="Greco")


@pytest.fixture
def registrant(live_session):
    user = factories.UserFactory(first_name="Rita", last_name="Iscritta")
    enrol(live_session, user)
    return user


# --- Registration ------------------------------------------------------------------------


def test_register_needs_login_and_saves_nothing_for_visitors(client, session):
    response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert not Registration.objects.exists()


def test_register_and_cancel_accept_only_post(client, session, participant):
    client.force_login(participant)
    assert client.get(f"/webinar/{session.pk}/iscrizione/").status_code == 405
    assert client.get(f"/webinar/{session.pk}/annulla-iscrizione/").status_code == 405
    assert not Registration.objects.exists()


def test_one_click_registration_records_the_body_and_says_so(
    client, session, django_capture_on_commit_callbacks, mailoutbox
):
    user = factories.MembershipFactory(ente__name="Comune di Lamezia Terme").user
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert response.status_code == 302
    assert response["Location"] == session.url
    registration = Registration.objects.get()
    assert (registration.user, registration.status) == (user, RegistrationStatus.CONFIRMED)
    assert registration.ente.name == "Comune di Lamezia Terme"
    assert messages_of(response) == [
        "Iscrizione confermata. Ti abbiamo inviato una email con l'evento da aggiungere "
        "al calendario."
    ]
    assert len(mailoutbox) == 1
    assert "Comune di Lamezia Terme" in mailoutbox[0].body
    page = client.get(session.url).content.decode()
    assert "Sei iscritto/a per Comune di Lamezia Terme" in page
    assert "Annulla l'iscrizione" in page


def test_a_double_click_registers_once(client, session, participant):
    client.force_login(participant)
    client.post(f"/webinar/{session.pk}/iscrizione/")

    response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert messages_of(response) == ["Eri già iscritto/a a questo webinar: nulla è cambiato."]
    assert Registration.objects.count() == 1
    assert Notice.objects.filter(kind=NoticeKind.CONFIRMED).count() == 1


def test_a_full_session_puts_people_on_the_waitlist(client, session_factory, participant):
    session = session_factory(capacity=1)
    services.register(session, factories.UserFactory())
    client.force_login(participant)

    response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert "sei in lista d'attesa" in messages_of(response)[0]
    assert Registration.objects.get(user=participant).status == RegistrationStatus.WAITLISTED
    assert "Sei in lista d'attesa (posizione 1)" in client.get(session.url).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"registration_opens_at": timezone.now() + timedelta(days=1)},
            "Le iscrizioni non sono ancora aperte.",
        ),
        (
            {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
            "Le iscrizioni a questo webinar sono chiuse.",
        ),
        (
            {"status": "cancelled"},
            "Il webinar è stato annullato: non è possibile iscriversi.",
        ),
    ],
    ids=["not-yet-open", "closed", "cancelled"],
)
def test_registration_outside_its_window_is_refused(
    client, session_factory, participant, fields, message
):
    session = session_factory(**fields)
    client.force_login(participant)

    response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert response["Location"] == session.url
    assert messages_of(response) == [message]
    assert not Registration.objects.exists()
    assert not Notice.objects.exists()


def test_a_session_already_held_refuses_registration(client, past_session, participant):
    client.force_login(participant)
    response = client.post(f"/webinar/{past_session.pk}/iscrizione/")
    assert messages_of(response) == ["Le iscrizioni a questo webinar sono chiuse."]
    assert not Registration.objects.exists()


def test_a_body_over_its_cap_is_refused_with_its_name(client, session_factory):
    session = session_factory(per_body_cap=1)
    ente = factories.EnteFactory(name="Comune di Cosenza")
    first = factories.MembershipFactory(ente=ente).user
    second = factories.MembershipFactory(ente=ente).user
    services.register(session, first)
    client.force_login(second)

    response = client.post(f"/webinar/{session.pk}/iscrizione/")

    assert messages_of(response) == [
        "Comune di Cosenza ha già raggiunto il numero massimo di iscritti (1) per questo webinar."
    ]
    assert not Registration.objects.filter(user=second).exists()
    assert Registration.objects.count() == 1


def test_nobody_can_register_someone_else(client, session, participant):
    other = factories.UserFactory()
    client.force_login(participant)

    client.post(f"/webinar/{session.pk}/iscrizione/", {"user": other.pk, "user_id": other.pk})

    assert list(Registration.objects.values_list("user_id", flat=True)) == [participant.pk]


@pytest.mark.parametrize("forged", ["999999", "draft"])
def test_forged_or_unpublished_session_ids_register_nothing(
    client, session_factory, participant, forged
):
    draft = session_factory(publish=False, live=False)
    session_id = draft.pk if forged == "draft" else forged
    client.force_login(participant)

    assert client.post(f"/webinar/{session_id}/iscrizione/").status_code == 404
    assert client.post(f"/webinar/{session_id}/annulla-iscrizione/").status_code == 404
    assert not Registration.objects.exists()


def test_an_outside_redirect_target_is_ignored(client, session, participant):
    client.force_login(participant)
    for target in ("//evil.example.com/", "https://evil.example.com/"):
        response = client.post(f"/webinar/{session.pk}/iscrizione/", {"next": target})
        assert response["Location"] == session.url


def test_cancel_frees_the_seat_for_the_first_on_the_waitlist(client, session_factory, participant):
    session = session_factory(capacity=1)
    services.register(session, participant)
    waiting = factories.UserFactory()
    services.register(session, waiting)
    client.force_login(participant)

    response = client.post(f"/webinar/{session.pk}/annulla-iscrizione/")

    assert messages_of(response) == ["La tua iscrizione è stata annullata."]
    assert Registration.objects.get(user=participant).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(user=waiting).status == RegistrationStatus.CONFIRMED


def test_cancel_without_a_registration_changes_nothing(client, session, participant):
    client.force_login(participant)
    response = client.post(f"/webinar/{session.pk}/annulla-iscrizione/")
    assert messages_of(response) == ["Non risultavi iscritto/a: nulla è cambiato."]
    assert not Registration.objects.exists()


# --- My webinars ---------------------------------------------------------------------------


def test_my_webinars_needs_login(client):
    response = client.get("/webinar/i-miei-webinar/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_my_webinars_lists_my_active_registrations_only(
    client, session_factory, past_session, participant
):
    confirmed = session_factory(title="Confermato io")
    waiting = session_factory(title="In attesa io", capacity=1)
    cancelled = session_factory(title="Annullato io")
    someone_elses = session_factory(title="Di qualcun altro")
    services.register(confirmed, participant)
    services.register(waiting, factories.UserFactory())
    services.register(waiting, participant)
    services.cancel(services.register(cancelled, participant)[0])
    services.register(someone_elses, factories.UserFactory())
    enrol(past_session, participant)
    client.force_login(participant)

    html = client.get("/webinar/i-miei-webinar/").content.decode()

    assert "Confermato io" in html
    assert "In attesa io" in html and "In lista d&#x27;attesa" in html
    assert "Annullato io" not in html
    assert "Di qualcun altro" not in html
    assert "Già svolto" in html
    assert f"/webinar/{past_session.pk}/attestato.pdf" in html
    assert f"/webinar/{confirmed.pk}/diretta/" in html
    assert f"/webinar/{waiting.pk}/diretta/" not in html


def test_my_webinars_queries_do_not_grow_with_registrations(
    client, session_factory, participant, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(participant)
    for _ in range(2):
        services.register(session_factory(), participant)
    client.get("/webinar/i-miei-webinar/")
    with CaptureQueriesContext(connection) as two:
        client.get("/webinar/i-miei-webinar/")
    # Counted now: every request start empties the connection's query log.
    with_two = len(two)
    for _ in range(6):
        services.register(session_factory(), participant)
    # Publishing the new sessions starts a new page generation: the first visit after it
    # reloads the cached menu and footer, which is not what this test measures.
    client.get("/webinar/i-miei-webinar/")
    with django_assert_max_num_queries(with_two):
        client.get("/webinar/i-miei-webinar/")


# --- Material and meeting link reserved to registrants -------------------------------------


@pytest.fixture
def document(db):
    from django.core.files.base import ContentFile

    from portal.pages.models import PortalDocument

    document = PortalDocument(title="Slide riservate agli iscritti")
    document.file.save("slide.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    return document


def test_registrant_material_is_shown_to_registrants_only(client, session_factory, document):
    session = session_factory(
        registrant_material=[("document", {"document": document, "title": "Slide riservate"})]
    )
    registrant = factories.UserFactory()
    services.register(session, registrant)
    waiting_session_user = factories.UserFactory()

    assert "Slide riservate" not in client.get(session.url).content.decode()  # anonymous
    client.force_login(waiting_session_user)
    assert "Slide riservate" not in client.get(session.url).content.decode()
    client.force_login(registrant)
    html = client.get(session.url).content.decode()
    assert "Materiali per gli iscritti" in html
    assert "Slide riservate" in html


def test_meeting_link_is_in_the_live_page_only_for_those_admitted(
    client, live_session, registrant, participant
):
    for user in (None, participant):
        if user:
            client.force_login(user)
        assert "meet.example.it/segreto" not in client.get(live_session.url).content.decode()
    assert client.get(f"/webinar/{live_session.pk}/diretta/").status_code == 403

    client.force_login(registrant)
    live = client.get(f"/webinar/{live_session.pk}/diretta/")
    assert live.status_code == 200
    assert 'href="https://meet.example.it/segreto"' in live.content.decode()


# --- Live page, its JSON state, questions ------------------------------------------------------


def test_the_live_page_has_video_chat_questions_and_material(client, live_session, registrant):
    client.force_login(registrant)
    html = client.get(f"/webinar/{live_session.pk}/diretta/").content.decode()

    assert "In corso" in html
    assert "Domande ai relatori" in html
    assert "Materiale in condivisione" in html
    assert f'"session": {live_session.pk}' in html
    assert "chat" in html.lower() and "La chat della sessione non è disponibile." not in html
    # Only speakers and staff get the moderation and sharing controls.
    assert "Mostra a tutti" not in html
    assert "Porta nel forum" not in html


def test_the_live_page_has_no_duplicate_ids_so_each_label_names_its_own_field(
    client, live_session, expert
):
    import re
    from collections import Counter

    client.force_login(expert)  # the speaker's page also has the sharing form
    html = client.get(f"/webinar/{live_session.pk}/diretta/").content.decode()

    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, count in ids.items() if count > 1] == []
    assert '<label for="question_body"' in html


def test_live_state_json_lists_open_questions_and_the_material_on_screen(
    client, live_session, registrant, expert
):
    services.question_ask(live_session, registrant, "Come si misura l'outcome?")
    hidden = services.question_ask(live_session, registrant, "Da nascondere")
    services.question_hide(live_session, expert, hidden.pk)
    services.material_share(live_session, expert, url="https://slide.example.it/1", title="Slide 1")
    client.force_login(registrant)

    data = client.get(f"/webinar/{live_session.pk}/diretta/stato/").json()

    assert data["type"] == "state"
    assert [q["html"] for q in data["questions"]] == ["Come si misura l'outcome?"]
    assert data["questions"][0]["author"] == "Rita Iscritta"
    assert data["questions"][0]["votes"] == 0
    assert data["material"]["title"] == "Slide 1"
    assert data["material"]["url"] == "https://slide.example.it/1"


def test_a_question_is_saved_and_confirmed_in_italian(client, live_session, registrant):
    client.force_login(registrant)
    response = client.post(
        f"/webinar/{live_session.pk}/diretta/domande/", {"body": "Quali indicatori per il PEG?"}
    )
    assert response["Location"] == f"/webinar/{live_session.pk}/diretta/"
    assert messages_of(response) == ["Domanda inviata ai relatori."]
    assert Question.objects.get().body == "Quali indicatori per il PEG?"

    json_answer = client.post(
        f"/webinar/{live_session.pk}/diretta/domande/",
        {"body": "Seconda domanda"},
        headers={"Accept": "application/json"},
    )
    assert json_answer.json() == {"ok": True}


def test_hostile_text_in_a_question_is_rendered_inert(client, live_session, registrant):
    client.force_login(registrant)
    client.post(f"/webinar/{live_session.pk}/diretta/domande/", {"body": HOSTILE})

    question = Question.objects.get()
    assert question.body == HOSTILE  # kept as written, shown as text
    page = client.get(f"/webinar/{live_session.pk}/diretta/").content.decode()
    state = client.get(f"/webinar/{live_session.pk}/diretta/stato/").json()
    for html in (page, state["questions"][0]["html"]):
        assert '<script>alert("x")' not in html
        assert "<img" not in html
        assert '<a href="javascript:' not in html
    assert "&lt;script&gt;" in state["questions"][0]["html"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Scrivi la domanda prima di inviarla."),
        ("   \n  ", "Scrivi la domanda prima di inviarla."),
        ("x" * 1001, "La domanda è troppo lunga: al massimo 1000 caratteri."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_empty_or_too_long_questions_are_refused(client, live_session, registrant, body, message):
    client.force_login(registrant)
    url = f"/webinar/{live_session.pk}/diretta/domande/"

    response = client.post(url, {"body": body})
    as_json = client.post(url, {"body": body}, headers={"Accept": "application/json"})

    assert messages_of(response) == [message]
    assert as_json.status_code == 400
    assert as_json.json() == {"error": message}
    assert not Question.objects.exists()


def test_people_not_admitted_cannot_ask(client, live_session, participant):
    client.force_login(participant)
    response = client.post(f"/webinar/{live_session.pk}/diretta/domande/", {"body": "Posso?"})
    assert response.status_code == 403
    assert not Question.objects.exists()


def test_a_vote_counts_once_per_person_and_a_second_click_takes_it_back(
    client, live_session, registrant
):
    question = services.question_ask(live_session, registrant, "Domanda da votare")
    other = factories.UserFactory()
    enrol(live_session, other)
    url = f"/webinar/{live_session.pk}/diretta/domande/{question.pk}/voto/"

    client.force_login(registrant)
    assert messages_of(client.post(url)) == ["Voto registrato."]
    question.refresh_from_db()
    assert question.votes_count == 1
    client.force_login(other)
    client.post(url)
    question.refresh_from_db()
    assert question.votes_count == 2

    client.post(url)  # the same person again: the vote is withdrawn
    question.refresh_from_db()
    assert question.votes_count == 1
    assert list(QuestionVote.objects.values_list("user_id", flat=True)) == [registrant.pk]


def test_votes_on_closed_or_foreign_questions_are_refused(
    client, live_session, session_factory, registrant, expert
):
    answered = services.question_ask(live_session, registrant, "Già risposta")
    services.question_mark_answered(live_session, expert, answered.pk)
    other_session = session_factory(starts_in=-timedelta(minutes=5))
    foreign = services.question_ask(other_session, expert, "Di un'altra sessione")
    client.force_login(registrant)

    closed = client.post(f"/webinar/{live_session.pk}/diretta/domande/{answered.pk}/voto/")
    forged = client.post(f"/webinar/{live_session.pk}/diretta/domande/{foreign.pk}/voto/")
    unknown = client.post(f"/webinar/{live_session.pk}/diretta/domande/999999/voto/")

    assert messages_of(closed) == ["Non si può votare una domanda già chiusa."]
    assert forged.status_code == unknown.status_code == 403
    assert not QuestionVote.objects.exists()


@pytest.mark.parametrize("action", ["risposta", "nascondi"])
def test_only_speakers_and_staff_answer_or_hide(client, live_session, registrant, expert, action):
    question = services.question_ask(live_session, registrant, "Chi può chiuderla?")
    url = f"/webinar/{live_session.pk}/diretta/domande/{question.pk}/{action}/"

    client.force_login(registrant)
    assert client.post(url).status_code == 403
    question.refresh_from_db()
    assert question.answered_at is None and question.hidden_at is None

    for leader in (expert, factories.StaffFactory()):
        client.force_login(leader)
        assert client.post(url).status_code == 302
    question.refresh_from_db()
    if action == "risposta":
        assert question.answered_at is not None
        client.post(url, {"answered": "0"})  # reopened
        question.refresh_from_db()
        assert question.answered_at is None
    else:
        assert question.hidden_at is not None
        client.force_login(registrant)
        state = client.get(f"/webinar/{live_session.pk}/diretta/stato/").json()
        assert state["questions"] == []


# --- Shared material ------------------------------------------------------------------------


def test_a_speaker_shares_a_link_and_everyone_sees_it(client, live_session, registrant, expert):
    client.force_login(expert)
    response = client.post(
        f"/webinar/{live_session.pk}/diretta/materiale/",
        {"url": "https://slide.example.it/indicatori", "title": "Slide sugli indicatori"},
    )
    assert messages_of(response) == ["Materiale mostrato a tutti i partecipanti."]

    client.force_login(registrant)
    state = client.get(f"/webinar/{live_session.pk}/diretta/stato/").json()
    assert state["material"]["title"] == "Slide sugli indicatori"
    page = client.get(f"/webinar/{live_session.pk}/diretta/").content.decode()
    assert 'href="https://slide.example.it/indicatori"' in page


def test_a_speaker_puts_one_of_the_sessions_documents_on_screen(
    client, session_factory, expert, document
):
    session = session_factory(
        starts_in=-timedelta(minutes=5),
        material=[("document", {"document": document, "title": ""})],
    )
    client.force_login(expert)
    client.post(f"/webinar/{session.pk}/diretta/materiale/", {"document": document.pk})

    shared = SharedMaterial.objects.get()
    assert shared.document == document
    assert shared.title == "Slide riservate agli iscritti"


@pytest.mark.parametrize(
    "data",
    [
        {"url": "javascript:alert(1)"},
        {"url": "ftp://files.example.it/slide.pdf"},
        {"url": "not a url at all"},
        {"url": "", "title": "Solo un titolo"},
        {"document": "999999"},
        {"document": "abc"},
    ],
    ids=["javascript", "ftp", "garbage", "empty", "foreign-document", "not-a-number"],
)
def test_bad_material_is_refused_with_a_message(client, live_session, expert, data):
    client.force_login(expert)
    response = client.post(f"/webinar/{live_session.pk}/diretta/materiale/", data)

    assert response.status_code == 302
    assert messages_of(response), "a refusal says why"
    assert all(m != "Materiale mostrato a tutti i partecipanti." for m in messages_of(response))
    assert not SharedMaterial.objects.exists()


def test_participants_cannot_share_material(client, live_session, registrant):
    client.force_login(registrant)
    response = client.post(
        f"/webinar/{live_session.pk}/diretta/materiale/", {"url": "https://x.example.it/"}
    )
    assert response.status_code == 403
    assert not SharedMaterial.objects.exists()


# --- Open questions become forum topics --------------------------------------------------------


def test_unanswered_questions_become_forum_topics_for_the_speaker_once(
    client, live_session, registrant, expert
):
    open_one = services.question_ask(live_session, registrant, "Come si pesa un obiettivo?")
    open_two = services.question_ask(
        live_session, registrant, "Prima riga della domanda\ne dettagli"
    )
    answered = services.question_ask(live_session, registrant, "Già risposta")
    services.question_mark_answered(live_session, expert, answered.pk)
    hidden = services.question_ask(live_session, registrant, "Fuori tema")
    services.question_hide(live_session, expert, hidden.pk)
    client.force_login(expert)

    response = client.post(f"/webinar/{live_session.pk}/diretta/al-forum/")

    assert messages_of(response) == ["2 domande senza risposta sono ora discussioni nel forum."]
    topics = Topic.objects.order_by("pk")
    assert [t.title for t in topics] == ["Come si pesa un obiettivo?", "Prima riga della domanda"]
    for topic in topics:
        assert topic.assigned_to == expert
        assert topic.author == registrant
        assert topic.origin_url == live_session.url
        assert live_session.title in topic.origin_label
    for question in (open_one, open_two):
        question.refresh_from_db()
        assert question.forum_topic_url.startswith("/")
    answered.refresh_from_db()
    assert answered.forum_topic_url == ""

    again = client.post(f"/webinar/{live_session.pk}/diretta/al-forum/")
    assert messages_of(again) == ["Non ci sono domande senza risposta da portare nel forum."]
    assert Topic.objects.count() == 2
    client.force_login(registrant)
    state = client.get(f"/webinar/{live_session.pk}/diretta/stato/").json()
    assert sum(1 for q in state["questions"] if q["forum_url"]) == 2


def test_many_questions_of_one_person_all_move_despite_the_forums_write_limit(
    client, live_session, registrant, expert, settings
):
    for number in range(settings.PORTAL_FORUM_RATE_LIMIT_POSTS + 2):
        services.question_ask(live_session, registrant, f"Domanda numero {number + 1}")
    client.force_login(expert)

    response = client.post(f"/webinar/{live_session.pk}/diretta/al-forum/")

    moved = settings.PORTAL_FORUM_RATE_LIMIT_POSTS + 2
    assert messages_of(response) == [
        f"{moved} domande senza risposta sono ora discussioni nel forum."
    ]
    assert Topic.objects.filter(author=registrant).count() == moved
    assert not Question.objects.filter(forum_topic_url="").exists()


def test_participants_cannot_move_questions_to_the_forum(client, live_session, registrant):
    services.question_ask(live_session, registrant, "Resta qui")
    client.force_login(registrant)
    assert client.post(f"/webinar/{live_session.pk}/diretta/al-forum/").status_code == 403
    assert not Topic.objects.exists()


# --- Questionnaire ----------------------------------------------------------------------------


GOOD_ANSWERS = {"overall": "5", "content": "4", "speakers": "5", "comment": "Molto utile."}


def test_the_questionnaire_opens_after_the_session_to_confirmed_registrants_only(
    client, past_session, live_session, registrant, participant
):
    url = f"/webinar/{past_session.pk}/questionario/"
    waiting = factories.UserFactory()
    enrol(past_session, waiting, RegistrationStatus.WAITLISTED)
    for user in (participant, waiting):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, GOOD_ANSWERS).status_code == 403
    client.force_login(registrant)  # confirmed for the live session, which is not over
    assert client.get(f"/webinar/{live_session.pk}/questionario/").status_code == 403
    assert not SatisfactionResponse.objects.exists()


def test_a_registrant_answers_the_questionnaire_once(client, past_session, participant):
    enrol(past_session, participant)
    client.force_login(participant)
    url = f"/webinar/{past_session.pk}/questionario/"

    response = client.post(url, GOOD_ANSWERS)

    assert response["Location"] == past_session.url
    assert messages_of(response) == ["Grazie: il questionario è stato registrato."]
    answer = SatisfactionResponse.objects.get()
    assert (answer.overall, answer.content, answer.speakers) == (5, 4, 5)

    again = client.post(url, {**GOOD_ANSWERS, "overall": "1"})
    assert again.status_code == 200
    assert "Hai già compilato il questionario" in again.content.decode()
    assert SatisfactionResponse.objects.get().overall == 5


@pytest.mark.parametrize(
    "answers",
    [
        {**GOOD_ANSWERS, "overall": "9"},
        {**GOOD_ANSWERS, "content": "abc"},
        {**GOOD_ANSWERS, "speakers": "0"},
        {**GOOD_ANSWERS, "overall": "-1"},
        {key: value for key, value in GOOD_ANSWERS.items() if key != "speakers"},
        {**GOOD_ANSWERS, "comment": "x" * 2001},
    ],
    ids=["nine", "letters", "zero", "negative", "missing", "comment-too-long"],
)
def test_malformed_questionnaire_answers_are_refused(client, past_session, participant, answers):
    enrol(past_session, participant)
    client.force_login(participant)

    response = client.post(f"/webinar/{past_session.pk}/questionario/", answers)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Scegli un valore da 1 a 5." in html or "caratteri" in html
    assert not SatisfactionResponse.objects.exists()


# --- Certificate ---------------------------------------------------------------------------------


def attend(session, user, start_minute, end_minute):
    AttendanceSpan.objects.create(
        session=session,
        user=user,
        joined_at=session.starts_at + timedelta(minutes=start_minute),
        last_seen_at=session.starts_at + timedelta(minutes=end_minute),
        left_at=session.starts_at + timedelta(minutes=end_minute),
    )


def test_the_certificate_is_a_pdf_when_attendance_passes_the_threshold(
    client, past_session, participant
):
    enrol(past_session, participant)
    attend(past_session, participant, 0, 50)
    attend(past_session, participant, 60, 90)  # 80 of 100 minutes
    client.force_login(participant)

    response = client.get(f"/webinar/{past_session.pk}/attestato.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="attestato-')
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [(0, 70)],  # 70% < 75%
        [(0, 50), (10, 60)],  # two tabs at once count once: 60%
        [(-120, -10), (100, 200)],  # before and after the session: nothing
    ],
    ids=["absent", "below-threshold", "overlapping-tabs", "outside-the-session"],
)
def test_no_certificate_below_the_threshold(client, past_session, participant, spans):
    enrol(past_session, participant)
    for start, end in spans:
        attend(past_session, participant, start, end)
    client.force_login(participant)
    assert client.get(f"/webinar/{past_session.pk}/attestato.pdf").status_code == 403


def test_no_certificate_before_the_end_or_without_a_confirmed_registration(
    client, live_session, past_session, registrant, participant
):
    attend(live_session, registrant, -5, 10)
    client.force_login(registrant)
    assert client.get(f"/webinar/{live_session.pk}/attestato.pdf").status_code == 403

    attend(past_session, participant, 0, 100)  # attended without a seat
    enrol(past_session, participant, RegistrationStatus.CANCELLED)
    client.force_login(participant)
    assert client.get(f"/webinar/{past_session.pk}/attestato.pdf").status_code == 403


# --- Organisers' report, exports, follow-up ---------------------------------------------------


@pytest.fixture
def report_setup(past_session):
    """Confirmed registrants from Campania and Calabria, one on the waitlist, one with a
    name that looks like a spreadsheet formula."""
    campania = factories.EnteFactory(name="Comune di Salerno", region__code="CAM")
    calabria = factories.EnteFactory(name="Comune di Crotone", region__code="CAL")
    people = {
        "salerno": factories.UserFactory(first_name="Sara", last_name="Salernitana"),
        "crotone": factories.UserFactory(first_name="Carlo", last_name="Crotonese"),
        "formula": factories.UserFactory(first_name='=HYPERLINK("http://x")', last_name="+Rossi"),
        "waiting": factories.UserFactory(first_name="Walter", last_name="Attesa"),
    }
    enrol(past_session, people["salerno"], ente=campania)
    enrol(past_session, people["crotone"], ente=calabria)
    enrol(past_session, people["formula"], ente=campania)
    enrol(past_session, people["waiting"], RegistrationStatus.WAITLISTED, ente=calabria)
    attend(past_session, people["salerno"], 0, 100)
    attend(past_session, people["crotone"], 0, 30)
    SatisfactionResponse.objects.create(
        session=past_session, user=people["salerno"], overall=4, content=5, speakers=3
    )
    return people


def test_staff_see_every_registration_and_the_totals(client, past_session, report_setup):
    client.force_login(factories.StaffFactory())
    response = client.get(f"/webinar/{past_session.pk}/resoconto/")

    assert response.status_code == 200
    report = response.context["report"]
    assert report["confirmed"] == 3
    assert len(report["waitlisted"]) == 1
    assert report["attended"] == 2
    assert report["certified"] == 1
    assert report["questionnaire"]["count"] == 1
    assert dict(report["by_region"]) == {"Campania": 2, "Calabria": 1}
    html = response.content.decode()
    for name in ("Salernitana", "Crotonese", "Attesa"):
        assert name in html
    assert "Invia il follow-up" in html


def test_a_regional_referent_sees_only_their_regions_bodies(client, past_session, report_setup):
    referent = factories.RegionalRoleFactory(region__code="CAM").user
    client.force_login(referent)

    response = client.get(f"/webinar/{past_session.pk}/resoconto/")

    assert response.status_code == 200
    rows = response.context["report"]["rows"]
    assert {row["registration"].user.last_name for row in rows} == {"Salernitana", "+Rossi"}
    html = response.content.decode()
    assert "Crotonese" not in html and "Attesa" not in html
    assert "Vedi le iscrizioni degli enti delle regioni che segui." in html
    assert "Invia il follow-up" not in html


def test_report_queries_do_not_grow_with_registrations(
    client, past_session, report_setup, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(factories.StaffFactory())
    url = f"/webinar/{past_session.pk}/resoconto/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(10):
        user = factories.UserFactory()
        enrol(past_session, user, ente=factories.EnteFactory())
        attend(past_session, user, 0, 40)
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_csv_export_has_one_row_per_registration_and_neutralised_formulas(
    client, past_session, report_setup
):
    client.force_login(factories.StaffFactory())
    response = client.get(f"/webinar/{past_session.pk}/resoconto/iscritti.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="iscritti-')
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Cognome", "Nome", "Email"]
    assert len(rows) == 5
    by_email = {row[2]: row for row in rows[1:]}
    formula_row = by_email[report_setup["formula"].email]
    assert formula_row[0] == "'+Rossi"
    assert formula_row[1] == '\'=HYPERLINK("http://x")'
    salerno = by_email[report_setup["salerno"].email]
    assert salerno[3:6] == ["Comune di Salerno", "Campania", "Confermata"]
    assert salerno[7:] == ["100", "100", "sì"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_export_opens_and_neutralises_formulas(client, past_session, report_setup):
    client.force_login(factories.StaffFactory())
    response = client.get(f"/webinar/{past_session.pk}/resoconto/iscritti.xlsx")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Iscritti"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Cognome"
    assert len(rows) == 5
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value}"
    names = {row[0] for row in rows[1:]}
    assert "'+Rossi" in names


def test_a_regional_referents_export_holds_only_their_region(client, past_session, report_setup):
    client.force_login(factories.RegionalRoleFactory(region__code="CAL").user)
    text = client.get(f"/webinar/{past_session.pk}/resoconto/iscritti.csv").content.decode(
        "utf-8-sig"
    )
    assert "Crotonese" in text and "Attesa" in text
    assert "Salernitana" not in text and "Rossi" not in text


def test_unknown_export_format_is_not_found(client, past_session):
    client.force_login(factories.StaffFactory())
    assert client.get(f"/webinar/{past_session.pk}/resoconto/iscritti.pdf").status_code == 404


def test_follow_up_is_sent_once_by_staff_after_the_session(
    client, past_session, report_setup, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(factories.StaffFactory())
    url = f"/webinar/{past_session.pk}/resoconto/follow-up/"

    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert messages_of(response) == ["Messaggio di follow-up in invio a 3 partecipanti"]
    assert Notice.objects.filter(kind=NoticeKind.FOLLOW_UP).count() == 3
    assert len(mailoutbox) == 3
    assert "https://video.example.it/registrazione" in mailoutbox[0].body
    assert f"/webinar/{past_session.pk}/questionario/" in mailoutbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url)
    assert messages_of(again) == ["Il follow-up era già stato inviato a tutti: nulla è cambiato."]
    assert len(mailoutbox) == 3


def test_follow_up_before_the_end_is_refused(client, live_session, registrant):
    client.force_login(factories.StaffFactory())
    response = client.post(f"/webinar/{live_session.pk}/resoconto/follow-up/")
    assert messages_of(response) == ["Il messaggio di follow-up si invia a webinar concluso."]
    assert not Notice.objects.filter(kind=NoticeKind.FOLLOW_UP).exists()


def test_follow_up_is_for_staff_only(client, past_session, report_setup):
    client.force_login(factories.RegionalRoleFactory().user)
    assert client.post(f"/webinar/{past_session.pk}/resoconto/follow-up/").status_code == 403
    assert not Notice.objects.filter(kind=NoticeKind.FOLLOW_UP).exists()
