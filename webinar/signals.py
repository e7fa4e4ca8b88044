"""A published session gets its chat room, and registrants hear about changes."""

from django.db import transaction
from wagtail.signals import page_published

from .models import WebinarSessionPage


def session_published(sender, instance, **kwargs):
    from forum.chat.models import ChatRoom, RoomKind

    from . import services

    session = instance
    if session.chat_room_id is None:
        room = ChatRoom.objects.create(kind=RoomKind.WEBINAR, title=f"Chat — {session.title}")
        WebinarSessionPage.objects.filter(pk=session.pk).update(chat_room=room)
        session.chat_room = room
    transaction.on_commit(lambda: services.announce_changes(session))


page_published.connect(session_published, sender=WebinarSessionPage)
