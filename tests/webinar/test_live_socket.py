"""The live page's socket (LiveSessionConsumer) through the whole ASGI stack: origin check,
session authentication, routing. It sends the state on connect and on every change,
records attendance (one span per socket), refuses outsiders with 4403, and survives
malformed frames."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from portal.asgi import application
from tests import factories
from webinar import services
from webinar.consumers import MAX_FRAME_BYTES
from webinar.models import AttendanceSpan, Registration, RegistrationStatus

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _session_cookie_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


async def open_socket(user, session_id, origin=b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(_session_cookie_for)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/webinar/{session_id}/", headers)
    connected, code = await communicator.connect(timeout=5)
    return communicator, connected, code


async def receive_until(communicator, wanted_type, timeout=5):
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == wanted_type:
            return frame


@pytest.fixture
def live(session_factory):
    return session_factory(title="Diretta", starts_in=-timedelta(minutes=5))


@pytest.fixture
def registrant(live):
    user = factories.UserFactory(first_name="Rita", last_name="Iscritta")
    Registration.objects.create(
        session=live,
        user=user,
        status=RegistrationStatus.CONFIRMED,
        holds_seat=True,
        confirmed_at=timezone.now(),
    )
    return user


async def test_a_registrant_connects_and_gets_the_current_state(live, registrant):
    await database_sync_to_async(services.question_ask)(live, registrant, "Già posta")

    socket, connected, _code = await open_socket(registrant, live.pk)

    assert connected
    state = await socket.receive_json_from(timeout=5)
    assert state["type"] == "state"
    assert [q["html"] for q in state["questions"]] == ["Già posta"]
    assert state["material"] is None
    await socket.disconnect()


async def test_a_question_reaches_every_connected_socket(live, registrant, expert):
    rita, *_ = await open_socket(registrant, live.pk)
    speaker, *_ = await open_socket(expert, live.pk)
    for socket in (rita, speaker):
        await receive_until(socket, "state")

    await database_sync_to_async(services.question_ask)(
        live, registrant, "Come si legge la <b>Legge 213</b>?"
    )

    for socket in (rita, speaker):
        state = await receive_until(socket, "state")
        (question,) = state["questions"]
        assert question["html"] == "Come si legge la &lt;b&gt;Legge 213&lt;/b&gt;?"
        assert question["author"] == "Rita Iscritta"

    await database_sync_to_async(services.material_share)(
        live, expert, url="https://slide.example.it/213", title="Slide"
    )
    for socket in (rita, speaker):
        state = await receive_until(socket, "state")
        assert state["material"]["url"] == "https://slide.example.it/213"
    await rita.disconnect()
    await speaker.disconnect()


async def test_a_non_registrant_is_refused_with_4403(live):
    outsider = await database_sync_to_async(factories.UserFactory)()
    waiting = await database_sync_to_async(factories.UserFactory)()
    await database_sync_to_async(Registration.objects.create)(
        session=live, user=waiting, status=RegistrationStatus.WAITLISTED
    )

    for user in (outsider, waiting, None):
        _socket, connected, code = await open_socket(user, live.pk)
        assert not connected
        assert code == 4403
    assert not await database_sync_to_async(AttendanceSpan.objects.exists)()


async def test_a_foreign_origin_is_refused(live, registrant):
    _socket, connected, _code = await open_socket(
        registrant, live.pk, origin=b"https://evil.example.com"
    )
    assert not connected
    assert not await database_sync_to_async(AttendanceSpan.objects.exists)()


async def test_attendance_opens_on_connect_and_closes_on_disconnect(live, registrant):
    socket, *_ = await open_socket(registrant, live.pk)
    await receive_until(socket, "state")

    span = await database_sync_to_async(AttendanceSpan.objects.get)()
    assert (span.session_id, span.user_id) == (live.pk, registrant.pk)
    assert span.left_at is None

    await socket.send_json_to({"type": "ping"})
    assert await receive_until(socket, "pong") == {"type": "pong"}
    touched = await database_sync_to_async(AttendanceSpan.objects.get)()
    assert touched.last_seen_at >= span.last_seen_at

    await socket.disconnect()
    closed = await database_sync_to_async(AttendanceSpan.objects.get)()
    assert closed.left_at is not None
    assert closed.left_at >= closed.joined_at


async def test_two_tabs_make_two_spans_each_closed_on_its_own(live, registrant):
    first, *_ = await open_socket(registrant, live.pk)
    second, *_ = await open_socket(registrant, live.pk)
    await receive_until(first, "state")
    await receive_until(second, "state")

    await first.disconnect()
    spans = await database_sync_to_async(list)(AttendanceSpan.objects.order_by("pk"))
    assert [span.left_at is not None for span in spans] == [True, False]
    await second.disconnect()
    assert not await database_sync_to_async(
        AttendanceSpan.objects.filter(left_at__isnull=True).exists
    )()


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2, 3]",
        '{"type": "message", "body": "ciao"}',
        '{"no_type": true}',
        '{"type": "ping", "pad": "' + "x" * MAX_FRAME_BYTES + '"}',
        "null",
    ],
    ids=["not-json", "list", "unknown-type", "no-type", "too-large", "null"],
)
async def test_a_malformed_frame_gets_an_error_and_the_socket_stays_up(live, registrant, frame):
    socket, *_ = await open_socket(registrant, live.pk)
    await receive_until(socket, "state")

    await socket.send_to(text_data=frame)
    error = await receive_until(socket, "error")

    assert error["code"] == "bad_frame"
    assert error["message"] in ("Messaggio non valido.", "Messaggio non riconosciuto.")
    await socket.send_json_to({"type": "ping"})
    assert await receive_until(socket, "pong") == {"type": "pong"}
    await database_sync_to_async(services.question_ask)(live, registrant, "Ancora qui?")
    state = await receive_until(socket, "state")
    assert state["questions"][0]["html"] == "Ancora qui?"
    await socket.disconnect()


async def test_a_binary_frame_gets_an_error_too(live, registrant):
    socket, *_ = await open_socket(registrant, live.pk)
    await receive_until(socket, "state")
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await receive_until(socket, "error"))["code"] == "bad_frame"
    await socket.send_json_to({"type": "ping"})
    assert (await receive_until(socket, "pong"))["type"] == "pong"
    await socket.disconnect()


async def test_nothing_is_sent_to_sockets_of_another_session(
    live, registrant, session_factory, expert
):
    other = await database_sync_to_async(session_factory)(starts_in=-timedelta(minutes=1))
    socket, *_ = await open_socket(registrant, live.pk)
    await receive_until(socket, "state")

    await database_sync_to_async(services.question_ask)(other, expert, "Altra sessione")

    assert await socket.receive_nothing(timeout=0.5)
    await database_sync_to_async(services.question_ask)(live, registrant, "Questa sì")
    state = await receive_until(socket, "state")
    assert [q["html"] for q in state["questions"]] == ["Questa sì"]
    await socket.disconnect()
