from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import gettext as _


class ItalianMinimumLengthValidator(MinimumLengthValidator):
    """Django's message changed wording and has no Italian translation yet."""

    def get_error_message(self):
        return _(
            "Questa password è troppo corta: deve contenere almeno %(min_length)d caratteri."
        ) % {"min_length": self.min_length}
