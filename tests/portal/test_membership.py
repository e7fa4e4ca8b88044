"""Asking to join a body, and the referent's decision."""

import pytest
from django.core import mail

from portal.enti.models import Membership, MembershipRole, MembershipState
from tests.factories import EnteFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ente():
    return EnteFactory(name="Comune di Battipaglia")


@pytest.fixture
def referent(ente):
    return MembershipFactory(ente=ente, role=MembershipRole.REFERENTE).user


@pytest.fixture
def mailbox(django_capture_on_commit_callbacks):
    """Run the emails queued after commit at once and hand back the outbox."""

    def send(action):
        with django_capture_on_commit_callbacks(execute=True):
            response = action()
        return response

    return send


def test_a_participant_asks_to_join_and_the_referent_is_emailed(client, ente, referent, mailbox):
    participant = UserFactory()
    client.force_login(participant)

    response = mailbox(
        lambda: client.post(
            "/area-personale/enti/adesione/", {"ente": ente.pk, "motivation": "Ufficio controllo"}
        )
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=participant)
    assert (membership.ente, membership.state) == (ente, MembershipState.REQUESTED)
    assert mail.outbox[0].to == [referent.email]
    assert "Comune di Battipaglia" in mail.outbox[0].subject
    assert "http://testserver/area-personale/enti/richieste/" in mail.outbox[0].body


def test_a_body_without_referent_sends_requests_to_staff(client, ente, mailbox):
    staff = StaffFactory()
    client.force_login(UserFactory())

    mailbox(lambda: client.post("/area-personale/enti/adesione/", {"ente": ente.pk}))

    assert mail.outbox[0].to == [staff.email]


def test_asking_twice_is_refused_with_a_clear_message(client, ente):
    participant = UserFactory()
    client.force_login(participant)
    client.post("/area-personale/enti/adesione/", {"ente": ente.pk})

    response = client.post("/area-personale/enti/adesione/", {"ente": ente.pk})

    assert response.status_code == 400
    assert "Hai già una richiesta in corso" in response.content.decode()
    assert Membership.objects.filter(user=participant).count() == 1


@pytest.mark.parametrize("ente_value", ["", "999999", "1 OR 1=1", "<script>"])
def test_an_unknown_body_is_refused_and_nothing_is_saved(client, ente_value):
    client.force_login(UserFactory())

    response = client.post("/area-personale/enti/adesione/", {"ente": ente_value})

    assert response.status_code == 400
    assert "ente" in response.content.decode()
    assert not Membership.objects.exists()


def test_an_incomplete_profile_is_completed_before_asking(client, ente):
    client.force_login(UserFactory(job_role=""))

    response = client.get("/area-personale/enti/adesione/")

    assert response.status_code == 302
    assert response["Location"] == "/area-personale/profilo/"


def test_the_referent_approves_and_the_member_is_told(client, ente, referent, mailbox):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    client.force_login(referent)

    listing = client.get("/area-personale/enti/richieste/")
    assert str(request.user) in listing.content.decode()
    mailbox(
        lambda: client.post(
            f"/area-personale/enti/richieste/{request.pk}/decisione/",
            {"decision": "approve", "note": "Benvenuta"},
        )
    )

    request.refresh_from_db()
    assert request.state == MembershipState.APPROVED
    assert request.decided_by == referent
    assert request.decided_at is not None
    assert mail.outbox[-1].to == [request.user.email]
    assert "approvata" in mail.outbox[-1].subject


def test_the_referent_rejects_with_a_reason(client, ente, referent):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    client.force_login(referent)

    client.post(
        f"/area-personale/enti/richieste/{request.pk}/decisione/",
        {"decision": "reject", "note": "Non risulta in servizio presso l'ente"},
    )

    request.refresh_from_db()
    assert request.state == MembershipState.REJECTED
    assert request.decision_note == "Non risulta in servizio presso l'ente"


def test_a_referent_of_another_body_cannot_decide(client, ente):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    other_referent = MembershipFactory(role=MembershipRole.REFERENTE).user
    client.force_login(other_referent)

    listing = client.get("/area-personale/enti/richieste/")
    response = client.post(
        f"/area-personale/enti/richieste/{request.pk}/decisione/", {"decision": "approve"}
    )

    assert str(request.user) not in listing.content.decode()
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == MembershipState.REQUESTED


def test_a_plain_member_replaying_the_referents_form_is_refused(client, ente):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    member = MembershipFactory(ente=ente).user
    client.force_login(member)

    assert client.get("/area-personale/enti/richieste/").status_code == 403
    response = client.post(
        f"/area-personale/enti/richieste/{request.pk}/decisione/", {"decision": "approve"}
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == MembershipState.REQUESTED


def test_a_decided_request_cannot_be_decided_again(client, ente, referent):
    request = MembershipFactory(ente=ente, state=MembershipState.REJECTED)
    client.force_login(referent)

    response = client.post(
        f"/area-personale/enti/richieste/{request.pk}/decisione/",
        {"decision": "approve"},
        follow=True,
    )

    assert "già stata decisa" in response.content.decode()
    request.refresh_from_db()
    assert request.state == MembershipState.REJECTED


def test_a_forged_decision_value_changes_nothing(client, ente, referent):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    client.force_login(referent)

    response = client.post(
        f"/area-personale/enti/richieste/{request.pk}/decisione/",
        {"decision": "approve_all"},
        follow=True,
    )

    assert "Decisione non valida" in response.content.decode()
    request.refresh_from_db()
    assert request.state == MembershipState.REQUESTED


def test_decisions_are_only_taken_by_post(client, ente, referent):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    client.force_login(referent)

    response = client.get(f"/area-personale/enti/richieste/{request.pk}/decisione/")

    assert response.status_code == 405


def test_staff_decide_for_every_body(client, ente):
    request = MembershipFactory(ente=ente, state=MembershipState.REQUESTED)
    client.force_login(StaffFactory())

    client.post(f"/area-personale/enti/richieste/{request.pk}/decisione/", {"decision": "approve"})

    request.refresh_from_db()
    assert request.state == MembershipState.APPROVED


def test_the_referent_revokes_a_member_who_then_loses_the_area(
    client, ente, referent, area_factory
):
    area = area_factory(ente=ente)
    member_membership = MembershipFactory(ente=ente)
    member_client = client.__class__()
    member_client.force_login(member_membership.user)
    assert member_client.get(area.url).status_code == 200

    client.force_login(referent)
    client.post(f"/area-personale/enti/componenti/{member_membership.pk}/revoca/")

    member_membership.refresh_from_db()
    assert member_membership.state == MembershipState.REVOKED
    assert member_client.get(area.url).status_code == 403


def test_a_revoked_member_may_ask_again(client, ente):
    old = MembershipFactory(ente=ente, state=MembershipState.REVOKED)
    client.force_login(old.user)

    client.post("/area-personale/enti/adesione/", {"ente": ente.pk})

    assert Membership.objects.filter(user=old.user, state=MembershipState.REQUESTED).count() == 1
