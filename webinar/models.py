"""Webinar cycles and sessions (Wagtail pages), registrations with a waitlist, the live
session's questions and shared material, attendance and the satisfaction questionnaire.

Seats are counted in `SessionSeats` (one row per session, one per body with a cap),
never on the page: a page row is rewritten by every revision an editor publishes, and
seat counts must only move through conditional UPDATEs (see services.py).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.cgp import CgpPhase
from portal.pages.blocks import DocumentLinkBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class WebinarTheme(models.TextChoices):
    CICLO = "ciclo", _("Ciclo di gestione della performance")
    OBIETTIVI = "obiettivi", _("Obiettivi e indicatori")
    CONTROLLI = "controlli", _("Controlli interni (Legge 213/2012)")
    BILANCIO = "bilancio", _("Programmazione economico-finanziaria e performance")
    VALUTAZIONE = "valutazione", _("Misurazione e valutazione")
    SERVIZI = "servizi", _("Obiettivi di servizio")
    TRASPARENZA = "trasparenza", _("Trasparenza e rendicontazione")


class BreadcrumbMixin:
    def breadcrumb_pages(self):
        """Ancestors between the home page and this page."""
        return self.get_ancestors().filter(depth__gt=2).defer_streamfields()


class WebinarIndexPage(BreadcrumbMixin, Page):
    """The programme: every cycle and session, upcoming and past, with filters."""

    intro = RichTextField(_("introduzione"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    subpage_types = ["webinar.WebinarCyclePage"]
    max_count = 1

    class Meta:
        verbose_name = _("programma dei webinar")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.programme(self, request.GET))
        return context


class WebinarCyclePage(BreadcrumbMixin, Page):
    intro = RichTextField(_("presentazione"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    parent_page_types = ["webinar.WebinarIndexPage"]
    subpage_types = ["webinar.WebinarSessionPage"]

    class Meta:
        verbose_name = _("ciclo di webinar")
        verbose_name_plural = _("cicli di webinar")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["sessions"] = selectors.public_sessions().child_of(self).order_by("starts_at")
        return context


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("In programma")
    CANCELLED = "cancelled", _("Annullato")


class WebinarSessionPage(BreadcrumbMixin, Page):
    """One online seminar: when, who speaks, for whom, and how to take part."""

    starts_at = models.DateTimeField(_("inizio"))
    duration_minutes = models.PositiveSmallIntegerField(_("durata (minuti)"), default=90)
    status = models.CharField(
        _("stato"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    theme = models.CharField(_("tema"), max_length=16, choices=WebinarTheme.choices)
    cgp_phase = models.CharField(_("fase del ciclo"), max_length=20, choices=CgpPhase.choices)
    summary = models.TextField(_("sommario"), max_length=400)
    audience = models.TextField(
        _("destinatari"),
        blank=True,
        help_text=_("Ad es. direttori generali, segretari generali, dirigenti, componenti OIV."),
    )
    goals = RichTextField(_("obiettivi"), features=RICH_TEXT_FEATURES, blank=True)
    programme = RichTextField(_("programma"), features=RICH_TEXT_FEATURES, blank=True)
    material = StreamField(
        [("document", DocumentLinkBlock())],
        verbose_name=_("materiali pubblici"),
        blank=True,
    )
    registrant_material = StreamField(
        [("document", DocumentLinkBlock())],
        verbose_name=_("materiali per gli iscritti"),
        blank=True,
        help_text=_("Visibili solo a chi è iscritto, ai relatori e all'organizzazione."),
    )
    capacity = models.PositiveIntegerField(_("posti disponibili"), default=100)
    per_body_cap = models.PositiveIntegerField(
        _("posti massimi per ente"),
        null=True,
        blank=True,
        help_text=_("Vuoto: nessun limite per ente."),
    )
    registration_opens_at = models.DateTimeField(_("apertura iscrizioni"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("chiusura iscrizioni"),
        null=True,
        blank=True,
        help_text=_("Vuoto: le iscrizioni chiudono all'inizio del webinar."),
    )
    meeting_url = models.URLField(
        _("collegamento alla diretta"),
        blank=True,
        help_text=_("Piattaforma video esterna: visibile solo agli iscritti e ai relatori."),
    )
    recording_url = models.URLField(_("registrazione"), blank=True)
    attendance_threshold = models.PositiveSmallIntegerField(
        _("soglia di presenza per l'attestato (%)"),
        default=75,
        help_text=_("Percentuale della durata da seguire per ottenere l'attestato."),
    )
    material_collection = models.ForeignKey(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("I documenti per gli iscritti vanno caricati in questa raccolta."),
    )
    chat_room = models.OneToOneField(
        "chat.ChatRoom",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="webinar_session",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration_minutes")]),
                FieldPanel("status"),
            ],
            heading=_("Quando"),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("theme"), FieldPanel("cgp_phase")]), FieldPanel("summary")],
            heading=_("Argomento"),
        ),
        InlinePanel("speakers", label=_("Relatori")),
        FieldPanel("audience"),
        FieldPanel("goals"),
        FieldPanel("programme"),
        FieldPanel("material"),
        FieldPanel(
            "registrant_material",
            help_text=_(
                "Carica questi documenti nella raccolta «Webinar — titolo della sessione» "
                "(in Aree riservate): solo iscritti, relatori e organizzazione li scaricano."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("per_body_cap")]),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
            ],
            heading=_("Iscrizioni"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("meeting_url"),
                FieldPanel("recording_url"),
                FieldPanel("attendance_threshold"),
            ],
            heading=_("Diretta e dopo il webinar"),
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("goals"),
        index.FilterField("starts_at"),
        index.FilterField("theme"),
        index.FilterField("cgp_phase"),
    ]
    parent_page_types = ["webinar.WebinarCyclePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("sessione webinar")
        verbose_name_plural = _("sessioni webinar")

    # --- time ------------------------------------------------------------------------

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def is_past(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def live_window(self):
        """The live page opens a little before the start and closes a while after."""
        return self.starts_at - timedelta(minutes=30), self.ends_at + timedelta(minutes=60)

    def is_live(self, now=None) -> bool:
        opens, closes = self.live_window()
        return not self.is_cancelled and opens <= (now or timezone.now()) <= closes

    @property
    def closes_at(self):
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now=None) -> str:
        """One of: cancelled, not_yet, open, closed."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            errors["registration_closes_at"] = _("La chiusura deve seguire l'apertura.")
        if (
            self.starts_at
            and self.registration_closes_at
            and self.registration_closes_at
            > (self.starts_at + timedelta(minutes=self.duration_minutes or 0))
        ):
            errors["registration_closes_at"] = _(
                "Le iscrizioni non possono chiudere dopo la fine del webinar."
            )
        if self.attendance_threshold is not None and self.attendance_threshold > 100:
            errors["attendance_threshold"] = _("La soglia è una percentuale tra 0 e 100.")
        if self.per_body_cap is not None and self.per_body_cap < 1:
            errors["per_body_cap"] = _("Almeno un posto per ente, oppure lasciare vuoto.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Saving a draft saves this row too, with the draft's values: the counter is only
        # created here, and follows the capacity and time when a revision is published
        # (services.announce_changes).
        SessionSeats.objects.get_or_create(
            session_id=self.pk,
            defaults={
                "capacity": self.capacity,
                "announced_starts_at": self.starts_at,
                "announced_status": self.status,
            },
        )

    @cached_property
    def speaker_users(self):
        return [speaker.user for speaker in self.speakers.select_related("user")]

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.session_page_context(self, request.user))
        return context


