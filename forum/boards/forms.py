from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_POST_LENGTH, MAX_TITLE_LENGTH, EmailMode

BODY_HELP = _(
    "Puoi usare il Markdown: **grassetto**, *corsivo*, elenchi con il trattino, "
    "> per citare, [testo](https://indirizzo) per i link. Per menzionare una persona "
    "scrivi @nome.cognome."
)
FILES_HELP = _("Fino a 5 file (PDF, documenti, fogli di calcolo, presentazioni), max 10 MB.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _body_field(label):
    return forms.CharField(
        label=label,
        max_length=MAX_POST_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=BODY_HELP,
        error_messages={
            "required": _("Il messaggio è vuoto."),
            "max_length": _("Il messaggio supera i %(limit_value)d caratteri."),
        },
    )


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Titolo della discussione"),
        min_length=5,
        max_length=MAX_TITLE_LENGTH,
        error_messages={
            "required": _("Indica un titolo."),
            "min_length": _("Il titolo deve avere almeno %(limit_value)d caratteri."),
            "max_length": _("Il titolo supera i %(limit_value)d caratteri."),
        },
    )
    body = _body_field(_("Messaggio"))
    files = MultipleFileField(label=_("Allegati"), required=False, help_text=FILES_HELP)


class ReplyForm(forms.Form):
    body = _body_field(_("La tua risposta"))
    files = MultipleFileField(label=_("Allegati"), required=False, help_text=FILES_HELP)


class EditForm(forms.Form):
    body = _body_field(_("Testo del messaggio"))


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Perché segnali questo messaggio?"),
        min_length=5,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Spiega in poche parole il motivo."),
            "min_length": _("Spiega in poche parole il motivo (almeno %(limit_value)d caratteri)."),
            "max_length": _("Il motivo supera i %(limit_value)d caratteri."),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Cerca nel forum"),
        min_length=2,
        max_length=200,
        error_messages={"min_length": _("Scrivi almeno %(limit_value)d caratteri.")},
    )
    esperto = forms.BooleanField(
        label=_("Solo discussioni con risposta dell'esperto"), required=False
    )


class PreferenceForm(forms.Form):
    email_mode = forms.ChoiceField(
        label=_("Email dal forum"), choices=EmailMode.choices, widget=forms.RadioSelect
    )


class MoveForm(forms.Form):
    board = forms.ChoiceField(label=_("Sposta nella bacheca"))

    def __init__(self, *args, boards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].choices = [(b.slug, b.title) for b in boards]


class PromoteForm(forms.Form):
    note = forms.CharField(label=_("Nota per la redazione"), max_length=300, required=False)
