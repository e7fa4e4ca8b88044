"""WebSocket routes of every app."""

from forum.chat.routing import websocket_urlpatterns as chat_routes
from webinar.routing import websocket_urlpatterns as webinar_routes

websocket_urlpatterns = [*chat_routes, *webinar_routes]
