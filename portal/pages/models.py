"""Wagtail pages of the portal: public content, reserved areas, images and documents."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.documents.models import AbstractDocument, Document
from wagtail.fields import RichTextField, StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail.search import index

from portal import access

from .blocks import BaseStreamBlock, PageLinkBlock

RESERVED_AREAS_SLUG = "aree-riservate"
RESERVED_COLLECTIONS_ROOT = "Aree riservate"
PUBLIC_COLLECTION = "Contenuti pubblici"


class PrivateStorage(FileSystemStorage):
    """Where documents live: outside MEDIA_ROOT, reachable only through the serve view.
    The folder is read from settings on every use, so it follows PRIVATE_MEDIA_ROOT."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return PrivateStorage()


class PortalDocument(AbstractDocument):
    file = models.FileField(upload_to="documents", storage=private_storage, verbose_name=_("file"))

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")


class PortalImage(AbstractImage):
    """Images are public files (renditions are served directly): never in a reserved area."""

    admin_form_fields = Image.admin_form_fields

    class Meta(AbstractImage.Meta):
        verbose_name = _("immagine")
        verbose_name_plural = _("immagini")

    def clean(self):
        super().clean()
        if self.collection_id and access.is_reserved_collection(self.collection_id):
            raise ValidationError(
                {
                    "collection": _(
                        "Le immagini sono sempre pubbliche: nelle aree riservate caricare i "
                        "file come documenti."
                    )
                }
            )


