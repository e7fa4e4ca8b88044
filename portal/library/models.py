"""Methodology library, good practices and page ratings.

The library is a Wagtail page tree (LibraryIndexPage → LibraryItemPage), so material goes
through the editors' moderation workflow held on the home page. Each item is tagged with
plain choice fields (CGP phase, topic, body kind, material type, year): facets are then
GROUP BY queries on indexed columns, with no join, however many items there are.

Who may see an item, a practice or a body's document is decided by `portal.access`
("Library and databases"); nothing here decides access.

The text inside uploaded documents is extracted once, when the file is saved
(`DocumentText`, see `signals.py`), and indexed with the items and practices that use it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from portal.cgp import CgpPhase
from portal.enti.models import EnteKind

LICENCE = "CC-BY-4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.it"
RESERVED_LIBRARY_COLLECTION = "Biblioteca riservata"


class MaterialType(models.TextChoices):
    GUIDE = "guida", _("Guida metodologica")
    TEMPLATE = "modello", _("Modello / format")
    SLIDES = "slide", _("Presentazione (slide)")
    EXAMPLE = "esempio", _("Caso di studio / esempio svolto")
    CHECKLIST = "checklist", _("Check-list")
    RECORDING = "registrazione", _("Registrazione di webinar")
    REGULATION = "normativa", _("Normativa e delibere")


class LibraryTopic(models.TextChoices):
    INDICATORS = "indicatori", _("Obiettivi e indicatori")
    SMVP = "smvp", _("Sistema di misurazione e valutazione")
    PIAO = "piao", _("PIAO e Piano della Performance")
    REPORTING = "relazione", _("Relazione sulla Performance")
    OIV = "oiv", _("OIV e Nuclei di valutazione")
    TRANSPARENCY = "trasparenza", _("Trasparenza e anticorruzione")
    SERVICES = "servizi", _("Obiettivi di servizio")
    PARTICIPATION = "partecipazione", _("Valutazione partecipativa")


class Audience(models.TextChoices):
    PUBLIC = "pubblico", _("Pubblico")
    PARTICIPANTS = "partecipanti", _("Riservato ai partecipanti al progetto")


class DocumentText(models.Model):
    """The text extracted from one uploaded document (PDF, DOCX, ODT), kept so that items
    and practices index what their files say without reading the files again."""

    document = models.OneToOneField(
        settings.WAGTAILDOCS_DOCUMENT_MODEL, on_delete=models.CASCADE, related_name="extracted"
    )
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(default=timezone.now)
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("testo estratto da un documento")
        verbose_name_plural = _("testi estratti dai documenti")

    def __str__(self):
        return str(self.document)


# --- Library pages -------------------------------------------------------------------


class LibraryIndexPage(Page):
    """The methodology library: items filtered by facets, with counts."""

    intro = models.TextField(_("introduzione"), max_length=600, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types = ["library.LibraryItemPage"]
    max_count = 1

    class Meta:
        verbose_name = _("biblioteca metodologica")
        verbose_name_plural = _("biblioteche metodologiche")

    def breadcrumb_pages(self):
        """Ancestors between the home page and this page."""
        return self.get_ancestors().filter(depth__gt=2)

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .filters import LibraryFilters

        context = super().get_context(request, *args, **kwargs)
        filters = LibraryFilters.from_params(request.GET)
        items = selectors.library_items(request.user, filters, parent=self)
        context["filters"] = filters
        context["facets"] = selectors.library_facets(request.user, filters, parent=self)
        context["page_obj"] = Paginator(items, 20).get_page(request.GET.get("pagina"))
        context["total"] = context["page_obj"].paginator.count
        return context


class LibraryItemPage(Page):
    """One piece of methodology material with its files."""

    summary = models.TextField(_("sintesi"), max_length=800)
    body = RichTextField(
        _("descrizione"), blank=True, features=["bold", "italic", "link", "ol", "ul", "h3"]
    )
    cgp_phase = models.CharField(_("fase del ciclo"), max_length=20, choices=CgpPhase.choices)
    topic = models.CharField(_("tema"), max_length=20, choices=LibraryTopic.choices)
    ente_kind = models.CharField(
        _("tipologia di ente"),
        max_length=24,
        choices=EnteKind.choices,
        blank=True,
        help_text=_("Lasciare vuoto se il materiale vale per ogni tipologia di ente."),
    )
    material_type = models.CharField(
        _("tipo di materiale"), max_length=16, choices=MaterialType.choices
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    audience = models.CharField(
        _("visibilità"),
        max_length=12,
        choices=Audience.choices,
        default=Audience.PUBLIC,
        help_text=_(
            "Il materiale riservato è visibile solo a chi partecipa al progetto (enti, esperti, "
            "referenti, staff): non compare in elenchi, conteggi, ricerche né dati aperti."
        ),
    )
    previous_version = models.ForeignKey(
        "self",
        verbose_name=_("versione precedente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="newer_versions",
        help_text=_("Se questo materiale aggiorna un materiale già pubblicato."),
    )
    source_topic = models.ForeignKey(
        "boards.Topic",
        verbose_name=_("discussione del forum di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("La discussione proposta per la biblioteca da cui nasce il materiale."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("cgp_phase"), FieldPanel("topic")]),
                FieldRowPanel([FieldPanel("material_type"), FieldPanel("ente_kind")]),
                FieldRowPanel([FieldPanel("year"), FieldPanel("audience")]),
            ],
            heading=_("Classificazione"),
        ),
        InlinePanel("documents", label=_("Documenti"), min_num=0),
        MultiFieldPanel(
            [FieldPanel("previous_version"), FieldPanel("source_topic")],
            heading=_("Collegamenti"),
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("documents_text"),
        index.FilterField("cgp_phase"),
        index.FilterField("topic"),
        index.FilterField("ente_kind"),
        index.FilterField("material_type"),
        index.FilterField("year"),
        index.FilterField("audience"),
    ]

    parent_page_types = ["library.LibraryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("materiale della biblioteca")
        verbose_name_plural = _("materiali della biblioteca")
        indexes = [
            models.Index(fields=["audience", "cgp_phase"]),
            models.Index(fields=["audience", "material_type"]),
            models.Index(fields=["audience", "topic"]),
            models.Index(fields=["audience", "year"]),
        ]

    def clean(self):
        super().clean()
        from portal import access

        if self.previous_version_id and self.previous_version_id == self.pk:
            raise ValidationError(
                {
                    "previous_version": _(
                        "Un materiale non può essere la versione precedente di sé stesso."
                    )
                }
            )
        if self.source_topic_id and not access.can_view_topic(AnonymousUser(), self.source_topic):
            raise ValidationError(
                {"source_topic": _("Si può collegare solo una discussione pubblica del forum.")}
            )

    def breadcrumb_pages(self):
        """Ancestors between the home page and this page."""
        return self.get_ancestors().filter(depth__gt=2)

    def documents_text(self) -> str:
        """What the item's files say, for the search index."""
        return "\n".join(
            DocumentText.objects.filter(document__in=self.documents.values("document")).values_list(
                "text", flat=True
            )
        )

    def serve(self, request, *args, **kwargs):
        from portal import access

        if not access.can_view_library_item(request.user, self):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.library_item_context(self, request.user))
        return context


