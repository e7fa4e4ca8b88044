"""Forum boards, topics and posts.

Public thematic boards are open to everyone to read; each reserved area (body, region,
task team) has one reserved board, as visible as the area (`portal.access`).

Posts carry a per-topic number (1, 2, 3, … with no gaps: posts are never removed, a
deleted post keeps its row with an empty body), so page N of a topic is the range of
numbers it covers, read through the (topic, number) index: the last page of a
5,000-post topic costs what the first costs.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.pages.models import private_storage

MAX_POST_LENGTH = 20_000
MAX_TITLE_LENGTH = 160
POSTS_PER_PAGE = 20
TOPICS_PER_PAGE = 30


class BoardKind(models.TextChoices):
    PUBLIC = "public", _("Bacheca tematica pubblica")
    AREA = "area", _("Bacheca di un'area riservata")


class Board(models.Model):
    kind = models.CharField(_("tipo"), max_length=8, choices=BoardKind.choices)
    slug = models.SlugField(_("indirizzo"), max_length=80, unique=True)
    title = models.CharField(_("titolo"), max_length=160)
    description = models.TextField(_("descrizione"), blank=True)
    area = models.OneToOneField(
        "pages.ReservedAreaPage",
        verbose_name=_("area riservata"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_board",
    )
    position = models.PositiveSmallIntegerField(_("posizione"), default=100)
    # Counts and last activity, kept by the services so lists never count rows.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_topic = models.ForeignKey(
        "Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bacheca")
        verbose_name_plural = _("bacheche")
        ordering = ["kind", "position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="public", area__isnull=True) | Q(kind="area", area__isnull=False),
                name="forum_board_kind_matches_area",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("boards:board", kwargs={"slug": self.slug})

    @property
    def is_reserved(self) -> bool:
        return self.kind == BoardKind.AREA


class Topic(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("titolo"), max_length=MAX_TITLE_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    pinned = models.BooleanField(_("in evidenza"), default=False)
    locked = models.BooleanField(_("chiusa"), default=False)
    hidden = models.BooleanField(_("nascosta"), default=False)
    has_expert_answer = models.BooleanField(_("con risposta dell'esperto"), default=False)
    # The expert asked to answer (e.g. a webinar question handed to the forum).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risposta affidata a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin_url = models.CharField(_("provenienza (indirizzo)"), max_length=500, blank=True)
    origin_label = models.CharField(_("provenienza"), max_length=200, blank=True)
    # Numbers handed out so far (taken under the topic's row lock), and the reply count.
    last_number = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post_at = models.DateTimeField(default=timezone.now)
    last_post_author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("discussione")
        verbose_name_plural = _("discussioni")
        indexes = [
            models.Index(
                fields=["board", "-pinned", "-last_post_at", "-id"], name="forum_topic_board_order"
            ),
            models.Index(fields=["has_expert_answer", "-last_post_at"], name="forum_topic_expert"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("boards:topic", kwargs={"pk": self.pk})

    @property
    def page_count(self) -> int:
        return max(1, -(-self.last_number // POSTS_PER_PAGE))

    @property
    def reply_count(self) -> int:
        return max(0, self.post_count - 1)


class Post(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=MAX_POST_LENGTH)
    # Rendered once (Markdown, then the one sanitizer) when written, never per view.
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    # Lets a page skip the attachments query when none of its posts has any.
    attachment_count = models.PositiveSmallIntegerField(default=0, editable=False)
    hidden = models.BooleanField(default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("messaggio")
        verbose_name_plural = _("messaggi")
        ordering = ["topic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "number"], name="forum_post_unique_number")
        ]
        indexes = [models.Index(fields=["author", "-created_at"], name="forum_post_author")]

    def __str__(self):
        return f"{self.topic_id}#{self.number}"

    def get_absolute_url(self):
        return reverse("boards:post", kwargs={"pk": self.pk})

    @property
    def page_number(self) -> int:
        return (self.number - 1) // POSTS_PER_PAGE + 1

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_recommended(self) -> bool:
        return self.recommended_at is not None


class PostRevision(models.Model):
    """What a post said before an edit (moderators read the history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "-created_at", "-id"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


def attachment_path(instance, filename):
    return f"forum/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """Stored outside MEDIA_ROOT and served by a view that asks the access policy."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=300)
    name = models.CharField(_("nome del file"), max_length=200)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("boards:attachment", kwargs={"pk": self.pk, "name": self.name})


class Subscription(models.Model):
    """Following a topic (replies) or a board (new topics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    board = models.ForeignKey(
        Board, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, board__isnull=True)
                | Q(topic__isnull=True, board__isnull=False),
                name="forum_subscription_one_target",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="forum_subscription_topic"),
            models.UniqueConstraint(fields=["user", "board"], name="forum_subscription_board"),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id or self.board_id}"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Una email per ogni nuovo messaggio")
    DAILY = "daily", _("Un riepilogo al giorno")
    NONE = "none", _("Nessuna email (solo notifiche sul sito)")


class ForumPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_preference"
    )
    email_mode = models.CharField(
        _("email dal forum"), max_length=12, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.user_id}: {self.email_mode}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Nuova risposta")
    NEW_TOPIC = "topic", _("Nuova discussione")
    MENTION = "mention", _("Menzione")
    ASSIGNED = "assigned", _("Risposta affidata a te")
    RECOMMENDED = "recommended", _("Risposta consigliata")


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when the notification went out by email (at once or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="forum_notification_unread"),
            models.Index(fields=["user", "-created_at"], name="forum_notification_user"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "post", "kind"], name="forum_notification_once")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {self.post_id}"


class TopicReadState(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["topic", "user"], name="forum_topic_read_unique")
        ]

    def __str__(self):
        return f"{self.user_id} ha letto {self.topic_id} fino a {self.last_read_number}"


class BoardReadState(models.Model):
    """ "Segna tutto come letto": topics with no activity after this are read."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="forum_board_read_unique")
        ]

    def __str__(self):
        return f"{self.user_id} ha letto {self.board_id} al {self.read_at}"


