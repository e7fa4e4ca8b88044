"""Documents of a reserved area: who may upload, what is accepted, where files live."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.enti.models import MembershipRole
from portal.pages.models import PortalDocument
from tests.factories import ExpertAssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def area(area_factory, ente_factory):
    return area_factory(ente=ente_factory())


def upload(client, area, name="relazione.pdf", content=PDF, title="Relazione 2025"):
    return client.post(area.url, {"title": title, "file": SimpleUploadedFile(name, content)})


def test_the_referent_uploads_a_document_kept_outside_public_media(client, area, settings):
    referent = MembershipFactory(ente=area.ente, role=MembershipRole.REFERENTE).user
    client.force_login(referent)

    response = upload(client, area)

    assert response.status_code == 302
    document = PortalDocument.objects.get()
    assert document.collection_id == area.collection_id
    assert document.uploaded_by_user == referent
    assert str(settings.PRIVATE_MEDIA_ROOT) in document.file.path
    assert str(settings.MEDIA_ROOT) not in document.file.path
    served = client.get(document.url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == PDF


def test_the_assigned_expert_may_upload(client, area):
    client.force_login(ExpertAssignmentFactory(ente=area.ente).expert)

    assert upload(client, area).status_code == 302


def test_a_plain_member_reads_but_cannot_upload(client, area):
    client.force_login(MembershipFactory(ente=area.ente).user)

    page = client.get(area.url)
    response = upload(client, area)

    assert "Carica un documento" not in page.content.decode()
    assert response.status_code == 403
    assert not PortalDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programma.exe", b"MZ\x90\x00rest", "Tipo di file non ammesso"),
        ("relazione.pdf", b"MZ\x90\x00disguised", "programma eseguibile"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /", "programma eseguibile"),
        ("finto.pdf", b"<html>not a pdf</html>", "non è un PDF valido"),
        ("senza-estensione", PDF, "Tipo di file non ammesso"),
    ],
    ids=["exe", "exe-renamed-pdf", "shell-script", "html-as-pdf", "no-extension"],
)
def test_unsafe_files_are_refused_with_a_clear_message(client, area, name, content, message):
    client.force_login(MembershipFactory(ente=area.ente, role=MembershipRole.REFERENTE).user)

    response = upload(client, area, name=name, content=content)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PortalDocument.objects.exists()


def test_oversize_files_are_refused(client, area, settings):
    settings.PORTAL_DOCUMENT_MAX_BYTES = 1024
    client.force_login(MembershipFactory(ente=area.ente, role=MembershipRole.REFERENTE).user)

    response = upload(client, area, content=PDF + b"0" * 2048)

    assert response.status_code == 400
    assert "dimensione massima" in response.content.decode()
    assert not PortalDocument.objects.exists()


def test_a_missing_title_is_explained(client, area):
    client.force_login(MembershipFactory(ente=area.ente, role=MembershipRole.REFERENTE).user)

    response = upload(client, area, title="")

    assert response.status_code == 400
    assert "Questo campo è obbligatorio" in response.content.decode()
    assert not PortalDocument.objects.exists()


def test_the_area_page_lists_documents_with_bounded_queries(
    client, area, django_assert_max_num_queries
):
    """Guards against one query per listed document (uploader, collection)."""
    referent = MembershipFactory(ente=area.ente, role=MembershipRole.REFERENTE).user
    client.force_login(referent)
    for number in range(15):
        upload(client, area, title=f"Documento {number}")
    client.get(area.url)  # warm per-process caches (site root paths, settings)

    with django_assert_max_num_queries(30):
        response = client.get(area.url)

    assert response.content.decode().count("/documents/") >= 15