class PortalRendition(AbstractRendition):
    image = models.ForeignKey(PortalImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_setting(icon="site")
class PortalSettings(BaseGenericSetting):
    """Pages the footer must link to, as the PA design guidelines require."""

    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("dichiarazione di accessibilità"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("informativa privacy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    legal_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("note legali"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contacts_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contatti"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_feedback_url = models.URLField(
        _("meccanismo di feedback sull'accessibilità"),
        blank=True,
        default="https://form.agid.gov.it/",
    )

    select_related = ["accessibility_page", "privacy_page", "legal_page", "contacts_page"]

    panels = [
        PageChooserPanel("accessibility_page"),
        PageChooserPanel("privacy_page"),
        PageChooserPanel("legal_page"),
        PageChooserPanel("contacts_page"),
        FieldPanel("accessibility_feedback_url"),
    ]

    class Meta:
        verbose_name = _("impostazioni del portale")


class HomePage(Page):
    subtitle = models.CharField(_("sottotitolo"), max_length=200, blank=True)
    intro = RichTextField(_("introduzione"), features=["bold", "italic", "link"], blank=True)
    highlights = StreamField(
        [("highlight", PageLinkBlock())], verbose_name=_("in evidenza"), blank=True
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("corpo"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("subtitle"), FieldPanel("intro")], heading=_("Apertura")),
        FieldPanel("highlights"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("subtitle"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    # No subpage_types: each app's top page (programme, newsletter archive, library)
    # names the home page as its parent, and the home page takes them all.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")


class ContentPage(Page):
    """A public content page: the project, its lines of activity, the CGP phases, contacts."""

    intro = models.TextField(_("sommario"), max_length=400, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("corpo"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["pages.HomePage", "pages.ContentPage"]
    subpage_types = ["pages.ContentPage"]

    class Meta:
        verbose_name = _("pagina di contenuto")
        verbose_name_plural = _("pagine di contenuto")

    def breadcrumb_pages(self):
        """Ancestors between the home page and this page (plain pages route by site)."""
        return self.get_ancestors().filter(depth__gt=2).defer_streamfields()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["children"] = access.public_pages(self.get_children().live().in_menu())
        return context


class ReservedTreeMixin:
    """Reserved areas live beside the home page, not under it, so that the editors'
    page permissions (granted on the home page) never reach them. Their URLs sit under
    /aree-riservate/ on the default site and `portal.pages.views.serve_reserved` routes
    them."""

    def get_url_parts(self, request=None):
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return None
        return (site.id, site.root_url, self.url_path)

    def breadcrumb_pages(self):
        return self.get_ancestors().filter(depth__gt=1).specific().defer_streamfields()


class ReservedAreaIndexPage(ReservedTreeMixin, Page):
    """Lists the reserved areas the visitor may enter (and only those)."""

    intro = RichTextField(_("introduzione"), features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["pages.ReservedAreaPage"]
    max_count = 1

    class Meta:
        verbose_name = _("indice delle aree riservate")

    def clean(self):
        super().clean()
        if self.slug != RESERVED_AREAS_SLUG:
            raise ValidationError(
                {"slug": _("Lo slug di questa pagina è %s.") % RESERVED_AREAS_SLUG}
            )

    def get_context(self, request, *args, **kwargs):
        from .selectors import areas_for

        context = super().get_context(request, *args, **kwargs)
        area_pages = areas_for(request.user)
        context["areas"] = area_pages
        return context


class AreaScope(models.TextChoices):
    ENTE = "ente", _("Ente")
    REGION = "region", _("Regione")
    TEAM = "team", _("Task team")


class ReservedAreaPage(ReservedTreeMixin, Page):
    """The reserved area of a body, a region or a task team: pages and documents within
    it are visible only to the people `portal.access` allows."""

    scope = models.CharField(_("area di"), max_length=8, choices=AreaScope.choices)
    ente = models.OneToOneField(
        "enti.Ente",
        verbose_name=_("ente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserved_area",
    )
    region = models.OneToOneField(
        "enti.Region",
        verbose_name=_("regione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserved_area",
    )
    task_team = models.OneToOneField(
        "enti.TaskTeam",
        verbose_name=_("task team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserved_area",
    )
    intro = RichTextField(_("introduzione"), features=["bold", "italic", "link"], blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("corpo"), blank=True)
    collection = models.OneToOneField(
        Collection,
        verbose_name=_("raccolta documenti"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="reserved_area",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("scope"),
                FieldPanel("ente"),
                FieldPanel("region"),
                FieldPanel("task_team"),
            ],
            heading=_("A chi è riservata"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.ReservedAreaIndexPage"]
    subpage_types = ["pages.ReservedContentPage"]

    class Meta:
        verbose_name = _("area riservata")
        verbose_name_plural = _("aree riservate")

    def clean(self):
        super().clean()
        targets = {
            AreaScope.ENTE: ("ente", self.ente_id),
            AreaScope.REGION: ("region", self.region_id),
            AreaScope.TEAM: ("task_team", self.task_team_id),
        }
        field, value = targets.get(self.scope, ("scope", None))
        if not value:
            raise ValidationError({field: _("Indicare a chi è riservata l'area.")})
        others = {name for name, _v in targets.values() if name != field}
        if any(getattr(self, f"{name}_id") for name in others):
            raise ValidationError(_("Un'area è riservata a un solo ente, regione o task team."))

    def save(self, *args, **kwargs):
        if self.collection_id is None:
            self.collection = reserved_collection_for(self.title)
        super().save(*args, **kwargs)
        self.ensure_login_restriction()

    def ensure_login_restriction(self):
        """Defence in depth: Wagtail's own `.public()` (sitemap, API, starter search) then
        treats the area as private even where our policy is not asked."""
        if not PageViewRestriction.objects.filter(page=self).exists():
            PageViewRestriction.objects.create(
                page=self, restriction_type=PageViewRestriction.LOGIN
            )
        if (
            self.collection_id
            and not CollectionViewRestriction.objects.filter(
                collection_id=self.collection_id
            ).exists()
        ):
            CollectionViewRestriction.objects.create(
                collection_id=self.collection_id,
                restriction_type=CollectionViewRestriction.LOGIN,
            )

    @cached_property
    def owner_label(self) -> str:
        target = {
            AreaScope.ENTE: self.ente,
            AreaScope.REGION: self.region,
            AreaScope.TEAM: self.task_team,
        }.get(self.scope)
        return str(target) if target else ""

    def get_context(self, request, *args, **kwargs):
        from .forms import AreaDocumentForm

        context = super().get_context(request, *args, **kwargs)
        documents = (
            PortalDocument.objects.filter(collection_id=self.collection_id)
            .select_related("uploaded_by_user")
            .order_by("-created_at")
        )
        context["documents"] = Paginator(documents, 20).get_page(request.GET.get("pagina"))
        context["subpages"] = self.get_children().live().specific()
        context["can_contribute"] = access.can_contribute_to_area(request.user, self)
        if context["can_contribute"]:
            context["upload_form"] = kwargs.get("upload_form") or AreaDocumentForm()
        return context

    def serve(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.shortcuts import redirect

        from .forms import AreaDocumentForm
        from .services import area_document_upload

        if request.method == "POST":
            if not access.can_contribute_to_area(request.user, self):
                from django.core.exceptions import PermissionDenied

                raise PermissionDenied
            form = AreaDocumentForm(request.POST, request.FILES)
            if form.is_valid():
                area_document_upload(
                    area=self,
                    user=request.user,
                    title=form.cleaned_data["title"],
                    uploaded_file=form.cleaned_data["file"],
                )
                messages.success(request, _("Documento caricato."))
                return redirect(self.url)
            kwargs["upload_form"] = form
            response = super().serve(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().serve(request, *args, **kwargs)


def reserved_collection_for(title: str) -> Collection:
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=RESERVED_COLLECTIONS_ROOT).first()
    if parent is None:
        parent = root.add_child(name=RESERVED_COLLECTIONS_ROOT)
    name = title[:240]
    existing = parent.get_children().filter(name=name).first()
    return existing or parent.add_child(name=name)


class ReservedContentPage(ReservedTreeMixin, Page):
    """A page inside a reserved area (minutes, working notes, instructions)."""

    intro = models.TextField(_("sommario"), max_length=400, blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("corpo"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.ReservedAreaPage", "pages.ReservedContentPage"]
    subpage_types = ["pages.ReservedContentPage"]

    class Meta:
        verbose_name = _("pagina di area riservata")
        verbose_name_plural = _("pagine di area riservata")
