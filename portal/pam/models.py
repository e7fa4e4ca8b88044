"""Improvement plans (PAM) and each body's performance cycle (CGP).

A body (Ente) assesses its CGP phase by phase (self-diagnosis), turns the gaps into
improvement plans with milestones and indicators, measures the indicators over time,
writes monitoring reports at the checkpoints, and is coached by its experts. Its cycle
documents (DUP, PEG/PDO, Piano della Performance, Relazione...) have a calendar.

Progress is a history, never an overwritten number: answers, measurements, monitoring
reports and expert reviews are append-only rows; edits of plans, milestones, indicators
and cycle documents are logged with who and when in Wagtail's ModelLogEntry (see
`services.py`). Every read and write is decided by `portal.access`.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from portal.enti.models import Ente
from portal.pages.models import private_storage


class CgpPhase(models.TextChoices):
    """The phases of the performance management cycle, as in the seeds' procedure."""

    PROGRAMMAZIONE = "programmazione", _("Fase 0 – Programmazione dell'ente (DUP, PEG, PDO)")
    OBIETTIVI = "obiettivi", _("Fase 1 – Definizione e assegnazione degli obiettivi")
    MONITORAGGIO = "monitoraggio", _("Fase 2 – Monitoraggio in corso di esercizio")
    MISURAZIONE = "misurazione", _("Fase 3 – Misurazione e valutazione della performance")
    PREMIALITA = "premialita", _("Fase 4 – Sistemi premianti e valorizzazione del merito")
    RENDICONTAZIONE = "rendicontazione", _("Fase 5 – Rendicontazione dei risultati")


PHASE_SHORT = {
    CgpPhase.PROGRAMMAZIONE: "Programmazione",
    CgpPhase.OBIETTIVI: "Obiettivi",
    CgpPhase.MONITORAGGIO: "Monitoraggio",
    CgpPhase.MISURAZIONE: "Misurazione e valutazione",
    CgpPhase.PREMIALITA: "Premialità",
    CgpPhase.RENDICONTAZIONE: "Rendicontazione",
}


class MaturityLevel(models.IntegerChoices):
    ASSENTE = 0, _("0 – Assente")
    INIZIALE = 1, _("1 – Iniziale")
    IN_SVILUPPO = 2, _("2 – In sviluppo")
    STRUTTURATO = 3, _("3 – Strutturato")
    CONSOLIDATO = 4, _("4 – Consolidato")


# An answer at or below this level is a gap; a phase below this score needs a plan.
GAP_LEVEL = MaturityLevel.INIZIALE
PHASE_GAP_SCORE = 50


# --- Self-diagnosis ---------------------------------------------------------------------


class AssessmentQuestionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class AssessmentQuestion(models.Model):
    """One question of the self-diagnosis, kept as data so that staff can edit it."""

    phase = models.CharField(_("fase del ciclo"), max_length=20, choices=CgpPhase.choices)
    text = models.CharField(_("domanda"), max_length=300)
    help_text = models.TextField(
        _("spiegazione"), blank=True, help_text=_("Cosa significa ciascun livello, con esempi.")
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    active = models.BooleanField(
        _("attiva"),
        default=True,
        help_text=_(
            "Le domande non più usate si disattivano: le autodiagnosi passate le conservano."
        ),
    )

    objects = AssessmentQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("domanda di autodiagnosi")
        verbose_name_plural = _("domande di autodiagnosi")
        ordering = ["phase", "order", "pk"]

    def __str__(self):
        return self.text


class SelfAssessment(models.Model):
    """A completed self-diagnosis of a body's CGP: never edited, a new one is taken."""

    ente = models.ForeignKey(
        Ente, verbose_name=_("ente"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    completed_at = models.DateTimeField(_("compilata il"), default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compilata da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Per-phase maturity (0-100) frozen at completion, so dashboards read one row.
    scores = models.JSONField(_("punteggi per fase"), default=dict)
    overall = models.PositiveSmallIntegerField(_("maturità complessiva"), default=0)

    class Meta:
        verbose_name = _("autodiagnosi")
        verbose_name_plural = _("autodiagnosi")
        ordering = ["-completed_at", "-pk"]
        indexes = [models.Index(fields=["ente", "-completed_at"])]

    def __str__(self):
        return f"Autodiagnosi {self.ente} del {self.completed_at:%d/%m/%Y}"

    def phase_scores(self) -> list[tuple[str, str, int | None]]:
        """(phase, label, score) in cycle order; None for a phase without questions."""
        return [(p.value, PHASE_SHORT[p], self.scores.get(p.value)) for p in CgpPhase]


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        AssessmentQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    # The phase as it was when answering: staff may later move a question.
    phase = models.CharField(_("fase"), max_length=20, choices=CgpPhase.choices)
    level = models.PositiveSmallIntegerField(_("livello"), choices=MaturityLevel.choices)
    note = models.CharField(_("nota"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("risposta di autodiagnosi")
        verbose_name_plural = _("risposte di autodiagnosi")
        ordering = ["phase", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question"], name="pam_answer_once_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question}: {self.level}"

    @property
    def is_gap(self) -> bool:
        return self.level <= GAP_LEVEL


# --- Plans ---------------------------------------------------------------------------


class ServiceArea(models.TextChoices):
    NONE = "", _("Nessuno (obiettivo di processo)")
    ISTRUZIONE = "istruzione", _("Istruzione")
    INFANZIA_ANZIANI = "infanzia_anziani", _("Servizi di cura per l'infanzia e gli anziani")
    RIFIUTI = "rifiuti", _("Gestione dei rifiuti urbani")
    IDRICO = "idrico", _("Servizio idrico integrato")
    ALTRO = "altro", _("Altro servizio")


class PlanStatus(models.TextChoices):
    DRAFT = "bozza", _("In preparazione")
    ACTIVE = "in_corso", _("In corso")
    COMPLETED = "completato", _("Completato")
    SUSPENDED = "sospeso", _("Sospeso")


class ReviewStatus(models.TextChoices):
    ON_TRACK = "in_linea", _("In linea")
    AT_RISK = "a_rischio", _("A rischio")
    LATE = "in_ritardo", _("In ritardo")


class ImprovementPlanQuerySet(models.QuerySet):
    def for_listing(self):
        return self.select_related("ente", "ente__region")


class ImprovementPlan(models.Model):
    """A Piano di Azioni di Miglioramento of one body."""

    ente = models.ForeignKey(
        Ente, verbose_name=_("ente"), on_delete=models.CASCADE, related_name="improvement_plans"
    )
    title = models.CharField(_("titolo"), max_length=200)
    problem_analysis = models.TextField(
        _("analisi del problema"),
        max_length=5000,
        help_text=_("Cosa non funziona oggi, perché, con quali effetti su cittadini e uffici."),
    )
    priority_objective = models.CharField(_("obiettivo prioritario"), max_length=500)
    phase = models.CharField(
        _("fase del ciclo interessata"), max_length=20, choices=CgpPhase.choices
    )
    service_area = models.CharField(
        _("obiettivo di servizio"),
        max_length=20,
        choices=ServiceArea.choices,
        blank=True,
        default="",
    )
    responsible = models.CharField(
        _("responsabile"),
        max_length=150,
        help_text=_("Nome e ruolo, es. «Dirigente Area Ambiente»"),
    )
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine"))
    status = models.CharField(
        _("stato"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    source_assessment = models.ForeignKey(
        SelfAssessment,
        verbose_name=_("autodiagnosi di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
    )
    source_question = models.ForeignKey(
        AssessmentQuestion,
        verbose_name=_("lacuna di origine"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("ultima attività"), default=timezone.now)
    # The latest expert status, kept here so boards need no subquery per plan.
    review_status = models.CharField(
        _("valutazione dell'esperto"), max_length=12, choices=ReviewStatus.choices, blank=True
    )

    objects = ImprovementPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("piano di miglioramento")
        verbose_name_plural = _("piani di miglioramento")
        ordering = ["-start_date", "title"]
        indexes = [models.Index(fields=["ente", "status"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La data di fine non può precedere la data di inizio.")}
            )

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date


class Milestone(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("azione / fase intermedia"), max_length=200)
    owner = models.CharField(_("responsabile"), max_length=150)
    due_date = models.DateField(_("scadenza"))
    progress = models.PositiveSmallIntegerField(
        _("avanzamento (%)"),
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["due_date", "progress"])]

    def __str__(self):
        return self.title

    def clean(self):
        plan = self.plan if self.plan_id else None
        if plan and self.due_date and not plan.contains(self.due_date):
            raise ValidationError(
                {
                    "due_date": _(
                        "La scadenza deve cadere nel periodo del piano (dal %(start)s al %(end)s)."
                    )
                    % {
                        "start": plan.start_date.strftime("%d/%m/%Y"),
                        "end": plan.end_date.strftime("%d/%m/%Y"),
                    }
                }
            )

    @property
    def is_done(self) -> bool:
        return self.progress >= 100

    def is_late(self, today: datetime.date | None = None) -> bool:
        return not self.is_done and self.due_date < (today or timezone.localdate())


class IndicatorKind(models.TextChoices):
    PROCESS = "processo", _("Di processo")
    RESULT = "risultato", _("Di risultato")


class Unit(models.TextChoices):
    PERCENT = "percentuale", _("Percentuale (%)")
    NUMBER = "numero", _("Numero")
    DAYS = "giorni", _("Giorni")
    EURO = "euro", _("Euro")
    TONNES = "tonnellate", _("Tonnellate")


UNIT_SYMBOL = {"percentuale": "%", "numero": "", "giorni": "gg", "euro": "€", "tonnellate": "t"}


class Direction(models.TextChoices):
    INCREASE = "aumento", _("Aumentare")
    DECREASE = "diminuzione", _("Diminuire")
    MAINTAIN = "mantenimento", _("Mantenere")


def validate_value_for_unit(value: Decimal, unit: str) -> None:
    """Impossible values for the unit: negatives anywhere, percentages above 100."""
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("Il valore non può essere negativo per questa unità di misura."))
    if unit == Unit.PERCENT and value > 100:
        raise ValidationError(_("Una percentuale deve essere compresa tra 0 e 100."))


class Indicator(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicatore"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=10, choices=IndicatorKind.choices)
    unit = models.CharField(_("unità di misura"), max_length=12, choices=Unit.choices)
    baseline = models.DecimalField(
        _("valore di partenza (baseline)"), max_digits=14, decimal_places=2
    )
    target = models.DecimalField(_("valore obiettivo (target)"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("andamento atteso"), max_length=12, choices=Direction.choices)
    data_source = models.CharField(
        _("fonte dei dati"), max_length=200, help_text=_("Es. «Registro protocollo», «ISPRA».")
    )
    # The last measurement and how it stands against the target, kept by the
    # measurement service so that boards count off-target indicators in the database.
    latest_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    latest_date = models.DateField(null=True, blank=True)
    off_target = models.BooleanField(_("fuori obiettivo"), default=False)

    class Meta:
        verbose_name = _("indicatore")
        verbose_name_plural = _("indicatori")
        ordering = ["pk"]
        indexes = [models.Index(fields=["plan", "off_target"])]

    def __str__(self):
        return self.name

    @property
    def symbol(self) -> str:
        return UNIT_SYMBOL.get(self.unit, "")

    def clean(self):
        errors = {}
        for field in ("baseline", "target"):
            try:
                validate_value_for_unit(getattr(self, field), self.unit)
            except ValidationError as error:
                errors[field] = error.messages
        if not errors and self.baseline is not None and self.target is not None:
            if self.direction == Direction.INCREASE and self.target <= self.baseline:
                errors["target"] = [
                    _("Se l'indicatore deve aumentare, il target deve superare la baseline.")
                ]
            elif self.direction == Direction.DECREASE and self.target >= self.baseline:
                errors["target"] = [
                    _("Se l'indicatore deve diminuire, il target deve essere sotto la baseline.")
                ]
        if errors:
            raise ValidationError(errors)

    def expected_at(self, day: datetime.date) -> Decimal:
        """Where the value should be on a day if progress were linear over the plan."""
        plan = self.plan
        span = (plan.end_date - plan.start_date).days or 1
        elapsed = min(max((day - plan.start_date).days, 0), span)
        return self.baseline + (self.target - self.baseline) * Decimal(elapsed) / Decimal(span)

    def is_off_target(self, value: Decimal, day: datetime.date) -> bool:
        """Behind the linear path to the target by more than a tenth of the distance
        (for 'maintain': further from the target than a tenth of it)."""
        if self.direction == Direction.MAINTAIN:
            tolerance = abs(self.target) / 10 or Decimal(1)
            return abs(value - self.target) > tolerance
        tolerance = abs(self.target - self.baseline) / 10
        expected = self.expected_at(day)
        if self.direction == Direction.INCREASE:
            return value < expected - tolerance
        return value > expected + tolerance


class Measurement(models.Model):
    """One value of an indicator on a date. Never edited: a correction is a new row for
    the same date, and the newest row recorded for a date is the one that counts."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("data di rilevazione"))
    value = models.DecimalField(_("valore"), max_digits=14, decimal_places=2)
    note = models.CharField(_("nota"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrata da"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registrata il"), default=timezone.now)

    class Meta:
        verbose_name = _("misurazione")
        verbose_name_plural = _("misurazioni")
        ordering = ["date", "recorded_at", "pk"]
        indexes = [models.Index(fields=["indicator", "date"])]

    def __str__(self):
        return f"{self.indicator}: {self.value} al {self.date:%d/%m/%Y}"

    def clean(self):
        indicator = self.indicator
        plan = indicator.plan
        errors = {}
        if self.date:
            if not plan.contains(self.date):
                errors["date"] = [
                    _("La data deve cadere nel periodo del piano (dal %(start)s al %(end)s).")
                    % {
                        "start": plan.start_date.strftime("%d/%m/%Y"),
                        "end": plan.end_date.strftime("%d/%m/%Y"),
                    }
                ]
            elif self.date > timezone.localdate():
                errors["date"] = [_("Non si può registrare una misurazione per una data futura.")]
        try:
            validate_value_for_unit(self.value, indicator.unit)
        except ValidationError as error:
            errors["value"] = error.messages
        if errors:
            raise ValidationError(errors)


class Checkpoint(models.TextChoices):
    MID_YEAR = "30_giugno", _("Monitoraggio intermedio (dati al 30 giugno)")
    YEAR_END = "fine_anno", _("Monitoraggio di fine esercizio (dati al 31 dicembre)")
    OTHER = "altro", _("Altra verifica")


class MonitoringReport(models.Model):
    """What the body writes at a checkpoint. Append-only: a new report, never an edit."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reports")
    checkpoint = models.CharField(_("verifica"), max_length=12, choices=Checkpoint.choices)
    reference_date = models.DateField(_("dati aggiornati al"))
    summary = models.TextField(_("stato di avanzamento"), max_length=8000)
    issues = models.TextField(_("criticità e misure correttive"), max_length=8000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("scritto il"), default=timezone.now)

    class Meta:
        verbose_name = _("report di monitoraggio")
        verbose_name_plural = _("report di monitoraggio")
        ordering = ["-reference_date", "-created_at"]

    def __str__(self):
        return f"{self.get_checkpoint_display()} — {self.reference_date:%d/%m/%Y}"

    def clean(self):
        plan = self.plan
        if self.reference_date and not plan.contains(self.reference_date):
            raise ValidationError(
                {
                    "reference_date": _(
                        "La data del report deve cadere nel periodo del piano "
                        "(dal %(start)s al %(end)s)."
                    )
                    % {
                        "start": plan.start_date.strftime("%d/%m/%Y"),
                        "end": plan.end_date.strftime("%d/%m/%Y"),
                    }
                }
            )
        if self.reference_date and self.reference_date > timezone.localdate():
            raise ValidationError(
                {"reference_date": _("Il report non può riferirsi a una data futura.")}
            )
        if (
            self.checkpoint == Checkpoint.MID_YEAR
            and self.reference_date
            and ((self.reference_date.month, self.reference_date.day) != (6, 30))
        ):
            raise ValidationError(
                {"reference_date": _("Il monitoraggio intermedio riporta i dati al 30 giugno.")}
            )


class ExpertReview(models.Model):
    """An expert's reading of a plan: status and recommendations. Append-only."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reviews")
    report = models.ForeignKey(
        MonitoringReport,
        verbose_name=_("report commentato"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviews",
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("valutazione"), max_length=12, choices=ReviewStatus.choices)
    comment = models.TextField(_("commento"), max_length=8000)
    recommendations = models.TextField(_("raccomandazioni"), max_length=8000, blank=True)
    created_at = models.DateTimeField(_("scritto il"), default=timezone.now)

    class Meta:
        verbose_name = _("commento dell'esperto")
        verbose_name_plural = _("commenti degli esperti")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_status_display()} — {self.created_at:%d/%m/%Y}"


# --- CGP calendar --------------------------------------------------------------------


class DocumentKind(models.TextChoices):
    SMVP = "smvp", _("Sistema di misurazione e valutazione (SMVP) – aggiornamento")
    PEG_PDO = "peg_pdo", _("PEG e Piano dettagliato degli obiettivi (PDO)")
    PIANO = "piano_performance", _("Piano della Performance (sezione Performance del PIAO)")
    MISURAZIONE = (
        "valutazione",
        _("Misurazione e valutazione della performance dell'anno precedente"),
    )
    RELAZIONE = "relazione", _("Relazione sulla Performance dell'anno precedente")
    VALIDAZIONE = "validazione_oiv", _("Validazione OIV/NdV della Relazione sulla Performance")
    PUBBLICAZIONE = "pubblicazione", _("Pubblicazione in «Amministrazione trasparente»")
    MONITORAGGIO = "monitoraggio", _("Monitoraggio intermedio (dati al 30 giugno)")
    DUP = "dup", _("DUP per il triennio successivo – approvazione in Giunta")


class DocumentStatus(models.TextChoices):
    PLANNED = "previsto", _("Previsto")
    DRAFT = "bozza", _("In bozza")
    ADOPTED = "adottato", _("Adottato")
    VALIDATED = "validato", _("Validato")
    PUBLISHED = "pubblicato", _("Pubblicato")


DONE_STATUSES = (DocumentStatus.ADOPTED, DocumentStatus.VALIDATED, DocumentStatus.PUBLISHED)


def cycle_upload_to(instance, filename: str) -> str:
    return f"pam/{instance.ente_id}/{instance.year}/{filename}"


class CycleDocument(models.Model):
    """One document or deadline of a body's CGP calendar for a year."""

    ente = models.ForeignKey(
        Ente, verbose_name=_("ente"), on_delete=models.CASCADE, related_name="cycle_documents"
    )
    year = models.PositiveSmallIntegerField(_("anno"))
    kind = models.CharField(_("documento"), max_length=20, choices=DocumentKind.choices)
    due_date = models.DateField(_("scadenza"))
    status = models.CharField(
        _("stato"), max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.PLANNED
    )
    file = models.FileField(
        _("file"), upload_to=cycle_upload_to, storage=private_storage, blank=True, max_length=255
    )
    link = models.URLField(_("collegamento"), blank=True)
    updated_at = models.DateTimeField(_("aggiornato il"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("scadenza del ciclo")
        verbose_name_plural = _("calendario del ciclo")
        ordering = ["due_date", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["ente", "year", "kind"], name="pam_cycle_doc_unique")
        ]
        indexes = [models.Index(fields=["due_date", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}"

    # --- The file's text, for the public documents database's search ------------------
    # A new or replaced file is read by a background task after commit (see search.py),
    # never in the request that uploads it. The file name the row was loaded with tells
    # save() whether the file changed, without a query.

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        name = self.file.name or ""
        if (update_fields is None or "file" in update_fields) and name != (
            getattr(self, "_stored_file_name", "") or ""
        ):
            from .search import schedule_text_extraction

            schedule_text_extraction(self.pk)
        self._stored_file_name = name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_file_name = instance.__dict__.get("file")
        return instance

    def clean(self):
        if self.status == DocumentStatus.PUBLISHED and not (self.file or self.link):
            raise ValidationError(
                {
                    "status": _(
                        "Per segnare il documento come pubblicato indica il collegamento alla "
                        "pagina di «Amministrazione trasparente» o carica il file."
                    )
                }
            )

    @property
    def is_done(self) -> bool:
        return self.status in DONE_STATUSES

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return not self.is_done and self.due_date < (today or timezone.localdate())


class CycleDocumentText(index.Indexed, models.Model):
    """What the file of a body's cycle document says, for the search of the public
    documents database. A row of its own, so that saving a document's status does not
    index its text again; which documents may be shown is decided by the access policy
    on CycleDocument, never here (see `search.documents_saying`)."""

    document = models.OneToOneField(
        CycleDocument, on_delete=models.CASCADE, primary_key=True, related_name="extracted"
    )
    file_name = models.CharField(_("file letto"), max_length=255)
    text = models.TextField(_("testo"), blank=True)
    error = models.CharField(_("errore"), max_length=200, blank=True)
    extracted_at = models.DateTimeField(_("estratto il"), default=timezone.now)

    search_fields = [index.SearchField("text")]

    class Meta:
        verbose_name = _("testo di un documento del ciclo")
        verbose_name_plural = _("testi dei documenti del ciclo")

    def __str__(self):
        return self.file_name


class ReminderSent(models.Model):
    """One reminder sent for a deadline at a given distance: makes the command idempotent."""

    document = models.ForeignKey(CycleDocument, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "days_before"], name="pam_reminder_once")
        ]

    def __str__(self):
        return f"{self.document} − {self.days_before} giorni"


class DigestSent(models.Model):
    """One weekly digest per expert and ISO week."""

    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8)  # e.g. 2026-W48
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["expert", "week"], name="pam_digest_once")]

    def __str__(self):
        return f"{self.expert_id} {self.week}"


# --- What supports an action --------------------------------------------------------------


class ResourceKind(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    MATERIAL = "materiale", _("Materiale metodologico")
    FORUM = "forum", _("Discussione del forum")


class ActionResource(models.Model):
    """A webinar, a methodology page or a forum discussion that supports an action.
    Shown only to viewers who may see the linked item themselves."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("tipo"), max_length=10, choices=ResourceKind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        "boards.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("supporto all'azione")
        verbose_name_plural = _("supporti alle azioni")
        ordering = ["kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(page__isnull=False, topic__isnull=True))
                | (models.Q(page__isnull=True, topic__isnull=False)),
                name="pam_resource_one_target",
            )
        ]

    def __str__(self):
        return str(self.page or self.topic)


class PracticeStatus(models.TextChoices):
    PROPOSED = "proposta", _("Proposta, in attesa del consenso dell'ente")
    CONSENTED = "consenso", _("Consenso dell'ente dato, in attesa dell'esperto")
    APPROVED = "approvata", _("Approvata come buona pratica")
    REJECTED = "respinta", _("Non approvata")


class GoodPracticeProposal(models.Model):
    """A completed action proposed as a good practice: the body's referent consents,
    an assigned expert approves. Approved proposals are what the library may publish."""

    milestone = models.OneToOneField(Milestone, on_delete=models.CASCADE, related_name="practice")
    summary = models.TextField(
        _("cosa ha funzionato"),
        max_length=4000,
        help_text=_("Il problema, cosa si è fatto, con quali risultati misurati."),
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("motivazione"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("proposta di buona pratica")
        verbose_name_plural = _("proposte di buone pratiche")
        ordering = ["-proposed_at"]

    def __str__(self):
        return f"{self.milestone} ({self.get_status_display()})"
