from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_MESSAGE_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Scrivi un messaggio"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": _("Il messaggio è vuoto."),
            "max_length": _("Il messaggio supera i %(limit_value)d caratteri."),
        },
    )
    client_id = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput)


class RetentionForm(forms.Form):
    days = forms.IntegerField(
        label=_("Conserva i messaggi per (giorni)"),
        min_value=1,
        max_value=3650,
        required=False,
        help_text=_("Lascia vuoto per conservarli senza limite."),
        error_messages={
            "min_value": _("Indicare almeno 1 giorno."),
            "max_value": _("Indicare al massimo 3650 giorni."),
            "invalid": _("Indicare un numero di giorni."),
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cerca nella chat"), max_length=200, min_length=2)
