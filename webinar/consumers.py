"""The live page's socket: it receives the shared state and records attendance.

Writes (questions, votes, material) go through HTTP forms, which work without
JavaScript too; the socket only listens. Each open socket is one attendance span:
opened on connect, touched by the client's pings, closed on disconnect. A worker that
dies leaves spans open; their last ping bounds them.

Protocol: client → server {"type": "ping"}; server → client "state", "pong", "error".
"""

from __future__ import annotations

import asyncio
import contextlib
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.core.exceptions import PermissionDenied

from forum.chat.events import dumps
from forum.chat.relay import relay_join, relay_leave
from portal import access

from . import selectors, services
from .events import live_group

CLOSE_FORBIDDEN = 4403
MAX_FRAME_BYTES = 1024
ACCESS_RECHECK_SECONDS = 60


class LiveSessionConsumer(AsyncWebsocketConsumer):
    session = None
    span_id = None
    recheck_task = None
    denied = False

    async def connect(self):
        user = self.scope.get("user")
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        self.session = await self._access(user, session_id)
        if self.session is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user = user
        await self.accept()
        span = await database_sync_to_async(services.attendance_join)(self.session, user)
        self.span_id = span.pk
        state = await database_sync_to_async(selectors.live_state)(self.session)
        await self.send(text_data=dumps({"type": "state", **state}))
        await relay_join(self.channel_layer, live_group(self.session.pk), self)
        self.recheck_task = asyncio.create_task(self._recheck_periodically())

    async def disconnect(self, code):
        if self.recheck_task is not None:
            self.recheck_task.cancel()
        if self.session is not None:
            await relay_leave(live_group(self.session.pk), self)
        if self.span_id is not None:
            await database_sync_to_async(services.attendance_leave)(self.span_id)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None or len(text_data) > MAX_FRAME_BYTES:
            await self._error("bad_frame", "Messaggio non valido.")
            return
        try:
            frame = json.loads(text_data)
        except ValueError:
            await self._error("bad_frame", "Messaggio non valido.")
            return
        if not isinstance(frame, dict) or frame.get("type") != "ping":
            await self._error("bad_frame", "Messaggio non riconosciuto.")
            return
        await database_sync_to_async(services.attendance_touch)(self.span_id)
        await self.send(text_data='{"type":"pong"}')

    async def relay_frame(self, payload: str):
        if not self.denied:
            # A socket closing under us must not stop the relay's other sockets.
            with contextlib.suppress(Exception):
                await self.send(text_data=payload)

    async def _error(self, code, message):
        await self.send(text_data=dumps({"type": "error", "code": code, "message": message}))

    @database_sync_to_async
    def _access(self, user, session_id):
        try:
            return access.access_live_session(user, session_id)
        except PermissionDenied:
            return None

    @database_sync_to_async
    def _still_allowed(self) -> bool:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=self.user.pk, is_active=True).first()
        return user is not None and access.can_enter_live_session(user, self.session)

    async def _recheck_periodically(self):
        while True:
            await asyncio.sleep(ACCESS_RECHECK_SECONDS)
            if not await self._still_allowed():
                self.denied = True
                await relay_leave(live_group(self.session.pk), self)
                await self._error("forbidden", "Non hai più accesso a questa diretta.")
                await self.close(code=CLOSE_FORBIDDEN)
                return