class LibraryItemDocument(Orderable):
    page = ParentalKey(LibraryItemPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("documento"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    label = models.CharField(
        _("descrizione del file"),
        max_length=160,
        blank=True,
        help_text=_("Es. «Versione 2024, PDF»"),
    )

    panels = [FieldPanel("document"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")

    def clean(self):
        from portal import access

        document = self.document if self.document_id else None
        if document is not None and access.is_reserved_collection(document.collection_id):
            from wagtail.models import Collection

            collection = Collection.objects.filter(pk=document.collection_id).first()
            if collection is None or collection.name != RESERVED_LIBRARY_COLLECTION:
                raise ValidationError(
                    {
                        "document": _(
                            "Questo documento appartiene a un'area riservata: caricalo nella "
                            "raccolta «Contenuti pubblici» per usarlo nella biblioteca."
                        )
                    }
                )


# --- Good practices ------------------------------------------------------------------


class PracticeArea(models.TextChoices):
    CYCLE = "ciclo", _("Ciclo della performance")
    INDICATORS = "indicatori", _("Obiettivi e indicatori")
    SERVICES = "servizi", _("Obiettivi di servizio")
    TRANSPARENCY = "trasparenza", _("Trasparenza e rendicontazione")
    PARTICIPATION = "partecipazione", _("Partecipazione dei cittadini")
    ORGANISATION = "organizzazione", _("Organizzazione e persone")


class GoodPracticeQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self):
        return self.filter(published=True)


class GoodPractice(index.Indexed, ClusterableModel):
    """A leading practice found by the project's reviews or by a body's PAM, curated by
    experts so that other bodies can reuse it (benchlearning)."""

    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=80, unique=True)
    ente = models.ForeignKey(
        "enti.Ente", verbose_name=_("ente"), on_delete=models.PROTECT, related_name="good_practices"
    )
    area = models.CharField(_("ambito"), max_length=16, choices=PracticeArea.choices)
    cgp_phase = models.CharField(_("fase del ciclo"), max_length=20, choices=CgpPhase.choices)
    year = models.PositiveSmallIntegerField(_("anno"))
    problem = models.TextField(_("il problema"), max_length=4000)
    solution = models.TextField(_("la soluzione"), max_length=6000)
    results = models.TextField(_("i risultati"), max_length=4000)
    contacts = models.TextField(
        _("contatti"), max_length=600, help_text=_("Ufficio, ruolo ed email istituzionale.")
    )
    source_proposal = models.OneToOneField(
        "pam.GoodPracticeProposal",
        verbose_name=_("proposta dal PAM"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_practice",
        help_text=_("La proposta approvata da cui nasce la scheda, se viene da un PAM."),
    )
    published = models.BooleanField(
        _("pubblicata"), default=False, help_text=_("Solo le schede pubblicate sono consultabili.")
    )
    curated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curata da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("aggiornata il"), auto_now=True)

    objects = GoodPracticeQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("ente"), FieldPanel("year")]),
        FieldRowPanel([FieldPanel("area"), FieldPanel("cgp_phase")]),
        FieldPanel("problem"),
        FieldPanel("solution"),
        FieldPanel("results"),
        InlinePanel("indicators", label=_("Indicatori di risultato")),
        FieldPanel("contacts"),
        InlinePanel("practice_documents", label=_("Documenti")),
        InlinePanel("adoptions", label=_("Enti che l'hanno adottata")),
        FieldPanel("source_proposal"),
        FieldPanel("published"),
    ]

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("problem"),
        index.SearchField("solution"),
        index.SearchField("results"),
        index.SearchField("documents_text"),
        index.FilterField("published"),
        index.FilterField("area"),
        index.FilterField("cgp_phase"),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("buona pratica")
        verbose_name_plural = _("buone pratiche")
        ordering = ["-year", "title"]
        indexes = [models.Index(fields=["published", "area"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("library:practice_detail", args=[self.slug])

    def documents_text(self) -> str:
        return "\n".join(
            DocumentText.objects.filter(
                document__in=self.practice_documents.values("document")
            ).values_list("text", flat=True)
        )


class PracticeIndicator(Orderable):
    practice = ParentalKey(GoodPractice, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicatore"), max_length=200)
    baseline = models.CharField(_("prima"), max_length=60)
    result = models.CharField(_("dopo"), max_length=60)
    period = models.CharField(_("periodo"), max_length=60, blank=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("baseline"), FieldPanel("result"), FieldPanel("period")]),
    ]

    def __str__(self):
        return self.name


class PracticeDocument(Orderable):
    practice = ParentalKey(
        GoodPractice, on_delete=models.CASCADE, related_name="practice_documents"
    )
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        verbose_name=_("documento"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("document")]

    def clean(self):
        from portal import access

        if self.document_id and access.is_reserved_collection(self.document.collection_id):
            raise ValidationError(
                {"document": _("Una buona pratica è pubblica: usa solo documenti pubblici.")}
            )


class PracticeAdoption(Orderable):
    """A body that took the practice up ("enti che l'hanno adottata")."""

    practice = ParentalKey(GoodPractice, on_delete=models.CASCADE, related_name="adoptions")
    ente = models.ForeignKey(
        "enti.Ente", verbose_name=_("ente"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("anno di adozione"))
    note = models.CharField(_("come l'ha adattata"), max_length=300, blank=True)

    panels = [FieldRowPanel([FieldPanel("ente"), FieldPanel("year")]), FieldPanel("note")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["practice", "ente"], name="library_adoption_once")
        ]


# --- "Was this page useful?" -----------------------------------------------------------


class PageFeedback(models.Model):
    """One answer to "Questa pagina ti è stata utile?" (as in the Italian municipal site
    model). No user is stored: the rating is anonymous."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    useful = models.BooleanField(_("utile"))
    comment = models.CharField(_("commento"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("inviato il"), default=timezone.now)

    class Meta:
        verbose_name = _("valutazione di una pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["page", "useful"])]

    def __str__(self):
        return f"{self.page_id}: {'sì' if self.useful else 'no'}"
