"""WebSocket routes of every app (the chat rooms add theirs here)."""

websocket_urlpatterns: list = []
