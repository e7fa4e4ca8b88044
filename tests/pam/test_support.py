"""What supports an action (webinars, methodology material, forum discussions), the
body's attendance at those webinars on the plan, and good practices proposed with the
body's consent and an expert's approval."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.boards.models import Board, Topic
from portal.cgp import CgpPhase as SharedPhase
from portal.pages.models import ContentPage, HomePage
from portal.pam.models import ActionResource, CgpPhase, GoodPracticeProposal
from tests.factories import UserFactory
from webinar.models import (
    AttendanceSpan,
    Registration,
    SessionSpeaker,
    WebinarCyclePage,
    WebinarIndexPage,
    WebinarSessionPage,
    WebinarTheme,
)


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def webinar_session(db):
    home = HomePage.objects.get()
    index = WebinarIndexPage(title="Webinar", slug="webinar")
    home.add_child(instance=index)
    index.save_revision().publish()
    cycle = WebinarCyclePage(title="Ciclo", slug="ciclo")
    index.add_child(instance=cycle)
    cycle.save_revision().publish()
    page = WebinarSessionPage(
        title="Indicatori per i rifiuti",
        slug="indicatori-rifiuti",
        starts_at=timezone.now() - datetime.timedelta(days=20),
        theme=WebinarTheme.OBIETTIVI,
        cgp_phase="obiettivi",
        summary="Come misurare la raccolta differenziata.",
        capacity=100,
        meeting_url="https://meet.example.it/x",
    )
    page.speakers = [SessionSpeaker(user=UserFactory(), role="Esperto")]
    cycle.add_child(instance=page)
    page.save_revision().publish()
    return WebinarSessionPage.objects.get(pk=page.pk)


@pytest.fixture
def material(db):
    home = HomePage.objects.get()
    page = ContentPage(title="Guida agli indicatori di risultato", slug="guida-indicatori")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_plan_phases_are_the_shared_cgp_vocabulary():
    assert {p.value for p in CgpPhase} <= {p.value for p in SharedPhase}


def test_a_member_links_what_supports_an_action_and_sees_the_bodys_attendance(
    client, world, webinar_session, material
):
    member = world.users["member_a"]
    topic = Topic.objects.create(
        board=Board.objects.get(slug="obiettivi-e-indicatori"), title="Dati ISPRA", author=member
    )
    Registration.objects.create(
        session=webinar_session, user=member, ente=world.ente_a, status="confirmed"
    )
    Registration.objects.create(
        session=webinar_session,
        user=world.users["referent_a"],
        ente=world.ente_a,
        status="confirmed",
    )
    AttendanceSpan.objects.create(session=webinar_session, user=member)
    client.force_login(member)
    url = reverse("pam:resource_new", args=[world.milestone.pk])
    for data in ({"webinar": webinar_session.pk}, {"material": material.pk}, {"topic": topic.pk}):
        response = client.post(url, data)
        assert response.status_code == 302, text(response)
    assert ActionResource.objects.filter(milestone=world.milestone).count() == 3

    from django.utils.html import strip_tags

    page = strip_tags(text(client.get(reverse("pam:plan", args=[world.plan.pk]))))
    assert "Webinar: Indicatori per i rifiuti" in page
    assert "Materiale metodologico: Guida agli indicatori di risultato" in page
    assert "Discussione del forum: Dati ISPRA" in page
    # 2 people of the body registered, 1 attended the live session.
    assert "Indicatoriperirifiuti21" in page.replace("\n", "").replace(" ", "")


def test_linking_two_things_at_once_or_a_forged_id_is_refused(client, world, material):
    client.force_login(world.users["member_a"])
    url = reverse("pam:resource_new", args=[world.milestone.pk])
    response = client.post(url, {"material": material.pk, "topic": "999999"})
    assert response.status_code == 400
    assert "non esiste o non è visibile" in text(response)
    response = client.post(url, {})
    assert "Scegli un webinar, un materiale o una discussione" in text(response)
    assert not ActionResource.objects.exists()


def test_a_topic_the_member_cannot_read_cannot_be_linked(client, world, area_factory):
    from forum.boards.services import board_for_area

    other_board = board_for_area(area_factory(ente=world.ente_b))
    hidden = Topic.objects.create(board=other_board, title="Riservato a Beta")
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("pam:resource_new", args=[world.milestone.pk]), {"topic": hidden.pk}
    )
    assert response.status_code == 400
    assert "Riservato a Beta" not in text(response)
    assert not ActionResource.objects.exists()


def test_a_good_practice_needs_a_done_action_consent_and_an_experts_approval(client, world):
    milestone = world.milestone
    client.force_login(world.users["member_a"])
    url = reverse("pam:practice_new", args=[milestone.pk])
    response = client.post(url, {"summary": "Porta a porta con calendario condiviso."})
    assert "solo azioni completate" in text(response)
    assert not GoodPracticeProposal.objects.exists()

    milestone.progress = 100
    milestone.save()
    client.post(url, {"summary": "Porta a porta con calendario condiviso."})
    proposal = GoodPracticeProposal.objects.get()
    assert proposal.status == "proposta"

    consent = reverse("pam:practice_consent", args=[proposal.pk])
    assert client.post(consent).status_code == 403  # a member is not the referent
    client.force_login(world.users["expert_a"])
    decide = reverse("pam:practice_decide", args=[proposal.pk])
    client.post(decide, {"decisione": "approva"})
    proposal.refresh_from_db()
    assert proposal.status == "proposta"  # no approval before the body's consent

    client.force_login(world.users["referent_a"])
    client.post(consent)
    client.force_login(world.users["expert_other"])
    assert client.post(decide, {"decisione": "approva"}).status_code == 403
    client.force_login(world.users["expert_a"])
    client.post(decide, {"decisione": "approva", "motivazione": "Replicabile."})
    proposal.refresh_from_db()
    assert proposal.status == "approvata" and proposal.decided_by == world.users["expert_a"]

    client.force_login(world.users["staff"])
    assert "Porta a porta con calendario condiviso." in text(client.get(reverse("pam:practices")))
    client.force_login(world.users["member_b"])
    assert "Porta a porta" not in text(client.get(reverse("pam:practices")))
