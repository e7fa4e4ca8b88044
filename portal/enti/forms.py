from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Ente


class EnteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.region.name})"


class MembershipRequestForm(forms.Form):
    ente = EnteChoiceField(
        label=_("Ente"),
        queryset=Ente.objects.active().select_related("region").order_by("region__name", "name"),
        empty_label=_("Scegli il tuo ente"),
        error_messages={
            "required": _("Scegli l'ente di cui fai parte."),
            "invalid_choice": _("L'ente scelto non esiste o non partecipa al progetto."),
        },
    )
    motivation = forms.CharField(
        label=_("Messaggio per il referente (facoltativo)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Per esempio: il tuo ufficio e il tuo ruolo nel ciclo della performance."),
    )


class MembershipDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approva")), ("reject", _("Respingi"))],
        error_messages={"invalid_choice": _("Decisione non valida.")},
    )
    note = forms.CharField(label=_("Motivazione"), required=False, max_length=500)
