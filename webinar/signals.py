"""A published session gets its chat room, and registrants hear about changes."""

from django.db import transaction
from wagtail.signals import page_published

from .models import WebinarSessionPage


def session_published(sender, instance, **kwargs):
    from wagtail.models import CollectionViewRestriction

    from forum.chat.models import ChatRoom, RoomKind
    from portal.pages.models import reserved_collection_for

    from . import services

    session = instance
    if session.material_collection_id is None:
        # Registrant-only documents live in a reserved collection of their own, which
        # the document policy answers for with the live page's rule.
        collection = reserved_collection_for(f"Webinar — {session.title}")
        CollectionViewRestriction.objects.get_or_create(
            collection=collection,
            defaults={"restriction_type": CollectionViewRestriction.LOGIN},
        )
        WebinarSessionPage.objects.filter(pk=session.pk).update(material_collection=collection)
        session.material_collection = collection
    if session.chat_room_id is None:
        room = ChatRoom.objects.create(kind=RoomKind.WEBINAR, title=f"Chat — {session.title}")
        WebinarSessionPage.objects.filter(pk=session.pk).update(chat_room=room)
        session.chat_room = room
    transaction.on_commit(lambda: services.announce_changes(session))


page_published.connect(session_published, sender=WebinarSessionPage)
