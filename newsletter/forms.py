from django import forms
from django.utils.translation import gettext_lazy as _

from portal.enti.models import Region

from .services import CONSENT_TEXT, normalize_email


def _regions_field():
    return forms.ModelMultipleChoiceField(
        label=_("Regioni di interesse (facoltativo)"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Le notizie dalle regioni che scegli avranno più spazio."),
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Indirizzo email"), max_length=254)
    regions = _regions_field()
    consent = forms.BooleanField(
        label=_("Ho letto l'informativa e acconsento a ricevere la newsletter"),
        help_text=CONSENT_TEXT,
        error_messages={"required": _("Per iscriverti serve il tuo consenso.")},
    )

    def clean_email(self):
        return normalize_email(self.cleaned_data["email"])


class AccountSubscriptionForm(forms.Form):
    regions = _regions_field()
    consent = forms.BooleanField(
        label=_("Acconsento a ricevere la newsletter al mio indirizzo email"),
        help_text=CONSENT_TEXT,
        error_messages={"required": _("Per iscriverti serve il tuo consenso.")},
    )


class PreferencesForm(forms.Form):
    regions = _regions_field()


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Data e ora di invio"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        help_text=_("Lascia vuoto per inviare subito."),
    )


class DraftForm(forms.Form):
    month = forms.DateField(
        label=_("Mese"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
