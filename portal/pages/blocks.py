from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        label = _("Titolo di sezione")


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=120)
    text = blocks.RichTextBlock(label=_("Testo"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        template = "blocks/callout_block.html"
        label = _("Riquadro in evidenza")
        description = _("Un messaggio da far notare: una scadenza, un'indicazione operativa.")
        preview_value = {"title": "Scadenza", "text": "<p>Relazione sulla Performance.</p>"}


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Documento"))
    title = blocks.CharBlock(label=_("Titolo mostrato"), required=False)
    description = blocks.TextBlock(label=_("Descrizione"), required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"
        label = _("Documento")


class PageLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titolo"), max_length=120)
    text = blocks.TextBlock(label=_("Testo"), required=False)
    page = blocks.PageChooserBlock(label=_("Pagina"))

    class Meta:
        icon = "link"
        template = "blocks/page_link_block.html"
        label = _("Scheda di collegamento")


class BaseStreamBlock(blocks.StreamBlock):
    """The body of every content page."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragrafo"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    callout = CalloutBlock()
    image = ImageBlock(label=_("Immagine"), template="blocks/image_block.html")
    document = DocumentLinkBlock()
    page_link = PageLinkBlock()

    class Meta:
        label = _("Contenuto")
