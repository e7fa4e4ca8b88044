"""The PAM access matrix: every role × every kind of object, through the real URLs.

Allowed: body A's members, its referent, its assigned expert, the regional referent
of A's region and staff see A's PAM. Everyone else gets the same 403 for A's objects
(unknown ids too), anonymous visitors are sent to log in. Edits: members and staff;
the calendar: the referent and staff; comments: the assigned expert and staff.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import access
from portal.pam.models import ExpertReview, Measurement

ROLES = [
    "anonymous",
    "plain",
    "member_a",
    "member_b",
    "referent_a",
    "expert_a",
    "expert_other",
    "regional_a",
    "regional_other",
    "staff",
]
SEES_A = {"member_a", "referent_a", "expert_a", "regional_a", "staff"}
EDITS_A = {"member_a", "referent_a", "staff"}
MANAGES_A = {"referent_a", "staff"}
REVIEWS_A = {"expert_a", "staff"}
HAS_BOARD = set(ROLES) - {"anonymous", "plain"}


def view_urls(world):
    return {
        "ente": reverse("pam:ente", args=[world.ente_a.pk]),
        "plan": reverse("pam:plan", args=[world.plan.pk]),
        "history": reverse("pam:plan_history", args=[world.plan.pk]),
        "pdf": reverse("pam:plan_pdf", args=[world.plan.pk]),
        "calendar": reverse("pam:calendar", args=[world.ente_a.pk, world.document.year]),
        "document_file": reverse("pam:document_file", args=[world.document.pk]),
    }


def client_for(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_viewing_a_bodys_pam_follows_the_policy(client, world, role):
    client_for(client, world, role)
    for name, url in view_urls(world).items():
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/account/login/" in response["Location"], name
        elif role in SEES_A:
            assert response.status_code == 200, (name, role)
        else:
            assert response.status_code == 403, (name, role)
            assert world.plan.title.encode() not in response.content


@pytest.mark.parametrize("role", ROLES)
def test_unknown_ids_look_like_forbidden_ones(client, world, role):
    if role == "anonymous":
        return
    client_for(client, world, role)
    for url in [
        reverse("pam:plan", args=[999999]),
        reverse("pam:ente", args=[999999]),
        reverse("pam:document_file", args=[999999]),
        reverse("pam:measurement_new", args=[999999]),
    ]:
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_board_and_exports_show_only_visible_bodies(client, world, role):
    client_for(client, world, role)
    for name in ("pam:board", "pam:export_csv", "pam:export_xlsx"):
        response = client.get(reverse(name))
        if role == "anonymous":
            assert response.status_code == 302
            continue
        if role not in HAS_BOARD:
            assert response.status_code == 403, (name, role)
            continue
        assert response.status_code == 200, (name, role)
        if name == "pam:export_xlsx":
            continue
        body = response.content.decode()
        assert ("Comune di Alfa" in body) == (role in SEES_A), (name, role)
        sees_b = role in {"member_b", "expert_other", "regional_other", "staff"}
        assert ("Comune di Beta" in body) == sees_b, (name, role)


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_measurement_is_for_members_and_staff(client, world, role):
    client_for(client, world, role)
    before = Measurement.objects.count()
    response = client.post(
        reverse("pam:measurement_new", args=[world.indicator.pk]),
        {"date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "value": "50"},
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    elif role in EDITS_A:
        assert response.status_code == 302, response.content
        assert Measurement.objects.count() == before + 1
        return
    else:
        assert response.status_code == 403
    assert Measurement.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_commenting_is_for_the_assigned_expert_and_staff(client, world, role):
    client_for(client, world, role)
    response = client.post(
        reverse("pam:review_new", args=[world.plan.pk]),
        {"status": "a_rischio", "comment": "Servono più dati mensili."},
    )
    if role in REVIEWS_A:
        assert response.status_code == 302
        assert ExpertReview.objects.filter(plan=world.plan).count() == 1
    else:
        assert response.status_code in (302, 403)
        assert not ExpertReview.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_calendar_documents_are_managed_by_the_referent_and_staff(client, world, role):
    client_for(client, world, role)
    response = client.post(
        reverse("pam:document_edit", args=[world.document.pk]),
        {"status": "adottato", "due_date": world.document.due_date.isoformat(), "link": ""},
    )
    world.document.refresh_from_db()
    if role in MANAGES_A:
        assert response.status_code == 302
        assert world.document.status == "adottato"
    else:
        assert response.status_code in (302, 403)
        assert world.document.status == "previsto"


@pytest.mark.parametrize("role", ROLES)
def test_editing_the_plan_of_another_body_is_refused(client, world, role):
    client_for(client, world, role)
    response = client.post(
        reverse("pam:milestone_new", args=[world.plan_b.pk]),
        {"title": "Azione forzata", "owner": "X", "due_date": timezone.localdate(), "progress": 0},
    )
    allowed = role in {"member_b", "staff"}
    saved = response.status_code == 302 and response["Location"].startswith("/area-personale/pam/")
    assert saved == allowed, role
    assert world.plan_b.milestones.exists() == allowed


def test_the_policy_as_a_filter_agrees_with_the_policy_per_object(world):
    from portal.enti.models import Ente

    for role, user in world.users.items():
        visible = set(access.visible_pam(user, Ente.objects.all()).values_list("pk", flat=True))
        for ente in (world.ente_a, world.ente_b):
            assert (ente.pk in visible) == access.can_view_pam(user, ente), role
