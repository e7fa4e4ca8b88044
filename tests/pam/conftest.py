"""A small world for the PAM tests: body A (Campania) and body B (Puglia), a person in
every role, and a plan of A with one of everything hanging on it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.enti.models import MembershipRole
from portal.pam import services
from portal.pam.models import (
    CycleDocument,
    DocumentKind,
    ImprovementPlan,
    Indicator,
    Measurement,
    Milestone,
    MonitoringReport,
)
from tests.factories import (
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)


@dataclass
class World:
    ente_a: object
    ente_b: object
    users: dict
    plan: ImprovementPlan
    milestone: Milestone
    indicator: Indicator
    measurement: Measurement
    report: MonitoringReport
    document: CycleDocument
    plan_b: ImprovementPlan


def make_plan(ente, user=None, **extra) -> ImprovementPlan:
    today = timezone.localdate()
    fields = {
        "title": "Più raccolta differenziata",
        "problem_analysis": "La raccolta differenziata è ferma al 35%.",
        "priority_objective": "Arrivare al 65% entro due anni.",
        "phase": "obiettivi",
        "service_area": "rifiuti",
        "responsible": "Dirigente Area Ambiente",
        "start_date": today - datetime.timedelta(days=200),
        "end_date": today + datetime.timedelta(days=500),
        "status": "in_corso",
    }
    fields.update(extra)
    return ImprovementPlan.objects.create(ente=ente, created_by=user, **fields)


def make_indicator(plan, **extra) -> Indicator:
    fields = {
        "name": "Percentuale di raccolta differenziata",
        "kind": "risultato",
        "unit": "percentuale",
        "baseline": Decimal("35"),
        "target": Decimal("65"),
        "direction": "aumento",
        "data_source": "ISPRA",
    }
    fields.update(extra)
    return Indicator.objects.create(plan=plan, **fields)


@pytest.fixture
def world(db) -> World:
    campania = RegionFactory(code="CAM")
    puglia = RegionFactory(code="PUG")
    ente_a = EnteFactory(name="Comune di Alfa", region=campania)
    ente_b = EnteFactory(name="Comune di Beta", region=puglia)
    users = {
        "plain": UserFactory(first_name="Piero", last_name="Semplice"),
        "member_a": MembershipFactory(ente=ente_a, user__last_name="MembroA").user,
        "member_b": MembershipFactory(ente=ente_b, user__last_name="MembroB").user,
        "referent_a": MembershipFactory(
            ente=ente_a, role=MembershipRole.REFERENTE, user__last_name="ReferenteA"
        ).user,
        "expert_a": ExpertAssignmentFactory(ente=ente_a, expert__last_name="EspertoA").expert,
        "expert_other": ExpertAssignmentFactory(ente=ente_b, expert__last_name="EspertoB").expert,
        "regional_a": RegionalRoleFactory(region=campania, user__last_name="RegCam").user,
        "regional_other": RegionalRoleFactory(region=puglia, user__last_name="RegPug").user,
        "staff": StaffFactory(last_name="Staff"),
    }
    member = users["member_a"]
    plan = make_plan(ente_a, member)
    milestone = Milestone.objects.create(
        plan=plan,
        title="Porta a porta nel centro storico",
        owner="Ufficio Ambiente",
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        progress=40,
    )
    indicator = make_indicator(plan)
    measurement = services.measurement_record(
        measurement=Measurement(
            indicator=indicator,
            date=timezone.localdate() - datetime.timedelta(days=10),
            value=Decimal("44"),
        ),
        user=member,
    )
    report = MonitoringReport.objects.create(
        plan=plan,
        checkpoint="altro",
        reference_date=timezone.localdate() - datetime.timedelta(days=5),
        summary="Avviato il porta a porta.",
        author=member,
    )
    document = CycleDocument.objects.create(
        ente=ente_a,
        year=timezone.localdate().year,
        kind=DocumentKind.RELAZIONE,
        due_date=datetime.date(timezone.localdate().year, 4, 30),
    )
    document.file.save("relazione.pdf", ContentFile(b"%PDF-1.4 relazione"), save=True)
    plan_b = make_plan(ente_b, users["member_b"], title="Piano di Beta")
    return World(
        ente_a=ente_a,
        ente_b=ente_b,
        users=users,
        plan=plan,
        milestone=milestone,
        indicator=indicator,
        measurement=measurement,
        report=report,
        document=document,
        plan_b=plan_b,
    )
