"""The Redis channel layer, made to ride out Redis hiccups.

channels_redis lets a failed read (Redis restarting, a reply that took longer than
the socket timeout on a loaded worker) escape from `receive()`, which ends the
consumer that happened to be reading and drops its socket. The layer is only a
doorbell here, so a failed read is logged and retried: the sockets stay up and
clients catch up from the database if a ring was lost.
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


class ResilientRedisChannelLayer(RedisChannelLayer):
    async def receive(self, channel):
        delay = RETRY_FIRST_DELAY
        while True:
            try:
                return await super().receive(channel)
            except (RedisConnectionError, RedisTimeoutError) as error:
                logger.warning("channel layer read failed (%s); retrying in %.1f s", error, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_DELAY)
