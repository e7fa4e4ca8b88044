from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.pages.validators import validate_document_upload


def validate_attachment(uploaded_file) -> None:
    """The forum's own size limit, then the portal's document rules (allowed types,
    executables refused whatever their name, PDFs that are PDFs)."""
    limit = settings.PORTAL_FORUM_ATTACHMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("L'allegato «%(name)s» supera la dimensione massima di %(limit)s.")
            % {"name": uploaded_file.name, "limit": filesizeformat(limit)},
            code="too_big",
        )
    validate_document_upload(uploaded_file)
