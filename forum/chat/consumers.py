"""The chat socket. It parses frames, calls services and selectors, and relays events.

Protocol (JSON text frames):
  client → server: {"type": "resume", "after": seq}            send what I missed
                   {"type": "message", "client_id": id, "body": text}
                   {"type": "edit", "seq": n, "body": text} / {"type": "delete", "seq": n}
                   {"type": "mute", "user_id": n, "minutes": m}   (moderators)
                   {"type": "read", "seq": n} / {"type": "ping"}
  server → client: "hello" (with who is online), "message" (new, edited or deleted),
                   "history" (resume batch), "ack", "presence" (who joined or left,
                   batched each second), "notice", "error", "pong"
"""

from __future__ import annotations

import asyncio
import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError

from portal import access

from . import selectors, services
from .events import dumps, message_payload, presence_batcher, user_group
from .relay import relay_join, relay_leave

logger = logging.getLogger(__name__)

MAX_FRAME_BYTES = 8 * 1024
ACCESS_RECHECK_SECONDS = 60
CLOSE_FORBIDDEN = 4403


class ChatConsumer(AsyncWebsocketConsumer):
    room = None
    recheck_task = None
    denied = False

    async def connect(self):
        user = self.scope.get("user")
        room_id = self.scope["url_route"]["kwargs"]["room_id"]
        self.room = await self._access_room(user, room_id)
        if self.room is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        self.moderator = await database_sync_to_async(access.can_moderate_chat_room)(
            user, self.room
        )
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        await self.accept()
        online = await database_sync_to_async(services.presence_join)(
            room=self.room, user=user, channel_name=self.channel_name
        )
        presence_batcher.add(
            self.channel_layer,
            self.room.group_name,
            self.room.pk,
            joined={"id": user.pk, "name": services.display_name(user)},
        )
        await self.send_json(
            {
                "type": "hello",
                "room": self.room.pk,
                "last_seq": self.room.last_seq,
                "user_id": user.pk,
                "moderator": self.moderator,
                "online": online,
            }
        )
        # Room events only after "hello": the client then asks for anything in between.
        await relay_join(self.channel_layer, self.room.group_name, self)
        self.recheck_task = asyncio.create_task(self._recheck_periodically())

    async def disconnect(self, code):
        if self.recheck_task is not None:
            self.recheck_task.cancel()
        if self.room is None:
            return
        await relay_leave(self.room.group_name, self)
        await self.channel_layer.group_discard(user_group(self.user.pk), self.channel_name)
        await self._presence_leave()

    # --- frames from the client -------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.denied:
            return
        if text_data is None or len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error("bad_frame", "Messaggio non valido o troppo grande.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self.send_error("bad_frame", "Messaggio non leggibile.")
            return
        if not isinstance(frame, dict):
            await self.send_error("bad_frame", "Messaggio non leggibile.")
            return
        handler = self.HANDLERS.get(frame.get("type"))
        if handler is None:
            await self.send_error("unknown_type", "Tipo di messaggio sconosciuto.")
            return
        if handler is not ChatConsumer.on_ping:
            # The socket keeps the user it was opened with: every action asks afresh.
            access.forget_scope(self.user)
        try:
            await handler(self, frame)
        except PermissionDenied:
            if not await self._still_allowed():
                await self._close_forbidden()
                return
            await self.send_error("forbidden", "Operazione non consentita.")
        except ValidationError as error:
            await self.send_error(
                error.code or "invalid", " ".join(error.messages), frame.get("client_id")
            )
        except (TypeError, ValueError):
            await self.send_error("bad_frame", "Dati del messaggio non validi.")

    async def on_resume(self, frame):
        after = int(frame.get("after") or 0)
        messages = await database_sync_to_async(selectors.messages_after)(self.room.pk, after)
        await self.send_json(
            {
                "type": "history",
                "after": after,
                "messages": [message_payload(m) for m in messages],
                "complete": len(messages) < selectors.RESUME_LIMIT,
            }
        )

    async def on_message(self, frame):
        body = frame.get("body")
        if not isinstance(body, str):
            raise ValueError
        message, created = await database_sync_to_async(services.message_post)(
            room=self.room, user=self.user, body=body, client_id=str(frame.get("client_id", ""))
        )
        await self.send_json(
            {"type": "ack", "client_id": message.client_id, "seq": message.seq, "new": created}
        )

    async def on_edit(self, frame):
        await database_sync_to_async(services.message_edit)(
            room=self.room, user=self.user, seq=int(frame["seq"]), body=str(frame.get("body"))
        )

    async def on_delete(self, frame):
        await database_sync_to_async(services.message_delete)(
            room=self.room, user=self.user, seq=int(frame["seq"])
        )

    async def on_mute(self, frame):
        await database_sync_to_async(services.user_mute)(
            room=self.room,
            moderator=self.user,
            user_id=int(frame["user_id"]),
            minutes=int(frame["minutes"]),
        )

    async def on_read(self, frame):
        await database_sync_to_async(services.read_mark)(
            room=self.room, user=self.user, seq=int(frame["seq"])
        )

    async def on_ping(self, frame):
        await self._presence_touch()
        await self.send_json({"type": "pong"})

    HANDLERS = {
        "resume": on_resume,
        "message": on_message,
        "edit": on_edit,
        "delete": on_delete,
        "mute": on_mute,
        "read": on_read,
        "ping": on_ping,
    }

    # --- events from the channel layer ---------------------------------------------------

    async def relay_frame(self, payload: str):
        """Called by this worker's room relay: serialised once, written as is."""
        if not self.denied:
            try:
                await self.send(text_data=payload)
            except Exception:  # a socket closing under us must not stop the others
                logger.debug("frame not delivered to %s", self.channel_name, exc_info=True)

    async def access_changed(self, event):
        if not await self._still_allowed():
            await self._close_forbidden()

    # --- helpers -------------------------------------------------------------------------------

    async def send_json(self, payload: dict):
        await self.send(text_data=dumps(payload))

    async def send_error(self, code: str, message: str, client_id=None):
        await self.send_json(
            {"type": "error", "code": code, "message": message, "client_id": client_id}
        )

    @database_sync_to_async
    def _access_room(self, user, room_id):
        try:
            return access.access_chat_room(user, room_id)
        except PermissionDenied:
            return None

    @database_sync_to_async
    def _still_allowed(self) -> bool:
        from django.contrib.auth import get_user_model

        from .models import ChatRoom

        user = get_user_model().objects.filter(pk=self.user.pk, is_active=True).first()
        if user is None:
            return False
        room = ChatRoom.objects.select_related("area__ente").get(pk=self.room.pk)
        return access.can_view_chat_room(user, room)

    async def _close_forbidden(self):
        # Stop delivery at once: the disconnect that follows the close may come later.
        self.denied = True
        await relay_leave(self.room.group_name, self)
        await self.send_error("forbidden", "Non hai più accesso a questa stanza.")
        await self.close(code=CLOSE_FORBIDDEN)

    async def _recheck_periodically(self):
        while True:
            await asyncio.sleep(ACCESS_RECHECK_SECONDS)
            if not await self._still_allowed():
                await self._close_forbidden()
                return

    async def _presence_touch(self):
        await database_sync_to_async(services.presence_touch)(channel_name=self.channel_name)

    async def _presence_leave(self):
        last_socket = await database_sync_to_async(services.presence_leave)(
            room=self.room, user=self.user, channel_name=self.channel_name
        )
        if last_socket:
            presence_batcher.add(
                self.channel_layer, self.room.group_name, self.room.pk, left=self.user.pk
            )
