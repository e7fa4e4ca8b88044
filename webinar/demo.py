"""Demo webinars: the historical first cycle of the seeds (2019, with material and
recordings) and a new cycle relative to today, with one session about to start so the
live page can be tried at once."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from portal.cgp import CgpPhase

from .models import (
    AttendanceSpan,
    Question,
    Registration,
    RegistrationStatus,
    SessionSpeaker,
    WebinarCyclePage,
    WebinarIndexPage,
    WebinarSessionPage,
    WebinarTheme,
)
from .services import _take_body_slot, _take_seat

ROME = ZoneInfo("Europe/Rome")
AUDIENCE = (
    "Direttori generali, segretari generali, dirigenti e funzionari apicali, componenti "
    "degli OIV e dei Nuclei di Valutazione degli enti partecipanti."
)

FIRST_CYCLE = [
    (
        "lo-sviluppo-del-ciclo-di-gestione-della-performance",
        "Lo sviluppo del Ciclo di Gestione della Performance nel progetto",
        datetime(2019, 1, 22, 10, 0, tzinfo=ROME),
        WebinarTheme.CICLO,
        CgpPhase.TRASVERSALE,
        "Le fasi del ciclo (programmazione, obiettivi e indicatori, monitoraggio, misurazione e "
        "valutazione, premialità, rendicontazione) e il percorso di affiancamento del progetto.",
        "antonio.mazzei@esperti.demo.paq.it",
    ),
    (
        "lo-sviluppo-di-obiettivi-ed-indicatori",
        "Lo sviluppo di Obiettivi ed Indicatori",
        datetime(2019, 2, 5, 10, 0, tzinfo=ROME),
        WebinarTheme.OBIETTIVI,
        CgpPhase.OBIETTIVI,
        "Come tradurre il programma di mandato in obiettivi strategici e operativi misurabili, "
        "con indicatori di processo e di risultato, valori di partenza e target.",
        "valentina.desantis@esperti.demo.paq.it",
    ),
    (
        "la-legge-213-e-il-sistema-dei-controlli",
        "La Legge 213 in tema di sviluppo del sistema dei controlli",
        datetime(2019, 2, 12, 10, 0, tzinfo=ROME),
        WebinarTheme.CONTROLLI,
        CgpPhase.CONTROLLI,
        "Il sistema dei controlli interni degli enti locali dopo il D.L. 174/2012 convertito "
        "dalla Legge 213/2012: controllo strategico, di gestione, sugli equilibri finanziari.",
        "giulia.ferraro@esperti.demo.paq.it",
    ),
    (
        "integrazione-programmazione-economico-finanziaria-e-performance",
        "L'integrazione fra Programmazione Economico-finanziaria e Ciclo della Performance",
        datetime(2019, 3, 5, 10, 0, tzinfo=ROME),
        WebinarTheme.BILANCIO,
        CgpPhase.PROGRAMMAZIONE,
        "Dal DUP al PEG e al Piano degli obiettivi: collegare risorse, obiettivi e indicatori "
        "perché il Piano della Performance sia coerente con il bilancio.",
        "francesca.esposito@esperti.demo.paq.it",
    ),
]

NEW_CYCLE = [
    (
        "verifica-intermedia-al-30-giugno",
        "La verifica intermedia al 30 giugno: monitorare obiettivi e indicatori",
        WebinarTheme.VALUTAZIONE,
        CgpPhase.MONITORAGGIO,
        "Organizzare il monitoraggio infrannuale: dati, responsabilità, report per la giunta "
        "e per l'OIV, e come riprogrammare gli obiettivi quando serve.",
        "antonio.mazzei@esperti.demo.paq.it",
    ),
    (
        "obiettivi-di-servizio-asili-nido-e-anziani",
        "Obiettivi di servizio: asili nido e assistenza domiciliare agli anziani",
        WebinarTheme.SERVIZI,
        CgpPhase.OBIETTIVI,
        "Indicatori di copertura e di qualità dei servizi di cura per l'infanzia e per gli "
        "anziani, e come inserirli nel Piano della Performance.",
        "nicola.lorusso@esperti.demo.paq.it",
    ),
    (
        "la-relazione-sulla-performance-e-la-validazione-oiv",
        "La Relazione sulla Performance e la validazione dell'OIV",
        WebinarTheme.TRASPARENZA,
        CgpPhase.RENDICONTAZIONE,
        "Struttura della Relazione, rendicontazione dei risultati organizzativi e individuali, "
        "validazione da parte dell'OIV e pubblicazione in Amministrazione trasparente.",
        "salvatore.caruso@esperti.demo.paq.it",
    ),
    (
        "premialita-e-valutazione-individuale",
        "Sistemi premianti e valutazione della performance individuale",
        WebinarTheme.VALUTAZIONE,
        CgpPhase.PREMIALITA,
        "Collegare la valutazione individuale ai risultati organizzativi e al sistema "
        "premiante, nel rispetto del D.Lgs. 150/2009.",
        "marco.russo@esperti.demo.paq.it",
    ),
]


def load(loader) -> None:
    from wagtail.models import Collection

    from portal.demo.loader import minimal_pdf
    from portal.pages.models import PortalDocument
    from portal.pages.setup import PUBLIC_COLLECTION

    User = get_user_model()
    index = WebinarIndexPage.objects.first()
    if index is None:
        index = WebinarIndexPage(
            title="Webinar",
            slug="webinar",
            show_in_menus=True,
            intro="<p>I webinar tematici del progetto: seminari online con gli esperti, "
            "aperti ai dirigenti, ai funzionari e ai componenti degli OIV degli enti "
            "partecipanti. Iscriviti, segui la diretta, fai domande ai relatori e ritrova "
            "registrazioni e materiali.</p>",
        )
        loader.home.add_child(instance=index)
        index.save_revision().publish()
        loader.created += 1

    def cycle(slug, title, intro):
        page = WebinarCyclePage.objects.filter(slug=slug).first()
        if page is None:
            page = WebinarCyclePage(title=title, slug=slug, intro=intro)
            index.add_child(instance=page)
            page.save_revision().publish()
            loader.created += 1
        return page

    def session(parent, slug, title, starts_at, theme, phase, summary, speaker_email, **extra):
        page = WebinarSessionPage.objects.filter(slug=slug).first()
        if page is not None:
            return page, False
        page = WebinarSessionPage(
            title=title,
            slug=slug,
            starts_at=starts_at,
            theme=theme,
            cgp_phase=phase,
            summary=summary,
            audience=AUDIENCE,
            goals="<p>Condividere un metodo, con esempi dagli enti del progetto, e raccogliere "
            "le domande su cui lavorare nell'affiancamento.</p>",
            **extra,
        )
        speaker = User.objects.get(email=speaker_email)
        page.speakers = [SessionSpeaker(user=speaker, role="Esperto territoriale")]
        parent.add_child(instance=page)
        page.save_revision().publish()
        loader.created += 1
        return WebinarSessionPage.objects.get(pk=page.pk), True

    first = cycle(
        "primo-ciclo-2019",
        "Primo ciclo di webinar (gennaio – marzo 2019)",
        "<p>Il primo ciclo del progetto: quattro seminari sulle basi del ciclo di gestione "
        "della performance, dagli obiettivi ai controlli all'integrazione con il bilancio.</p>",
    )
    for slug, title, starts_at, theme, phase, summary, speaker in FIRST_CYCLE:
        page, created = session(
            first,
            slug,
            title,
            starts_at,
            theme,
            phase,
            summary,
            speaker,
            capacity=150,
            recording_url=f"https://video.example.it/paq/{slug}",
        )
        if created:
            document = PortalDocument(
                title=f"Slide — {title}", collection=Collection.objects.get(name=PUBLIC_COLLECTION)
            )
            document.file.save(f"{slug}.pdf", ContentFile(minimal_pdf(title[:60])), save=False)
            document.save()
            page.material = [("document", {"document": document, "description": "Slide"})]
            page.save_revision().publish()

    today = timezone.localdate()
    second = cycle(
        f"ciclo-{today.year}-{today.year + 1}",
        "Nuovo ciclo: dal monitoraggio alla Relazione sulla Performance",
        "<p>Il secondo ciclo accompagna gli enti nella seconda fase del progetto: "
        "monitoraggio, obiettivi di servizio, rendicontazione e premialità.</p>",
    )
    now = timezone.now()
    # The first session starts in a few minutes: its live page is open at once.
    starts = [
        now.replace(second=0, microsecond=0) + timedelta(minutes=10),
        *(
            datetime.combine(today + timedelta(days=days), time(10, 0), tzinfo=ROME)
            for days in (7, 21, 35)
        ),
    ]
    sessions = []
    for (slug, title, theme, phase, summary, speaker), starts_at in zip(
        NEW_CYCLE, starts, strict=True
    ):
        extra = {"meeting_url": "https://meet.example.it/paq-webinar", "capacity": 100}
        if slug == "la-relazione-sulla-performance-e-la-validazione-oiv":
            extra["capacity"] = 2  # full at once: the waitlist can be tried
        if slug == "premialita-e-valutazione-individuale":
            extra["registration_opens_at"] = now + timedelta(days=7)
        page, _created = session(
            second, slug, title, starts_at, theme, phase, summary, speaker, **extra
        )
        sessions.append(page)

    member = User.objects.get(email="membro@paq.example.it")
    referent = User.objects.get(email="referente@paq.example.it")
    staff = User.objects.get(email="staff@paq.example.it")
    live, _next, full, _later = sessions
    for page, user in ((live, member), (live, referent), (full, referent), (full, staff)):
        _register(loader, page, user)
    past = WebinarSessionPage.objects.get(slug=FIRST_CYCLE[0][0])
    if _register(loader, past, member):
        AttendanceSpan.objects.create(
            session=past,
            user=member,
            joined_at=past.starts_at - timedelta(minutes=5),
            last_seen_at=past.ends_at,
            left_at=past.ends_at,
        )
    if not live.questions.exists():
        from portal.sanitizer import linkify_text

        for user, text in (
            (
                referent,
                "Per la verifica al 30 giugno bastano gli indicatori del PEG o servono "
                "anche quelli del DUP?",
            ),
            (member, "Come gestiamo un obiettivo che a metà anno risulta irrealistico?"),
        ):
            Question.objects.create(
                session=live, author=user, body=text, body_html=linkify_text(text)
            )
            loader.created += 1


def _register(loader, page, user) -> bool:
    """A confirmed registration written directly: the demo sends no emails."""
    from .services import body_id_of

    if Registration.objects.filter(session=page, user=user).exists():
        return False
    ente_id = body_id_of(user)
    if ente_id is not None:
        _take_body_slot(page, ente_id)
    _take_seat(page.pk)
    Registration.objects.create(
        session=page,
        user=user,
        ente_id=ente_id,
        status=RegistrationStatus.CONFIRMED,
        holds_seat=True,
        requested_at=page.starts_at - timedelta(days=3),
        confirmed_at=page.starts_at - timedelta(days=3),
    )
    loader.created += 1
    return True
