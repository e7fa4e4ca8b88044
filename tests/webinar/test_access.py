"""Who may see what around a webinar: roles × objects. For every cell the access policy
(portal.access) and the HTTP answer (or the socket) agree with the table below, and
unknown or forged ids look exactly like forbidden ones."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from forum.chat.models import ChatRoom
from portal import access
from portal.asgi import application
from tests import factories
from webinar import selectors
from webinar.models import AttendanceSpan, Registration, RegistrationStatus

ROLES = [
    "anonymous",
    "plain_user",
    "registrant",
    "waitlisted",
    "cancelled",
    "speaker",
    "staff",
    "regional_referent",
    "body_member",
]

# What each role may do. "live" covers the live page, its JSON state, its socket, the
# session's chat room and the material reserved to registrants.
ALLOWED = {
    "live": {"registrant", "speaker", "staff", "regional_referent"},
    "report": {"staff", "regional_referent"},
    "certificate": {"registrant"},
}


def enrol(session, user, status):
    confirmed = status == RegistrationStatus.CONFIRMED
    return Registration.objects.create(
        session=session,
        user=user,
        status=status,
        holds_seat=confirmed,
        confirmed_at=timezone.now() if confirmed else None,
    )


def people_for(live, past, expert):
    """One user per role, in the same relation to both sessions."""
    ente = factories.EnteFactory(name="Comune di Avellino")
    people = {
        "anonymous": None,
        "plain_user": factories.UserFactory(),
        "registrant": factories.UserFactory(),
        "waitlisted": factories.UserFactory(),
        "cancelled": factories.UserFactory(),
        "speaker": expert,
        "staff": factories.StaffFactory(),
        "regional_referent": factories.RegionalRoleFactory(region=ente.region).user,
        "body_member": factories.MembershipFactory(ente=ente).user,
    }
    for session in (live, past):
        enrol(session, people["registrant"], RegistrationStatus.CONFIRMED)
        enrol(session, people["waitlisted"], RegistrationStatus.WAITLISTED)
        enrol(session, people["cancelled"], RegistrationStatus.CANCELLED)
    # Everyone followed the whole past session: the certificate depends on the seat only.
    for user in people.values():
        if user is not None:
            AttendanceSpan.objects.create(
                session=past,
                user=user,
                joined_at=past.starts_at,
                last_seen_at=past.ends_at,
                left_at=past.ends_at,
            )
    return people


@pytest.fixture
def world(session_factory, expert, document_factory):
    material = [("document", {"document": document_factory(), "title": "Slide per iscritti"})]
    live = session_factory(
        title="Sessione in corso", starts_in=-timedelta(minutes=5), registrant_material=material
    )
    past = session_factory(title="Sessione conclusa", starts_in=-timedelta(hours=4))
    return live, past, people_for(live, past, expert)


@pytest.fixture
def document_factory(db):
    from django.core.files.base import ContentFile

    from portal.pages.models import PortalDocument

    def make():
        document = PortalDocument(title="Slide per iscritti")
        document.file.save("slide.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        document.save()
        return document

    return make


def http(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def verdict(response) -> str:
    """allowed / forbidden / login (a visitor is sent to log in)."""
    if response.status_code == 200:
        return "allowed"
    if response.status_code == 302 and "/account/login/" in response["Location"]:
        return "login"
    assert response.status_code == 403, (response.status_code, response.get("Location"))
    return "forbidden"


def expected(role, kind) -> str:
    if role in ALLOWED[kind]:
        return "allowed"
    return "login" if role == "anonymous" else "forbidden"


def as_user(user):
    from django.contrib.auth.models import AnonymousUser

    return user if user is not None else AnonymousUser()


@pytest.mark.parametrize("role", ROLES)
def test_live_page_state_chat_and_reserved_material_follow_the_policy(client, world, role):
    live, _past, people = world
    user = people[role]
    may = access.can_enter_live_session(as_user(user), live)
    assert may == (role in ALLOWED["live"])

    assert verdict(http(client, user, f"/webinar/{live.pk}/diretta/")) == expected(role, "live")
    state = http(client, user, f"/webinar/{live.pk}/diretta/stato/")
    assert verdict(state) == expected(role, "live")
    if may:
        assert state.json()["type"] == "state"

    room = ChatRoom.objects.get(pk=live.chat_room_id)
    assert access.can_view_chat_room(as_user(user), room) == may
    visible = access.visible_chat_room_q(as_user(user))
    listed = ChatRoom.objects.filter(pk=room.pk)
    if visible is not None:
        listed = listed.filter(visible)
    assert listed.exists() == may
    assert verdict(http(client, user, f"/chat/stanze/{room.pk}/")) == expected(role, "live")

    page = http(client, user, live.url).content.decode()
    assert ("Slide per iscritti" in page) == may
    assert ("Materiali per gli iscritti" in page) == may


@pytest.mark.parametrize("role", ROLES)
def test_report_and_exports_follow_the_policy(client, world, role):
    _live, past, people = world
    user = people[role]
    may = access.can_view_webinar_report(as_user(user))
    assert may == (role in ALLOWED["report"])

    for url in (
        f"/webinar/{past.pk}/resoconto/",
        f"/webinar/{past.pk}/resoconto/iscritti.csv",
        f"/webinar/{past.pk}/resoconto/iscritti.xlsx",
    ):
        assert verdict(http(client, user, url)) == expected(role, "report"), url


@pytest.mark.parametrize("role", ROLES)
def test_certificate_follows_the_policy(client, world, role):
    _live, past, people = world
    user = people[role]
    earned = selectors.certificate_for(past, as_user(user)) is not None
    assert earned == (role in ALLOWED["certificate"])

    response = http(client, user, f"/webinar/{past.pk}/attestato.pdf")
    assert verdict(response) == expected(role, "certificate")
    if earned:
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ["registrant", "plain_user", "staff"])
def test_unknown_and_forged_ids_look_like_forbidden_ones(client, world, session_factory, role):
    live, _past, people = world
    user = people[role]
    draft = session_factory(title="Bozza", publish=False, live=False)
    client.force_login(user)
    forbidden_live = 200 if role != "plain_user" else 403

    for session_id in ("999999", str(draft.pk)):
        assert client.get(f"/webinar/{session_id}/diretta/").status_code == 403
        assert client.get(f"/webinar/{session_id}/diretta/stato/").status_code == 403
        assert (
            client.post(f"/webinar/{session_id}/diretta/domande/", {"body": "?"}).status_code == 403
        )
    assert client.get(f"/webinar/{live.pk}/diretta/").status_code == forbidden_live
    assert client.get("/chat/stanze/999999/").status_code == 403
    # A question id of another session is as unknown as one that never existed.
    assert client.post(f"/webinar/{live.pk}/diretta/domande/999999/voto/").status_code == 403
    report_unknown = client.get("/webinar/999999/resoconto/").status_code
    assert report_unknown == (404 if role == "staff" else 403)


@pytest.mark.parametrize("role", ["registrant", "regional_referent"])
def test_only_speakers_and_staff_lead_a_session(world, role):
    live, _past, people = world
    assert not access.can_lead_session(people[role], live)
    assert access.can_lead_session(people["speaker"], live)
    assert access.can_lead_session(people["staff"], live)


def test_a_cancelled_registration_loses_the_live_page_at_once(client, world):
    live, _past, people = world
    user = people["registrant"]
    client.force_login(user)
    assert client.get(f"/webinar/{live.pk}/diretta/").status_code == 200

    Registration.objects.filter(session=live, user=user).update(
        status=RegistrationStatus.CANCELLED, holds_seat=False
    )
    access.forget_scope(user)
    assert client.get(f"/webinar/{live.pk}/diretta/").status_code == 403


# --- The live socket, through the whole ASGI stack ----------------------------------------


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


async def _socket_verdict(user, session_id) -> str:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(_session_cookie_for)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, f"/ws/webinar/{session_id}/", headers)
    connected, code = await communicator.connect(timeout=5)
    if not connected:
        assert code == 4403
        return "forbidden"
    frame = await communicator.receive_json_from(timeout=5)
    assert frame["type"] == "state"
    await communicator.disconnect()
    return "allowed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_live_socket_admits_the_same_people_as_the_live_page(world):
    live, _past, people = world
    for role, user in people.items():
        wanted = "allowed" if role in ALLOWED["live"] else "forbidden"
        assert async_to_sync(_socket_verdict)(user, live.pk) == wanted, role
    for forged in ("999999", "abc", "-1"):
        assert async_to_sync(_socket_verdict)(people["staff"], forged) == "forbidden", forged
