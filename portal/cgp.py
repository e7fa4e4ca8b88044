"""The phases of the performance management cycle (Ciclo di Gestione della Performance),
as the seeds describe them: the one vocabulary every app tags its content with."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CgpPhase(models.TextChoices):
    PROGRAMMAZIONE = "programmazione", _("Programmazione (DUP, PEG, PDO)")
    OBIETTIVI = "obiettivi", _("Obiettivi e indicatori")
    MONITORAGGIO = "monitoraggio", _("Monitoraggio")
    MISURAZIONE = "misurazione", _("Misurazione e valutazione")
    PREMIALITA = "premialita", _("Sistemi premianti")
    RENDICONTAZIONE = "rendicontazione", _("Rendicontazione")
    CONTROLLI = "controlli", _("Sistema dei controlli interni")
    TRASVERSALE = "trasversale", _("Ciclo nel suo complesso")
