"""Writes to chat rooms. Every write asks the access policy, persists, and only then
broadcasts (after commit): the database is the truth, the channel layer a doorbell."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from portal import access
from portal.sanitizer import linkify_text

from .events import broadcast, message_payload
from .models import (
    EDIT_WINDOW_SECONDS,
    MAX_MESSAGE_LENGTH,
    ChatMessage,
    ChatMute,
    ChatReadState,
    ChatRoom,
    RoomKind,
)

CLIENT_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
RATE_LIMIT_MESSAGES = settings.PORTAL_CHAT_RATE_LIMIT_MESSAGES
RATE_LIMIT_WINDOW_SECONDS = settings.PORTAL_CHAT_RATE_LIMIT_SECONDS
MAX_MUTE_MINUTES = 7 * 24 * 60


class RateLimited(ValidationError):
    pass


def room_for_area(area) -> ChatRoom:
    room, _created = ChatRoom.objects.get_or_create(
        area=area, defaults={"kind": RoomKind.AREA, "title": f"Chat — {area.title}"}
    )
    return room


def project_room() -> ChatRoom:
    room = ChatRoom.objects.filter(kind=RoomKind.PROJECT).order_by("pk").first()
    return room or ChatRoom.objects.create(kind=RoomKind.PROJECT, title="Sala comune del progetto")


def _check_rate(user) -> None:
    key = f"chat-rate:{user.pk}"
    try:
        cache.add(key, 0, timeout=RATE_LIMIT_WINDOW_SECONDS)
        try:
            sent = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS)
            sent = 1
    except (ConnectionError, RedisError):
        # The shared cache is restarting: let people talk rather than lose the room.
        return
    if sent > RATE_LIMIT_MESSAGES:
        raise RateLimited(
            _("Stai inviando messaggi troppo in fretta: attendi qualche secondo e riprova."),
            code="rate_limited",
        )


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Il messaggio è vuoto."), code="empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise ValidationError(
            _("Il messaggio supera i %(max)d caratteri.") % {"max": MAX_MESSAGE_LENGTH},
            code="too_long",
        )
    return body


def _active_mute(room: ChatRoom, user) -> ChatMute | None:
    return (
        ChatMute.objects.filter(room=room, user=user, until__gt=timezone.now())
        .order_by("-until")
        .first()
    )


def message_post(*, room: ChatRoom, user, body: str, client_id: str) -> tuple[ChatMessage, bool]:
    """Store a message once per client id; returns (message, created)."""
    if not access.can_view_chat_room(user, room):
        raise PermissionDenied
    if not CLIENT_ID.match(client_id or ""):
        raise ValidationError(_("Identificativo del messaggio non valido."), code="bad_client_id")
    existing = ChatMessage.objects.filter(room=room, author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    body = _check_body(body)
    mute = _active_mute(room, user)
    if mute is not None:
        until = formats.date_format(timezone.localtime(mute.until), "j F Y, H:i")
        raise ValidationError(
            _("Un moderatore ti ha silenziato in questa stanza fino al %(until)s.")
            % {"until": until},
            code="muted",
        )
    _check_rate(user)
    try:
        with transaction.atomic():
            # The row lock taken by this UPDATE orders concurrent writers of a room, so
            # sequence numbers are committed in order and never reused.
            ChatRoom.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + 1)
            seq = ChatRoom.objects.values_list("last_seq", flat=True).get(pk=room.pk)
            message = ChatMessage.objects.create(
                room=room,
                seq=seq,
                author=user,
                client_id=client_id,
                body=body,
                body_html=linkify_text(body),
            )
            payload = message_payload(message)
            transaction.on_commit(lambda: broadcast(room.group_name, payload))
    except IntegrityError:
        # The same client id raced in through another socket or worker: keep the first.
        existing = ChatMessage.objects.filter(room=room, author=user, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return message, True


def _message_for_change(room: ChatRoom, user, seq: int) -> tuple[ChatMessage, bool]:
    if not access.can_view_chat_room(user, room):
        raise PermissionDenied
    message = ChatMessage.objects.select_related("author").filter(room=room, seq=seq).first()
    if message is None:
        raise ValidationError(_("Messaggio non trovato."), code="not_found")
    return message, access.can_moderate_chat_room(user, room)


def message_edit(*, room: ChatRoom, user, seq: int, body: str) -> ChatMessage:
    """Authors fix their own message within a short window."""
    message, _moderator = _message_for_change(room, user, seq)
    if message.author_id != user.pk:
        raise PermissionDenied
    if message.is_deleted:
        raise ValidationError(_("Il messaggio è stato eliminato."), code="deleted")
    if timezone.now() - message.created_at > timedelta(seconds=EDIT_WINDOW_SECONDS):
        raise ValidationError(
            _("Un messaggio si può modificare solo nei primi 5 minuti."), code="too_late"
        )
    message.body = _check_body(body)
    message.body_html = linkify_text(message.body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "body_html", "edited_at"])
    payload = message_payload(message)
    transaction.on_commit(lambda: broadcast(room.group_name, payload))
    return message


def message_delete(*, room: ChatRoom, user, seq: int) -> ChatMessage:
    """Authors within the window, moderators at any time."""
    message, moderator = _message_for_change(room, user, seq)
    own_and_recent = message.author_id == user.pk and (
        timezone.now() - message.created_at <= timedelta(seconds=EDIT_WINDOW_SECONDS)
    )
    if not (moderator or own_and_recent):
        raise PermissionDenied
    if not message.is_deleted:
        message.deleted_at = timezone.now()
        message.deleted_by = user
        message.body = ""
        message.body_html = ""
        message.save(update_fields=["deleted_at", "deleted_by", "body", "body_html"])
    payload = message_payload(message)
    transaction.on_commit(lambda: broadcast(room.group_name, payload))
    return message


def user_mute(*, room: ChatRoom, moderator, user_id: int, minutes: int) -> ChatMute:
    if not access.can_moderate_chat_room(moderator, room):
        raise PermissionDenied
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MUTE_MINUTES:
        raise ValidationError(_("Durata non valida (da 1 minuto a 7 giorni)."), code="bad_minutes")
    if user_id == moderator.pk:
        raise ValidationError(_("Non puoi silenziare te stesso."), code="self")
    from django.contrib.auth import get_user_model

    target = get_user_model().objects.filter(pk=user_id).first()
    if target is None or not access.can_view_chat_room(target, room):
        raise ValidationError(_("Utente non presente in questa stanza."), code="unknown_user")
    mute = ChatMute.objects.create(
        room=room,
        user=target,
        until=timezone.now() + timedelta(minutes=minutes),
        created_by=moderator,
    )
    payload = {
        "type": "notice",
        "room": room.pk,
        "text": _("%(user)s è stato silenziato per %(minutes)d minuti.")
        % {"user": target.get_full_name() or target.email, "minutes": minutes},
    }
    transaction.on_commit(lambda: broadcast(room.group_name, payload))
    return mute


def read_mark(*, room: ChatRoom, user, seq: int) -> int:
    """Remember the last message the user has seen (never moves backwards)."""
    if not access.can_view_chat_room(user, room):
        raise PermissionDenied
    last_seq = ChatRoom.objects.values_list("last_seq", flat=True).get(pk=room.pk)
    seq = max(0, min(int(seq), last_seq))
    state, created = ChatReadState.objects.get_or_create(
        room=room, user=user, defaults={"last_read_seq": seq}
    )
    if not created and seq > state.last_read_seq:
        ChatReadState.objects.filter(pk=state.pk, last_read_seq__lt=seq).update(last_read_seq=seq)
    return max(seq, state.last_read_seq)


def retention_set(*, room: ChatRoom, user, days: int | None) -> ChatRoom:
    if not access.can_moderate_chat_room(user, room):
        raise PermissionDenied
    if days is not None and not 1 <= days <= 3650:
        raise ValidationError(_("Indicare da 1 a 3650 giorni, o nessun limite."), code="bad_days")
    room.retention_days = days
    room.save(update_fields=["retention_days"])
    return room


def purge_expired_messages(now=None) -> int:
    """Delete messages older than their room's retention; sequence numbers stay."""
    now = now or timezone.now()
    deleted = 0
    for room in ChatRoom.objects.filter(retention_days__isnull=False):
        cutoff = now - timedelta(days=room.retention_days)
        count, _detail = ChatMessage.objects.filter(room=room, created_at__lt=cutoff).delete()
        deleted += count
    return deleted


def _display_name(user) -> str:
    return user.get_full_name() or user.email.split("@")[0]


def presence_join(*, room: ChatRoom, user, channel_name: str) -> list[dict]:
    """Record the socket and return who is online for the newcomer."""
    from .models import ChatPresence
    from .selectors import online_users

    ChatPresence.objects.update_or_create(
        channel_name=channel_name, defaults={"room": room, "user": user, "seen_at": timezone.now()}
    )
    return online_users(room.pk)


def presence_touch(*, channel_name: str) -> None:
    from .models import ChatPresence

    ChatPresence.objects.filter(channel_name=channel_name).update(seen_at=timezone.now())


def presence_leave(*, room: ChatRoom, user, channel_name: str) -> bool:
    """Forget the socket; True when it was the person's last one in the room."""
    from .models import ChatPresence

    ChatPresence.objects.filter(channel_name=channel_name).delete()
    return not ChatPresence.objects.filter(room=room, user=user).exists()


def display_name(user) -> str:
    return user.get_full_name() or user.email.split("@")[0]