class SessionSpeaker(Orderable):
    session = ParentalKey(WebinarSessionPage, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("relatore"),
        on_delete=models.PROTECT,
        related_name="webinar_talks",
    )
    role = models.CharField(
        _("ruolo"), max_length=120, blank=True, help_text=_("Ad es. esperto territoriale.")
    )
    bio = models.TextField(_("profilo"), max_length=600, blank=True)

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("bio")]

    class Meta(Orderable.Meta):
        verbose_name = _("relatore")
        verbose_name_plural = _("relatori")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="webinar_speaker_once")
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.email


class SessionSeats(models.Model):
    """The seat counter of a session; moved only by conditional UPDATEs. It also keeps
    what registrants were last told (time, status), to notice a change on publish."""

    session = models.OneToOneField(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="seats", primary_key=True
    )
    capacity = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)
    announced_starts_at = models.DateTimeField(null=True, blank=True)
    announced_status = models.CharField(max_length=16, blank=True)
    # iCalendar SEQUENCE: calendars replace an event only when this grows.
    ics_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("posti della sessione")
        constraints = [
            models.CheckConstraint(
                condition=Q(taken__gte=0), name="webinar_seats_taken_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.taken}/{self.capacity}"

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


class BodySeats(models.Model):
    """Active registrations (confirmed or waiting) of one body in a session, counted
    always, so that a cap an editor adds later applies at once."""

    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="body_seats"
    )
    ente = models.ForeignKey("enti.Ente", on_delete=models.CASCADE, related_name="+")
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "ente"], name="webinar_body_seats_once")
        ]

    def __str__(self):
        return f"{self.ente_id}: {self.taken}"


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confermata")
    WAITLISTED = "waitlisted", _("In lista d'attesa")
    CANCELLED = "cancelled", _("Annullata")


