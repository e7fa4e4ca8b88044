"""The live page's state (open questions, material on screen) goes out serialised once
per change, through the chat's per-worker relays. The layer may drop a ring: a client
reloads the state over HTTP whenever its socket (re)connects."""

from __future__ import annotations

from forum.chat.events import broadcast


def live_group(session_id: int) -> str:
    return f"webinar-live-{session_id}"


def broadcast_live_state(session_id: int) -> None:
    from . import selectors
    from .models import WebinarSessionPage

    session = WebinarSessionPage.objects.filter(pk=session_id).first()
    if session is not None:
        broadcast(live_group(session_id), {"type": "state", **selectors.live_state(session)})
