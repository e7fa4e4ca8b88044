import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from forum.chat.services import project_room, room_for_area
from portal.asgi import application
from tests.factories import EnteFactory, MembershipFactory, UserFactory


@pytest.fixture
def ente(transactional_db):
    return EnteFactory(name="Comune di Altamura")


@pytest.fixture
def area_room(ente, area_factory):
    area = area_factory(ente=ente)
    return room_for_area(area)


@pytest.fixture
def member(ente):
    return MembershipFactory(ente=ente, user__first_name="Anna", user__last_name="Greco").user


@pytest.fixture
def other_member(ente):
    return MembershipFactory(ente=ente, user__first_name="Paolo", user__last_name="Lupo").user


@pytest.fixture
def outsider(transactional_db):
    return UserFactory(first_name="Ugo", last_name="Esterno")


@pytest.fixture
def lobby(transactional_db):
    return project_room()


@pytest.fixture
def connect():
    """Open a chat socket as a user, through the whole ASGI stack (origin, session)."""

    async def open_socket(user, room, origin=b"http://testserver"):
        headers = [(b"origin", origin), (b"host", b"testserver")]
        if user is not None:
            session_cookie = await database_sync_to_async(_session_cookie_for)(user)
            headers.append((b"cookie", f"sessionid={session_cookie}".encode()))
        communicator = WebsocketCommunicator(application, f"/ws/chat/{room.pk}/", headers)
        connected, code = await communicator.connect(timeout=5)
        if connected:
            hello = await communicator.receive_json_from(timeout=5)
            assert hello["type"] == "hello"
        return communicator, connected, code

    return open_socket


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


async def receive_until(communicator, wanted_type, timeout=5):
    """Frames of other types (presence, notices) may come first: skip them."""
    while True:
        frame = await communicator.receive_json_from(timeout=timeout)
        if frame["type"] == wanted_type:
            return frame
