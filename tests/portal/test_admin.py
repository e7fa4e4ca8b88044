"""The Wagtail admin: moderation workflow for content, staff tools for bodies and roles."""

import pytest
from django.core.management import call_command
from wagtail.models import Workflow

from portal import access
from portal.enti.models import ExpertAssignment
from portal.pages.models import HomePage
from tests.factories import EnteFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_editors_edit_content_but_publish_only_through_moderation():
    home = HomePage.objects.get()
    editor = UserFactory(groups=[access.EDITOR_GROUP])
    moderator = UserFactory(groups=[access.MODERATOR_GROUP])

    editor_rights = home.permissions_for_user(editor)
    moderator_rights = home.permissions_for_user(moderator)

    assert editor_rights.can_edit() and not editor_rights.can_publish()
    assert moderator_rights.can_publish()
    assert home.get_workflow() == Workflow.objects.get(name="Moderators approval")


def test_an_editor_submits_a_page_and_a_moderator_publishes_it(client):
    home = HomePage.objects.get()
    editor = UserFactory(groups=[access.EDITOR_GROUP])
    moderator = UserFactory(groups=[access.MODERATOR_GROUP])
    home.subtitle = "Sottotitolo in revisione"
    revision = home.save_revision(user=editor)
    workflow_state = home.get_workflow().start(home, editor)

    assert workflow_state.status == "in_progress"
    assert HomePage.objects.get().live_revision_id != revision.pk

    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")

    home.refresh_from_db()
    assert home.live_revision_id == revision.pk
    assert HomePage.objects.get().subtitle == "Sottotitolo in revisione"


def test_editors_open_the_page_editor_with_streamfield_blocks(client):
    client.force_login(UserFactory(groups=[access.EDITOR_GROUP]))

    response = client.get(f"/admin/pages/{HomePage.objects.get().pk}/edit/")

    assert response.status_code == 200
    assert "Riquadro in evidenza" in response.content.decode()


def test_staff_assign_an_expert_to_a_body_in_the_admin(client):
    ente = EnteFactory()
    expert = UserFactory(groups=[access.EXPERT_GROUP])
    client.force_login(StaffFactory())

    listing = client.get("/admin/gestione_assegnazioni_esperti/")
    response = client.post(
        "/admin/gestione_assegnazioni_esperti/new/", {"expert": expert.pk, "ente": ente.pk}
    )

    assert listing.status_code == 200
    assert response.status_code == 302
    assert ExpertAssignment.objects.filter(expert=expert, ente=ente).exists()


@pytest.mark.parametrize(
    "path",
    ["/admin/gestione_enti/", "/admin/gestione_assegnazioni_esperti/", "/admin/gestione_adesioni/"],
)
def test_editors_and_participants_cannot_manage_bodies_and_roles(client, path):
    client.force_login(UserFactory(groups=[access.EDITOR_GROUP]))
    editor_response = client.get(path)
    client.force_login(UserFactory())
    participant_response = client.get(path)

    assert editor_response.status_code == 302  # Wagtail: "permission denied" back to admin
    assert participant_response.status_code == 302
    assert participant_response["Location"].startswith("/account/login/") or (
        participant_response["Location"] == "/admin/"
    )


def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
