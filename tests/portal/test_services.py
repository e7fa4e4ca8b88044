"""The real services behind the embedded defaults: Redis for the channel layer and cache."""

import asyncio
import os

import pytest
from django.core.cache.backends.redis import RedisCache

from tests.conftest import port_open, require_service

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    require_service(
        port_open(host or "127.0.0.1", int(port or 6379)),
        f"Redis is needed at {REDIS_URL} (set REDIS_URL)",
    )
    return REDIS_URL


@pytest.mark.redis
def test_the_redis_channel_layer_carries_group_messages(redis_url):
    from channels_redis.core import RedisChannelLayer

    async def round_trip():
        layer = RedisChannelLayer(hosts=[redis_url])
        channel = await layer.new_channel()
        await layer.group_add("paq-test", channel)
        await layer.group_send("paq-test", {"type": "chat.message", "text": "ciao"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=5)
        await layer.group_discard("paq-test", channel)
        await layer.flush()
        return message

    assert asyncio.run(round_trip())["text"] == "ciao"


def test_a_failed_layer_read_is_retried_instead_of_ending_the_consumer(monkeypatch):
    """A Redis hiccup must not drop the sockets of whoever was reading."""
    from channels_redis.core import RedisChannelLayer
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from forum.chat import layers

    outcomes = [RedisTimeoutError("Timeout reading from 127.0.0.1:6379"), {"type": "ring"}]

    async def flaky_receive(self, channel):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(RedisChannelLayer, "receive", flaky_receive)
    monkeypatch.setattr(layers, "RETRY_FIRST_DELAY", 0.01)
    layer = layers.ResilientRedisChannelLayer(hosts=["redis://127.0.0.1:1"])

    assert asyncio.run(layer.receive("specific.abc!def")) == {"type": "ring"}
    assert outcomes == []


def test_after_a_redis_restart_the_layer_joins_its_groups_again(monkeypatch):
    """A restarted Redis forgot every group: rooms must keep ringing without a reconnect."""
    from channels_redis.core import RedisChannelLayer
    from redis.exceptions import ConnectionError as RedisConnectionError

    from forum.chat import layers

    joined = []
    outcomes = [RedisConnectionError("Connection refused"), {"type": "ring"}]

    async def record_join(self, group, channel):
        joined.append((group, channel))

    async def flaky_receive(self, channel):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    monkeypatch.setattr(RedisChannelLayer, "group_add", record_join)
    monkeypatch.setattr(RedisChannelLayer, "group_discard", record_join)
    monkeypatch.setattr(RedisChannelLayer, "receive", flaky_receive)
    monkeypatch.setattr(layers, "RETRY_FIRST_DELAY", 0.01)
    layer = layers.ResilientRedisChannelLayer(hosts=["redis://127.0.0.1:1"])

    async def scenario():
        await layer.group_add("chat-room-1", "specific.abc!relay")
        await layer.group_add("chat-user-7", "specific.abc!sock")
        await layer.group_discard("chat-user-7", "specific.abc!sock")
        return await layer.receive("specific.abc!relay")

    assert asyncio.run(scenario()) == {"type": "ring"}
    assert joined.count(("chat-room-1", "specific.abc!relay")) == 2


@pytest.mark.redis
def test_the_redis_cache_is_shared_between_clients(redis_url):
    """allauth's rate limits live in the cache: workers must share it."""
    writer = RedisCache(redis_url, {"KEY_PREFIX": "paq-test"})
    reader = RedisCache(redis_url, {"KEY_PREFIX": "paq-test"})

    writer.set("login-attempts", 3, timeout=30)

    assert reader.get("login-attempts") == 3
    reader.delete("login-attempts")


def test_settings_switch_to_redis_and_postgresql_from_the_environment():
    import subprocess
    import sys

    code = (
        "from django.conf import settings as s;"
        "print(s.CHANNEL_LAYERS['default']['BACKEND']);"
        "print(s.CACHES['default']['BACKEND']);"
        "print(s.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/paq",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.stdout.split() == [
        "forum.chat.layers.ResilientRedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
        "django.db.backends.postgresql",
    ]


def test_an_asgi_process_runs_a_bounded_number_of_http_requests_at_once():
    from portal.asgi import BoundedHTTP

    running = {"now": 0, "most": 0}

    async def app(scope, receive, send):
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        await asyncio.sleep(0.01)
        running["now"] -= 1

    bounded = BoundedHTTP(app, limit=3)

    async def crowd():
        await asyncio.gather(*(bounded({"type": "http"}, None, None) for _ in range(20)))

    asyncio.run(crowd())

    assert running == {"now": 0, "most": 3}
