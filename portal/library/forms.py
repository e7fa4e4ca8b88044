from django import forms
from django.utils.translation import gettext_lazy as _

from .services import MAX_COMMENT


class FeedbackForm(forms.Form):
    useful = forms.TypedChoiceField(
        label=_("Questa pagina ti è stata utile?"),
        choices=[("1", _("Sì")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Scegli «Sì» o «No».")},
    )
    comment = forms.CharField(
        label=_("Vuoi dirci di più? (facoltativo)"),
        max_length=MAX_COMMENT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Il commento può contenere al massimo 500 caratteri.")},
    )
