"""A person signs up, confirms the address, asks to join a body, is approved by the body's
referent and enters the body's reserved area; someone else is kept out. In a real browser."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from portal.enti.models import MembershipRole, MembershipState
from tests.factories import PASSWORD, EnteFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

NEW_EMAIL = "giulia.verdi@comune.example.it"
NEW_PASSWORD = "Una-Password-Lunga-7"
JOB_ROLE = "Funzionario apicale / posizione organizzativa"
CONFIRM_PATH = re.compile(r"/account/confirm-email/[^/\s]+/")


def label(text):
    """A field's label as people read it, whether or not it ends with the required mark."""
    return re.compile(rf"^{re.escape(text)}\W*$")


def log_in(page, email, password):
    page.goto("/account/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accedi")
    page.get_by_label("Indirizzo email").fill(email)
    page.get_by_label(label("Password")).fill(password)
    page.locator("main").get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area personale")


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def test_a_newcomer_signs_up_joins_a_body_and_enters_its_reserved_area(
    live_server, new_page, area_factory
):
    ente = EnteFactory(name="Comune di Battipaglia")
    area = area_factory(ente=ente)
    referent = MembershipFactory(
        ente=ente,
        role=MembershipRole.REFERENTE,
        state=MembershipState.APPROVED,
        user__first_name="Rosa",
        user__last_name="Esposito",
    ).user
    outsider = UserFactory(first_name="Luca", last_name="Estraneo")
    member_page = new_page()

    # 1. A visitor signs up from the home page.
    member_page.goto("/")
    member_page.get_by_role("link", name="Registrati", exact=True).click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Registrazione")
    member_page.get_by_label("Indirizzo email").fill(NEW_EMAIL)
    member_page.get_by_label(label("Password")).fill(NEW_PASSWORD)
    member_page.get_by_label("Password (nuovamente)").fill(NEW_PASSWORD)
    member_page.get_by_role("button", name="Registrazione").click()

    expect(member_page.get_by_role("heading", level=1)).to_have_text(
        "Verifica il tuo indirizzo email"
    )
    expect(member_page.get_by_role("status")).to_contain_text(
        f"Email di conferma inviata a {NEW_EMAIL}"
    )

    # 2. The confirmation link only shows a button; pressing it confirms the address.
    sent = emails_to(NEW_EMAIL)
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    verification = sent[0]
    link = CONFIRM_PATH.search(verification.body)
    assert link, f"no confirmation link in the email:\n{verification.body}"
    member_page.goto(link.group(0))
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Conferma l'indirizzo email")
    assert not EmailAddress.objects.get(email=NEW_EMAIL).verified, "a GET confirmed the address"
    member_page.locator("main").get_by_role("button", name="Conferma").click()

    # 3. Confirmed and logged in, the newcomer completes the profile.
    expect(member_page.get_by_role("link", name="Area personale")).to_be_visible()
    assert EmailAddress.objects.get(email=NEW_EMAIL).verified
    member_page.goto("/area-personale/profilo/")
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Il mio profilo")
    member_page.get_by_label(label("Nome")).fill("Giulia")
    member_page.get_by_label("Cognome").fill("Verdi")
    member_page.get_by_label("Ruolo").select_option(label=JOB_ROLE)
    member_page.get_by_role("button", name="Salva il profilo").click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Area personale")
    expect(member_page.get_by_role("status")).to_contain_text("Profilo aggiornato.")

    # 4. ... and asks to join the body.
    member_page.goto("/area-personale/enti/adesione/")
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Chiedi di aderire a un ente")
    member_page.get_by_label(label("Ente")).select_option(label="Comune di Battipaglia (Campania)")
    member_page.get_by_role("button", name="Invia la richiesta").click()
    expect(member_page.get_by_role("status")).to_contain_text(
        "Richiesta inviata: riceverai un'email quando il referente avrà deciso."
    )
    expect(member_page.get_by_role("region", name="Le mie adesioni agli enti")).to_contain_text(
        "Comune di Battipaglia"
    )
    expect(member_page.get_by_role("region", name="Le mie adesioni agli enti")).to_contain_text(
        "In attesa"
    )
    to_referent = emails_to(referent.email)
    assert len(to_referent) == 1, [message.subject for message in mail.outbox]
    assert "Nuova richiesta di adesione a Comune di Battipaglia" in to_referent[0].subject
    assert NEW_EMAIL in to_referent[0].body

    # 5. The referent, in a browser of their own, approves the request.
    referent_page = new_page()
    log_in(referent_page, referent.email, PASSWORD)
    referent_page.goto("/area-personale/enti/richieste/")
    expect(referent_page.get_by_role("heading", level=1)).to_have_text("Richieste di adesione")
    request_row = referent_page.get_by_role("row").filter(has_text=NEW_EMAIL)
    expect(request_row).to_contain_text("Giulia Verdi")
    expect(request_row).to_contain_text(JOB_ROLE)
    request_row.get_by_role("button", name="Approva").click()
    expect(referent_page.get_by_role("status")).to_contain_text(
        "Richiesta di Giulia Verdi: approvata."
    )
    expect(referent_page.get_by_text("Nessuna richiesta in attesa.")).to_be_visible()

    decisions = [message for message in emails_to(NEW_EMAIL) if message is not verification]
    assert len(decisions) == 1, [message.subject for message in mail.outbox]
    assert decisions[0].subject.endswith(
        "La tua richiesta di adesione a Comune di Battipaglia: approvata"
    ), decisions[0].subject
    assert "è stata approvata" in decisions[0].body

    # 6. The member finds the body's reserved area in the personal area.
    member_page.get_by_role("link", name="Area personale").click()
    my_areas = member_page.get_by_role("region", name="Le mie aree riservate")
    expect(member_page.get_by_role("region", name="Le mie adesioni agli enti")).to_contain_text(
        "Approvata"
    )
    my_areas.get_by_role("link", name=area.title).click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text(area.title)
    area_url = member_page.url
    assert area_url.startswith(f"{live_server.url}/aree-riservate/"), area_url

    # 7. Someone who is not a member of the body is turned away.
    outsider_page = new_page()
    log_in(outsider_page, outsider.email, PASSWORD)
    response = outsider_page.goto(area_url)
    assert response.status == 403
    expect(outsider_page.get_by_role("heading", level=1)).to_have_text("Accesso non consentito")
    expect(outsider_page.get_by_text(area.title)).to_have_count(0)
