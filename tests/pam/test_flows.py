"""The PAM flows through the pages: self-diagnosis → plan → indicators and
measurements → monitoring and expert review, with the history kept; bad input gets a
clear Italian message and saves nothing."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from portal.pam import services
from portal.pam.models import (
    AssessmentQuestion,
    CycleDocument,
    ExpertReview,
    ImprovementPlan,
    Indicator,
    Measurement,
    Milestone,
    MonitoringReport,
    SelfAssessment,
)

from .conftest import make_plan

TODAY = timezone.localdate


def text(response) -> str:
    return html.unescape(response.content.decode())


def answers_all(level_for):
    data = {}
    for question in AssessmentQuestion.objects.active():
        data[f"q{question.pk}"] = str(level_for(question))
        data[f"n{question.pk}"] = ""
    return data


def test_a_member_fills_the_self_diagnosis_and_sees_scores_gaps_and_change(client, world):
    client.force_login(world.users["member_a"])
    url = reverse("pam:assessment_new", args=[world.ente_a.pk])

    response = client.post(url, answers_all(lambda q: 1 if q.phase == "monitoraggio" else 3))
    first = SelfAssessment.objects.get()
    assert response.status_code == 302
    assert first.scores["monitoraggio"] == 25
    assert first.scores["obiettivi"] == 75
    page = text(client.get(response["Location"]))
    assert "Crea un piano di miglioramento per questa lacuna" in page
    assert "L'ente rileva lo stato di avanzamento" in page

    client.post(url, answers_all(lambda q: 2 if q.phase == "monitoraggio" else 3))
    second = SelfAssessment.objects.order_by("-completed_at", "-pk").first()
    assert second.scores["monitoraggio"] == 50
    page = text(client.get(reverse("pam:assessment", args=[second.pk])))
    assert "+25 (miglioramento)" in page
    assert "invariata" in page


def test_an_incomplete_self_diagnosis_saves_nothing(client, world):
    client.force_login(world.users["member_a"])
    data = answers_all(lambda q: 2)
    data.pop(next(k for k in data if k.startswith("q")))
    data[next(k for k in data if k.startswith("q"))] = "7"
    response = client.post(reverse("pam:assessment_new", args=[world.ente_a.pk]), data)
    assert response.status_code == 400
    assert "Scegli un livello per questa domanda." in text(response)
    assert not SelfAssessment.objects.exists()


def test_staff_edit_the_questionnaire_as_data(world):
    question = AssessmentQuestion.objects.create(phase="premialita", text="Nuova domanda?")
    assert question in AssessmentQuestion.objects.active()
    from django.contrib.auth.models import Group

    from portal import access

    staff = Group.objects.get(name=access.STAFF_GROUP)
    assert staff.permissions.filter(codename="change_assessmentquestion").exists()


def test_a_plan_is_created_from_a_gap(client, world):
    question = AssessmentQuestion.objects.filter(phase="monitoraggio").first()
    client.force_login(world.users["member_a"])
    url = reverse("pam:plan_new", args=[world.ente_a.pk])
    form = text(client.get(f"{url}?lacuna={question.pk}"))
    assert f'value="{question.pk}" selected' in form
    response = client.post(
        url,
        {
            "title": "Monitoraggio semestrale",
            "problem_analysis": "Nessuna verifica intermedia.",
            "priority_objective": "Report al 30 giugno.",
            "phase": "monitoraggio",
            "service_area": "",
            "responsible": "Segretario generale",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "status": "in_corso",
            "source_question": question.pk,
        },
    )
    assert response.status_code == 302
    plan = ImprovementPlan.objects.get(title="Monitoraggio semestrale")
    assert response["Location"] == reverse("pam:plan", args=[plan.pk])
    assert plan.source_question == question and plan.created_by == world.users["member_a"]
    assert ModelLogEntry.objects.filter(action="pam.plan.create", object_id=str(plan.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"end_date": "2025-01-01"}, "La data di fine non può precedere la data di inizio."),
        ({"source_question": "999999"}, "La lacuna indicata non esiste"),
        ({"phase": "inventata"}, "Scegli un'opzione valida"),
    ],
)
def test_bad_plans_are_refused_with_a_message(client, world, changes, message):
    client.force_login(world.users["member_a"])
    data = {
        "title": "Piano",
        "problem_analysis": "x",
        "priority_objective": "y",
        "phase": "obiettivi",
        "responsible": "z",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "status": "bozza",
    } | changes
    response = client.post(reverse("pam:plan_new", args=[world.ente_a.pk]), data)
    assert response.status_code == 400
    assert message in text(response)
    assert not ImprovementPlan.objects.filter(title="Piano").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"baseline": "35", "target": "35"}, "il target deve superare la baseline"),
        ({"direction": "diminuzione"}, "il target deve essere sotto la baseline"),
        ({"target": "120"}, "Una percentuale deve essere compresa tra 0 e 100."),
        ({"baseline": "-3"}, "non può essere negativo"),
        ({"target": "65 %"}, "Inserisci un numero"),
    ],
)
def test_bad_indicators_are_refused_with_a_message(client, world, fields, message):
    client.force_login(world.users["member_a"])
    data = {
        "name": "Nuovo indicatore",
        "kind": "risultato",
        "unit": "percentuale",
        "baseline": "35",
        "target": "65",
        "direction": "aumento",
        "data_source": "ISPRA",
    } | fields
    response = client.post(reverse("pam:indicator_new", args=[world.plan.pk]), data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Indicator.objects.filter(name="Nuovo indicatore").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2001-01-01"}, "La data deve cadere nel periodo del piano"),
        ({"value": "140"}, "Una percentuale deve essere compresa tra 0 e 100."),
        ({"value": "-1"}, "non può essere negativo"),
        ({"value": "45 kg"}, "Inserisci un numero"),
        ({"date": "ieri"}, "Inserisci una data valida"),
    ],
)
def test_bad_measurements_are_refused_with_a_message(client, world, fields, message):
    client.force_login(world.users["member_a"])
    before = Measurement.objects.count()
    data = {"date": (TODAY() - datetime.timedelta(days=2)).isoformat(), "value": "47"} | fields
    response = client.post(reverse("pam:measurement_new", args=[world.indicator.pk]), data)
    assert response.status_code == 400
    assert message in text(response)
    assert Measurement.objects.count() == before


def test_a_future_measurement_is_refused(client, world):
    client.force_login(world.users["member_a"])
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("pam:measurement_new", args=[world.indicator.pk]), {"date": future, "value": "50"}
    )
    assert "data futura" in text(response)


def test_measurements_are_a_history_and_set_the_indicator_state(client, world):
    client.force_login(world.users["member_a"])
    url = reverse("pam:measurement_new", args=[world.indicator.pk])
    day = (TODAY() - datetime.timedelta(days=1)).isoformat()
    client.post(url, {"date": day, "value": "36", "note": "prima stima"})
    world.indicator.refresh_from_db()
    assert world.indicator.off_target  # 36 is well behind the path from 35 to 65
    client.post(url, {"date": day, "value": "60", "note": "dato ISPRA definitivo"})
    world.indicator.refresh_from_db()
    assert world.indicator.latest_value == Decimal("60") and not world.indicator.off_target
    values = list(
        Measurement.objects.filter(indicator=world.indicator, date=day).values_list(
            "value", flat=True
        )
    )
    assert values == [Decimal("36"), Decimal("60")]
    logged = ModelLogEntry.objects.filter(
        action="pam.measurement.record", object_id=str(world.plan.pk)
    )
    assert logged.filter(user=world.users["member_a"]).count() == 3  # fixture + 2


def test_plan_edits_are_logged_with_before_and_after(client, world):
    client.force_login(world.users["referent_a"])
    plan = world.plan
    data = {
        "title": plan.title,
        "problem_analysis": plan.problem_analysis,
        "priority_objective": plan.priority_objective,
        "phase": plan.phase,
        "service_area": plan.service_area,
        "responsible": "Nuovo dirigente",
        "start_date": plan.start_date.isoformat(),
        "end_date": plan.end_date.isoformat(),
        "status": "sospeso",
    }
    client.post(reverse("pam:plan_edit", args=[plan.pk]), data)
    entry = ModelLogEntry.objects.get(action="pam.plan.edit", object_id=str(plan.pk))
    assert entry.user == world.users["referent_a"]
    assert entry.data["changes"]["responsabile"] == ["Dirigente Area Ambiente", "Nuovo dirigente"]
    assert entry.data["changes"]["stato"] == ["In corso", "Sospeso"]
    page = text(client.get(reverse("pam:plan_history", args=[plan.pk])))
    assert "Dirigente Area Ambiente → Nuovo dirigente" in page


def test_shrinking_a_plan_around_its_milestones_is_refused(client, world):
    client.force_login(world.users["member_a"])
    plan = world.plan
    data = {
        "title": plan.title,
        "problem_analysis": plan.problem_analysis,
        "priority_objective": plan.priority_objective,
        "phase": plan.phase,
        "responsible": plan.responsible,
        "start_date": plan.start_date.isoformat(),
        "end_date": (TODAY() + datetime.timedelta(days=1)).isoformat(),
        "status": plan.status,
    }
    response = client.post(reverse("pam:plan_edit", args=[plan.pk]), data)
    assert "Alcune azioni scadono fuori dal nuovo periodo" in text(response)
    plan.refresh_from_db()
    assert plan.end_date > TODAY() + datetime.timedelta(days=100)


def test_milestone_progress_and_lateness(client, world):
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("pam:milestone_edit", args=[world.milestone.pk]),
        {
            "title": world.milestone.title,
            "owner": "Ufficio",
            "due_date": "1999-01-01",
            "progress": 150,
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "La scadenza deve cadere nel periodo del piano" in body
    late = Milestone.objects.create(
        plan=world.plan, title="Gara", owner="X", due_date=TODAY() - datetime.timedelta(days=3)
    )
    assert late.is_late() and not world.milestone.is_late()


def test_a_report_then_the_expert_comments_with_a_status(client, world):
    client.force_login(world.users["member_a"])
    mid_year = datetime.date(TODAY().year, 6, 30)
    ref = mid_year if world.plan.contains(mid_year) and mid_year <= TODAY() else TODAY()
    response = client.post(
        reverse("pam:report_new", args=[world.plan.pk]),
        {"checkpoint": "altro", "reference_date": ref.isoformat(), "summary": "Tutto regolare."},
    )
    assert response.status_code == 302
    report = MonitoringReport.objects.get(summary="Tutto regolare.")

    client.force_login(world.users["expert_a"])
    response = client.post(
        reverse("pam:review_new", args=[world.plan.pk]),
        {
            "status": "a_rischio",
            "comment": "Il dato di marzo manca. Vedi https://www.isprambiente.gov.it",
            "recommendations": "Chiedere i dati mensili al gestore.",
            "report": report.pk,
        },
    )
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.review_status == "a_rischio"
    page = text(client.get(reverse("pam:plan", args=[world.plan.pk])))
    assert "A rischio" in page and 'rel="nofollow' in page


def test_an_expert_cannot_comment_on_a_report_of_another_plan(client, world):
    other = MonitoringReport.objects.create(
        plan=world.plan_b, checkpoint="altro", reference_date=TODAY(), summary="B"
    )
    client.force_login(world.users["expert_a"])
    response = client.post(
        reverse("pam:review_new", args=[world.plan.pk]),
        {"status": "in_linea", "comment": "Ok", "report": other.pk},
    )
    assert response.status_code == 400
    assert "Il report indicato non appartiene a questo piano." in text(response)
    assert not ExpertReview.objects.exists()


def test_mid_year_report_must_carry_data_at_30_june(client, world):
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("pam:report_new", args=[world.plan.pk]),
        {"checkpoint": "30_giugno", "reference_date": TODAY().isoformat(), "summary": "x"},
    )
    if (TODAY().month, TODAY().day) != (6, 30):
        assert "riporta i dati al 30 giugno" in text(response)
        assert not MonitoringReport.objects.filter(summary="x").exists()


# --- calendar, files, reminders ---------------------------------------------------------


def test_the_calendar_is_built_from_the_cycle_once(client, world):
    year = TODAY().year
    client.force_login(world.users["referent_a"])
    client.post(reverse("pam:calendar_create", args=[world.ente_a.pk, year]))
    client.post(reverse("pam:calendar_create", args=[world.ente_a.pk, year]))
    kinds = list(
        CycleDocument.objects.filter(ente=world.ente_a, year=year).values_list("kind", flat=True)
    )
    assert len(kinds) == len(set(kinds)) == len(services.CYCLE)
    page = text(client.get(reverse("pam:calendar", args=[world.ente_a.pk, year])))
    assert "Validazione OIV/NdV della Relazione sulla Performance" in page
    assert "Amministrazione trasparente" in page


def test_publishing_needs_a_file_or_a_link(client, world):
    document = CycleDocument.objects.create(
        ente=world.ente_a, year=2026, kind="pubblicazione", due_date=datetime.date(2026, 7, 15)
    )
    client.force_login(world.users["referent_a"])
    url = reverse("pam:document_edit", args=[document.pk])
    response = client.post(url, {"status": "pubblicato", "due_date": "2026-07-15", "link": ""})
    assert response.status_code == 400
    assert "Per segnare il documento come pubblicato" in text(response)
    response = client.post(
        url,
        {"status": "pubblicato", "due_date": "2026-07-15", "link": "https://comune.example.it/at"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "pubblicato" and document.updated_by == world.users["referent_a"]


def test_a_document_file_is_stored_privately_and_served_through_the_policy(client, world, settings):
    client.force_login(world.users["referent_a"])
    url = reverse("pam:document_edit", args=[world.document.pk])
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        url, {"status": "adottato", "due_date": "2026-04-30", "link": "", "upload": bad}
    )
    assert "Formato non ammesso" in text(response)
    good = SimpleUploadedFile(
        "relazione-2025.pdf", b"%PDF-1.4 nuova", content_type="application/pdf"
    )
    client.post(url, {"status": "adottato", "due_date": "2026-04-30", "link": "", "upload": good})
    world.document.refresh_from_db()
    assert str(settings.PRIVATE_MEDIA_ROOT) in world.document.file.path
    response = client.get(reverse("pam:document_file", args=[world.document.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 nuova"
    assert response["Cache-Control"] == "private, no-store"


def test_reminders_are_queued_once_per_deadline(world, django_capture_on_commit_callbacks):
    soon = CycleDocument.objects.create(
        ente=world.ente_a,
        year=TODAY().year + 1,
        kind="dup",
        due_date=TODAY() + datetime.timedelta(days=2),
    )
    CycleDocument.objects.create(
        ente=world.ente_a,
        year=TODAY().year + 1,
        kind="smvp",
        due_date=TODAY() + datetime.timedelta(days=40),
        status="previsto",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("pam_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = [m for m in mail.outbox if soon.get_kind_display() in m.subject]
    assert len(reminders) == 1 and reminders[0].subject.startswith("[")
    assert set(reminders[0].to) == {world.users["member_a"].email, world.users["referent_a"].email}
    assert "Scadenza tra 2 giorni" in reminders[0].subject
    digests = [m for m in mail.outbox if "Riepilogo settimanale" in m.subject]
    assert {m.to[0] for m in digests} <= {
        world.users["expert_a"].email,
        world.users["expert_other"].email,
    }
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("pam_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    # The command also gave every body this year's calendar.
    assert CycleDocument.objects.filter(ente=world.ente_b, year=TODAY().year).count() == len(
        services.CYCLE
    )


# --- exports --------------------------------------------------------------------------------


def test_csv_export_neutralises_formulas(client, world):
    ImprovementPlan.objects.filter(pk=world.plan.pk).update(title='=HYPERLINK("x")')
    client.force_login(world.users["staff"])
    body = client.get(reverse("pam:export_csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "Comune di Alfa" in body and "Comune di Beta" in body


def test_the_plan_pdf_report(client, world):
    client.force_login(world.users["regional_a"])
    response = client.get(reverse("pam:plan_pdf", args=[world.plan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_xlsx_export_opens(client, world):
    import io

    from openpyxl import load_workbook

    client.force_login(world.users["expert_a"])
    response = client.get(reverse("pam:export_xlsx"))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Piani"].values)
    assert rows[0][0] == "Regione" and [r[1] for r in rows[1:]] == ["Comune di Alfa"]
    bodies = list(workbook["Enti"].values)
    assert [r[1] for r in bodies[1:]] == ["Comune di Alfa"]
    assert bodies[1][4] == 1  # one plan


def test_a_second_plan_of_the_same_body_counts_on_the_board(client, world):
    make_plan(world.ente_a, title="Asili nido", service_area="infanzia_anziani")
    client.force_login(world.users["expert_a"])
    page = text(client.get(reverse("pam:board")))
    assert "Comune di Alfa" in page


def test_the_pam_is_reached_from_the_personal_area_and_the_reserved_area(
    client, world, area_factory
):
    area = area_factory(ente=world.ente_a)
    client.force_login(world.users["member_a"])
    dashboard = text(client.get(reverse("accounts:dashboard")))
    assert reverse("pam:ente", args=[world.ente_a.pk]) in dashboard
    assert reverse("pam:board") in dashboard
    assert reverse("pam:ente", args=[world.ente_a.pk]) in text(client.get(area.url))
    client.force_login(world.users["plain"])
    assert reverse("pam:board") not in text(client.get(reverse("accounts:dashboard")))


def test_staff_see_the_project_against_its_expected_results(client, world):
    CycleDocument.objects.filter(pk=world.document.pk).update(status="validato")
    client.force_login(world.users["staff"])
    from django.utils.html import strip_tags

    page = " ".join(strip_tags(text(client.get(reverse("pam:board")))).split())
    assert "Relazioni sulla Performance adottate: 1 su 40 attese" in page
    assert "SMVP / Piani della Performance adottati: 0 su 40 attese" in page
    client.force_login(world.users["expert_a"])
    assert "su 40 attese" not in text(client.get(reverse("pam:board")))
