"""Demo rows of the library and the databases, from the seeds: the 2019 CGP procedure, the
PEG–PDO objective sheet, the slides of the 2019 webinars, the PIAO performance section,
published SMVP/Piano/Relazione documents of a few bodies, three good practices and a few
page ratings. Idempotent: every row is looked up by its natural key first."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.models import Collection

from portal.cgp import CgpPhase

from .models import (
    Audience,
    GoodPractice,
    LibraryItemDocument,
    LibraryItemPage,
    LibraryTopic,
    MaterialType,
    PageFeedback,
    PracticeAdoption,
    PracticeArea,
    PracticeDocument,
    PracticeIndicator,
)
from .setup import ensure_library_index

SEEDS = Path("/work/shared/seeds")


def _seed_text(prefix: str, fallback: str, limit: int = 2500) -> str:
    for path in SEEDS.glob(f"{prefix}_*.txt") if SEEDS.exists() else ():
        text = " ".join(path.read_text(encoding="utf-8", errors="ignore").split())
        text = text.replace("*", "").replace("#", "")
        return text[:limit]
    return fallback


def _pdf(title: str, text: str) -> bytes:
    from fpdf import FPDF

    def latin(value: str) -> str:
        value = value.replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
        return value.encode("latin-1", "replace").decode("latin-1")

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.multi_cell(0, 8, latin(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=10)
    pdf.multi_cell(0, 5, latin(text))
    return bytes(pdf.output())


def _docx(title: str, rows: list[tuple[str, ...]]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _document(title: str, filename: str, content: bytes):
    from portal.pages.models import PUBLIC_COLLECTION, PortalDocument

    existing = PortalDocument.objects.filter(title=title).first()
    if existing is not None:
        return existing
    collection = Collection.objects.get(depth=2, name=PUBLIC_COLLECTION)
    document = PortalDocument(title=title, collection=collection)
    document.file.save(filename, ContentFile(content), save=False)
    document.save()
    return document


PROCEDURE = _seed_text(
    "002",
    "Il ciclo di gestione della performance: fase 0 programmazione, fase 1 obiettivi, fase 2 "
    "monitoraggio, fase 3 misurazione e valutazione, fase 4 premialità, fase 5 rendicontazione.",
)
WEBINAR_2019 = _seed_text(
    "000",
    "Il ruolo dei webinar e i destinatari privilegiati: i webinar sono parte integrante del "
    "percorso di affiancamento.",
)
PIAO = _seed_text(
    "004",
    "Sezione 2.2 Performance del PIAO: obiettivi e indicatori di efficienza e di efficacia.",
)
CHAMBER = _seed_text(
    "003",
    "Ciclo di gestione della performance di una Camera di commercio: pianificazione strategica, "
    "misurazione e valutazione, rendicontazione e trasparenza.",
)

ITEMS = [
    {
        "slug": "procedura-ciclo-performance-2019",
        "title": "Il ciclo di gestione della performance: la procedura (maggio 2019)",
        "summary": (
            "Le sei fasi del ciclo, dalla programmazione (DUP, PEG, PDO) alla rendicontazione, "
            "con tempi, soggetti, strumenti e responsabilità per ciascuna."
        ),
        "cgp_phase": CgpPhase.TRASVERSALE,
        "topic": LibraryTopic.INDICATORS,
        "material_type": MaterialType.GUIDE,
        "year": 2019,
        "file": (
            "procedura-cgp-2019.pdf",
            lambda: _pdf("Il ciclo di gestione della performance", PROCEDURE),
        ),
    },
    {
        "slug": "scheda-obiettivo-peg-pdo",
        "title": "Modello di scheda obiettivo per PEG e PDO",
        "summary": (
            "La scheda per esplicitare ogni obiettivo del PEG/PDO: indirizzo strategico del DUP, "
            "risultati attesi, indicatori di processo e di risultato, responsabile, anno."
        ),
        "cgp_phase": CgpPhase.OBIETTIVI,
        "topic": LibraryTopic.INDICATORS,
        "material_type": MaterialType.TEMPLATE,
        "year": 2019,
        "file": (
            "scheda-obiettivo-peg-pdo.docx",
            lambda: _docx(
                "Scheda obiettivo PEG - PDO",
                [
                    ("N", "Indirizzo strategico (DUP)", "Obiettivo", "Indicatori", "Anno"),
                    ("1", "Indirizzo 1", "Obiettivo 1.1", "Indicatore di processo/risultato", "N"),
                    ("2", "Indirizzo 2", "Obiettivo 2.1", "Tempo medio di risposta", "N+1"),
                ],
            ),
        ),
    },
    {
        "slug": "webinar-2019-ruolo-dei-webinar-slide",
        "title": "Webinar 2019 – Il percorso di affiancamento e il ruolo dei webinar (slide)",
        "summary": (
            "Le slide del primo ciclo di webinar 2019: destinatari, opportunità e obiettivi dei "
            "webinar nel percorso di affiancamento agli enti."
        ),
        "cgp_phase": CgpPhase.TRASVERSALE,
        "topic": LibraryTopic.PARTICIPATION,
        "material_type": MaterialType.SLIDES,
        "year": 2019,
        "file": (
            "webinar-2019-affiancamento.pdf",
            lambda: _pdf("Webinar 2019 - Il percorso di affiancamento", WEBINAR_2019),
        ),
    },
    {
        "slug": "webinar-2019-indicatori-slide",
        "title": "Webinar 2019 – Obiettivi e indicatori di risultato nei comuni (slide)",
        "summary": (
            "Come passare dagli indirizzi del DUP a obiettivi misurabili: indicatori di processo "
            "e di risultato, baseline e target, esempi tratti dai comuni in affiancamento."
        ),
        "cgp_phase": CgpPhase.OBIETTIVI,
        "topic": LibraryTopic.INDICATORS,
        "material_type": MaterialType.SLIDES,
        "ente_kind": "comune",
        "year": 2019,
        "file": (
            "webinar-2019-indicatori.pdf",
            lambda: _pdf(
                "Webinar 2019 - Obiettivi e indicatori",
                "Un indicatore misura il grado di raggiungimento di un obiettivo. Baseline, "
                "target, fonte dei dati, periodicità della rilevazione. Indicatori di "
                "efficienza, efficacia, qualità percepita dagli utenti dei servizi comunali.",
            ),
        ),
    },
    {
        "slug": "guida-sezione-performance-piao",
        "title": "Guida alla sezione 2.2 «Performance» del PIAO",
        "summary": (
            "Come redigere la sezione Performance del Piano integrato di attività e "
            "organizzazione secondo il DM 132/2022: obiettivi, indicatori di efficienza ed "
            "efficacia, collegamento con la Relazione sulla Performance."
        ),
        "cgp_phase": CgpPhase.PROGRAMMAZIONE,
        "topic": LibraryTopic.PIAO,
        "material_type": MaterialType.GUIDE,
        "year": 2024,
        "previous": "procedura-ciclo-performance-2019",
        "file": (
            "guida-piao-performance.pdf",
            lambda: _pdf("Sezione 2.2 Performance del PIAO", PIAO),
        ),
    },
    {
        "slug": "checklist-relazione-performance",
        "title": "Check-list per la Relazione sulla Performance",
        "summary": (
            "Venti domande per verificare la Relazione prima della validazione: risultati "
            "rispetto ai target, scostamenti spiegati, leggibilità per i cittadini."
        ),
        "cgp_phase": CgpPhase.RENDICONTAZIONE,
        "topic": LibraryTopic.REPORTING,
        "material_type": MaterialType.CHECKLIST,
        "year": 2024,
        "file": (
            "checklist-relazione.pdf",
            lambda: _pdf(
                "Check-list Relazione sulla Performance",
                "1. Ogni obiettivo del Piano ha il risultato raggiunto? 2. Gli scostamenti dal "
                "target sono motivati? 3. La sintesi per i cittadini è comprensibile? 4. I dati "
                "hanno una fonte verificabile? 5. La Relazione è pubblicata in Amministrazione "
                "trasparente entro il 30 giugno?",
            ),
        ),
    },
    {
        "slug": "esempio-smvp-comune-capoluogo",
        "title": "Esempio svolto: il SMVP aggiornato di un comune capoluogo",
        "summary": (
            "Un Sistema di misurazione e valutazione riscritto con l'esperto: pesi tra "
            "performance organizzativa e individuale, scale di valutazione, procedura di "
            "conciliazione. Materiale di lavoro per i partecipanti."
        ),
        "cgp_phase": CgpPhase.MISURAZIONE,
        "topic": LibraryTopic.SMVP,
        "material_type": MaterialType.EXAMPLE,
        "ente_kind": "capoluogo",
        "year": 2025,
        "audience": Audience.PARTICIPANTS,
        "file": (
            "esempio-smvp-capoluogo.pdf",
            lambda: _pdf(
                "Esempio di SMVP - comune capoluogo",
                "Performance organizzativa 60%, performance individuale 40%. Scala di valutazione "
                "su cinque livelli. Procedura di conciliazione entro trenta giorni.",
            ),
        ),
    },
    {
        "slug": "checklist-validazione-oiv",
        "title": "Check-list per la validazione OIV/NdV della Relazione",
        "summary": (
            "Le verifiche che l'OIV o il Nucleo di valutazione compie prima di validare la "
            "Relazione sulla Performance, con il modello di documento di validazione."
        ),
        "cgp_phase": CgpPhase.RENDICONTAZIONE,
        "topic": LibraryTopic.OIV,
        "material_type": MaterialType.CHECKLIST,
        "year": 2025,
        "audience": Audience.PARTICIPANTS,
        "file": (
            "checklist-validazione-oiv.pdf",
            lambda: _pdf(
                "Check-list validazione OIV",
                "Coerenza tra Piano e Relazione, attendibilità dei dati, comprensibilità, "
                "pubblicazione. Documento di validazione firmato dal Nucleo di valutazione.",
            ),
        ),
    },
    {
        "slug": "esempio-ciclo-camera-di-commercio",
        "title": "Esempio: il ciclo della performance in una Camera di commercio",
        "summary": (
            "Un caso di confronto fuori dai comuni: fasi, attività di indirizzo e controllo, "
            "misurazione della performance organizzativa e individuale, trasparenza."
        ),
        "cgp_phase": CgpPhase.TRASVERSALE,
        "topic": LibraryTopic.SMVP,
        "material_type": MaterialType.EXAMPLE,
        "year": 2019,
        "file": (
            "ciclo-camera-commercio.pdf",
            lambda: _pdf("Ciclo della performance - Camera di commercio", CHAMBER),
        ),
    },
]


def _items(loader, index) -> dict[str, LibraryItemPage]:
    pages = {}
    for spec in ITEMS:
        spec = dict(spec)
        filename, build = spec.pop("file")
        previous = spec.pop("previous", None)
        page = LibraryItemPage.objects.filter(slug=spec["slug"]).first()
        if page is None:
            document = _document(spec["title"], filename, build())
            page = LibraryItemPage(**spec)
            if previous:
                page.previous_version = pages.get(previous)
            index.add_child(instance=page)
            page.documents.add(LibraryItemDocument(document=document))
            page.save_revision().publish()
            loader.created += 1
        pages[page.slug] = page
    return pages


PRACTICES = [
    {
        "slug": "cruscotto-mensile-raccolta-differenziata",
        "ente": "giugliano-in-campania",
        "title": "Cruscotto mensile della raccolta differenziata",
        "area": PracticeArea.SERVICES,
        "cgp_phase": CgpPhase.MONITORAGGIO,
        "year": 2025,
        "problem": (
            "I dati della raccolta differenziata arrivavano dal gestore solo a fine anno: "
            "nessuno poteva correggere la rotta durante l'esercizio."
        ),
        "solution": (
            "Il gestore invia ogni mese i pesi per quartiere; l'Ufficio Ambiente li carica in un "
            "cruscotto condiviso con la Giunta e lo pubblica sul sito. Gli scostamenti oltre il "
            "5% aprono una verifica con il gestore."
        ),
        "results": (
            "La raccolta differenziata è passata dal 38% al 57% in diciotto mesi; i costi di "
            "conferimento in discarica sono calati del 21%."
        ),
        "contacts": "Settore Ambiente – ambiente@comune.giugliano.na.it",
        "indicators": [
            ("Raccolta differenziata", "38%", "57%", "2024–2025"),
            ("Costi di conferimento in discarica", "2,4 mln €", "1,9 mln €", "annuale"),
        ],
        "adopted": [("pozzuoli", 2025, "Cruscotto trimestrale, esteso al centro storico")],
    },
    {
        "slug": "relazione-performance-sintetica-cittadini",
        "ente": "torre-del-greco",
        "title": "La Relazione sulla Performance in quattro pagine per i cittadini",
        "area": PracticeArea.TRANSPARENCY,
        "cgp_phase": CgpPhase.RENDICONTAZIONE,
        "year": 2024,
        "problem": (
            "La Relazione sulla Performance era un documento di 180 pagine che nessun cittadino "
            "leggeva e che gli stessi consiglieri trovavano difficile da usare."
        ),
        "solution": (
            "Accanto alla Relazione completa, una sintesi di quattro pagine: i dieci obiettivi "
            "più rilevanti, il risultato rispetto al target, le cause degli scostamenti, con "
            "grafici semplici. Presentata in Consiglio e sui canali social del comune."
        ),
        "results": (
            "Le visualizzazioni della pagina di Amministrazione trasparente sono triplicate."
        ),
        "contacts": "Segreteria Generale – segreteria@comune.torredelgreco.na.it",
        "indicators": [("Visualizzazioni della Relazione", "410", "1.350", "2023–2024")],
        "adopted": [("casoria", 2025, ""), ("giugliano-in-campania", 2025, "")],
    },
    {
        "slug": "obiettivi-di-servizio-nel-peg",
        "ente": "pozzuoli",
        "title": "Gli obiettivi di servizio dentro il PEG",
        "area": PracticeArea.INDICATORS,
        "cgp_phase": CgpPhase.OBIETTIVI,
        "year": 2024,
        "problem": (
            "Gli obiettivi di servizio (istruzione, infanzia e anziani, rifiuti, servizio "
            "idrico) restavano fuori dal PEG e dalla valutazione dei dirigenti."
        ),
        "solution": (
            "Ogni obiettivo di servizio è diventato un obiettivo del PEG con indicatore, target "
            "annuale e dirigente responsabile, pesato nella valutazione individuale."
        ),
        "results": (
            "Tutti e quattro gli ambiti hanno indicatori nel PEG 2024, monitorati al 30 giugno."
        ),
        "contacts": "Servizio Programmazione e Controllo – controllo@comune.pozzuoli.na.it",
        "indicators": [
            ("Obiettivi di servizio con indicatore nel PEG", "0 su 4", "4 su 4", "2024")
        ],
        "adopted": [],
    },
]


def _practices(loader) -> None:
    from portal.enti.models import Ente
    from portal.pam.models import GoodPracticeProposal, PracticeStatus

    for spec in PRACTICES:
        if GoodPractice.objects.filter(slug=spec["slug"]).exists():
            continue
        ente = Ente.objects.filter(slug=spec["ente"]).first()
        if ente is None:
            continue
        source = None
        if spec["ente"] == "giugliano-in-campania":
            source = (
                GoodPracticeProposal.objects.filter(
                    status=PracticeStatus.APPROVED, milestone__plan__ente=ente
                )
                .exclude(library_practice__isnull=False)
                .first()
            )
        practice = GoodPractice.objects.create(
            slug=spec["slug"],
            ente=ente,
            title=spec["title"],
            area=spec["area"],
            cgp_phase=spec["cgp_phase"],
            year=spec["year"],
            problem=spec["problem"],
            solution=spec["solution"],
            results=spec["results"],
            contacts=spec["contacts"],
            source_proposal=source,
            published=True,
        )
        for name, before, after, period in spec["indicators"]:
            PracticeIndicator.objects.create(
                practice=practice, name=name, baseline=before, result=after, period=period
            )
        for slug, year, note in spec["adopted"]:
            adopter = Ente.objects.filter(slug=slug).first()
            if adopter is not None:
                PracticeAdoption.objects.create(
                    practice=practice, ente=adopter, year=year, note=note
                )
        document = _document(
            f"Scheda della buona pratica – {spec['title']}",
            f"{spec['slug']}.pdf",
            _pdf(spec["title"], f"{spec['problem']} {spec['solution']} {spec['results']}"),
        )
        PracticeDocument.objects.create(practice=practice, document=document)
        loader.created += 1


# Bodies whose CGP documents are public (besides what the PAM demo publishes).
PUBLIC_DOCUMENTS = {
    "battipaglia": "https://www.comune.battipaglia.sa.it/amministrazione-trasparente/performance",
    "altamura": "https://www.comune.altamura.ba.it/amministrazione-trasparente/performance",
    "marsala": "https://www.comune.marsala.tp.it/amministrazione-trasparente/performance",
    "cosenza": "https://www.comune.cosenza.it/amministrazione-trasparente/performance",
}


def _documents() -> int:
    from portal.enti.models import Ente
    from portal.pam import services as pam_services
    from portal.pam.models import CycleDocument, DocumentKind, DocumentStatus

    created = 0
    year = timezone.localdate().year - 1
    for slug, base in PUBLIC_DOCUMENTS.items():
        ente = Ente.objects.filter(slug=slug).first()
        if ente is None:
            continue
        created += pam_services.calendar_ensure(ente=ente, year=year)
        plan = {
            DocumentKind.SMVP: (DocumentStatus.PUBLISHED, f"{base}/smvp-{year}"),
            DocumentKind.PIANO: (DocumentStatus.PUBLISHED, f"{base}/piano-performance-{year}"),
            DocumentKind.RELAZIONE: (DocumentStatus.ADOPTED, f"{base}/relazione-{year}"),
            DocumentKind.VALIDAZIONE: (DocumentStatus.VALIDATED, ""),
        }
        if slug == "marsala":
            plan[DocumentKind.VALIDAZIONE] = (DocumentStatus.DRAFT, "")
        for kind, (status, link) in plan.items():
            CycleDocument.objects.filter(ente=ente, year=year, kind=kind, status="previsto").update(
                status=status, link=link, updated_at=timezone.now()
            )
        _report_file(ente, year)
    return created


# What the demo bodies' Relazioni say, so that the documents database can be searched by
# the text of their files (e.g. "carta d'identità", "customer satisfaction").
REPORT_TEXT = {
    "battipaglia": (
        "Obiettivi strategici raggiunti all'87%. Servizi demografici: tempo medio di rilascio "
        "della carta d'identità elettronica sceso da 21 a 9 giorni; indagine di customer "
        "satisfaction agli sportelli con 1.240 questionari e giudizio medio 4,1 su 5."
    ),
    "altamura": (
        "Obiettivi strategici raggiunti all'81%. Raccolta differenziata al 68,4% (obiettivo 65%); "
        "asili nido: 34 posti in più e lista d'attesa azzerata; tempi medi di pagamento delle "
        "fatture ridotti a 27 giorni."
    ),
}


def _report_file(ente, year: int) -> None:
    """The Relazione of a demo body gets its PDF: the text is read after commit by the
    same task that reads every uploaded file."""
    from portal.pam.models import CycleDocument, DocumentKind

    text = REPORT_TEXT.get(ente.slug)
    document = CycleDocument.objects.filter(
        ente=ente, year=year, kind=DocumentKind.RELAZIONE
    ).first()
    if text is None or document is None or document.file:
        return
    title = f"Relazione sulla Performance {year} - {ente.name}"
    document.file.save(f"relazione-performance-{year}.pdf", ContentFile(_pdf(title, text)))


def _ratings(pages) -> None:
    page = pages.get("guida-sezione-performance-piao")
    if page is None or PageFeedback.objects.filter(page=page).exists():
        return
    now = timezone.now()
    for days, useful, comment in [
        (9, True, ""),
        (6, True, "Utile l'esempio degli indicatori di efficacia."),
        (2, False, "Servirebbe un modello in formato modificabile."),
    ]:
        PageFeedback.objects.create(
            page=page,
            useful=useful,
            comment=comment,
            created_at=now - datetime.timedelta(days=days),
        )


def load(loader) -> None:
    index = ensure_library_index()
    if index is None:
        return
    pages = _items(loader, index)
    _practices(loader)
    loader.created += _documents()
    _ratings(pages)
