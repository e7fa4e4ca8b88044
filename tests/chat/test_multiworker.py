"""Chat across real worker processes on PostgreSQL and Redis: a message sent through one
worker reaches clients of the other; a killed worker or a restarted Redis loses nothing
and shows nothing twice. Runs in the PostgreSQL pass of the suite (required in CI)."""

import asyncio
import os

import pytest
from django.conf import settings
from django.db import connection

from forum.chat.models import ChatMessage
from forum.chat.services import room_for_area
from tests.conftest import port_open, require_service
from tests.factories import EnteFactory, MembershipFactory

from .conftest import _session_cookie_for
from .servers import ChatClient, ChatWorker, RedisServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.timeout(240),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MACHINE_REDIS = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def database_url():
    if connection.vendor != "postgresql":
        pytest.skip("multi-worker chat runs in the PostgreSQL pass of the suite")
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def machine_redis():
    require_service(port_open("127.0.0.1", 6379), "Redis is needed at 127.0.0.1:6379")
    return MACHINE_REDIS


@pytest.fixture
def people(area_factory):
    ente = EnteFactory(name="Comune di Molfetta")
    room = room_for_area(area_factory(ente=ente))
    anna = MembershipFactory(ente=ente).user
    paolo = MembershipFactory(ente=ente).user
    return room, _session_cookie_for(anna), _session_cookie_for(paolo)


@pytest.fixture
def workers():
    started = []

    def start(database_url, redis_url, port=None):
        worker = ChatWorker(database_url, redis_url, settings.SECRET_KEY, port=port)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


async def pump_until(clients, count, seconds=30):
    for _round in range(int(seconds * 10)):
        if all(len(client.seen) >= count for client in clients):
            return
        await asyncio.gather(*(client.pump(0.1) for client in clients))
    raise AssertionError(
        f"expected {count} messages, got {[len(client.seen) for client in clients]}"
    )


def assert_complete(client, count):
    assert client.seen == list(range(1, count + 1)), (client.name, client.seen)


def test_a_message_sent_through_one_worker_reaches_clients_of_the_other(
    database_url, machine_redis, people, workers
):
    room, anna_session, paolo_session = people
    first, second = workers(database_url, machine_redis), workers(database_url, machine_redis)

    async def scenario():
        anna = ChatClient(anna_session, room.pk, "anna")
        paolo = ChatClient(paolo_session, room.pk, "paolo")
        await anna.connect(first)
        await paolo.connect(second)
        for number in range(6):
            await anna.send(f"anna-{number:04d}", f"Da Anna {number}")
            await paolo.send(f"paolo-{number:03d}", f"Da Paolo {number}")
            await asyncio.gather(anna.pump(0.05), paolo.pump(0.05))
        await pump_until([anna, paolo], 12)
        await anna.close()
        await paolo.close()
        return anna, paolo

    anna, paolo = asyncio.run(scenario())

    assert_complete(anna, 12)
    assert_complete(paolo, 12)
    assert list(
        ChatMessage.objects.filter(room=room).order_by("seq").values_list("seq", flat=True)
    ) == list(range(1, 13))


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(
    database_url, machine_redis, people, workers
):
    room, anna_session, paolo_session = people
    first = workers(database_url, machine_redis)
    second = workers(database_url, machine_redis)

    async def scenario():
        anna = ChatClient(anna_session, room.pk, "anna")
        paolo = ChatClient(paolo_session, room.pk, "paolo")
        await anna.connect(first)
        await paolo.connect(second)
        for number in range(4):
            await anna.send(f"before-{number:04d}", f"Prima {number}")
        await pump_until([anna, paolo], 4)

        await paolo.send("paolo-at-kill", "Inviato mentre il worker cade")
        second.kill()
        for number in range(4):
            await anna.send(f"during-{number:04d}", f"Durante {number}")
            await anna.pump(0.1)
        restarted = workers(database_url, machine_redis, port=second.port)
        await paolo.connect(restarted)  # resumes after its last seq, resends unacked
        await pump_until([anna, paolo], 9)
        await asyncio.gather(anna.pump(0.5), paolo.pump(0.5))
        await anna.close()
        await paolo.close()
        return anna, paolo

    anna, paolo = asyncio.run(scenario())

    assert ChatMessage.objects.filter(room=room, client_id="paolo-at-kill").count() == 1
    assert ChatMessage.objects.filter(room=room).count() == 9
    assert_complete(anna, 9)
    assert_complete(paolo, 9)


def test_the_chat_recovers_when_redis_restarts(database_url, people, workers):
    require_service(RedisServer.available(), "redis-server is needed to restart a private Redis")
    room, anna_session, paolo_session = people
    redis = RedisServer()
    redis.start()
    try:
        first, second = workers(database_url, redis.url), workers(database_url, redis.url)

        async def scenario():
            anna = ChatClient(anna_session, room.pk, "anna")
            paolo = ChatClient(paolo_session, room.pk, "paolo")
            await anna.connect(first)
            await paolo.connect(second)
            for number in range(3):
                await anna.send(f"up-{number:06d}", f"Redis attivo {number}")
            await pump_until([anna, paolo], 3)

            redis.kill()
            for number in range(2):
                # Sent on a socket that may be dying: kept unacknowledged and resent.
                await anna.send(f"down-{number:04d}", f"Redis fermo {number}")
                await anna.pump(0.3)
            redis.start()
            for client, worker in ((anna, first), (paolo, second)):
                if not await client.pump(0.2):
                    await client.connect(worker)
            await anna.send("after-0001", "Redis di nuovo attivo")
            for _round in range(100):
                if len(anna.seen) >= 6 and len(paolo.seen) >= 6:
                    break
                for client, worker in ((anna, first), (paolo, second)):
                    if not await client.pump(0.1):
                        await client.connect(worker)
            await anna.close()
            await paolo.close()
            return anna, paolo

        anna, paolo = asyncio.run(scenario())
    finally:
        redis.kill()

    assert ChatMessage.objects.filter(room=room).count() == 6
    assert_complete(anna, 6)
    assert_complete(paolo, 6)
