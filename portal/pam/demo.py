"""PAM demo rows: the showcase body (Giugliano in Campania) with two self-diagnoses, two
plans on service objectives (raccolta differenziata, asili nido) with milestones,
indicators and a year of measurements, a monitoring report, an expert's comment and
its CGP calendar; a few other bodies with lighter data so the boards mean something.

Idempotent: plans are looked up by (body, title), self-diagnoses by (body, date),
calendar rows by (body, year, kind); nothing is written twice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.enti.models import ExpertAssignment, Membership

from . import services
from .models import (
    AssessmentAnswer,
    AssessmentQuestion,
    CycleDocument,
    DocumentKind,
    DocumentStatus,
    ExpertReview,
    ImprovementPlan,
    Indicator,
    Measurement,
    Milestone,
    MonitoringReport,
    SelfAssessment,
)

SHOWCASE = "giugliano-in-campania"
OTHERS = ["torre-del-greco", "pozzuoli", "casoria"]

# Levels per phase: a year ago, and now (the body improved its monitoring).
LEVELS_BEFORE = {
    "programmazione": 2,
    "obiettivi": 2,
    "monitoraggio": 0,
    "misurazione": 1,
    "premialita": 1,
    "rendicontazione": 1,
}
LEVELS_NOW = {
    "programmazione": 3,
    "obiettivi": 3,
    "monitoraggio": 1,
    "misurazione": 2,
    "premialita": 1,
    "rendicontazione": 2,
}


def _assessment(loader, ente, user, when: datetime.datetime, levels: dict) -> SelfAssessment:
    # The lookup compares dates in the portal's time zone, so the key must too: late in the
    # evening (UTC) the UTC date is already the next day in Rome and a second run duplicated.
    existing = SelfAssessment.objects.filter(
        ente=ente, completed_at__date=timezone.localdate(when)
    ).first()
    if existing is not None:
        return existing
    questions = list(AssessmentQuestion.objects.active())
    by_phase: dict[str, list[int]] = {}
    for question in questions:
        by_phase.setdefault(question.phase, []).append(levels[question.phase])
    scores = {p: round(sum(v) * 100 / (4 * len(v))) for p, v in by_phase.items()}
    assessment = SelfAssessment.objects.create(
        ente=ente,
        completed_by=user,
        completed_at=when,
        scores=scores,
        overall=round(sum(scores.values()) / len(scores)),
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(assessment=assessment, question=q, phase=q.phase, level=levels[q.phase])
        for q in questions
    )
    loader.created += 1
    return assessment


def _plan(loader, ente, user, title, **fields) -> tuple[ImprovementPlan, bool]:
    plan = ImprovementPlan.objects.filter(ente=ente, title=title).first()
    if plan is not None:
        return plan, False
    plan = ImprovementPlan.objects.create(ente=ente, title=title, created_by=user, **fields)
    services._log(plan, "pam.plan.create", user, object=title)
    loader.created += 1
    return plan, True


def _monthly(indicator, user, start: datetime.date, values: list[str]) -> None:
    today = timezone.localdate()
    rows = []
    for i, value in enumerate(values):
        month = start.month - 1 + i
        day = datetime.date(start.year + month // 12, month % 12 + 1, 28)
        if day > today or not indicator.plan.contains(day):
            break
        rows.append(
            Measurement(indicator=indicator, date=day, value=Decimal(value), recorded_by=user)
        )
    Measurement.objects.bulk_create(rows)
    services._refresh_indicator_state(indicator)
    indicator.save(update_fields=["latest_value", "latest_date", "off_target"])


def _calendar(loader, ente, year: int, statuses: dict) -> None:
    loader.created += services.calendar_ensure(ente=ente, year=year)
    for kind, (status, link) in statuses.items():
        CycleDocument.objects.filter(ente=ente, year=year, kind=kind, status="previsto").update(
            status=status, link=link
        )


def _people(ente):
    member = Membership.objects.approved().filter(ente=ente).select_related("user").first()
    assignment = ExpertAssignment.objects.filter(ente=ente).select_related("expert").first()
    return (member.user if member else None), (assignment.expert if assignment else None)


def load_pam_demo(loader) -> None:
    ente = loader.enti.get(SHOWCASE) if isinstance(loader.enti, dict) else None
    if ente is None:
        return
    today = timezone.localdate()
    now = timezone.now()
    User = get_user_model()
    member = User.objects.filter(email="membro@paq.example.it").first()
    referent = User.objects.filter(email="referente@paq.example.it").first()
    _member, expert = _people(ente)
    member = member or _member

    _assessment(loader, ente, referent, now - datetime.timedelta(days=365), LEVELS_BEFORE)
    latest = _assessment(loader, ente, member, now - datetime.timedelta(days=40), LEVELS_NOW)
    gap = AssessmentQuestion.objects.filter(phase="monitoraggio").order_by("order").first()

    start = datetime.date(today.year - 1, 1, 1)
    waste, created = _plan(
        loader,
        ente,
        member,
        "Raccolta differenziata al 65%: porta a porta in tutti i quartieri",
        problem_analysis=(
            "La raccolta differenziata è ferma al 38%: il porta a porta copre solo il centro, "
            "i dati arrivano dal gestore a fine anno e nessuno li verifica durante l'anno. "
            "I costi di conferimento in discarica crescono ogni anno."
        ),
        priority_objective=(
            "Portare la raccolta differenziata al 65% (obiettivo di servizio S.09) con un "
            "monitoraggio mensile dei dati del gestore."
        ),
        phase="monitoraggio",
        service_area="rifiuti",
        responsible="Dirigente Settore Ambiente",
        start_date=start,
        end_date=datetime.date(today.year + 1, 12, 31),
        status="in_corso",
        source_assessment=latest,
        source_question=gap,
    )
    if created:
        for title, owner, due, progress in [
            (
                "Mappatura delle utenze per quartiere",
                "Ufficio Ambiente",
                start.replace(month=4),
                100,
            ),
            (
                "Porta a porta nei quartieri nord",
                "Gestore del servizio",
                start.replace(month=10),
                100,
            ),
            (
                "Cruscotto mensile dei dati del gestore",
                "Controllo di gestione",
                today - datetime.timedelta(days=20),
                60,
            ),
            (
                "Porta a porta in tutta la città",
                "Gestore del servizio",
                today + datetime.timedelta(days=120),
                20,
            ),
        ]:
            Milestone.objects.create(
                plan=waste, title=title, owner=owner, due_date=due, progress=progress
            )
        share = Indicator.objects.create(
            plan=waste,
            name="Percentuale di raccolta differenziata",
            kind="risultato",
            unit="percentuale",
            baseline=Decimal("38"),
            target=Decimal("65"),
            direction="aumento",
            data_source="Gestore del servizio, dati validati ISPRA",
        )
        _monthly(
            share,
            member,
            start,
            [
                "38",
                "39",
                "39.5",
                "41",
                "42",
                "44",
                "45",
                "45.5",
                "47",
                "48",
                "49",
                "50",
                "50.5",
                "51",
                "52",
                "52.5",
                "53",
                "54",
                "54.5",
                "55",
                "55.5",
                "56",
                "57",
                "57.5",
            ],
        )
        tonnes = Indicator.objects.create(
            plan=waste,
            name="Rifiuti indifferenziati conferiti in discarica",
            kind="risultato",
            unit="tonnellate",
            baseline=Decimal("2900"),
            target=Decimal("1800"),
            direction="diminuzione",
            data_source="Formulari di conferimento",
        )
        _monthly(
            tonnes,
            member,
            start,
            [
                "2900",
                "2880",
                "2850",
                "2840",
                "2800",
                "2790",
                "2760",
                "2750",
                "2740",
                "2730",
                "2700",
                "2690",
                "2680",
                "2660",
                "2650",
                "2640",
                "2630",
                "2610",
                "2600",
                "2590",
            ],
        )
        report = MonitoringReport.objects.create(
            plan=waste,
            checkpoint="30_giugno",
            reference_date=datetime.date(today.year, 6, 30)
            if datetime.date(today.year, 6, 30) <= today
            else datetime.date(today.year - 1, 6, 30),
            summary=(
                "Il porta a porta è attivo nel centro e nei quartieri nord; la percentuale "
                "cresce di circa un punto al mese. Il cruscotto mensile è in costruzione."
            ),
            issues="Il gestore invia i formulari con due mesi di ritardo.",
            author=member,
        )
        if expert is not None:
            ExpertReview.objects.create(
                plan=waste,
                report=report,
                expert=expert,
                status="a_rischio",
                comment=(
                    "La crescita è costante ma le tonnellate in discarica calano troppo "
                    "lentamente rispetto al target: il ritardo dei dati del gestore impedisce "
                    "di correggere in tempo."
                ),
                recommendations=(
                    "Inserire nel contratto di servizio l'invio mensile dei dati entro il 15 "
                    "del mese successivo; portare il cruscotto in Giunta al monitoraggio di "
                    "luglio."
                ),
            )
            waste.review_status = "a_rischio"
            waste.save(update_fields=["review_status"])

    nursery, created = _plan(
        loader,
        ente,
        member,
        "Asili nido: più posti e liste d'attesa più brevi",
        problem_analysis=(
            "I posti negli asili nido comunali coprono il 9% dei bambini 0-2 anni; la lista "
            "d'attesa supera i 200 bambini e non esiste un indicatore di presa in carico."
        ),
        priority_objective="Portare la copertura al 15% dei bambini 0-2 anni (obiettivo S.05).",
        phase="obiettivi",
        service_area="infanzia_anziani",
        responsible="Dirigente Settore Politiche sociali",
        start_date=datetime.date(today.year, 1, 1),
        end_date=datetime.date(today.year + 2, 6, 30),
        status="in_corso",
    )
    if created:
        Milestone.objects.create(
            plan=nursery,
            title="Convenzioni con i nidi privati accreditati",
            owner="Ufficio Servizi educativi",
            due_date=datetime.date(today.year, 9, 30),
            progress=70,
        )
        Milestone.objects.create(
            plan=nursery,
            title="Apertura del nido di via Roma",
            owner="Settore Lavori pubblici",
            due_date=datetime.date(today.year + 1, 9, 1),
            progress=10,
        )
        coverage = Indicator.objects.create(
            plan=nursery,
            name="Bambini 0-2 anni presi in carico",
            kind="risultato",
            unit="percentuale",
            baseline=Decimal("9"),
            target=Decimal("15"),
            direction="aumento",
            data_source="Anagrafe e graduatorie dei nidi",
        )
        _monthly(
            coverage,
            member,
            datetime.date(today.year, 1, 1),
            ["9", "9", "9.5", "10", "10", "10.5", "11", "11", "11.5", "12", "12"],
        )
        Indicator.objects.create(
            plan=nursery,
            name="Giorni medi di attesa per l'ammissione",
            kind="processo",
            unit="giorni",
            baseline=Decimal("180"),
            target=Decimal("90"),
            direction="diminuzione",
            data_source="Protocollo delle domande",
        )

    _calendar(
        loader,
        ente,
        today.year,
        {
            DocumentKind.SMVP: (DocumentStatus.ADOPTED, ""),
            DocumentKind.PEG_PDO: (DocumentStatus.ADOPTED, ""),
            DocumentKind.PIANO: (
                DocumentStatus.PUBLISHED,
                "https://www.comune.giugliano.na.it/amministrazione-trasparente/performance",
            ),
            DocumentKind.RELAZIONE: (DocumentStatus.ADOPTED, ""),
            DocumentKind.VALIDAZIONE: (DocumentStatus.VALIDATED, ""),
            DocumentKind.MONITORAGGIO: (DocumentStatus.DRAFT, ""),
        },
    )

    # Lighter data for a few other bodies of the region.
    for k, slug in enumerate(OTHERS):
        other = loader.enti.get(slug)
        if other is None:
            continue
        other_member, _expert = _people(other)
        _assessment(
            loader,
            other,
            other_member,
            now - datetime.timedelta(days=60 + 30 * k),
            {p: (k + i) % 4 for i, p in enumerate(LEVELS_NOW)},
        )
        plan, created = _plan(
            loader,
            other,
            other_member,
            "Indicatori per gli obiettivi del PEG",
            problem_analysis="Gli obiettivi del PEG non hanno indicatori né target misurabili.",
            priority_objective="Un indicatore con baseline e target per ogni obiettivo del PEG.",
            phase="obiettivi",
            service_area="",
            responsible="Segretario generale",
            start_date=datetime.date(today.year, 1, 1),
            end_date=datetime.date(today.year, 12, 31),
            status="in_corso",
        )
        if created:
            Milestone.objects.create(
                plan=plan,
                title="Schede obiettivo con indicatori",
                owner="Controllo di gestione",
                due_date=min(datetime.date(today.year, 3, 31), today - datetime.timedelta(days=5)),
                progress=50 + 20 * k,
            )
            share = Indicator.objects.create(
                plan=plan,
                name="Obiettivi del PEG con almeno un indicatore",
                kind="processo",
                unit="percentuale",
                baseline=Decimal("20"),
                target=Decimal("100"),
                direction="aumento",
                data_source="PEG approvato",
            )
            _monthly(
                share,
                other_member,
                datetime.date(today.year, 1, 1),
                [str(min(100, 20 + (k + 1) * 5 * i)) for i in range(11)],
            )
        _calendar(
            loader,
            other,
            today.year,
            {DocumentKind.PEG_PDO: (DocumentStatus.ADOPTED, "")} if k % 2 == 0 else {},
        )
