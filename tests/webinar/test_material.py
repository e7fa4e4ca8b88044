"""Material reserved to registrants: its own reserved collection per session, downloaded
by confirmed registrants, speakers and organisers only."""

import pytest
from django.core.files.base import ContentFile
from wagtail.models import CollectionViewRestriction

from portal import access
from portal.pages.models import PortalDocument
from tests import factories
from webinar import services

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% materiale riservato\n"


@pytest.fixture
def reserved_document(session_factory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        session = session_factory()
    session.refresh_from_db()
    document = PortalDocument(
        title="Slide per gli iscritti", collection=session.material_collection
    )
    document.file.save("slide.pdf", ContentFile(PDF), save=False)
    document.save()
    return session, document


def test_publishing_a_session_gives_it_a_reserved_collection(reserved_document):
    session, _document = reserved_document

    collection = session.material_collection
    assert collection.get_parent().name == "Aree riservate"
    assert CollectionViewRestriction.objects.filter(collection=collection).exists()
    assert access.is_reserved_collection(collection.pk)


def test_a_confirmed_registrant_downloads_the_material(client, reserved_document):
    session, document = reserved_document
    user = factories.UserFactory()
    services.register(session, user)
    client.force_login(user)

    served = client.get(document.url)

    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF


@pytest.mark.parametrize("status", ["nobody", "waitlisted", "cancelled"])
def test_others_are_refused_the_material(client, reserved_document, status):
    session, document = reserved_document
    user = factories.UserFactory()
    if status != "nobody":
        session.seats.capacity = 0
        session.seats.save()
        registration, _ = services.register(session, user)
        if status == "cancelled":
            services.cancel(registration)
    client.force_login(user)

    assert client.get(document.url).status_code == 403
    assert document not in access.visible_documents(user, PortalDocument.objects.all())


def test_anonymous_visitors_are_sent_to_log_in(client, reserved_document):
    _session, document = reserved_document

    response = client.get(document.url)

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_speakers_and_staff_download_the_material(client, reserved_document, expert, staff_user):
    _session, document = reserved_document
    for user in (expert, staff_user):
        client.force_login(user)
        assert client.get(document.url).status_code == 200
        assert document in access.visible_documents(user, PortalDocument.objects.all())


def test_a_registrant_finds_the_material_among_visible_documents(reserved_document):
    session, document = reserved_document
    user = factories.UserFactory()
    services.register(session, user)

    assert document in access.visible_documents(user, PortalDocument.objects.all())
