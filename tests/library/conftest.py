"""A small library world: the library page, public and reserved material with files,
public and private documents of two bodies, a published and a draft practice, and a
person in every role."""

from __future__ import annotations

import datetime
import functools
import io

import pytest
from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.models import Collection

from portal import access
from portal.cgp import CgpPhase
from portal.enti.models import EnteKind, MembershipRole
from portal.library.models import (
    Audience,
    GoodPractice,
    LibraryItemDocument,
    LibraryItemPage,
    LibraryTopic,
    MaterialType,
    PracticeAdoption,
    PracticeArea,
    PracticeIndicator,
)
from portal.library.setup import ensure_library_index
from portal.pages.models import PUBLIC_COLLECTION, PortalDocument
from portal.pam.models import CycleDocument, DocumentKind, DocumentStatus
from tests.factories import (
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
    StaffFactory,
    UserFactory,
)

PUBLIC_WORD = "cruscotto"
RESERVED_WORD = "benchmarking"


@functools.lru_cache(maxsize=32)
def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.lru_cache(maxsize=32)
def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def odt_bytes(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text=text))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def make_document(title: str, content: bytes, name: str, collection=None) -> PortalDocument:
    collection = collection or Collection.objects.get(depth=2, name=PUBLIC_COLLECTION)
    document = PortalDocument(title=title, collection=collection)
    document.file.save(name, ContentFile(content), save=False)
    # The text is read by a task after commit, which a test's transaction never reaches.
    with TestCase.captureOnCommitCallbacks(execute=True):
        document.save()
    return document


def make_item(index, title, *, audience=Audience.PUBLIC, documents=(), **fields) -> LibraryItemPage:
    values = {
        "summary": f"Sintesi di {title}",
        "cgp_phase": CgpPhase.OBIETTIVI,
        "topic": LibraryTopic.INDICATORS,
        "material_type": MaterialType.GUIDE,
        "year": 2024,
        "audience": audience,
    }
    values.update(fields)
    item = LibraryItemPage(title=title, **values)
    index.add_child(instance=item)
    for document in documents:
        item.documents.add(LibraryItemDocument(document=document))
    item.save_revision().publish()
    return LibraryItemPage.objects.get(pk=item.pk)


@pytest.fixture
def library_index(db):
    return ensure_library_index()


@pytest.fixture
def world(db, library_index):
    region_cam = RegionFactory(code="CAM")
    region_pug = RegionFactory(code="PUG")
    ente_a = EnteFactory(name="Comune di Battipaglia", region=region_cam)
    ente_b = EnteFactory(name="Università di Foggia", region=region_pug, kind=EnteKind.UNIVERSITA)
    users = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": MembershipFactory(ente=ente_a).user,
        "referent": MembershipFactory(ente=ente_a, role=MembershipRole.REFERENTE).user,
        "expert": ExpertAssignmentFactory(ente=ente_b).expert,
        "regional": RegionalRoleFactory(region=region_pug).user,
        "editor": UserFactory(groups=[access.EDITOR_GROUP]),
        "staff": StaffFactory(),
    }
    public_doc = make_document(
        "Guida agli indicatori", docx_bytes(f"Il {PUBLIC_WORD} degli indicatori."), "guida.docx"
    )
    reserved_doc = make_document(
        "Slide riservate", pdf_bytes(f"Esercitazione di {RESERVED_WORD} tra enti"), "slide.pdf"
    )
    public_item = make_item(
        library_index, "Guida agli indicatori di risultato", documents=[public_doc]
    )
    reserved_item = make_item(
        library_index,
        "Esercitazione riservata sul confronto",
        audience=Audience.PARTICIPANTS,
        documents=[reserved_doc],
        cgp_phase=CgpPhase.MISURAZIONE,
        material_type=MaterialType.SLIDES,
        year=2023,
    )
    today = datetime.date(2025, 1, 31)
    public_cycle = CycleDocument.objects.create(
        ente=ente_a,
        year=2024,
        kind=DocumentKind.RELAZIONE,
        due_date=today,
        status=DocumentStatus.PUBLISHED,
        link="https://www.comune.battipaglia.sa.it/trasparenza/relazione-2024",
    )
    public_cycle.file.save("relazione.pdf", ContentFile(pdf_bytes("Relazione 2024")), save=True)
    CycleDocument.objects.create(
        ente=ente_a,
        year=2024,
        kind=DocumentKind.VALIDAZIONE,
        due_date=today,
        status=DocumentStatus.VALIDATED,
    )
    private_cycle = CycleDocument.objects.create(
        ente=ente_b, year=2024, kind=DocumentKind.SMVP, due_date=today, status=DocumentStatus.DRAFT
    )
    private_cycle.file.save("smvp-bozza.pdf", ContentFile(pdf_bytes("Bozza riservata")), save=True)
    practice = GoodPractice.objects.create(
        title="Cruscotto di monitoraggio dei tempi di pagamento",
        slug="cruscotto-tempi-pagamento",
        ente=ente_a,
        area=PracticeArea.INDICATORS,
        cgp_phase=CgpPhase.MONITORAGGIO,
        year=2024,
        problem="I tempi di pagamento delle fatture non erano misurati.",
        solution="Un cruscotto mensile alimentato dal protocollo.",
        results="Tempi dimezzati in un anno.",
        contacts="Settore Finanze, ragioneria@comune.example.it",
        published=True,
    )
    PracticeIndicator.objects.create(
        practice=practice, name="Tempo medio di pagamento", baseline="62 giorni", result="31 giorni"
    )
    PracticeAdoption.objects.create(practice=practice, ente=ente_b, year=2025)
    draft = GoodPractice.objects.create(
        title="Bozza di pratica segreta",
        slug="bozza-segreta",
        ente=ente_b,
        area=PracticeArea.CYCLE,
        cgp_phase=CgpPhase.OBIETTIVI,
        year=2025,
        problem="x",
        solution="y",
        results="z",
        contacts="c",
        published=False,
    )
    return {
        "index": library_index,
        "users": users,
        "ente_a": ente_a,
        "ente_b": ente_b,
        "public_item": public_item,
        "reserved_item": reserved_item,
        "public_doc": public_doc,
        "reserved_doc": reserved_doc,
        "public_cycle": public_cycle,
        "private_cycle": private_cycle,
        "practice": practice,
        "draft": draft,
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client
