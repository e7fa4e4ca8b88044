from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JobRole, User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "job_role", "job_title"]
        labels = {"first_name": _("Nome"), "last_name": _("Cognome")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name", "job_role"):
            self.fields[name].required = True
        # Experts are appointed by the project, not self-declared.
        keep_expert = self.instance.job_role == JobRole.ESPERTO
        self.fields["job_role"].choices = [("", "---------")] + [
            (value, label)
            for value, label in JobRole.choices
            if value != JobRole.ESPERTO or keep_expert
        ]

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()


class PortalSignupForm(AllauthSignupForm):
    """allauth's sign-up, with the address labelled in full."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Indirizzo email")


class PortalLoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Indirizzo email")
