from django import forms
from django.utils.translation import gettext_lazy as _

from .validators import validate_document_upload


class AreaDocumentForm(forms.Form):
    title = forms.CharField(label=_("Titolo del documento"), max_length=255)
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document_upload],
        help_text=_("PDF, documenti di testo, fogli di calcolo o presentazioni; massimo 20 MB."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca nel portale"), max_length=200, required=False)
