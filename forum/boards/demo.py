"""Demo discussions: a few public threads (one with an expert's recommended answer) and
a reserved one in the showcase body's board. Idempotent: topics are looked up by board
and title; nothing is notified (no demo emails)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.cache import cache

from portal.enti.models import ExpertAssignment

from .models import Board, Topic
from .services import (
    board_for_area,
    post_recommend,
    post_reply,
    topic_moderate,
    topic_start,
)

REFERENT = "referente@paq.example.it"
MEMBER = "membro@paq.example.it"
EXPERT_CAM = "francesca.esposito@esperti.demo.paq.it"
EXPERT_SERVICES = "nicola.lorusso@esperti.demo.paq.it"
EXPERT_SMVP = "antonio.mazzei@esperti.demo.paq.it"
EXPERT_CONTROLS = "giulia.ferraro@esperti.demo.paq.it"

# (board slug, title, author, body, [(author, body, recommended_by or None)], pinned)
PUBLIC_THREADS = [
    (
        "obiettivi-e-indicatori",
        "Come definire indicatori di risultato per l'obiettivo sugli asili nido?",
        REFERENT,
        "Nel Piano della performance abbiamo l'obiettivo «ampliare l'offerta dei servizi per "
        "la prima infanzia». Finora abbiamo usato solo indicatori di attività (numero di "
        "bandi pubblicati). Quali **indicatori di risultato** usate voi, e con quali fonti?",
        [
            (
                EXPERT_SERVICES,
                "Partite dagli obiettivi di servizio: il più usato è il **tasso di copertura** "
                "(posti autorizzati ogni 100 bambini 0-2 anni residenti). Affiancategli:\n\n"
                "- la percentuale di domande soddisfatte sul totale delle domande;\n"
                "- la spesa corrente per bambino iscritto;\n"
                "- la soddisfazione delle famiglie (indagine annuale).\n\n"
                "Fonti: anagrafe, graduatorie del servizio, rendiconto. Fissate un valore di "
                "partenza (baseline) e un target per ciascun anno del triennio.",
                EXPERT_CAM,
            ),
            (
                MEMBER,
                "Grazie, utilissimo. Noi avevamo il dato delle domande ma non la baseline "
                "del tasso di copertura: lo ricaviamo dall'anagrafe al 31 dicembre.",
                None,
            ),
        ],
        True,
    ),
    (
        "controlli-interni",
        "Raccordo tra controllo di gestione e Relazione sulla performance",
        MEMBER,
        "Il referto del controllo di gestione e la Relazione sulla performance riportano "
        "dati diversi sugli stessi servizi. Come li avete allineati?",
        [
            (
                EXPERT_CONTROLS,
                "Conviene partire da un'unica batteria di indicatori per centro di costo, "
                "alimentata dalla contabilità analitica, e usarla in entrambi i documenti: il "
                "referto (art. 198-bis TUEL) guarda all'efficienza, la Relazione ai risultati "
                "rispetto agli obiettivi del PEG. Stessi numeri, due letture.",
                None,
            ),
        ],
        False,
    ),
    (
        "relazione-sulla-performance",
        "Validazione della Relazione da parte del Nucleo di valutazione: tempi e documenti",
        REFERENT,
        "Quest'anno il Nucleo ci chiede la Relazione entro fine maggio per validarla entro "
        "il 30 giugno. Quali documenti allegate per facilitare la validazione?",
        [
            (
                EXPERT_SMVP,
                "Oltre alla Relazione: le schede di rendicontazione degli obiettivi con le "
                "evidenze (atti, report, estrazioni dai gestionali), lo scostamento rispetto "
                "ai target e le motivazioni. Il Nucleo verifica la comprensibilità, la "
                "conformità al SMVP e l'attendibilità dei dati.",
                None,
            ),
        ],
        False,
    ),
]

RESERVED_THREAD = (
    "Verifica intermedia del PAM al 30 giugno: chi raccoglie i dati?",
    REFERENT,
    "Per la verifica intermedia del Piano di Azioni di Miglioramento servono i dati dei "
    "servizi alla persona. Propongo che ogni settore carichi la propria scheda entro il 20 "
    "giugno. @marco.russo puoi coordinare il settore finanziario?",
    [
        (
            MEMBER,
            "D'accordo. Preparo un foglio condiviso con gli indicatori del PEG e lo allego "
            "qui entro venerdì.",
        ),
    ],
)


def load(loader) -> None:
    User = get_user_model()
    people = {u.email: u for u in User.objects.filter(email__contains="@")}
    # The demo writes faster than a person; the per-user write limit is for people.
    cache.delete_many([f"forum-rate:{u.pk}" for u in people.values()])
    for slug, title, author, body, replies, pinned in PUBLIC_THREADS:
        board = Board.objects.get(slug=slug)
        if Topic.objects.filter(board=board, title=title).exists():
            continue
        topic = topic_start(
            board=board, author=people[author], title=title, body=body, notify=False
        )
        loader.created += 1
        for reply_author, reply_body, recommended_by in replies:
            post = post_reply(
                topic=topic, author=people[reply_author], body=reply_body, notify=False
            )
            loader.created += 1
            if recommended_by:
                post_recommend(
                    post=post, user=people[recommended_by], recommended=True, notify=False
                )
        if pinned:
            topic_moderate(topic=topic, user=people[EXPERT_CAM], action="pin")

    from portal.demo.loader import SHOWCASE_ENTE_SLUG
    from portal.pages.models import ReservedAreaPage

    area = ReservedAreaPage.objects.get(ente__slug=SHOWCASE_ENTE_SLUG)
    board = board_for_area(area)
    title, author, body, replies = RESERVED_THREAD
    if Topic.objects.filter(board=board, title=title).exists():
        return
    expert = ExpertAssignment.objects.filter(ente=area.ente).select_related("expert").first()
    topic = topic_start(
        board=board,
        author=people[author],
        title=title,
        body=body,
        assigned_to=expert.expert if expert else None,
        notify=False,
    )
    loader.created += 1
    for reply_author, reply_body in replies:
        post_reply(topic=topic, author=people[reply_author], body=reply_body, notify=False)
        loader.created += 1
    if expert:
        post_reply(
            topic=topic,
            author=expert.expert,
            body="Bene. Nella scheda indicate per ogni indicatore il valore al 30 giugno, il "
            "target annuale e una riga di commento sugli scostamenti: ne parliamo "
            "all'incontro di luglio.",
            notify=False,
        )
        loader.created += 1
