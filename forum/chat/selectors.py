from datetime import timedelta

from django.db.models import F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal import access

from .models import ChatMessage, ChatPresence, ChatReadState, ChatRoom

PAGE_SIZE = 50
RESUME_LIMIT = 500
PRESENCE_TTL_SECONDS = 90


def messages_after(room_id: int, after: int, limit: int = RESUME_LIMIT) -> list[ChatMessage]:
    """What a reconnecting client missed, oldest first."""
    return list(
        ChatMessage.objects.filter(room_id=room_id, seq__gt=after)
        .select_related("author")
        .order_by("seq")[:limit]
    )


def messages_before(
    room_id: int, before: int | None, limit: int = PAGE_SIZE
) -> tuple[list[ChatMessage], bool]:
    """A page of history going back in time (oldest first), and whether older exists.
    Purges keep sequence numbers, so "older" is read, never guessed from them."""
    messages = ChatMessage.objects.filter(room_id=room_id).select_related("author")
    if before is not None:
        messages = messages.filter(seq__lt=before)
    page = list(messages.order_by("-seq")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit


def messages_matching(room_id: int, query: str, limit: int = PAGE_SIZE):
    return list(
        ChatMessage.objects.filter(room_id=room_id, deleted_at__isnull=True, body__icontains=query)
        .select_related("author")
        .order_by("-seq")[:limit]
    )


def online_users(room_id: int) -> list[dict]:
    since = timezone.now() - timedelta(seconds=PRESENCE_TTL_SECONDS)
    rows = (
        ChatPresence.objects.filter(room_id=room_id, seen_at__gte=since)
        .values("user_id", "user__first_name", "user__last_name", "user__email")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )
    return [
        {
            "id": row["user_id"],
            "name": f"{row['user__first_name']} {row['user__last_name']}".strip()
            or row["user__email"].split("@")[0],
        }
        for row in rows
    ]


def rooms_for(user):
    """The rooms the user may enter, with their unread counts, in one query."""
    read = ChatReadState.objects.filter(room=OuterRef("pk"), user=user).values("last_read_seq")
    rooms = ChatRoom.objects.select_related("area").annotate(
        unread=F("last_seq") - Coalesce(Subquery(read, output_field=IntegerField()), Value(0))
    )
    query = access.visible_chat_room_q(user)
    return rooms if query is None else rooms.filter(query)
