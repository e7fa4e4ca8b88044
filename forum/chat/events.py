"""What goes over the wire. Each event is serialised once and fanned out as text."""

from __future__ import annotations

import asyncio
import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    return f"chat-user-{user_id}"


def message_payload(message) -> dict:
    author = message.author
    return {
        "type": "message",
        "room": message.room_id,
        "seq": message.seq,
        "client_id": message.client_id,
        "author_id": message.author_id,
        "author": (author.get_full_name() or author.email.split("@")[0]) if author else "—",
        "html": "" if message.is_deleted else message.body_html,
        "created_at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "deleted": message.is_deleted,
    }


def dumps(payload: dict) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def _group_send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        async_to_sync(layer.group_send)(group, message)
    else:
        # Sync code running in a thread that owns an event loop (a test driving a
        # browser): hand the send to that loop instead of blocking it.
        loop.create_task(layer.group_send(group, message))


def broadcast(group: str, payload: dict) -> None:
    """Ring the doorbell: the layer may drop it, clients catch up from the database.
    A layer that is down (Redis restarting) must not fail a write already committed."""
    try:
        _group_send(group, {"type": "chat.event", "payload": dumps(payload)})
    except Exception:
        logger.warning("chat broadcast to %s failed; clients will catch up", group, exc_info=True)


def notify_access_changed(user_id: int) -> None:
    """Tell the user's open sockets to ask the access policy again (they also re-ask
    periodically, so a lost doorbell only delays the cut-off)."""
    try:
        _group_send(user_group(user_id), {"type": "access.changed"})
    except Exception:
        logger.warning("access notification to user %s failed", user_id, exc_info=True)


PRESENCE_BATCH_SECONDS = 1.0


class PresenceBatcher:
    """Arrivals and departures of a room, gathered for a second and announced in one
    frame: a crowd joining a webinar costs one notice per client, not one per arrival.
    Presence is ephemeral, so each worker announces its own sockets' changes."""

    def __init__(self):
        self.pending: dict[str, dict] = {}

    def add(self, layer, group: str, room_id: int, joined: dict | None = None, left=None):
        entry = self.pending.get(group)
        if entry is None:
            entry = self.pending[group] = {"room": room_id, "joined": {}, "left": set()}
            loop = asyncio.get_running_loop()
            loop.call_later(
                PRESENCE_BATCH_SECONDS, lambda: loop.create_task(self.flush(layer, group))
            )
        if joined is not None:
            entry["joined"][joined["id"]] = joined["name"]
            entry["left"].discard(joined["id"])
        if left is not None:
            entry["left"].add(left)
            entry["joined"].pop(left, None)

    async def flush(self, layer, group: str):
        entry = self.pending.pop(group, None)
        if not entry:
            return
        payload = {
            "type": "presence",
            "room": entry["room"],
            "joined": [{"id": key, "name": name} for key, name in entry["joined"].items()],
            "left": sorted(entry["left"]),
        }
        try:
            await layer.group_send(group, {"type": "chat.event", "payload": dumps(payload)})
        except Exception:
            logger.warning("presence notice to %s failed", group, exc_info=True)


presence_batcher = PresenceBatcher()
