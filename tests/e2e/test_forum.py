"""In a real browser: a member opens a topic in the body's reserved board, a colleague
replies, the first sees the notification (on the site and by email), the body's expert
marks the reply as the recommended answer; axe-core finds no serious problem on the
board and topic pages."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from forum.boards.models import Board, Topic
from portal.enti.models import MembershipRole
from tests.factories import (
    PASSWORD,
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionFactory,
)

from .test_accessibility import BLOCKING_IMPACTS, describe
from .test_membership_flow import label

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

TITLE = "Indicatori di risultato per gli asili nido"


def log_in(page, email):
    page.goto("/account/login/")
    page.get_by_label("Indirizzo email").fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Area personale")


def axe_problems(page, axe):
    return [
        describe(page.url, violation)
        for violation in axe.run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def test_topic_reply_notification_and_expert_answer(new_page, area_factory):
    ente = EnteFactory(name="Comune di Giugliano in Campania", region=RegionFactory(code="CAM"))
    area_factory(ente=ente)
    board = Board.objects.get(area__ente=ente)
    anna = MembershipFactory(
        ente=ente, role=MembershipRole.REFERENTE, user__first_name="Anna", user__last_name="Greco"
    ).user
    paolo = MembershipFactory(ente=ente, user__first_name="Paolo", user__last_name="Lupo").user
    expert = ExpertAssignmentFactory(
        ente=ente, expert__first_name="Giulia", expert__last_name="Ferraro"
    ).expert
    axe = Axe()
    problems = []

    # 1. Anna opens a topic in her body's reserved board.
    first = new_page()
    log_in(first, anna.email)
    first.get_by_role("link", name="Forum", exact=True).click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Forum")
    first.get_by_role("link", name=board.title).click()
    expect(first.get_by_role("heading", level=1)).to_contain_text(board.title)
    first.get_by_role("link", name="Nuova discussione").click()
    first.get_by_label(label("Titolo della discussione")).fill(TITLE)
    first.get_by_label(label("Messaggio")).fill(
        "Quali **indicatori di risultato** usate per l'obiettivo sugli asili nido?"
    )
    first.get_by_role("button", name="Apri la discussione").click()
    expect(first.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(first.locator("strong", has_text="indicatori di risultato")).to_be_visible()
    topic = Topic.objects.get(title=TITLE)

    # 2. Paolo sees it as unread on the board, opens it and replies.
    second = new_page()
    log_in(second, paolo.email)
    second.goto(board.get_absolute_url())
    expect(second.get_by_text("non letta")).to_be_visible()
    problems += axe_problems(second, axe)
    second.get_by_role("link", name=TITLE).click()
    second.get_by_label(label("La tua risposta")).fill(
        "Noi usiamo il tasso di copertura: posti ogni 100 bambini da 0 a 2 anni."
    )
    second.get_by_role("button", name="Pubblica la risposta").click()
    expect(second.get_by_role("status")).to_contain_text("Risposta pubblicata")
    expect(second.get_by_text("tasso di copertura")).to_be_visible()

    # 3. Anna gets an email with a one-click unsubscribe, and sees the notification.
    sent = [m for m in mail.outbox if anna.email in m.to]
    assert len(sent) == 1, [m.subject for m in mail.outbox]
    assert TITLE in sent[0].subject
    assert re.search(r"/forum/disiscriviti/[^/\s]+/", sent[0].body)
    first.goto("/forum/notifiche/")
    notification = first.get_by_role("button", name=re.compile(f"Nuova risposta: {TITLE}"))
    expect(notification).to_be_visible()
    notification.click()
    expect(first.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(first.get_by_text("tasso di copertura")).to_be_visible()

    # 4. The body's expert marks Paolo's reply as the recommended answer.
    third = new_page()
    log_in(third, expert.email)
    third.goto(topic.get_absolute_url())
    third.get_by_role("button", name=re.compile("Segna come risposta consigliata")).click()
    expect(third.get_by_role("status")).to_contain_text("consigliata")
    expect(third.get_by_text("Risposta consigliata da Giulia Ferraro")).to_be_visible()
    problems += axe_problems(third, axe)
    third.goto(board.get_absolute_url() + "?risposta_esperto=1")
    expect(third.get_by_role("link", name=TITLE)).to_be_visible()
    expect(third.get_by_text("risposta dell'esperto").first).to_be_visible()

    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)
