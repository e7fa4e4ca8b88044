from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Leading bytes of executables and scripts: a renamed program is refused whatever its name.
_EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")


def validate_document_upload(uploaded_file) -> None:
    limit = settings.PORTAL_DOCUMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("Il file supera la dimensione massima di %(limit)s.")
            % {"limit": filesizeformat(limit)}
        )
    extension = uploaded_file.name.rsplit(".", 1)[-1].lower() if "." in uploaded_file.name else ""
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise ValidationError(
            _("Tipo di file non ammesso. Sono ammessi: %(types)s.")
            % {"types": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
        )
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if head.startswith(_EXECUTABLE_SIGNATURES):
        raise ValidationError(
            _("Il file sembra un programma eseguibile e non può essere caricato.")
        )
    if extension == "pdf" and not head.startswith(b"%PDF"):
        raise ValidationError(_("Il file non è un PDF valido."))
