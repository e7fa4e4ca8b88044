"""The two baselines of the chat benchmark, served on loopback:

- `tutorial`: the Channels tutorial's consumer (JSON in, group_send, JSON out) with no
  persistence and no checks, under daphne with the in-memory layer;
- `websockets`: a bare `websockets` broadcast server, the practical ceiling of Python.
"""

from __future__ import annotations

import asyncio
import json
import sys

import websockets
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path


class TutorialConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.group = "bench-room"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None):
        message = json.loads(text_data)["message"]
        await self.channel_layer.group_send(
            self.group, {"type": "chat.message", "message": message}
        )

    async def chat_message(self, event):
        await self.send(text_data=json.dumps({"message": event["message"]}))


def tutorial_application():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            CHANNEL_LAYERS={"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}},
            INSTALLED_APPS=["channels"],
        )
        django.setup()
    return ProtocolTypeRouter(
        {"websocket": URLRouter([path("ws/chat/<str:room>/", TutorialConsumer.as_asgi())])}
    )


async def websockets_server(port: int):
    connections = set()

    async def handler(socket):
        connections.add(socket)
        try:
            async for message in socket:
                websockets.broadcast(connections, message)
        finally:
            connections.discard(socket)

    async with websockets.serve(handler, "127.0.0.1", port, max_queue=None, ping_interval=None):
        print("LISTENING", flush=True)
        await asyncio.Future()


if __name__ == "__main__":
    asyncio.run(websockets_server(int(sys.argv[1])))