class Report(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("motivo"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("segnalazione")
        verbose_name_plural = _("segnalazioni")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="forum_report_open_once",
            )
        ]

    def __str__(self):
        return f"{self.post_id}: {self.reason[:40]}"


class ModerationAction(models.TextChoices):
    PIN = "pin", _("messa in evidenza")
    UNPIN = "unpin", _("tolta dall'evidenza")
    LOCK = "lock", _("chiusa")
    UNLOCK = "unlock", _("riaperta")
    HIDE_TOPIC = "hide_topic", _("discussione nascosta")
    SHOW_TOPIC = "show_topic", _("discussione resa visibile")
    DELETE_TOPIC = "delete_topic", _("discussione eliminata")
    MOVE = "move", _("discussione spostata")
    HIDE_POST = "hide_post", _("messaggio nascosto")
    SHOW_POST = "show_post", _("messaggio reso visibile")
    DELETE_POST = "delete_post", _("messaggio eliminato")
    RESOLVE_REPORT = "resolve_report", _("segnalazione chiusa")
    RECOMMEND = "recommend", _("risposta consigliata")
    UNRECOMMEND = "unrecommend", _("risposta non più consigliata")
    PROMOTE = "promote", _("proposta per la biblioteca metodologica")


class ModerationLog(models.Model):
    """Every moderation action; titles are copied so the record outlives deletions."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=16, choices=ModerationAction.choices)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="moderation_log")
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic_title = models.CharField(max_length=MAX_TITLE_LENGTH, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["board", "-created_at"], name="forum_modlog_board")]

    def __str__(self):
        return f"{self.actor_id} {self.action} {self.topic_title}"


class LibraryProposal(models.Model):
    """An editor's "promote to the methodology library": until the library exists, a
    record that links back to the discussion (and is listed for the editorial team)."""

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="library_proposal")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("nota per la redazione"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposta per la biblioteca metodologica")
        verbose_name_plural = _("proposte per la biblioteca metodologica")

    def __str__(self):
        return str(self.topic)
