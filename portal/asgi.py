"""ASGI entry point: HTTP through Django, WebSockets through Channels' router."""

import asyncio
import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
# Under ASGI each request's code runs in a thread of its own: a connection kept open
# "persistently" would stay with a thread that is gone, one per request, until the
# database refuses new clients. ASGI processes close theirs at the end of each request.
os.environ.setdefault("CONN_MAX_AGE", "0")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from portal.routing import websocket_urlpatterns  # noqa: E402


class BoundedHTTP:
    """At most `limit` HTTP requests of this process run at once; the others wait in
    the event loop, which costs nothing.

    Django runs each request's code in a thread of its own: five hundred requests at
    once are five hundred threads taking turns on the GIL (and, on SQLite, on the one
    write lock), and the one holding the lock crawls until the others time out."""

    def __init__(self, app, limit: int):
        self.app = app
        self.limit = limit
        self._gates: dict[int, asyncio.Semaphore] = {}

    async def __call__(self, scope, receive, send):
        loop_id = id(asyncio.get_running_loop())
        gate = self._gates.get(loop_id)
        if gate is None:
            gate = self._gates[loop_id] = asyncio.Semaphore(self.limit)
        async with gate:
            await self.app(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": BoundedHTTP(django_asgi_app, settings.PORTAL_ASGI_MAX_CONCURRENT_REQUESTS),
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# A worker holds many long-lived objects (sockets, consumers, relays): every full
# collection walks them all while every socket waits. Objects made at start-up are
# frozen out of collections, and young ones are collected less often.
gc.freeze()
gc.set_threshold(20_000, 50, 100)