class Registration(models.Model):
    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations"
    )
    ente = models.ForeignKey(
        "enti.Ente",
        verbose_name=_("ente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webinar_registrations",
    )
    status = models.CharField(_("stato"), max_length=16, choices=RegistrationStatus.choices)
    # Waitlist order: the moment of the (latest) request, so re-registering queues anew.
    requested_at = models.DateTimeField(_("richiesta il"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confermata il"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annullata il"), null=True, blank=True)
    # Whether a seat is held in the counters: the one flag the counters follow.
    holds_seat = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("iscrizione")
        verbose_name_plural = _("iscrizioni")
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="webinar_one_registration"),
            models.CheckConstraint(
                condition=Q(holds_seat=False) | Q(status="confirmed"),
                name="webinar_only_confirmed_hold_seats",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "requested_at"])]

    def __str__(self):
        return f"{self.user} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


class NoticeKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Conferma di iscrizione")
    WAITLISTED = "waitlisted", _("Lista d'attesa")
    PROMOTED = "promoted", _("Posto liberato")
    CANCELLED_BY_USER = "cancelled_by_user", _("Iscrizione annullata")
    REMINDER = "reminder", _("Promemoria")
    CHANGED = "changed", _("Variazione di orario")
    SESSION_CANCELLED = "session_cancelled", _("Webinar annullato")
    FOLLOW_UP = "follow_up", _("Dopo il webinar")


class Notice(models.Model):
    """One email to one registrant, claimed before it is sent: a retried task finds it
    claimed and sends nothing twice."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    # Distinguishes notices of one kind: the reminder offset, the new start time…
    key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "kind", "key"], name="webinar_notice_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.key})"


class Question(models.Model):
    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="questions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("domanda"), max_length=1000)
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    forum_topic_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("domanda")
        verbose_name_plural = _("domande")
        ordering = ["-votes_count", "created_at"]

    def __str__(self):
        return self.body[:80]


class QuestionVote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="webinar_one_vote")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.question_id}"


class SharedMaterial(models.Model):
    """What a speaker shows everyone in the live page; the newest is on screen."""

    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="shared_material"
    )
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("titolo"), max_length=200)
    url = models.URLField(_("indirizzo"), blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at", "-pk"]

    def __str__(self):
        return self.title


class AttendanceSpan(models.Model):
    """One stay in the live page (one socket): joined, last seen, left."""

    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["session", "user"])]

    def __str__(self):
        return f"{self.user_id} {self.joined_at:%H:%M}"


class SatisfactionResponse(models.Model):
    RATINGS = [(n, str(n)) for n in range(1, 6)]

    session = models.ForeignKey(
        WebinarSessionPage, on_delete=models.CASCADE, related_name="satisfaction"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    overall = models.PositiveSmallIntegerField(_("giudizio complessivo"), choices=RATINGS)
    content = models.PositiveSmallIntegerField(_("utilità dei contenuti"), choices=RATINGS)
    speakers = models.PositiveSmallIntegerField(_("chiarezza dei relatori"), choices=RATINGS)
    comment = models.TextField(_("suggerimenti"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="webinar_one_questionnaire"),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(content__gte=1, content__lte=5)
                & Q(speakers__gte=1, speakers__lte=5),
                name="webinar_ratings_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.overall}"
