"""The bodies taking part in the project and who belongs to them.

Every access decision built on these rows lives in `portal.access`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("codice"), max_length=3, unique=True)
    name = models.CharField(_("nome"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("regione")
        verbose_name_plural = _("regioni")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EnteKind(models.TextChoices):
    COMUNE = "comune", _("Comune")
    CAPOLUOGO = "capoluogo", _("Comune capoluogo di provincia")
    UNIVERSITA = "universita", _("Università")
    GESTIONE_ASSOCIATA = "gestione_associata", _("Gestione associata / Unione di comuni")


class Cohort(models.TextChoices):
    PRIMA_FASE = "prima_fase", _("Comuni della prima fase")
    NUOVI_ENTI = "nuovi_enti", _("Nuovi enti")


class EnteStatus(models.TextChoices):
    CANDIDATO = "candidato", _("Candidato")
    ATTIVO = "attivo", _("In affiancamento")
    CONCLUSO = "concluso", _("Percorso concluso")
    RITIRATO = "ritirato", _("Ritirato")


class EnteQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=EnteStatus.RITIRATO)


class Ente(models.Model):
    """A public body (ente) coached by the project."""

    name = models.CharField(_("denominazione"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("tipologia"), max_length=24, choices=EnteKind.choices)
    istat_code = models.CharField(
        _("codice ISTAT"), max_length=6, blank=True, help_text=_("Sei cifre, per i comuni.")
    )
    population = models.PositiveIntegerField(_("popolazione"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("regione"), on_delete=models.PROTECT, related_name="enti"
    )
    province = models.CharField(_("provincia (sigla)"), max_length=2, blank=True)
    cohort = models.CharField(_("linea di progetto"), max_length=16, choices=Cohort.choices)
    status = models.CharField(
        _("stato nel progetto"),
        max_length=16,
        choices=EnteStatus.choices,
        default=EnteStatus.ATTIVO,
    )

    objects = EnteQuerySet.as_manager()

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["istat_code"],
                condition=~Q(istat_code=""),
                name="ente_unique_istat_code",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.istat_code and not (len(self.istat_code) == 6 and self.istat_code.isdigit()):
            raise ValidationError({"istat_code": _("Il codice ISTAT è composto da sei cifre.")})


class TaskTeam(models.Model):
    """A working group across bodies (e.g. on service objectives)."""

    name = models.CharField(_("nome"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("regione"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(_("descrizione"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("componenti"),
        blank=True,
        related_name="task_teams",
    )

    class Meta:
        verbose_name = _("task team")
        verbose_name_plural = _("task team")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MembershipRole(models.TextChoices):
    REFERENTE = "referente", _("Referente dell'ente")
    MEMBRO = "membro", _("Componente")


class MembershipState(models.TextChoices):
    REQUESTED = "requested", _("In attesa")
    APPROVED = "approved", _("Approvata")
    REJECTED = "rejected", _("Respinta")
    REVOKED = "revoked", _("Revocata")


class MembershipQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=MembershipState.APPROVED)

    def pending(self):
        return self.filter(state=MembershipState.REQUESTED)


class Membership(models.Model):
    """A person's request to belong to a body, and its outcome (kept, never overwritten)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    ente = models.ForeignKey(Ente, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("ruolo nell'ente"), max_length=16, choices=MembershipRole.choices, default="membro"
    )
    state = models.CharField(
        _("stato"), max_length=16, choices=MembershipState.choices, default="requested"
    )
    motivation = models.TextField(_("messaggio per il referente"), blank=True, max_length=1000)
    requested_at = models.DateTimeField(_("richiesta il"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decisa da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(_("motivazione"), max_length=500, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adesione")
        verbose_name_plural = _("adesioni")
        ordering = ["-requested_at"]
        constraints = [
            # One open request or one approved membership per person and body.
            models.UniqueConstraint(
                fields=["user", "ente"],
                condition=Q(state__in=["requested", "approved"]),
                name="membership_one_active_per_user_and_ente",
            ),
        ]
        indexes = [models.Index(fields=["ente", "state"])]

    def __str__(self):
        return f"{self.user} → {self.ente} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == MembershipState.REQUESTED


class ExpertAssignment(models.Model):
    """An expert coaching a body."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("esperto"),
        on_delete=models.CASCADE,
        related_name="expert_assignments",
    )
    ente = models.ForeignKey(
        Ente, verbose_name=_("ente"), on_delete=models.CASCADE, related_name="expert_assignments"
    )
    assigned_at = models.DateTimeField(_("assegnato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("assegnazione esperto")
        verbose_name_plural = _("assegnazioni esperti")
        ordering = ["ente__name"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "ente"], name="expert_assignment_unique")
        ]

    def __str__(self):
        return f"{self.expert} → {self.ente}"


class RegionalRoleKind(models.TextChoices):
    REFERENTE = "referente", _("Referente regionale")
    SEGRETERIA = "segreteria", _("Segreteria regionale")


class RegionalRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="regional_roles",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("regione"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("ruolo"), max_length=16, choices=RegionalRoleKind.choices)

    class Meta:
        verbose_name = _("ruolo regionale")
        verbose_name_plural = _("ruoli regionali")
        ordering = ["region__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "kind"], name="regional_role_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_kind_display()} {self.region}"
