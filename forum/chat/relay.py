"""Fan-out inside a worker: one channel-layer subscription per room and worker, and the
serialised frame written straight to that worker's sockets.

Joining every socket to the room's group would cost, per delivery, a queue put, a task
wake-up and a dispatch through the consumer; with a relay that happens once per worker
and the per-recipient work is the socket write alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

logger = logging.getLogger(__name__)

# Channels' groups expire (channels_redis: a day): a long-lived relay joins again.
REJOIN_SECONDS = 3600

_relays: dict[tuple[int, str], RoomRelay] = {}


class RoomRelay:
    def __init__(self, layer, group: str):
        self.layer = layer
        self.group = group
        self.sockets: set = set()
        self.channel: str | None = None
        self.task: asyncio.Task | None = None

    async def _start(self):
        self.channel = await self.layer.new_channel()
        await self.layer.group_add(self.group, self.channel)
        self.task = asyncio.get_running_loop().create_task(self._pump())

    async def _pump(self):
        rejoin_at = asyncio.get_running_loop().time() + REJOIN_SECONDS
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The layer is restarting: clients catch up from the database on reconnect.
                logger.warning("relay for %s lost its layer", self.group, exc_info=True)
                await asyncio.sleep(1)
                with contextlib.suppress(Exception):
                    await self.layer.group_add(self.group, self.channel)
                continue
            payload = message.get("payload")
            if payload is not None:
                for socket in list(self.sockets):
                    await socket.relay_frame(payload)
            if asyncio.get_running_loop().time() > rejoin_at:
                with contextlib.suppress(Exception):
                    await self.layer.group_add(self.group, self.channel)
                rejoin_at = asyncio.get_running_loop().time() + REJOIN_SECONDS


async def relay_join(layer, group: str, socket) -> None:
    key = (id(asyncio.get_running_loop()), group)
    relay = _relays.get(key)
    if relay is None:
        relay = _relays[key] = RoomRelay(layer, group)
        relay.sockets.add(socket)
        await relay._start()
    else:
        relay.sockets.add(socket)


async def relay_leave(group: str, socket) -> None:
    key = (id(asyncio.get_running_loop()), group)
    relay = _relays.get(key)
    if relay is None:
        return
    relay.sockets.discard(socket)
    if not relay.sockets:
        del _relays[key]
        if relay.task is not None:
            relay.task.cancel()
        with contextlib.suppress(Exception):
            await relay.layer.group_discard(relay.group, relay.channel)
