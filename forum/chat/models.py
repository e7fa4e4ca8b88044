"""Chat rooms and their messages. Messages carry a per-room, monotonically increasing
sequence number: clients resume from the last one they saw."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_MESSAGE_LENGTH = 2000
EDIT_WINDOW_SECONDS = 5 * 60


class RoomKind(models.TextChoices):
    PROJECT = "project", _("Sala comune del progetto")
    AREA = "area", _("Area riservata")
    WEBINAR = "webinar", _("Sessione webinar")


class ChatRoom(models.Model):
    kind = models.CharField(_("tipo"), max_length=16, choices=RoomKind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    area = models.OneToOneField(
        "pages.ReservedAreaPage",
        verbose_name=_("area riservata"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_room",
    )
    retention_days = models.PositiveIntegerField(
        _("conserva i messaggi per (giorni)"),
        null=True,
        blank=True,
        help_text=_("Vuoto: i messaggi sono conservati senza limite di tempo."),
    )
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stanza di chat")
        verbose_name_plural = _("stanze di chat")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["project", "webinar"], area__isnull=True)
                | Q(kind="area", area__isnull=False),
                name="chat_room_kind_matches_target",
            ),
            models.CheckConstraint(
                condition=Q(retention_days__isnull=True) | Q(retention_days__gte=1),
                name="chat_room_retention_positive",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def group_name(self) -> str:
        return f"chat-room-{self.pk}"


class ChatMessage(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(max_length=64)
    body = models.TextField(max_length=MAX_MESSAGE_LENGTH)
    # Rendered once by the sanitizer when written, so a broadcast never renders per user.
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("messaggio")
        verbose_name_plural = _("messaggi")
        ordering = ["room", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_unique_seq"),
            # A retried send (same client id) is stored once.
            models.UniqueConstraint(
                fields=["room", "author", "client_id"], name="chat_message_unique_client_id"
            ),
        ]

    def __str__(self):
        return f"{self.room_id}#{self.seq}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class ChatMute(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "user", "until"])]

    def __str__(self):
        return f"{self.user_id} silenziato in {self.room_id} fino a {self.until:%Y-%m-%d %H:%M}"


class ChatReadState(models.Model):
    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_seq = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_read_state_unique")
        ]

    def __str__(self):
        return f"{self.user_id} ha letto {self.room_id} fino a {self.last_read_seq}"


class ChatPresence(models.Model):
    """One row per open socket; rows of a killed worker expire with `seen_at`."""

    room = models.ForeignKey(ChatRoom, on_delete=models.CASCADE, related_name="presences")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["room", "seen_at"])]

    def __str__(self):
        return f"{self.user_id} in {self.room_id}"
