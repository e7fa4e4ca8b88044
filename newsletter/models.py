"""The monthly newsletter: issues as Wagtail pages, the editorial plan, subscribers,
and the sends with one delivery row per recipient."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal import access

from .blocks import IssueStreamBlock

NEWSLETTER_SLUG = "newsletter"
# Django views of the app live under these paths below /newsletter/: no issue may take them.
RESERVED_SLUGS = frozenset(
    {"iscrizione", "conferma", "disiscrizione", "preferenze", "feed", "il-mio-abbonamento"}
)
ISSUES_PER_PAGE = 12


def new_token() -> str:
    return secrets.token_urlsafe(32)


# --- Pages ---------------------------------------------------------------------------------


class NewsletterIndexPage(Page):
    """The public archive of the issues, with the subscription form and the feeds."""

    intro = RichTextField(_("introduzione"), features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("archivio della newsletter")

    def clean(self):
        super().clean()
        if self.slug != NEWSLETTER_SLUG:
            raise ValidationError({"slug": _("Lo slug di questa pagina è %s.") % NEWSLETTER_SLUG})

    def issues(self):
        return (
            access.public_pages(NewsletterIssuePage.objects.child_of(self).live())
            .defer_streamfields()
            .order_by("-issue_date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from .forms import SubscribeForm

        context = super().get_context(request, *args, **kwargs)
        context["issues"] = Paginator(self.issues(), ISSUES_PER_PAGE).get_page(
            request.GET.get("pagina")
        )
        context["subscribe_form"] = SubscribeForm()
        return context


class NewsletterIssuePage(Page):
    """One monthly issue: read on the web archive and sent by email."""

    issue_date = models.DateField(
        _("mese del numero"), help_text=_("Qualsiasi giorno del mese a cui il numero si riferisce.")
    )
    number = models.PositiveIntegerField(_("numero"), null=True, blank=True)
    subject = models.CharField(
        _("oggetto dell'email"),
        max_length=150,
        help_text=_("Se vuoto si usa il titolo della pagina."),
        blank=True,
    )
    preheader = models.CharField(
        _("anteprima nella casella di posta"),
        max_length=200,
        blank=True,
        help_text=_("La riga che i programmi di posta mostrano accanto all'oggetto."),
    )
    intro = models.TextField(_("sommario"), max_length=600, blank=True)
    body = StreamField(IssueStreamBlock(), verbose_name=_("contenuto"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("issue_date"), FieldPanel("number")])],
            heading=_("Numero"),
        ),
        MultiFieldPanel([FieldPanel("subject"), FieldPanel("preheader")], heading=_("Email")),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    preview_modes = [
        ("", _("Pagina web")),
        ("email", _("Email (HTML)")),
        ("testo", _("Email (solo testo)")),
    ]

    class Meta:
        verbose_name = _("numero della newsletter")
        verbose_name_plural = _("numeri della newsletter")

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Questo slug è riservato: sceglierne un altro.")})
        for field in ("title", "subject", "preheader"):
            value = getattr(self, field) or ""
            if "\r" in value or "\n" in value:
                raise ValidationError({field: _("Il testo deve stare su una sola riga.")})

    @property
    def email_subject(self) -> str:
        return " ".join((self.subject or self.title).split())

    def serve_preview(self, request, mode_name):
        if mode_name in ("email", "testo"):
            from .emails import preview_issue

            html, text = preview_issue(self)
            if mode_name == "testo":
                return HttpResponse(text, content_type="text/plain; charset=utf-8")
            return HttpResponse(html)
        return super().serve_preview(request, mode_name)


# --- Editorial plan ---------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    PLANNED = "pianificato", _("Pianificato")
    IN_PROGRESS = "in_lavorazione", _("In lavorazione")
    READY = "pronto", _("Pronto")
    SENT = "inviato", _("Inviato")


class ArticleKind(models.TextChoices):
    EDITORIAL = "editoriale", _("Editoriale")
    FOCUS = "approfondimento", _("Articolo di approfondimento")
    NEWS = "notizia", _("Notizia")
    FROM_BODIES = "dagli_enti", _("Dagli enti")
    WEBINAR = "webinar", _("Webinar")


class ArticleStatus(models.TextChoices):
    TODO = "da_fare", _("Da fare")
    IN_PROGRESS = "in_corso", _("In corso")
    DELIVERED = "consegnato", _("Consegnato")


class PlannedIssueQuerySet(models.QuerySet):
    def late(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(
            status__in=[PlanStatus.READY, PlanStatus.SENT]
        )


class PlannedIssue(ClusterableModel):
    """A planned issue of the newsletter: its month, theme, owner and deadline."""

    month = models.DateField(_("mese"), unique=True, help_text=_("Il primo giorno del mese."))
    theme = models.CharField(_("tema"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsabile"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(_("chiusura redazionale"))
    status = models.CharField(
        _("stato"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    issue = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("numero"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    notes = models.TextField(_("note"), blank=True)

    objects = PlannedIssueQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("month"), FieldPanel("deadline")]),
        FieldPanel("theme"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("status")]),
        FieldPanel("issue"),
        FieldPanel("notes"),
        InlinePanel("articles", heading=_("Articoli previsti"), label=_("Articolo")),
    ]

    class Meta:
        ordering = ["month"]
        verbose_name = _("numero pianificato")
        verbose_name_plural = _("piano editoriale")

    def __str__(self):
        from django.utils.formats import date_format

        return f"{date_format(self.month, 'F Y')} — {self.theme}"

    def clean(self):
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)

    @property
    def is_late(self) -> bool:
        return self.deadline < timezone.localdate() and self.status not in (
            PlanStatus.READY,
            PlanStatus.SENT,
        )


class PlannedArticleQuerySet(models.QuerySet):
    def late(self, today=None):
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status=ArticleStatus.DELIVERED)


class PlannedArticle(Orderable):
    plan = ParentalKey(PlannedIssue, on_delete=models.CASCADE, related_name="articles")
    title = models.CharField(_("titolo"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=ArticleKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deadline = models.DateField(_("consegna"))
    status = models.CharField(
        _("stato"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.TODO
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("pagina pubblicata"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlannedArticleQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("deadline")]),
        FieldPanel("page"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("articolo previsto")
        verbose_name_plural = _("articoli previsti")

    def __str__(self):
        return self.title

    @property
    def is_late(self) -> bool:
        return self.deadline < timezone.localdate() and self.status != ArticleStatus.DELIVERED


# --- Subscribers ------------------------------------------------------------------------------


class SubscriberStatus(models.TextChoices):
    PENDING = "in_attesa", _("In attesa di conferma")
    ACTIVE = "attivo", _("Attivo")
    UNSUBSCRIBED = "disiscritto", _("Disiscritto")
    BOUNCING = "non_recapitabile", _("Non recapitabile")


class Subscriber(models.Model):
    email = models.EmailField(_("email"), max_length=254, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente registrato"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newsletter_subscription",
    )
    status = models.CharField(
        _("stato"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    regions = models.ManyToManyField(
        "enti.Region", verbose_name=_("regioni di interesse"), blank=True, related_name="+"
    )
    # The personal token of unsubscribe and preference links (never shown to anyone else).
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    # Single use: emptied when the address is confirmed.
    confirmation_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    consent_text = models.TextField(_("testo del consenso"), blank=True, editable=False)
    consent_at = models.DateTimeField(_("consenso dato il"), null=True, blank=True, editable=False)
    consent_ip = models.GenericIPAddressField(
        _("consenso dato da IP"), null=True, blank=True, editable=False
    )
    confirmed_at = models.DateTimeField(_("confermato il"), null=True, blank=True, editable=False)
    confirmed_ip = models.GenericIPAddressField(null=True, blank=True, editable=False)
    unsubscribed_at = models.DateTimeField(
        _("disiscritto il"), null=True, blank=True, editable=False
    )
    unsubscribed_from_send = models.ForeignKey(
        "newsletter.IssueSend",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="unsubscribes",
        editable=False,
    )
    bounce_count = models.PositiveSmallIntegerField(_("mancate consegne"), default=0)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("iscritto")
        verbose_name_plural = _("iscritti")

    def __str__(self):
        return self.email

    @property
    def is_active(self) -> bool:
        return self.status == SubscriberStatus.ACTIVE

    def clean(self):
        super().clean()
        # Nobody is put on the list by hand: only a confirmed consent makes a subscriber.
        if self.status == SubscriberStatus.ACTIVE and (
            self.confirmed_at is None or self.consent_at is None
        ):
            raise ValidationError(
                {
                    "status": _(
                        "Un iscritto diventa attivo solo confermando l'iscrizione dal "
                        "collegamento ricevuto per email."
                    )
                }
            )


# --- Sends and deliveries ---------------------------------------------------------------------


class SendStatus(models.TextChoices):
    SCHEDULED = "programmato", _("Programmato")
    SENDING = "in_invio", _("In invio")
    DONE = "completato", _("Completato")
    CANCELLED = "annullato", _("Annullato")


class IssueSend(models.Model):
    """Sending one issue to the subscribers: the snapshot of what goes out, and when."""

    issue = models.ForeignKey(
        NewsletterIssuePage,
        verbose_name=_("numero"),
        on_delete=models.PROTECT,
        related_name="sends",
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=SendStatus.choices, default=SendStatus.SCHEDULED
    )
    scheduled_for = models.DateTimeField(_("programmato per"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chi ha avviato l'invio"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("avviato il"), null=True, blank=True)
    finished_at = models.DateTimeField(_("concluso il"), null=True, blank=True)
    # Rendered once when the send starts; personal links are filled in per recipient.
    subject = models.CharField(max_length=200, blank=True)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    recipients = models.PositiveIntegerField(_("destinatari"), default=0)

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name = _("invio")
        verbose_name_plural = _("invii")
        constraints = [
            # One live send per issue: nobody gets the same issue twice from two sends.
            models.UniqueConstraint(
                fields=["issue"],
                condition=~Q(status="annullato"),
                name="newsletter_one_send_per_issue",
            )
        ]

    def __str__(self):
        return f"{self.issue.title} ({self.get_status_display()})"


class DeliveryStatus(models.TextChoices):
    PENDING = "da_inviare", _("Da inviare")
    CLAIMED = "in_invio", _("In invio")
    SENT = "inviato", _("Inviato")
    FAILED = "fallito", _("Fallito")
    # The worker died while this message was on the wire: it may or may not have left.
    # It is never sent again automatically (nobody gets the issue twice).
    UNCERTAIN = "incerto", _("Esito incerto")
    SKIPPED = "saltato", _("Saltato")


class Delivery(models.Model):
    """One recipient of one send; its status moves as the worker goes."""

    send = models.ForeignKey(IssueSend, on_delete=models.CASCADE, related_name="deliveries")
    # Erasing a subscriber keeps the count of the send and nothing personal.
    subscriber = models.ForeignKey(
        Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=80, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("consegna")
        verbose_name_plural = _("consegne")
        constraints = [
            models.UniqueConstraint(
                fields=["send", "subscriber"], name="newsletter_one_delivery_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["send", "status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.send_id}/{self.pk} ({self.get_status_display()})"
