"""Demo rows of the newsletter: two published issues (one already sent), the editorial
plan of the coming months, a few subscribers. Idempotent: looked up by natural key."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    ArticleKind,
    ArticleStatus,
    Delivery,
    DeliveryStatus,
    IssueSend,
    NewsletterIssuePage,
    PlannedArticle,
    PlannedIssue,
    PlanStatus,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)
from .selectors import add_months
from .services import CONSENT_TEXT
from .setup import ensure_newsletter_index

EDITOR_EMAIL = "redazione@paq.example.it"

ISSUES = [
    {
        "slug": "monitoraggio-intermedio",
        "months_ago": 2,
        "number": 1,
        "title": "Il monitoraggio intermedio degli obiettivi",
        "subject": "Newsletter n. 1 — Il monitoraggio intermedio degli obiettivi",
        "preheader": "Come verificare a metà anno lo stato di avanzamento del Piano.",
        "intro": (
            "Il primo numero della newsletter del progetto Valutazione delle Performance: "
            "la fase 2 del Ciclo di Gestione della Performance, le esperienze dei comuni "
            "della seconda fase e i prossimi appuntamenti."
        ),
        "article": "monitoraggio",
        "body": [
            (
                "editorial",
                {
                    "title": "Editoriale",
                    "text": (
                        "<p>Alla seconda fase del progetto partecipano 45 comuni di Calabria, "
                        "Campania, Puglia e Sicilia. L'obiettivo è completare il Ciclo della "
                        "performance, rafforzando la capacità delle amministrazioni di "
                        "valutare i risultati e di rendicontarli nella <b>Relazione sulla "
                        "Performance</b>.</p><p>In questo numero ci concentriamo sul "
                        "monitoraggio in corso di esercizio: il momento in cui si verifica lo "
                        "stato di avanzamento degli obiettivi e si decidono gli interventi "
                        "correttivi.</p>"
                    ),
                    "signature": "La redazione",
                },
            ),
            (
                "news",
                {
                    "title": "Monitoraggio: chi fa che cosa",
                    "text": (
                        "<p>I dirigenti rilevano i dati sugli indicatori, il Nucleo di "
                        "valutazione verifica l'andamento e la Giunta, se necessario, "
                        "approva le variazioni al Piano. Le scadenze sono fissate nel "
                        "Sistema di Misurazione e Valutazione della Performance.</p>"
                    ),
                    "page": None,
                    "url": "",
                },
            ),
            (
                "from_bodies",
                {
                    "ente": "Comune di Giugliano in Campania",
                    "title": "Un cruscotto condiviso per gli obiettivi di servizio",
                    "text": (
                        "<p>Il gruppo di lavoro del comune ha collegato gli obiettivi "
                        "operativi alle missioni del bilancio e ai servizi: il report "
                        "semestrale ora arriva alla Giunta con una pagina per settore.</p>"
                    ),
                    "url": "",
                },
            ),
        ],
    },
    {
        "slug": "obiettivi-e-indicatori-nel-piao",
        "months_ago": 1,
        "number": 2,
        "title": "Obiettivi e indicatori nella sezione Performance del PIAO",
        "subject": "Newsletter n. 2 — Obiettivi e indicatori nel PIAO",
        "preheader": "Efficienza, efficacia e valore pubblico: come scriverli bene.",
        "intro": (
            "La sezione 2.2 del PIAO programma gli obiettivi e gli indicatori di efficienza e "
            "di efficacia che saranno rendicontati nella Relazione sulla Performance."
        ),
        "article": "obiettivi-e-indicatori",
        "body": [
            (
                "editorial",
                {
                    "title": "Editoriale",
                    "text": (
                        "<p>Ai sensi del decreto 30 giugno 2022, n. 132, la sezione "
                        "Performance del PIAO va predisposta secondo le logiche di "
                        "performance management del decreto legislativo n. 150/2009. "
                        "Obiettivi chiari e indicatori misurabili sono la condizione per una "
                        "rendicontazione credibile.</p>"
                    ),
                    "signature": "La redazione",
                },
            ),
            (
                "news",
                {
                    "title": "Dalla fase 1 alla fase 2: definire e assegnare gli obiettivi",
                    "text": (
                        "<p>La definizione e l'assegnazione degli obiettivi da raggiungere, "
                        "con i valori attesi di risultato e i rispettivi indicatori, è la "
                        "fase 1 del ciclo. Un buon obiettivo ha un responsabile, una "
                        "scadenza e un target.</p>"
                    ),
                    "page": None,
                    "url": "",
                },
            ),
            (
                "from_bodies",
                {
                    "ente": "Comune di Molfetta",
                    "title": "Indicatori di customer satisfaction per i servizi demografici",
                    "text": (
                        "<p>Il comune ha introdotto un breve questionario agli sportelli: "
                        "i risultati entrano fra gli indicatori di efficacia del Piano.</p>"
                    ),
                    "url": "",
                },
            ),
        ],
    },
]

PLAN = [
    {
        "offset": 0,
        "theme": "La misurazione della performance organizzativa",
        "status": PlanStatus.IN_PROGRESS,
        "articles": [
            ("Editoriale: misurare per migliorare", ArticleKind.EDITORIAL, ArticleStatus.DELIVERED),
            ("Performance organizzativa e individuale", ArticleKind.FOCUS, ArticleStatus.TODO),
            (
                "L'esperienza del Comune di Lamezia Terme",
                ArticleKind.FROM_BODIES,
                ArticleStatus.IN_PROGRESS,
            ),
        ],
    },
    {
        "offset": 1,
        "theme": "Sistemi premianti e valorizzazione del merito",
        "status": PlanStatus.PLANNED,
        "articles": [
            ("La fase 4 del ciclo in pratica", ArticleKind.FOCUS, ArticleStatus.TODO),
            ("Webinar: la valutazione individuale", ArticleKind.WEBINAR, ArticleStatus.TODO),
        ],
    },
    {
        "offset": 2,
        "theme": "La Relazione sulla Performance e la trasparenza",
        "status": PlanStatus.PLANNED,
        "articles": [
            ("Rendicontare i risultati ai cittadini", ArticleKind.FOCUS, ArticleStatus.TODO),
            (
                "Notizie dal Dipartimento della Funzione Pubblica",
                ArticleKind.NEWS,
                ArticleStatus.TODO,
            ),
        ],
    },
]

SUBSCRIBERS = [
    ("lucia.ferrara@comune.giugliano.example.it", ["CAM"]),
    ("antonio.greco@comune.molfetta.example.it", ["PUG"]),
    ("giuseppe.romeo@comune.lamezia.example.it", ["CAL"]),
    ("francesca.lombardo@unict.example.it", ["SIC", "CAL"]),
    ("membro@paq.example.it", []),
]


def _month(today: date, offset: int) -> date:
    return add_months(today.replace(day=1), offset)


def load(loader) -> None:
    index = ensure_newsletter_index()
    if index is None:
        return
    editor = get_user_model().objects.filter(email=EDITOR_EMAIL).first()
    today = timezone.localdate()
    from portal.pages.models import ContentPage

    issues = []
    for row in ISSUES:
        existing = index.get_children().filter(slug=row["slug"]).first()
        if existing is not None:
            issues.append(existing.specific)
            continue
        article = ContentPage.objects.filter(slug=row["article"]).first()
        body = list(row["body"])
        if article is not None:
            body.insert(1, ("focus_article", {"page": article, "summary": ""}))
        issue = NewsletterIssuePage(
            title=row["title"],
            slug=row["slug"],
            issue_date=_month(today, -row["months_ago"]),
            number=row["number"],
            subject=row["subject"],
            preheader=row["preheader"],
            intro=row["intro"],
            owner=editor,
        )
        issue.body = body
        index.add_child(instance=issue)
        issue.save_revision(user=editor).publish()
        loader.created += 1
        issues.append(issue)

    for row in PLAN:
        month = _month(today, row["offset"])
        plan, created = PlannedIssue.objects.get_or_create(
            month=month,
            defaults={
                "theme": row["theme"],
                "owner": editor,
                "deadline": month + timedelta(days=19),
                "status": row["status"],
            },
        )
        loader.created += created
        if created:
            for n, (title, kind, status) in enumerate(row["articles"]):
                PlannedArticle.objects.create(
                    plan=plan,
                    title=title,
                    kind=kind,
                    status=status,
                    owner=editor,
                    # The first month's pieces are due already: one of them is late.
                    deadline=month + timedelta(days=5 + 4 * n)
                    if row["offset"]
                    else today - timedelta(days=2 - n),
                    sort_order=n,
                )
    for issue, months_ago in zip(issues, (2, 1), strict=False):
        PlannedIssue.objects.get_or_create(
            month=_month(today, -months_ago),
            defaults={
                "theme": issue.title,
                "owner": editor,
                "deadline": _month(today, -months_ago) + timedelta(days=19),
                "status": PlanStatus.SENT if months_ago == 2 else PlanStatus.READY,
                "issue": issue,
            },
        )

    from portal.enti.models import Region

    regions = {region.code: region for region in Region.objects.all()}
    now = timezone.now()
    subscribers = []
    for email, codes in SUBSCRIBERS:
        subscriber = Subscriber.objects.filter(email=email).first()
        if subscriber is None:
            subscriber = Subscriber.objects.create(
                email=email,
                status=SubscriberStatus.ACTIVE,
                consent_text=CONSENT_TEXT,
                consent_at=now - timedelta(days=70),
                consent_ip="192.0.2.10",
                confirmed_at=now - timedelta(days=70),
                confirmed_ip="192.0.2.10",
            )
            subscriber.regions.set([regions[code] for code in codes if code in regions])
            loader.created += 1
        subscribers.append(subscriber)

    # The first issue went out already: its send and delivery rows, as a worker left them.
    if issues and not IssueSend.objects.filter(issue=issues[0]).exists():
        sent_at = now - timedelta(days=45)
        send = IssueSend.objects.create(
            issue=issues[0],
            status=SendStatus.DONE,
            scheduled_for=sent_at,
            started_at=sent_at,
            finished_at=sent_at + timedelta(seconds=4),
            created_by=get_user_model().objects.filter(email="moderazione@paq.example.it").first(),
            recipients=len(subscribers),
        )
        Delivery.objects.bulk_create(
            Delivery(
                send=send,
                subscriber=subscriber,
                status=DeliveryStatus.SENT,
                attempts=1,
                sent_at=sent_at,
            )
            for subscriber in subscribers
        )
        loader.created += 1
