"""The bodies' documents database finds a document by what its file says. The text is
read by a background task after the upload commits, never in the request; a document
that is not public is never found, shown or counted, whoever searches."""

import csv
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.pam.models import CycleDocument, CycleDocumentText, DocumentStatus
from portal.pam.search import documents_saying

from .conftest import docx_bytes, login, odt_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

PUBLIC_PHRASE = "customer satisfaction degli sportelli anagrafici"
PRIVATE_PHRASE = "riorganizzazione riservatissima dei dirigenti"
ROLES = ["anonymous", "outsider", "member", "referent", "expert", "regional", "editor", "staff"]


def upload(client, world, document, content: bytes, name: str, callbacks):
    """The body's referent replaces the file from the PAM calendar."""
    login(client, world["users"]["referent"])
    with callbacks(execute=True):
        response = client.post(
            reverse("pam:document_edit", args=[document.pk]),
            {
                "status": document.status,
                "due_date": document.due_date.isoformat(),
                "link": document.link,
                "upload": SimpleUploadedFile(name, content),
            },
        )
    assert response.status_code == 302
    client.logout()


def attach_private_file(world, content: bytes, callbacks):
    private = world["private_cycle"]
    with callbacks(execute=True):
        private.file.save("smvp-bozza-2.docx", ContentFile(content), save=True)
    return private


def search_sections(client, query):
    response = client.get("/cerca/", {"q": query})
    return {section.key: section for section in response.context["sections"]}


