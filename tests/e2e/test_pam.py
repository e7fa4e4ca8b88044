"""A body's member fills the self-diagnosis, creates an improvement plan with an
indicator and records a measurement; the assigned expert comments with a status. The
plan page and the board pass axe. In a real browser."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from portal.pam.models import ExpertReview, ImprovementPlan, Measurement, SelfAssessment
from tests.factories import PASSWORD, EnteFactory, ExpertAssignmentFactory, MembershipFactory

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

BLOCKING_IMPACTS = {"serious", "critical"}


def label(text):
    return re.compile(rf"^{re.escape(text)}\W*$")


def log_in(page, user):
    page.goto("/account/login/")
    page.get_by_label("Indirizzo email").fill(user.email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area personale")


def assert_accessible(page, where):
    violations = Axe().run(page).response["violations"]
    problems = [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} — {v['nodes'][0]['html'][:200]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not problems, "\n".join(problems)


def test_member_plans_and_measures_then_the_expert_comments(live_server, new_page, area_factory):
    ente = EnteFactory(name="Comune di Nola")
    area_factory(ente=ente)
    member = MembershipFactory(ente=ente, user__first_name="Anna", user__last_name="Greco").user
    expert = ExpertAssignmentFactory(
        ente=ente, expert__first_name="Nicola", expert__last_name="Lorusso"
    ).expert
    today = timezone.localdate()

    # 1. The member reaches the PAM from the personal area and fills the self-diagnosis.
    page = new_page()
    log_in(page, member)
    page.get_by_role("link", name="Comune di Nola: autodiagnosi, piani e calendario").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Comune di Nola")
    page.get_by_role("link", name="Compila una nuova autodiagnosi").click()
    radios = page.locator("input[type=radio][value='1']")
    for index in range(radios.count()):
        radios.nth(index).check(force=True)
    page.get_by_role("button", name="Concludi l'autodiagnosi").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Autodiagnosi del")
    assert SelfAssessment.objects.get(ente=ente).overall == 25

    # 2. From a gap, a plan.
    page.get_by_role("link", name="Crea un piano di miglioramento per questa lacuna").first.click()
    page.get_by_label(label("Titolo")).fill("Monitoraggio intermedio degli obiettivi")
    page.get_by_label(label("Analisi del problema")).fill("Nessuna verifica prima di fine anno.")
    page.get_by_label(label("Obiettivo prioritario")).fill(
        "Report al 30 giugno per ogni obiettivo."
    )
    page.get_by_label(label("Responsabile")).fill("Segretario generale")
    page.get_by_label(label("Inizio")).fill(f"{today.year}-01-01")
    page.get_by_label(label("Fine")).fill(f"{today.year + 1}-12-31")
    page.get_by_label(label("Stato")).select_option(label="In corso")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Monitoraggio intermedio degli obiettivi"
    )
    plan = ImprovementPlan.objects.get(ente=ente)

    # 3. An indicator, then a measurement.
    page.get_by_role("link", name="Aggiungi un indicatore").click()
    page.get_by_label(label("Indicatore")).fill("Obiettivi con report intermedio")
    page.get_by_label(label("Tipo")).select_option(label="Di processo")
    page.get_by_label(label("Unità di misura")).select_option(label="Percentuale (%)")
    page.get_by_label(label("Valore di partenza (baseline)")).fill("0")
    page.get_by_label(label("Valore obiettivo (target)")).fill("100")
    page.get_by_label(label("Andamento atteso")).select_option(label="Aumentare")
    page.get_by_label(label("Fonte dei dati")).fill("Report dei dirigenti")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("status").filter(has_text="Indicatore aggiunto.")).to_be_visible()

    page.get_by_role("link", name=re.compile("Registra una misurazione")).click()
    day = max(today - datetime.timedelta(days=1), datetime.date(today.year, 1, 1))
    page.get_by_label(label("Data di rilevazione")).fill(day.isoformat())
    page.get_by_label(label("Valore")).fill("150")
    page.get_by_role("button", name="Salva").click()
    expect(page.locator("main")).to_contain_text(
        "Una percentuale deve essere compresa tra 0 e 100."
    )
    assert not Measurement.objects.exists()
    page.get_by_label(label("Valore")).fill("40")
    page.get_by_role("button", name="Salva").click()
    expect(page.get_by_role("status").filter(has_text="Misurazione registrata.")).to_be_visible()
    expect(
        page.get_by_role("img", name="Andamento di Obiettivi con report intermedio")
    ).to_be_visible()
    assert Measurement.objects.get().recorded_by == member
    assert_accessible(page, "pagina del piano (membro)")

    # 4. The assigned expert comments with a status.
    expert_page = new_page()
    log_in(expert_page, expert)
    expert_page.goto(f"/area-personale/pam/piani/{plan.pk}/")
    expert_page.get_by_label(label("Valutazione")).select_option(label="A rischio")
    expert_page.get_by_label(label("Commento")).fill("Servono i report di tutti i settori.")
    expert_page.get_by_label(label("Raccomandazioni")).fill("Una scadenza interna al 15 luglio.")
    expert_page.get_by_role("button", name="Pubblica il commento").click()
    expect(expert_page.locator("section[aria-labelledby=commenti]")).to_contain_text(
        "Servono i report di tutti i settori."
    )
    assert ExpertReview.objects.get().status == "a_rischio"
    assert_accessible(expert_page, "pagina del piano (esperto)")

    expert_page.goto("/area-personale/pam/")
    expect(expert_page.get_by_role("heading", level=1)).to_have_text("Piani di miglioramento")
    expect(expert_page.locator("main")).to_contain_text("Comune di Nola")
    assert_accessible(expert_page, "quadro dei piani (esperto)")

    # 5. The member sees the expert's status on the plan.
    page.reload()
    expect(page.locator("section[aria-labelledby=commenti]")).to_contain_text("A rischio")
