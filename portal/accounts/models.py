from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRole(models.TextChoices):
    """The actors of the performance cycle named in the project's documents."""

    DIRETTORE_GENERALE = "direttore_generale", _("Direttore generale")
    SEGRETARIO_GENERALE = "segretario_generale", _("Segretario generale")
    DIRIGENTE = "dirigente", _("Dirigente")
    FUNZIONARIO_APICALE = "funzionario_apicale", _("Funzionario apicale / posizione organizzativa")
    OIV = "oiv", _("Componente OIV / Nucleo di valutazione")
    ESPERTO = "esperto", _("Esperto del progetto")
    ALTRO = "altro", _("Altro")


class PortalUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'indirizzo email è obbligatorio.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person; the email address is the login."""

    username = None
    email = models.EmailField(_("indirizzo email"), unique=True)
    job_role = models.CharField(_("ruolo"), max_length=32, choices=JobRole.choices, blank=True)
    job_title = models.CharField(
        _("incarico"),
        max_length=150,
        blank=True,
        help_text=_("Per esempio: dirigente del settore finanziario."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def profile_complete(self) -> bool:
        return bool(self.first_name and self.last_name and self.job_role)
