"""A visitor browses the methodology library with facets, opens an item and downloads
its file; then filters the bodies' documents database and downloads it as CSV. The
library, an item, the documents database, the comparison and the open-data pages pass
axe. In a real browser."""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from portal.cgp import CgpPhase
from portal.library.models import Audience, MaterialType
from portal.library.setup import ensure_library_index
from portal.pam.models import CycleDocument, DocumentKind, DocumentStatus
from tests.factories import EnteFactory, RegionFactory
from tests.library.conftest import docx_bytes, make_document, make_item, pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

BLOCKING_IMPACTS = {"serious", "critical"}


def assert_accessible(page, where):
    violations = Axe().run(page).response["violations"]
    problems = [
        f"{where}: {v['id']} ({v['impact']}) {v['help']} — {v['nodes'][0]['html'][:200]}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
    assert not problems, "\n".join(problems)


def test_a_visitor_filters_the_library_downloads_and_exports(live_server, new_page):
    index = ensure_library_index()
    guide = make_document(
        "Guida indicatori", docx_bytes("Guida agli indicatori"), "guida-indicatori.docx"
    )
    make_item(index, "Guida agli indicatori di risultato", documents=[guide])
    make_item(
        index,
        "Slide del webinar sul monitoraggio",
        cgp_phase=CgpPhase.MONITORAGGIO,
        material_type=MaterialType.SLIDES,
        documents=[make_document("Slide", pdf_bytes("monitoraggio"), "slide.pdf")],
    )
    make_item(
        index,
        "Esempio riservato",
        audience=Audience.PARTICIPANTS,
        material_type=MaterialType.EXAMPLE,
    )
    ente = EnteFactory(name="Comune di Eboli", region=RegionFactory(code="CAM"))
    CycleDocument.objects.create(
        ente=ente,
        year=2024,
        kind=DocumentKind.PIANO,
        due_date="2024-01-31",
        status=DocumentStatus.PUBLISHED,
        link="https://www.comune.eboli.sa.it/trasparenza/piano",
    )

    page = new_page()
    page.goto(index.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Biblioteca metodologica")
    expect(page.get_by_role("heading", name="2 materiali")).to_be_visible()
    expect(page.get_by_text("Esempio riservato")).to_have_count(0)
    assert_accessible(page, "biblioteca")

    # Facets: choosing "slide" leaves one item, and the chip removes the filter.
    page.get_by_label(re.compile(r"^Presentazione \(slide\)")).check(force=True)
    page.get_by_role("button", name="Applica i filtri").click()
    expect(page.get_by_role("heading", name="1 materiale")).to_be_visible()
    expect(page.get_by_role("link", name="Slide del webinar sul monitoraggio")).to_be_visible()
    page.get_by_role("link", name=re.compile("rimuovi")).first.click()
    expect(page.get_by_role("heading", name="2 materiali")).to_be_visible()

    # An item and its file.
    page.get_by_role("link", name="Guida agli indicatori di risultato").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guida agli indicatori di risultato")
    assert_accessible(page, "materiale")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Scarica «Guida indicatori»")).click()
    assert download.value.suggested_filename.endswith(".docx")

    # The documents database, filtered, then its CSV.
    page.goto("/banche-dati/documenti/")
    expect(page.get_by_role("cell", name=re.compile("Comune di Eboli"))).to_be_visible()
    assert_accessible(page, "documenti degli enti")
    page.get_by_label(re.compile(r"^Campania")).check(force=True)
    page.get_by_role("button", name="Applica i filtri").click()
    expect(page.get_by_role("heading", name="1 documento")).to_be_visible()
    with page.expect_download() as export:
        page.get_by_role("link", name="Scarica in CSV").click()
    content = Path(export.value.path()).read_text(encoding="utf-8-sig")
    assert "Comune di Eboli" in content
    assert "CC-BY-4.0" in content

    page.goto(f"/banche-dati/documenti/confronta/?enti={ente.pk}")
    expect(page.get_by_role("columnheader", name="Comune di Eboli")).to_be_visible()
    assert_accessible(page, "confronto")
    page.goto("/banche-dati/dati-aperti/")
    assert_accessible(page, "dati aperti")
    page.goto("/banche-dati/buone-pratiche/")
    assert_accessible(page, "buone pratiche")
    page.goto("/banche-dati/risultati/")
    assert_accessible(page, "risultati")
