from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SatisfactionResponse
from .services import MAX_QUESTION_LENGTH


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("La tua domanda ai relatori"),
        max_length=MAX_QUESTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Scrivi la domanda prima di inviarla."),
            "max_length": _("La domanda è troppo lunga: al massimo %(limit_value)d caratteri."),
        },
    )


class MaterialShareForm(forms.Form):
    document = forms.TypedChoiceField(
        label=_("Documento del webinar"), required=False, coerce=int, empty_value=None
    )
    url = forms.URLField(
        label=_("Oppure un indirizzo (ad es. le slide online)"),
        required=False,
        assume_scheme="https",
    )
    title = forms.CharField(label=_("Titolo da mostrare"), max_length=200, required=False)

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = {document.pk: document for document in documents}
        self.fields["document"].choices = [("", "—")] + [
            (document.pk, document.title) for document in documents
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("document") and not cleaned.get("url"):
            raise forms.ValidationError(_("Scegli un documento o indica un indirizzo."))
        if cleaned.get("document"):
            cleaned["document"] = self.documents[cleaned["document"]]
        return cleaned


class SatisfactionForm(forms.ModelForm):
    class Meta:
        model = SatisfactionResponse
        fields = ["overall", "content", "speakers", "comment"]
        widgets = {
            "overall": forms.RadioSelect,
            "content": forms.RadioSelect,
            "speakers": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "overall": _("Giudizio complessivo sul webinar (1 = per niente, 5 = molto)"),
            "content": _("Utilità dei contenuti per il tuo lavoro"),
            "speakers": _("Chiarezza dei relatori"),
        }
        error_messages = {
            field: {
                "required": _("Scegli un valore da 1 a 5."),
                "invalid_choice": _("Scegli un valore da 1 a 5."),
            }
            for field in ("overall", "content", "speakers")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("overall", "content", "speakers"):
            self.fields[name].choices = SatisfactionResponse.RATINGS  # no empty choice