def test_the_upload_request_only_queues_the_reading_of_the_file(
    client, world, django_capture_on_commit_callbacks
):
    document = world["public_cycle"]
    login(client, world["users"]["referent"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            reverse("pam:document_edit", args=[document.pk]),
            {
                "status": document.status,
                "due_date": document.due_date.isoformat(),
                "link": document.link,
                "upload": SimpleUploadedFile("relazione.pdf", pdf_bytes(PUBLIC_PHRASE)),
            },
        )

    # Nothing was read while the request ran: the task is queued for after the commit.
    assert not CycleDocumentText.objects.filter(document=document).exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert PUBLIC_PHRASE in CycleDocumentText.objects.get(document=document).text


def test_saving_a_document_without_a_new_file_queues_nothing(
    world, django_capture_on_commit_callbacks
):
    document = CycleDocument.objects.get(pk=world["public_cycle"].pk)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document.status = DocumentStatus.ADOPTED
        document.save()
        document.save(update_fields=["status"])

    assert callbacks == []


@pytest.mark.parametrize("role", ROLES)
def test_the_unified_search_finds_a_public_document_by_its_file(
    client, world, role, django_capture_on_commit_callbacks
):
    upload(
        client,
        world,
        world["public_cycle"],
        pdf_bytes(f"Indagine di {PUBLIC_PHRASE} del 2024"),
        "relazione-2024.pdf",
        django_capture_on_commit_callbacks,
    )
    login(client, world["users"][role])

    response = client.get("/cerca/", {"q": "sportelli anagrafici", "tipo": "documenti"})

    assert [d.pk for d in response.context["results"]] == [world["public_cycle"].pk]
    html = response.content.decode()
    assert "Nel testo del documento:" in html
    assert "<mark>sportell" in html


def test_the_documents_database_and_its_exports_find_a_document_by_its_file(
    client, world, django_capture_on_commit_callbacks
):
    upload(
        client,
        world,
        world["public_cycle"],
        docx_bytes(PUBLIC_PHRASE),
        "relazione.docx",
        django_capture_on_commit_callbacks,
    )
    params = {"q": "satisfaction sportelli"}

    listing = client.get("/banche-dati/documenti/", params)
    export = json.loads(
        b"".join(client.get("/banche-dati/dati-aperti/documenti-enti.json", params))
    )
    api = client.get("/banche-dati/api/documenti-enti/", params).json()

    assert [d.pk for d in listing.context["page_obj"]] == [world["public_cycle"].pk]
    facet_total = sum(
        option["count"]
        for group in listing.context["facets"]
        if group["facet"].param == "documento"
        for option in group["options"]
    )
    assert facet_total == 1
    assert [row["id"] for row in export["record"]] == [world["public_cycle"].pk]
    assert api["totale"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_a_phrase_only_in_a_private_documents_file_is_found_nowhere(
    client, world, role, django_capture_on_commit_callbacks
):
    private = attach_private_file(
        world, docx_bytes(f"Piano di {PRIVATE_PHRASE}"), django_capture_on_commit_callbacks
    )
    # The text is indexed (the body may publish it later)...
    assert CycleDocumentText.objects.filter(document=private, text__contains=PRIVATE_PHRASE)
    login(client, world["users"][role])
    params = {"q": "riorganizzazione riservatissima"}

    # ...but no page, count, facet, export or API shows the document.
    sections = search_sections(client, params["q"])
    listing = client.get("/banche-dati/documenti/", params)
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(client.get("/banche-dati/dati-aperti/documenti-enti.csv", params)).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    api = client.get("/banche-dati/api/documenti-enti/", params).json()

    assert sections["documenti"].count == 0
    assert listing.context["page_obj"].paginator.count == 0
    assert all(not group["options"] for group in listing.context["facets"])
    assert rows == []
    assert api["totale"] == 0 and api["record"] == []
    assert sections["documenti"].preview == []


def test_a_document_made_private_again_leaves_the_search_at_once(
    client, world, django_capture_on_commit_callbacks
):
    upload(
        client,
        world,
        world["public_cycle"],
        odt_bytes(PUBLIC_PHRASE),
        "relazione.odt",
        django_capture_on_commit_callbacks,
    )
    assert search_sections(client, "sportelli anagrafici")["documenti"].count == 1

    CycleDocument.objects.filter(pk=world["public_cycle"].pk).update(status=DocumentStatus.DRAFT)

    assert search_sections(client, "sportelli anagrafici")["documenti"].count == 0


def test_a_replaced_file_replaces_the_text(client, world, django_capture_on_commit_callbacks):
    document = world["public_cycle"]
    upload(
        client,
        world,
        document,
        pdf_bytes(PUBLIC_PHRASE),
        "v1.pdf",
        django_capture_on_commit_callbacks,
    )
    upload(
        client,
        world,
        document,
        pdf_bytes("indicatori di efficienza energetica"),
        "v2.pdf",
        django_capture_on_commit_callbacks,
    )

    assert list(documents_saying("sportelli anagrafici")) == []
    assert list(documents_saying("efficienza energetica")) == [document.pk]
    assert CycleDocumentText.objects.get(document=document).file_name.endswith(".pdf")


def test_an_unreadable_file_is_recorded_with_its_reason_and_breaks_nothing(
    client, world, django_capture_on_commit_callbacks
):
    upload(
        client,
        world,
        world["public_cycle"],
        b"%PDF-1.4 rotto",
        "rotto.pdf",
        django_capture_on_commit_callbacks,
    )

    row = CycleDocumentText.objects.get(document=world["public_cycle"])
    assert row.text == "" and row.error
    assert client.get("/cerca/", {"q": "rotto"}).status_code == 200


def test_a_file_kind_without_text_keeps_no_text(client, world, django_capture_on_commit_callbacks):
    document = world["public_cycle"]
    upload(
        client,
        world,
        document,
        pdf_bytes(PUBLIC_PHRASE),
        "v1.pdf",
        django_capture_on_commit_callbacks,
    )
    upload(
        client,
        world,
        document,
        b"PK\x03\x04",
        "tabelle.xlsx",
        django_capture_on_commit_callbacks,
    )

    assert not CycleDocumentText.objects.filter(document=document).exists()
    assert list(documents_saying("sportelli anagrafici")) == []


def test_deleting_a_document_forgets_its_text(world, django_capture_on_commit_callbacks):
    private = attach_private_file(
        world, docx_bytes(PRIVATE_PHRASE), django_capture_on_commit_callbacks
    )

    private.delete()

    assert list(documents_saying("riservatissima")) == []


def test_files_uploaded_before_extraction_existed_are_read_by_a_command(client, world):
    from django.core.management import call_command

    from portal.library.models import DocumentText

    # The world's files were saved inside the test's transaction: no task has run.
    assert not CycleDocumentText.objects.exists()
    DocumentText.objects.all().delete()
    out = io.StringIO()

    call_command("library_extract_texts", stdout=out)

    assert "Relazione 2024" in CycleDocumentText.objects.get(document=world["public_cycle"]).text
    assert DocumentText.objects.filter(document=world["public_doc"]).exists()
    assert "Accodati 2 documenti della biblioteca e 2 documenti del ciclo." in out.getvalue()
    assert search_sections(client, "Relazione 2024")["documenti"].count == 1


def test_text_searches_of_documents_read_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
):
    """The file match is one subquery, not a query (or an id list) per matching file."""
    from django.db import reset_queries

    from tests.factories import EnteFactory

    def add_public_documents(n, offset):
        for i in range(offset, offset + n):
            document = CycleDocument.objects.create(
                ente=EnteFactory(region=world["ente_a"].region),
                year=2024,
                kind="smvp",
                due_date="2024-01-31",
                status=DocumentStatus.PUBLISHED,
                link=f"https://example.it/{i}",
            )
            CycleDocumentText.objects.create(
                document=document, file_name=f"{i}.pdf", text=f"Il {PUBLIC_PHRASE} n. {i}"
            )

    urls = [
        ("/banche-dati/documenti/", {"q": "sportelli anagrafici"}),
        ("/cerca/", {"q": "sportelli anagrafici"}),
        ("/cerca/", {"q": "sportelli anagrafici", "tipo": "documenti"}),
        ("/banche-dati/api/documenti-enti/", {"q": "sportelli anagrafici"}),
    ]
    add_public_documents(1, 0)
    counts = {}
    for url, params in urls:
        client.get(url, params)
        reset_queries()
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url, params).status_code == 200
        counts[url, tuple(params)] = len(captured.captured_queries)

    add_public_documents(12, 1)

    for url, params in urls:
        client.get(url, params)
        reset_queries()
        with django_assert_max_num_queries(counts[url, tuple(params)]):
            client.get(url, params)
    listing = client.get("/banche-dati/documenti/", {"q": "sportelli anagrafici"})
    assert listing.context["page_obj"].paginator.count == 13
