"""The blocks an editor composes a newsletter issue with.

Each block renders twice: on the web archive (its `template`) and in the email
(`templates/newsletter/email/blocks/<block_type>.html`, inline-styled tables), so
every value is read through the same sanitizer in both places.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from portal import access

TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class EditorialBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=120, default="Editoriale")
    text = blocks.RichTextBlock(label=_("Testo"), features=TEXT_FEATURES)
    signature = blocks.CharBlock(label=_("Firma"), max_length=120, required=False)

    class Meta:
        icon = "openquote"
        template = "newsletter/blocks/editorial.html"
        label = _("Editoriale")
        description = _("L'apertura del numero, firmata dalla redazione o da un esperto.")
        preview_value = {
            "title": "Editoriale",
            "text": "<p>Il Ciclo di Gestione della Performance entra nel monitoraggio.</p>",
            "signature": "La redazione",
        }


class NewsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=160)
    text = blocks.RichTextBlock(label=_("Testo"), features=TEXT_FEATURES)
    page = blocks.PageChooserBlock(label=_("Pagina del portale"), required=False)
    url = blocks.URLBlock(label=_("Oppure indirizzo esterno"), required=False)

    class Meta:
        icon = "doc-full"
        template = "newsletter/blocks/news.html"
        label = _("Notizia")
        description = _("Una notizia breve, con un collegamento facoltativo.")
        preview_value = {"title": "Aperte le iscrizioni", "text": "<p>Al nuovo ciclo.</p>"}

    def clean(self, value):
        value = super().clean(value)
        page = value.get("page")
        if page is not None and access.area_for_page(page) is not None:
            raise StructBlockValidationError(
                {"page": ValidationError(_("La newsletter non può collegare pagine riservate."))}
            )
        return value


class FocusArticleBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(label=_("Articolo"), page_type="pages.ContentPage")
    summary = blocks.TextBlock(
        label=_("Sommario"),
        required=False,
        help_text=_("Se vuoto si usa il sommario della pagina."),
    )

    class Meta:
        icon = "pick"
        template = "newsletter/blocks/focus_article.html"
        label = _("Articolo di approfondimento")
        description = _("Un articolo pubblicato sul portale, con il suo collegamento.")


class FromBodiesBlock(blocks.StructBlock):
    ente = blocks.CharBlock(label=_("Ente"), max_length=200)
    title = blocks.CharBlock(label=_("Titolo"), max_length=160)
    text = blocks.RichTextBlock(label=_("Testo"), features=TEXT_FEATURES)
    url = blocks.URLBlock(label=_("Collegamento"), required=False)

    class Meta:
        icon = "group"
        template = "newsletter/blocks/from_bodies.html"
        label = _("Dagli enti")
        description = _("Un'esperienza o un risultato di un'amministrazione partecipante.")


class UpcomingWebinarsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=120, default="Prossimi webinar")
    limit = blocks.IntegerBlock(label=_("Quanti"), min_value=1, max_value=10, default=3)

    class Meta:
        icon = "date"
        template = "newsletter/blocks/upcoming_webinars.html"
        label = _("Prossimi webinar")
        description = _(
            "Riempito in automatico dal programma dei webinar al momento della lettura o "
            "dell'invio; se non ce ne sono, il blocco non compare."
        )

    def get_context(self, value, parent_context=None):
        from .sources import upcoming_webinars

        context = super().get_context(value, parent_context=parent_context)
        context["webinars"] = upcoming_webinars(limit=value["limit"])
        return context


class DocumentsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=120, default="Documenti")
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("Documento")), label=_("Documenti"))

    class Meta:
        icon = "folder-open-inverse"
        template = "newsletter/blocks/documents.html"
        label = _("Documenti")

    def clean(self, value):
        value = super().clean(value)
        for document in value.get("documents") or []:
            if document is not None and access.is_reserved_collection(document.collection_id):
                raise StructBlockValidationError(
                    {
                        "documents": ValidationError(
                            _("«%(title)s» è in un'area riservata: non può andare in newsletter.")
                            % {"title": document.title}
                        )
                    }
                )
        return value


class IssueStreamBlock(blocks.StreamBlock):
    editorial = EditorialBlock()
    news = NewsBlock()
    focus_article = FocusArticleBlock()
    from_bodies = FromBodiesBlock()
    upcoming_webinars = UpcomingWebinarsBlock()
    documents = DocumentsBlock()

    class Meta:
        label = _("Contenuto del numero")
