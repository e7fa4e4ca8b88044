"""The chat socket, through the real ASGI stack (origin check, session auth, routing)."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from forum.chat.models import ChatMessage, ChatRoom
from forum.chat.services import RATE_LIMIT_MESSAGES
from portal.enti.models import Membership, MembershipState

from .conftest import receive_until

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


async def test_a_message_is_stored_then_delivered_to_everyone_in_the_room(
    connect, area_room, member, other_member
):
    anna, *_ = await connect(member, area_room)
    paolo, *_ = await connect(other_member, area_room)

    await anna.send_json_to({"type": "message", "client_id": "c-00000001", "body": "Buongiorno"})

    ack = await receive_until(anna, "ack")
    delivered = await receive_until(paolo, "message")
    assert ack == {"type": "ack", "client_id": "c-00000001", "seq": 1, "new": True}
    assert delivered["seq"] == 1
    assert delivered["html"] == "Buongiorno"
    assert delivered["author"] == "Anna Greco"
    stored = await database_sync_to_async(ChatMessage.objects.get)(room=area_room, seq=1)
    assert stored.body == "Buongiorno"
    await anna.disconnect()
    await paolo.disconnect()


async def test_a_retried_send_is_stored_once(connect, area_room, member):
    anna, *_ = await connect(member, area_room)
    frame = {"type": "message", "client_id": "retry-0001", "body": "Una volta sola"}

    await anna.send_json_to(frame)
    first = await receive_until(anna, "ack")
    await anna.send_json_to(frame)
    second = await receive_until(anna, "ack")

    assert (first["seq"], first["new"]) == (1, True)
    assert (second["seq"], second["new"]) == (1, False)
    count = await database_sync_to_async(ChatMessage.objects.filter(room=area_room).count)()
    assert count == 1
    await anna.disconnect()


async def test_a_reconnecting_client_receives_what_it_missed_in_order(
    connect, area_room, member, other_member
):
    anna, *_ = await connect(member, area_room)
    for number in range(1, 6):
        await anna.send_json_to(
            {"type": "message", "client_id": f"missed-{number:04d}", "body": f"Messaggio {number}"}
        )
        await receive_until(anna, "ack")

    paolo, *_ = await connect(other_member, area_room)
    await paolo.send_json_to({"type": "resume", "after": 2})
    history = await receive_until(paolo, "history")

    assert [m["seq"] for m in history["messages"]] == [3, 4, 5]
    assert history["complete"] is True
    await anna.disconnect()
    await paolo.disconnect()


async def test_hostile_html_is_rendered_inert_and_links_made_clickable(connect, area_room, member):
    anna, *_ = await connect(member, area_room)

    await anna.send_json_to(
        {
            "type": "message",
            "client_id": "hostile-01",
            "body": "<img src=x onerror=alert(1)><script>alert(2)</script> https://www.funzionepubblica.gov.it",
        }
    )
    message = await receive_until(anna, "message")

    assert "<img" not in message["html"] and "<script" not in message["html"]
    assert "&lt;script&gt;" in message["html"]
    assert '<a href="https://www.funzionepubblica.gov.it"' in message["html"]
    assert "noopener" in message["html"]
    await anna.disconnect()


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json at all", "bad_frame"),
        ('["a", "list"]', "bad_frame"),
        ('{"type": "explode"}', "unknown_type"),
        ('{"type": "message", "client_id": "ok-000001", "body": 42}', "bad_frame"),
        ('{"type": "message", "client_id": "x", "body": "ciao"}', "bad_client_id"),
        ('{"type": "message", "client_id": "empty-0001", "body": "   "}', "empty"),
        ('{"type": "edit", "seq": "abc", "body": "x"}', "bad_frame"),
        ('{"type": "resume", "after": "zzz"}', "bad_frame"),
    ],
    ids=[
        "not-json",
        "not-an-object",
        "unknown-type",
        "body-not-text",
        "bad-client-id",
        "empty",
        "bad-seq",
        "bad-resume",
    ],
)
async def test_malformed_frames_get_an_error_frame_and_the_socket_stays_up(
    connect, area_room, member, frame, code
):
    anna, *_ = await connect(member, area_room)

    await anna.send_to(text_data=frame)
    error = await receive_until(anna, "error")
    await anna.send_json_to({"type": "ping"})
    pong = await receive_until(anna, "pong")

    assert error["code"] == code
    assert error["message"]
    assert pong == {"type": "pong"}
    await anna.disconnect()


async def test_oversize_messages_are_refused(connect, area_room, member):
    anna, *_ = await connect(member, area_room)

    await anna.send_json_to({"type": "message", "client_id": "long-0001", "body": "a" * 2001})
    too_long = await receive_until(anna, "error")
    await anna.send_to(text_data=json.dumps({"type": "message", "body": "b" * 9000}))
    too_big = await receive_until(anna, "error")

    assert too_long["code"] == "too_long"
    assert too_big["code"] == "bad_frame"
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0
    await anna.disconnect()


async def test_a_flood_gets_a_clear_refusal(connect, area_room, member):
    anna, *_ = await connect(member, area_room)

    codes = []
    for number in range(RATE_LIMIT_MESSAGES + 3):
        await anna.send_json_to(
            {"type": "message", "client_id": f"flood-{number:04d}", "body": f"spam {number}"}
        )
    for _ in range(RATE_LIMIT_MESSAGES + 3):
        frame = await anna.receive_json_from(timeout=5)
        while frame["type"] not in ("ack", "error"):
            frame = await anna.receive_json_from(timeout=5)
        codes.append(frame.get("code", "ack"))

    assert codes.count("ack") == RATE_LIMIT_MESSAGES
    assert codes.count("rate_limited") == 3
    await anna.disconnect()


async def test_someone_the_policy_denies_cannot_connect(connect, area_room, outsider):
    _socket, connected, code = await connect(outsider, area_room)

    assert not connected
    assert code == 4403


async def test_anonymous_visitors_cannot_connect(connect, area_room):
    _socket, connected, _code = await connect(None, area_room)

    assert not connected


async def test_a_cross_site_origin_is_refused(connect, area_room, member):
    _socket, connected, _code = await connect(member, area_room, origin=b"https://evil.example")

    assert not connected


async def test_an_unknown_room_looks_like_a_forbidden_one(connect, member, transactional_db):
    fake = ChatRoom(pk=999999)

    _socket, connected, code = await connect(member, fake)

    assert (connected, code) == (False, 4403)


async def test_a_member_revoked_while_connected_stops_receiving(
    connect, area_room, member, other_member
):
    anna, *_ = await connect(member, area_room)
    paolo, *_ = await connect(other_member, area_room)

    def revoke():
        Membership.objects.filter(user=other_member).update(state=MembershipState.REVOKED)
        membership = Membership.objects.get(user=other_member)
        membership.save()  # the signal rings the user's sockets

    await database_sync_to_async(revoke)()
    closed = await receive_until(paolo, "error")
    assert closed["code"] == "forbidden"
    assert (await paolo.receive_output(timeout=5))["type"] == "websocket.close"

    await anna.send_json_to({"type": "message", "client_id": "after-rev1", "body": "Riservato"})
    await receive_until(anna, "ack")
    assert await paolo.receive_nothing(timeout=0.3)
    await anna.disconnect()


async def test_authors_edit_and_delete_and_everyone_sees_it(
    connect, area_room, member, other_member
):
    anna, *_ = await connect(member, area_room)
    paolo, *_ = await connect(other_member, area_room)
    await anna.send_json_to({"type": "message", "client_id": "edit-00001", "body": "Bozza"})
    await receive_until(paolo, "message")

    await anna.send_json_to({"type": "edit", "seq": 1, "body": "Versione finale"})
    edited = await receive_until(paolo, "message")
    await anna.send_json_to({"type": "delete", "seq": 1})
    deleted = await receive_until(paolo, "message")

    assert (edited["seq"], edited["html"], edited["edited"]) == (1, "Versione finale", True)
    assert (deleted["seq"], deleted["deleted"], deleted["html"]) == (1, True, "")
    await anna.disconnect()
    await paolo.disconnect()


async def test_members_cannot_edit_or_delete_someone_elses_message(
    connect, area_room, member, other_member
):
    anna, *_ = await connect(member, area_room)
    paolo, *_ = await connect(other_member, area_room)
    await anna.send_json_to({"type": "message", "client_id": "mine-00001", "body": "Mio"})
    await receive_until(paolo, "message")

    await paolo.send_json_to({"type": "edit", "seq": 1, "body": "Tuo"})
    edit_error = await receive_until(paolo, "error")
    await paolo.send_json_to({"type": "delete", "seq": 1})
    delete_error = await receive_until(paolo, "error")

    assert edit_error["code"] == delete_error["code"] == "forbidden"
    stored = await database_sync_to_async(ChatMessage.objects.get)(room=area_room, seq=1)
    assert (stored.body, stored.deleted_at) == ("Mio", None)
    await anna.disconnect()
    await paolo.disconnect()


async def test_a_moderator_deletes_and_mutes_and_the_muted_cannot_post(
    connect, area_room, ente, member
):
    from portal.enti.models import MembershipRole
    from tests.factories import MembershipFactory

    referent = await database_sync_to_async(
        lambda: MembershipFactory(ente=ente, role=MembershipRole.REFERENTE).user
    )()
    moderator, *_ = await connect(referent, area_room)
    anna, *_ = await connect(member, area_room)
    await anna.send_json_to({"type": "message", "client_id": "bad-000001", "body": "Fuori tema"})
    await receive_until(moderator, "message")
    await receive_until(anna, "message")

    await moderator.send_json_to({"type": "delete", "seq": 1})
    deleted = await receive_until(anna, "message")
    await moderator.send_json_to({"type": "mute", "user_id": member.pk, "minutes": 10})
    notice = await receive_until(anna, "notice")
    await anna.send_json_to({"type": "message", "client_id": "bad-000002", "body": "Ancora"})
    refused = await receive_until(anna, "error")

    assert deleted["deleted"] is True
    assert "silenziato" in notice["text"]
    assert refused["code"] == "muted"
    await anna.disconnect()
    await moderator.disconnect()


async def test_presence_tells_who_is_online_and_who_arrives_and_leaves(
    connect, lobby, member, other_member
):
    anna, *_ = await connect(member, lobby)
    paolo, connected, _code = await connect(other_member, lobby)

    joined = await receive_until(anna, "presence")
    await paolo.disconnect()
    left = await receive_until(anna, "presence")

    assert connected
    # Arrivals within a second come in one notice: Anna's own and Paolo's.
    assert {"id": other_member.pk, "name": "Paolo Lupo"} in joined["joined"]
    assert left["left"] == [other_member.pk]
    await anna.disconnect()


async def test_the_hello_frame_lists_who_is_already_online(connect, lobby, member, other_member):
    from channels.db import database_sync_to_async as db
    from channels.testing import WebsocketCommunicator

    from portal.asgi import application

    from .conftest import _session_cookie_for

    anna, *_ = await connect(member, lobby)
    cookie = await db(_session_cookie_for)(other_member)
    paolo = WebsocketCommunicator(
        application,
        f"/ws/chat/{lobby.pk}/",
        [
            (b"origin", b"http://testserver"),
            (b"host", b"testserver"),
            (b"cookie", f"sessionid={cookie}".encode()),
        ],
    )
    await paolo.connect(timeout=5)
    hello = await paolo.receive_json_from(timeout=5)

    assert {person["name"] for person in hello["online"]} == {"Anna Greco", "Paolo Lupo"}
    await paolo.disconnect()
    await anna.disconnect()


async def test_the_project_room_is_open_to_every_participant(connect, lobby, outsider):
    ugo, connected, _code = await connect(outsider, lobby)

    assert connected
    await ugo.disconnect()


async def test_read_state_moves_forward_only(connect, area_room, member):
    from forum.chat.models import ChatReadState

    anna, *_ = await connect(member, area_room)
    for number in range(3):
        await anna.send_json_to({"type": "message", "client_id": f"read-{number:05d}", "body": "x"})
        await receive_until(anna, "ack")

    await anna.send_json_to({"type": "read", "seq": 3})
    await anna.send_json_to({"type": "read", "seq": 1})
    await anna.send_json_to({"type": "ping"})
    await receive_until(anna, "pong")
    await asyncio.sleep(0.1)

    state = await database_sync_to_async(ChatReadState.objects.get)(room=area_room, user=member)
    assert state.last_read_seq == 3
    await anna.disconnect()


async def test_every_action_asks_the_policy_afresh_even_without_the_doorbell(
    connect, area_room, member
):
    """If the access-change notice is lost, the next action still finds access gone."""
    anna, *_ = await connect(member, area_room)

    def revoke_quietly():
        Membership.objects.filter(user=member).update(state=MembershipState.REVOKED)

    await database_sync_to_async(revoke_quietly)()  # .update(): no signal, no doorbell
    await anna.send_json_to({"type": "message", "client_id": "quiet-0001", "body": "Ancora qui?"})
    refused = await receive_until(anna, "error")

    assert refused["code"] == "forbidden"
    assert await database_sync_to_async(ChatMessage.objects.count)() == 0
