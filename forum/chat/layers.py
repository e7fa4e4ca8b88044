"""The Redis channel layer, made to ride out Redis hiccups and restarts.

channels_redis lets a failed read (Redis restarting, a reply that took longer than
the socket timeout on a loaded worker) escape from `receive()`, which ends the
consumer that happened to be reading and drops its socket. The layer is only a
doorbell here, so a failed read is logged and retried: the sockets stay up and
clients catch up from the database if a ring was lost.

A Redis that restarted has forgotten every group (this project's Redis keeps nothing
on disk): the layer remembers which groups this process's channels joined and joins
them again before it reads again, so rooms and personal doorbells keep ringing.
"""

from __future__ import annotations

import asyncio
import logging

from channels_redis.core import RedisChannelLayer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

RETRY_FIRST_DELAY = 0.1
RETRY_MAX_DELAY = 2.0
REDIS_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisChannelLayer(RedisChannelLayer):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._memberships: dict[str, set[str]] = {}
        self._needs_rejoin = False

    async def group_add(self, group, channel):
        await super().group_add(group, channel)
        self._memberships.setdefault(group, set()).add(channel)

    async def group_discard(self, group, channel):
        await super().group_discard(group, channel)
        channels = self._memberships.get(group)
        if channels is not None:
            channels.discard(channel)
            if not channels:
                del self._memberships[group]

    async def _rejoin(self) -> None:
        for group, channels in list(self._memberships.items()):
            for channel in list(channels):
                await super().group_add(group, channel)

    async def receive(self, channel):
        delay = RETRY_FIRST_DELAY
        while True:
            if self._needs_rejoin:
                try:
                    await self._rejoin()
                except REDIS_FAILURES:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RETRY_MAX_DELAY)
                    continue
                self._needs_rejoin = False
                logger.warning("channel layer back: %d groups joined again", len(self._memberships))
            try:
                return await super().receive(channel)
            except REDIS_FAILURES as error:
                logger.warning("channel layer read failed (%s); retrying in %.1f s", error, delay)
                self._needs_rejoin = True
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_DELAY)
