"""Demo and reference data for the PAQ portal ("Valutazione delle Performance").

Pure Python constants, no Django imports. Content text is in Italian and paraphrases the
project documents (Formez PA / Dipartimento della Funzione Pubblica). Bodies are real
Italian administrations, with ISTAT codes and approximate resident population from the
2011 census; people and experts are fictitious; email addresses use demo/example domains.
"""

# Layout is hand-tuned (long strings split by implicit concatenation), keep it as is.
# fmt: off

REGIONS = [
    {"code": "CAL", "name": "Calabria"},
    {"code": "CAM", "name": "Campania"},
    {"code": "PUG", "name": "Puglia"},
    {"code": "SIC", "name": "Sicilia"},
]

# kind: comune | capoluogo | universita | gestione_associata
# cohort: prima_fase (the 45 comuni followed since the first phase) | nuovi_enti
# istat_code and population (2011 census, approximate) only for comuni/capoluoghi.
BODIES = [
    # Campania: comuni, first phase
    {"name": "Comune di Giugliano in Campania", "kind": "comune", "istat_code": "063034",
     "population": 108793, "region": "CAM", "province": "NA", "cohort": "prima_fase",
     "slug": "giugliano-in-campania"},
    {"name": "Comune di Torre del Greco", "kind": "comune", "istat_code": "063084",
     "population": 85922, "region": "CAM", "province": "NA", "cohort": "prima_fase",
     "slug": "torre-del-greco"},
    {"name": "Comune di Pozzuoli", "kind": "comune", "istat_code": "063060", "population": 80357,
     "region": "CAM", "province": "NA", "cohort": "prima_fase", "slug": "pozzuoli"},
    {"name": "Comune di Casoria", "kind": "comune", "istat_code": "063023", "population": 78647,
     "region": "CAM", "province": "NA", "cohort": "prima_fase", "slug": "casoria"},
    {"name": "Comune di Castellammare di Stabia", "kind": "comune", "istat_code": "063024",
     "population": 65944, "region": "CAM", "province": "NA", "cohort": "prima_fase",
     "slug": "castellammare-di-stabia"},
    {"name": "Comune di Afragola", "kind": "comune", "istat_code": "063002", "population": 63820,
     "region": "CAM", "province": "NA", "cohort": "prima_fase", "slug": "afragola"},
    {"name": "Comune di Portici", "kind": "comune", "istat_code": "063059", "population": 55765,
     "region": "CAM", "province": "NA", "cohort": "prima_fase", "slug": "portici"},
    {"name": "Comune di Cava de' Tirreni", "kind": "comune", "istat_code": "065037",
     "population": 53885, "region": "CAM", "province": "SA", "cohort": "prima_fase",
     "slug": "cava-de-tirreni"},
    {"name": "Comune di Battipaglia", "kind": "comune", "istat_code": "065014",
     "population": 50464, "region": "CAM", "province": "SA", "cohort": "prima_fase",
     "slug": "battipaglia"},
    {"name": "Comune di Nocera Inferiore", "kind": "comune", "istat_code": "065078",
     "population": 46563, "region": "CAM", "province": "SA", "cohort": "prima_fase",
     "slug": "nocera-inferiore"},
    {"name": "Comune di Eboli", "kind": "comune", "istat_code": "065050", "population": 38219,
     "region": "CAM", "province": "SA", "cohort": "prima_fase", "slug": "eboli"},
    {"name": "Comune di Aversa", "kind": "comune", "istat_code": "061005", "population": 52830,
     "region": "CAM", "province": "CE", "cohort": "prima_fase", "slug": "aversa"},
    {"name": "Comune di Marcianise", "kind": "comune", "istat_code": "061049", "population": 40297,
     "region": "CAM", "province": "CE", "cohort": "prima_fase", "slug": "marcianise"},
    {"name": "Comune di Ariano Irpino", "kind": "comune", "istat_code": "064005",
     "population": 22517, "region": "CAM", "province": "AV", "cohort": "prima_fase",
     "slug": "ariano-irpino"},
    # Puglia: comuni, first phase
    {"name": "Comune di Altamura", "kind": "comune", "istat_code": "072004", "population": 69529,
     "region": "PUG", "province": "BA", "cohort": "prima_fase", "slug": "altamura"},
    {"name": "Comune di Molfetta", "kind": "comune", "istat_code": "072029", "population": 60433,
     "region": "PUG", "province": "BA", "cohort": "prima_fase", "slug": "molfetta"},
    {"name": "Comune di Bitonto", "kind": "comune", "istat_code": "072011", "population": 56258,
     "region": "PUG", "province": "BA", "cohort": "prima_fase", "slug": "bitonto"},
    {"name": "Comune di Monopoli", "kind": "comune", "istat_code": "072030", "population": 48529,
     "region": "PUG", "province": "BA", "cohort": "prima_fase", "slug": "monopoli"},
    {"name": "Comune di Cerignola", "kind": "comune", "istat_code": "071020", "population": 56653,
     "region": "PUG", "province": "FG", "cohort": "prima_fase", "slug": "cerignola"},
    {"name": "Comune di Manfredonia", "kind": "comune", "istat_code": "071029",
     "population": 56257, "region": "PUG", "province": "FG", "cohort": "prima_fase",
     "slug": "manfredonia"},
    {"name": "Comune di San Severo", "kind": "comune", "istat_code": "071051", "population": 54906,
     "region": "PUG", "province": "FG", "cohort": "prima_fase", "slug": "san-severo"},
    {"name": "Comune di Bisceglie", "kind": "comune", "istat_code": "110003", "population": 54678,
     "region": "PUG", "province": "BT", "cohort": "prima_fase", "slug": "bisceglie"},
    {"name": "Comune di Martina Franca", "kind": "comune", "istat_code": "073013",
     "population": 49009, "region": "PUG", "province": "TA", "cohort": "prima_fase",
     "slug": "martina-franca"},
    {"name": "Comune di Grottaglie", "kind": "comune", "istat_code": "073008", "population": 32503,
     "region": "PUG", "province": "TA", "cohort": "prima_fase", "slug": "grottaglie"},
    {"name": "Comune di Fasano", "kind": "comune", "istat_code": "074007", "population": 39482,
     "region": "PUG", "province": "BR", "cohort": "prima_fase", "slug": "fasano"},
    {"name": "Comune di Nardò", "kind": "comune", "istat_code": "075052", "population": 31688,
     "region": "PUG", "province": "LE", "cohort": "prima_fase", "slug": "nardo"},
    {"name": "Comune di Galatina", "kind": "comune", "istat_code": "075029", "population": 27214,
     "region": "PUG", "province": "LE", "cohort": "prima_fase", "slug": "galatina"},
    # Sicilia: comuni, first phase
    {"name": "Comune di Marsala", "kind": "comune", "istat_code": "081011", "population": 80218,
     "region": "SIC", "province": "TP", "cohort": "prima_fase", "slug": "marsala"},
    {"name": "Comune di Mazara del Vallo", "kind": "comune", "istat_code": "081012",
     "population": 49995, "region": "SIC", "province": "TP", "cohort": "prima_fase",
     "slug": "mazara-del-vallo"},
    {"name": "Comune di Gela", "kind": "comune", "istat_code": "085007", "population": 75668,
     "region": "SIC", "province": "CL", "cohort": "prima_fase", "slug": "gela"},
    {"name": "Comune di Vittoria", "kind": "comune", "istat_code": "088012", "population": 61006,
     "region": "SIC", "province": "RG", "cohort": "prima_fase", "slug": "vittoria"},
    {"name": "Comune di Modica", "kind": "comune", "istat_code": "088006", "population": 53959,
     "region": "SIC", "province": "RG", "cohort": "prima_fase", "slug": "modica"},
    {"name": "Comune di Bagheria", "kind": "comune", "istat_code": "082006", "population": 54257,
     "region": "SIC", "province": "PA", "cohort": "prima_fase", "slug": "bagheria"},
    {"name": "Comune di Acireale", "kind": "comune", "istat_code": "087004", "population": 51456,
     "region": "SIC", "province": "CT", "cohort": "prima_fase", "slug": "acireale"},
    {"name": "Comune di Paternò", "kind": "comune", "istat_code": "087033", "population": 47870,
     "region": "SIC", "province": "CT", "cohort": "prima_fase", "slug": "paterno"},
    {"name": "Comune di Caltagirone", "kind": "comune", "istat_code": "087011",
     "population": 38123, "region": "SIC", "province": "CT", "cohort": "prima_fase",
     "slug": "caltagirone"},
    {"name": "Comune di Barcellona Pozzo di Gotto", "kind": "comune", "istat_code": "083005",
     "population": 41632, "region": "SIC", "province": "ME", "cohort": "prima_fase",
     "slug": "barcellona-pozzo-di-gotto"},
    {"name": "Comune di Milazzo", "kind": "comune", "istat_code": "083049", "population": 32146,
     "region": "SIC", "province": "ME", "cohort": "prima_fase", "slug": "milazzo"},
    {"name": "Comune di Sciacca", "kind": "comune", "istat_code": "084041", "population": 40899,
     "region": "SIC", "province": "AG", "cohort": "prima_fase", "slug": "sciacca"},
    {"name": "Comune di Augusta", "kind": "comune", "istat_code": "089001", "population": 36169,
     "region": "SIC", "province": "SR", "cohort": "prima_fase", "slug": "augusta"},
    # Calabria: comuni, first phase
    {"name": "Comune di Lamezia Terme", "kind": "comune", "istat_code": "079160",
     "population": 70336, "region": "CAL", "province": "CZ", "cohort": "prima_fase",
     "slug": "lamezia-terme"},
    # Formed in 2018 by merging Corigliano Calabro and Rossano: current ISTAT code,
    # population is the 2011 total of the two former comuni.
    {"name": "Comune di Corigliano-Rossano", "kind": "comune", "istat_code": "078157",
     "population": 74848, "region": "CAL", "province": "CS", "cohort": "prima_fase",
     "slug": "corigliano-rossano"},
    {"name": "Comune di Rende", "kind": "comune", "istat_code": "078102", "population": 33555,
     "region": "CAL", "province": "CS", "cohort": "prima_fase", "slug": "rende"},
    {"name": "Comune di Castrovillari", "kind": "comune", "istat_code": "078033",
     "population": 22515, "region": "CAL", "province": "CS", "cohort": "prima_fase",
     "slug": "castrovillari"},
    {"name": "Comune di Acri", "kind": "comune", "istat_code": "078003", "population": 21458,
     "region": "CAL", "province": "CS", "cohort": "prima_fase", "slug": "acri"},
    # New bodies: provincial capitals (comuni capoluogo)
    {"name": "Comune di Catanzaro", "kind": "capoluogo", "istat_code": "079023",
     "population": 89364, "region": "CAL", "province": "CZ", "cohort": "nuovi_enti",
     "slug": "catanzaro"},
    {"name": "Comune di Cosenza", "kind": "capoluogo", "istat_code": "078045", "population": 69484,
     "region": "CAL", "province": "CS", "cohort": "nuovi_enti", "slug": "cosenza"},
    {"name": "Comune di Benevento", "kind": "capoluogo", "istat_code": "062008",
     "population": 61489, "region": "CAM", "province": "BN", "cohort": "nuovi_enti",
     "slug": "benevento"},
    {"name": "Comune di Foggia", "kind": "capoluogo", "istat_code": "071024", "population": 147036,
     "region": "PUG", "province": "FG", "cohort": "nuovi_enti", "slug": "foggia"},
    {"name": "Comune di Trapani", "kind": "capoluogo", "istat_code": "081021", "population": 69241,
     "region": "SIC", "province": "TP", "cohort": "nuovi_enti", "slug": "trapani"},
    {"name": "Comune di Agrigento", "kind": "capoluogo", "istat_code": "084001",
     "population": 58323, "region": "SIC", "province": "AG", "cohort": "nuovi_enti",
     "slug": "agrigento"},
    # New bodies: universities
    {"name": "Università della Calabria", "kind": "universita", "istat_code": "",
     "population": None, "region": "CAL", "province": "CS", "cohort": "nuovi_enti",
     "slug": "universita-calabria"},
    {"name": "Università degli Studi di Salerno", "kind": "universita", "istat_code": "",
     "population": None, "region": "CAM", "province": "SA", "cohort": "nuovi_enti",
     "slug": "universita-salerno"},
    {"name": "Università degli Studi di Foggia", "kind": "universita", "istat_code": "",
     "population": None, "region": "PUG", "province": "FG", "cohort": "nuovi_enti",
     "slug": "universita-foggia"},
    {"name": "Università degli Studi di Catania", "kind": "universita", "istat_code": "",
     "population": None, "region": "SIC", "province": "CT", "cohort": "nuovi_enti",
     "slug": "universita-catania"},
    # New bodies: associated-service unions
    {"name": "Unione dei Comuni della Grecìa Salentina", "kind": "gestione_associata",
     "istat_code": "", "population": None, "region": "PUG", "province": "LE",
     "cohort": "nuovi_enti", "slug": "unione-grecia-salentina"},
    {"name": "Unione dei Comuni del Reventino", "kind": "gestione_associata", "istat_code": "",
     "population": None, "region": "CAL", "province": "CZ", "cohort": "nuovi_enti",
     "slug": "unione-reventino"},
]

# Fictitious demo users are generated by combining these two lists.
PEOPLE_FIRST_NAMES = [
    "Giuseppe", "Maria", "Antonio", "Anna", "Francesco", "Giovanna", "Salvatore", "Rosa",
    "Vincenzo", "Angela", "Domenico", "Carmela", "Giovanni", "Teresa", "Pasquale", "Francesca",
    "Luigi", "Lucia", "Michele", "Concetta", "Raffaele", "Patrizia", "Gaetano", "Rita",
    "Alessandro", "Chiara", "Andrea", "Federica", "Fabio", "Simona",
]

PEOPLE_LAST_NAMES = [
    "Esposito", "Russo", "Romano", "Greco", "Caruso", "Ferrara", "Rizzo", "Costa", "Gallo",
    "Lombardo", "Marino", "Bruno", "Vitale", "Palumbo", "Amato", "Messina", "Sorrentino", "Santoro",
    "Leone", "Longo", "Coppola", "Pellegrino", "Parisi", "Fiore", "Mancuso", "Morabito", "Scuderi",
    "Cuomo", "Iovine", "Lorusso", "Mastrangelo", "Cannizzaro", "Catalano", "Napolitano", "Guarino",
    "Marchese", "Arena", "Barbaro", "Calabrese", "Ruggiero",
]

# Fictitious territorial experts (regions: 1-2 region codes each).
EXPERTS = [
    {"first_name": "Giulia", "last_name": "Ferraro", "email": "giulia.ferraro@esperti.demo.paq.it",
     "regions": ["CAL"], "bio": "Si occupa da anni di controllo di gestione e contabilità "
        "analitica negli enti locali. Affianca i comuni nel collegare gli obiettivi del PEG ai "
        "centri di costo."},
    {"first_name": "Antonio", "last_name": "Mazzei", "email": "antonio.mazzei@esperti.demo.paq.it",
     "regions": ["CAL", "SIC"], "bio": "Esperto di sistemi di misurazione e valutazione della "
        "performance, ha fatto parte di diversi Nuclei di Valutazione. Segue la revisione degli "
        "SMVP e la validazione della Relazione sulla Performance."},
    {"first_name": "Francesca", "last_name": "Esposito",
     "email": "francesca.esposito@esperti.demo.paq.it", "regions": ["CAM"],
     "bio": "Lavora sul bilancio armonizzato e sull'integrazione tra programmazione "
        "economico-finanziaria e ciclo della performance, dal DUP al PEG."},
    {"first_name": "Marco", "last_name": "Russo", "email": "marco.russo@esperti.demo.paq.it",
     "regions": ["CAM"], "bio": "Consulente di organizzazione e gestione delle risorse umane, si "
        "occupa di valutazione della performance individuale e di sistemi premianti."},
    {"first_name": "Valentina", "last_name": "De Santis",
     "email": "valentina.desantis@esperti.demo.paq.it", "regions": ["PUG"],
     "bio": "Esperta di pianificazione strategica negli enti locali, aiuta le amministrazioni a "
        "tradurre il programma di mandato in obiettivi e indicatori misurabili."},
    {"first_name": "Nicola", "last_name": "Lorusso", "email": "nicola.lorusso@esperti.demo.paq.it",
     "regions": ["PUG", "CAM"], "bio": "Si occupa di obiettivi di servizio e di servizi pubblici "
        "locali, in particolare gestione dei rifiuti urbani e servizio idrico integrato. "
        "Accompagna i comuni nella costruzione dei PAM."},
    {"first_name": "Salvatore", "last_name": "Caruso",
     "email": "salvatore.caruso@esperti.demo.paq.it", "regions": ["SIC"],
     "bio": "Segue i temi della trasparenza e della rendicontazione: redazione della Relazione "
        "sulla Performance e pubblicazione in Amministrazione trasparente."},
    {"first_name": "Elena", "last_name": "Lombardo", "email": "elena.lombardo@esperti.demo.paq.it",
     "regions": ["SIC", "PUG"], "bio": "Esperta di indicatori di qualità dei servizi e di indagini "
        "sulla soddisfazione degli utenti, supporta il monitoraggio intermedio degli obiettivi."},
]

# Public content tree. Blocks: heading (text), paragraph (simple HTML), callout
# ({title, text}). Internal links assume pages are served at /<slug>/ under the home.
CONTENT_PAGES = [
    {
        "slug": "il-progetto", "title": "Il progetto",
        "intro": "Un percorso di affiancamento che aiuta le amministrazioni del Mezzogiorno a "
            "gestire l'intero Ciclo della Performance, dalla programmazione alla rendicontazione "
            "dei risultati.",
        "body": [
            {"type": "heading", "value": "Perché nasce"},
            {"type": "paragraph", "value": "<p>Il progetto <em>Valutazione delle performance, "
                "benchmarking e partecipazione dei cittadini per il miglioramento dei servizi "
                "pubblici</em> è promosso dal Dipartimento della Funzione Pubblica e realizzato "
                "da Formez PA con le risorse del PON <em>Governance e Azioni di Sistema</em> "
                "(FSE) 2007-2013, Obiettivo Convergenza, Asse E <em>Capacità istituzionale</em>. "
                "Si rivolge alle amministrazioni di Calabria, Campania, Puglia e Sicilia e le "
                "sostiene nell'applicare i principi del D.Lgs. 150/2009 per migliorare "
                "efficienza, produttività ed efficacia.</p>"},
            {"type": "paragraph", "value": "<p>L'esperienza maturata sul campo mostra che in molti "
                "enti la cultura della gestione della performance è ancora fragile. Anche dove "
                "esistono strumenti di pianificazione e valutazione, spesso mancano i raccordi "
                "tra pianificazione strategica, programmazione operativa e programmazione "
                "finanziaria, tra performance individuale e performance organizzativa, tra "
                "monitoraggio dei risultati e rendicontazione.</p>"},
            {"type": "heading", "value": "Gli obiettivi"},
            {"type": "paragraph", "value": "<p>Il progetto lavora su tre "
                "direttrici:</p><ul><li>accompagnare i comuni tra 20.000 e 250.000 abitanti che "
                "hanno già adottato il Sistema di misurazione e valutazione (SMVP) e il Piano "
                "della Performance (PdP) nelle fasi di monitoraggio e valutazione, fino alla "
                "stesura della Relazione sulla Performance;</li><li>affiancare nuove "
                "amministrazioni, cioè comuni capoluogo, università e gestioni associate di "
                "servizi, mettendo a frutto metodi e strumenti sperimentati nella prima "
                "fase;</li><li>costruire reti di cooperazione tra amministrazioni "
                "<em>virtuose</em> del Sud e del resto del Paese sui sistemi di performance "
                "management.</li></ul>"},
            {"type": "heading", "value": "Le fasi"},
            {"type": "paragraph", "value": "<p><strong>Prima fase.</strong> Partita operativamente "
                "nel settembre 2010 e con chiusura prevista a giugno 2012, si è concentrata sui "
                "comuni delle regioni Convergenza con popolazione tra 20.000 e 250.000 abitanti. "
                "Nelle diverse linee di attività ha raggiunto oltre 183 amministrazioni comunali "
                "e ha accompagnato verso la chiusura oltre 60 tra Sistemi di misurazione e "
                "valutazione e Piani della Performance.</p>"},
            {"type": "paragraph", "value": "<p><strong>Seconda fase (2012-2013).</strong> Con "
                "l'atto aggiuntivo alla convenzione tra Dipartimento e Formez PA, firmato il 25 "
                "giugno 2012, le attività proseguono fino a giugno 2014. Lo scopo è completare "
                "il ciclo: rafforzare la capacità dei comuni di valutare e rendicontare i "
                "risultati, legare il ciclo della performance alla programmazione finanziaria e "
                "coprire gli obiettivi di servizio del QSN 2007-2013. L'affiancamento dei 45 "
                "comuni partecipanti è cominciato in ottobre con l'analisi del loro ciclo di "
                "gestione della performance; oggi tutti stanno avviando i propri Piani di Azioni "
                "di Miglioramento.</p>"},
            {"type": "callout", "value": {"title": "Chi partecipa",
             "text": "Alla seconda fase prendono parte 45 comuni di Calabria, Campania, Puglia e "
                "Sicilia. A questi si aggiungono nuove amministrazioni: comuni capoluogo di "
                "provincia, università e gestioni associate di servizi comunali."}},
        ],
        "children": [
            {
                "slug": "linee-di-attivita", "title": "Linee di attività",
                "intro": "Affiancamento sul territorio, webinar, piani di miglioramento, confronto "
                    "tra amministrazioni e comunicazione dei risultati.",
                "body": [
                    {"type": "heading", "value": "Affiancamento degli esperti territoriali"},
                    {"type": "paragraph", "value": "<p>In ciascuna delle quattro regioni opera un "
                        "<strong>task team territoriale</strong> composto da un referente "
                        "regionale, che coordina il lavoro, da esperti territoriali che seguono "
                        "le singole amministrazioni e da una segreteria regionale di supporto. "
                        "Per i comuni già coinvolti l'affiancamento riguarda monitoraggio, "
                        "valutazione e rendicontazione, con particolare attenzione agli "
                        "obiettivi di servizio inseriti nel Piano della Performance. Si articola "
                        "in:</p><ul><li>incontri regionali di confronto tra i comuni aderenti, "
                        "in cui si trasferiscono metodi e tecniche di monitoraggio e "
                        "valutazione;</li><li>supporto a distanza durante l'attuazione degli "
                        "interventi;</li><li>supporto individuale, <em>one to one</em>, a "
                        "ciascun comune.</li></ul>"},
                    {"type": "paragraph", "value": "<p>Per le nuove amministrazioni il percorso "
                        "parte da un'indagine conoscitiva sullo stato di attuazione del D.Lgs. "
                        "150/2009 e prosegue con l'affiancamento in presenza di gruppi di lavoro "
                        "interni, singoli o organizzati per cluster. All'ente è chiesto di "
                        "attraversare tre passaggi: un'autodiagnosi dei propri sistemi di "
                        "misurazione, controllo e valutazione; una fase di miglioramento per "
                        "colmare le lacune di competenze e processi; infine l'elaborazione e "
                        "l'avvio di SMVP e Piano della Performance.</p>"},
                    {"type": "heading", "value": "Review del ciclo e RoundTable"},
                    {"type": "paragraph", "value": "<p>In un gruppo ristretto di amministrazioni "
                        "(al massimo 20, scelte tra comuni capoluogo, università e gestioni "
                        "associate con diversi livelli di maturità) viene condotta una "
                        "<strong>review</strong> completa del ciclo, fino alla Relazione sulla "
                        "Performance, con raccomandazioni di miglioramento. Le <em>leading "
                        "practice</em> e le lezioni apprese alimentano l'affiancamento degli "
                        "altri enti. Per i capoluoghi con i sistemi più evoluti sono previsti "
                        "anche una mappatura dei sistemi di performance management e "
                        "<em>RoundTable</em> nazionali periodici dedicati a direttori e "
                        "segretari generali.</p>"},
                    {"type": "heading", "value": "Webinar"},
                    {"type": "paragraph", "value": "<p>I webinar sono seminari tematici online che "
                        "completano il lavoro degli esperti presso le amministrazioni. Si "
                        "rivolgono soprattutto a chi guida il ciclo negli enti: direttori "
                        "generali, segretari generali, dirigenti, funzionari apicali e "
                        "componenti degli Organismi indipendenti di valutazione. La piattaforma "
                        "consente di seguire in diretta, porre domande in chat, condividere "
                        "documenti e confrontarsi con i relatori, senza spostamenti e a costi "
                        "contenuti. Il primo ciclo, tra gennaio e marzo 2013, ha toccato quattro "
                        "temi:</p><ul><li>22 gennaio: lo sviluppo del Ciclo di Gestione della "
                        "Performance nel progetto;</li><li>5 febbraio: la costruzione di "
                        "obiettivi e indicatori;</li><li>12 febbraio: la Legge 213 e il "
                        "rafforzamento del sistema dei controlli;</li><li>5 marzo: "
                        "l'integrazione tra programmazione economico-finanziaria e ciclo della "
                        "performance.</li></ul>"},
                    {"type": "heading", "value": "Piani di Azioni di Miglioramento"},
                    {"type": "paragraph", "value": "<p>Ogni comune traduce le priorità emerse "
                        "dall'analisi in un <a href='/piani-di-miglioramento/'>Piano di Azioni "
                        "di Miglioramento</a>: un progetto vero e proprio, con obiettivi, tempi, "
                        "responsabili e indicatori, seguito dagli esperti lungo tutto il "
                        "percorso.</p>"},
                    {"type": "heading", "value": "Valorizzazione, portale e banche dati"},
                    {"type": "paragraph", "value": "<p>I risultati vengono fatti conoscere con "
                        "incontri regionali organizzati insieme alle amministrazioni che "
                        "concludono con successo il percorso, con eventi di rilievo nazionale e "
                        "attraverso questo portale, che offre:</p><ul><li>aree riservate, forum "
                        "e chat per lavorare insieme a distanza;</li><li>focus e approfondimenti "
                        "sui prodotti del progetto;</li><li>banche dati consultabili "
                        "online;</li><li>una sezione dedicata al progetto, aggiornata con "
                        "continuità.</li></ul>"},
                    {"type": "heading", "value": "Newsletter"},
                    {"type": "paragraph", "value": "<p>Una newsletter mensile racconta le attività "
                        "del progetto e dà visibilità al lavoro delle amministrazioni "
                        "partecipanti. I contenuti seguono un piano editoriale curato dalla "
                        "redazione.</p>"},
                ],
                "children": [],
            },
            {
                "slug": "risultati-attesi", "title": "Risultati attesi",
                "intro": "A chi si rivolge la seconda fase del progetto e quali prodotti si "
                    "impegna a realizzare entro giugno 2014.",
                "body": [
                    {"type": "heading", "value": "Le amministrazioni destinatarie"},
                    {"type": "paragraph", "value": "<p>Il progetto si rivolge a:</p><ul><li>circa "
                        "80 comuni che stanno completando la definizione del Piano della "
                        "Performance;</li><li>25 comuni capoluogo di provincia;</li><li>23 "
                        "università, dopo aver verificato come si applica loro il D.Lgs. "
                        "150/2009;</li><li>le gestioni associate di servizi comunali che "
                        "sceglieranno di aderire.</li></ul>"},
                    {"type": "heading", "value": "I risultati"},
                    {"type": "paragraph", "value": "<p>Nell'arco di 24 mesi, fino a giugno 2014, "
                        "il progetto punta a ottenere:</p><ul><li><strong>almeno 40 Relazioni "
                        "sulla Performance</strong> redatte dalle amministrazioni "
                        "affiancate;</li><li><strong>almeno 40 tra Sistemi di misurazione e "
                        "valutazione e Piani della Performance</strong> adottati.</li></ul>"},
                    {"type": "paragraph", "value": "<p>Oltre ai documenti, il progetto lascia agli "
                        "enti competenze interne più solide, strumenti e metodi già sperimentati "
                        "e una raccolta di pratiche di riferimento. Alla fine del percorso è "
                        "prevista una valutazione tecnica delle esperienze, accompagnata da "
                        "raccomandazioni.</p>"},
                    {"type": "callout", "value": {"title": "Il punto di partenza",
                     "text": "Nella prima fase oltre 183 amministrazioni comunali hanno preso "
                        "parte alle attività e oltre 60 tra SMVP e Piani della Performance "
                        "erano in fase di chiusura."}},
                ],
                "children": [],
            },
        ],
    },
    {
        "slug": "ciclo-della-performance", "title": "Il Ciclo di Gestione della Performance",
        "intro": "Le fasi con cui un ente pianifica, misura, valuta e rende conto dei risultati, "
            "secondo il D.Lgs. 150/2009 come modificato dal D.Lgs. 74/2017.",
        "body": [
            {"type": "heading", "value": "Che cos'è"},
            {"type": "paragraph", "value": "<p>Il Ciclo di Gestione della Performance (CGP) è il "
                "percorso annuale con cui un'amministrazione stabilisce che cosa vuole ottenere, "
                "verifica strada facendo se ci sta riuscendo, misura e valuta i risultati "
                "raggiunti e ne rende conto a cittadini e portatori di interesse. La performance "
                "si misura su tre livelli: l'ente nel suo complesso, le singole unità "
                "organizzative e le persone.</p>"},
            {"type": "paragraph", "value": "<p>Il ciclo si sviluppa in sei fasi:</p><ol><li><a "
                "href='/ciclo-della-performance/programmazione/'>la programmazione "
                "dell'ente</a>;</li><li><a "
                "href='/ciclo-della-performance/obiettivi-e-indicatori/'>la definizione e "
                "l'assegnazione di obiettivi e indicatori</a>;</li><li><a "
                "href='/ciclo-della-performance/monitoraggio/'>il monitoraggio in corso "
                "d'anno</a>;</li><li><a "
                "href='/ciclo-della-performance/misurazione-e-valutazione/'>la misurazione e la "
                "valutazione della performance organizzativa e individuale</a>;</li><li><a "
                "href='/ciclo-della-performance/premialita/'>l'uso dei sistemi premianti secondo "
                "il merito</a>;</li><li><a href='/ciclo-della-performance/rendicontazione/'>la "
                "rendicontazione dei risultati</a>.</li></ol>"},
            {"type": "paragraph", "value": "<p>Gli attori principali sono gli organi politici "
                "(Sindaco o Presidente dell'Unione, Giunta, Consiglio), il Segretario generale o "
                "il Direttore, che coordina l'intero processo, i Responsabili di Area e "
                "l'Organismo indipendente di valutazione (OIV) o Nucleo di Valutazione (NdV), "
                "che accompagna e verifica ogni passaggio.</p>"},
            {"type": "callout", "value": {"title": "Un modello di riferimento",
             "text": "Tempi e responsabilità descritti in queste pagine seguono una procedura tipo "
                "pensata per comuni e unioni di comuni (anno N = esercizio di riferimento). "
                "Ogni ente li adatta al proprio regolamento di organizzazione e di contabilità."}},
        ],
        "children": [
            {
                "slug": "programmazione", "title": "La programmazione dell'ente",
                "intro": "Il quadro di documenti programmatici da cui discendono gli obiettivi "
                    "misurati e rendicontati nel ciclo.",
                "body": [
                    {"type": "heading", "value": "Dal programma di mandato al PDO"},
                    {"type": "paragraph", "value": "<p>La programmazione è la cornice in cui "
                        "lavora il Sistema di misurazione e valutazione. Il punto di partenza è "
                        "il <strong>programma di mandato</strong>, con cui il candidato Sindaco "
                        "e le forze che lo sostengono indicano gli interventi per la "
                        "legislatura. Da esso discendono:</p><ul><li>il <strong>Documento Unico "
                        "di Programmazione (DUP)</strong>: la sezione strategica, che dura "
                        "quanto il mandato, fissa gli indirizzi strategici; la sezione "
                        "operativa, triennale, individua gli obiettivi strategici;</li><li>il "
                        "<strong>Piano Esecutivo di Gestione (PEG)</strong>, che assegna "
                        "obiettivi e risorse ai responsabili;</li><li>il <strong>Piano "
                        "Dettagliato degli Obiettivi (PDO)</strong>, che declina gli obiettivi "
                        "in risultati attesi e indicatori.</li></ul>"},
                    {"type": "heading", "value": "Chi fa che cosa a inizio mandato"},
                    {"type": "paragraph", "value": "<p>Il Sindaco (o il Presidente dell'Unione) e "
                        "gli amministratori traducono il programma di mandato nelle politiche "
                        "del DUP, indicandone contenuti, tempi e priorità. Il Segretario "
                        "generale, il Direttore e i Responsabili di Area li aiutano a "
                        "trasformare le politiche in obiettivi realizzabili, con risultati "
                        "attesi e indicatori che ne rendano trasparente l'attuazione. Sempre in "
                        "questa fase l'ente adotta il proprio modello di misurazione e "
                        "valutazione della performance, coerente con il D.Lgs. 150/2009.</p>"},
                    {"type": "paragraph", "value": "<p>Perché la programmazione regga, gli "
                        "strumenti devono rispettare tre condizioni:</p><ul><li>gli obiettivi "
                        "annuali si collegano agli obiettivi strategici della sezione operativa "
                        "del DUP;</li><li>la programmazione degli obiettivi ha orizzonte "
                        "triennale ed è coerente con le risorse finanziarie e umane "
                        "assegnate;</li><li>ogni obiettivo è riferito alla struttura delle "
                        "responsabilità organizzative e al piano dei conti o ai centri di costo "
                        "e di ricavo.</li></ul>"},
                    {"type": "callout", "value": {"title": "Integrare performance e bilancio",
                     "text": "Obiettivi senza risorse restano sulla carta. Il progetto insiste sul "
                        "raccordo tra ciclo della performance e programmazione "
                        "economico-finanziaria: gli obiettivi di PEG e PDO vanno resi coerenti "
                        "con il bilancio di previsione e con le risorse assegnate. Al tema è "
                        "dedicato anche uno dei webinar del primo ciclo."}},
                ],
                "children": [],
            },
            {
                "slug": "obiettivi-e-indicatori", "title": "Obiettivi e indicatori",
                "intro": "Come si passa dagli indirizzi strategici a obiettivi assegnati, "
                    "misurabili e coerenti con le risorse.",
                "body": [
                    {"type": "heading", "value": "Il calendario dell'anno precedente"},
                    {"type": "paragraph", "value": "<p>Entro settembre dell'anno N-1 il Sindaco e "
                        "la Giunta, alla luce degli indirizzi del DUP e dei cambiamenti "
                        "intervenuti, fissano obiettivi strategici e priorità. Il Segretario "
                        "generale o il Direttore cura la redazione del DUP, lo sottopone alla "
                        "Giunta entro il 31 luglio e lo trasmette al Consiglio entro settembre, "
                        "secondo i tempi del regolamento di contabilità.</p>"},
                    {"type": "paragraph", "value": "<p>Tra settembre e dicembre i Responsabili di "
                        "Area, coordinati dal Segretario o dal Direttore, collaborano "
                        "all'eventuale nota di aggiornamento del DUP, approvata dal Consiglio "
                        "insieme al bilancio di previsione. Poi, partendo dagli obiettivi "
                        "strategici, propongono obiettivi di sviluppo o di mantenimento coerenti "
                        "con la missione del servizio, coinvolgendo i propri collaboratori. Le "
                        "schede obiettivo, complete di indicatori e rese compatibili con le "
                        "risorse disponibili, formano il PEG e il PDO.</p>"},
                    {"type": "paragraph", "value": "<p>A dicembre la Giunta verifica che PEG e PDO "
                        "siano coerenti con il DUP, li integra se serve e li approva, entro 20 "
                        "giorni dall'approvazione del bilancio di previsione. Con questo atto "
                        "amministratori e responsabili si assumono in modo esplicito le priorità "
                        "dell'azione amministrativa. A gennaio il Segretario presenta PEG e PDO "
                        "alla struttura, li pubblica sul sito dell'ente, concorda con i "
                        "Responsabili di Area come verrà controllato l'avanzamento e si assicura "
                        "che il personale conosca il legame tra obiettivi raggiunti e "
                        "premialità.</p>"},
                    {"type": "paragraph", "value": "<p>Ogni scheda obiettivo del PEG e del PDO "
                        "dovrebbe indicare almeno:</p><ul><li>l'indirizzo strategico del DUP a "
                        "cui si collega;</li><li>il responsabile e la struttura che lo "
                        "realizza;</li><li>i risultati attesi, espressi con indicatori di "
                        "processo e di risultato;</li><li>l'anno o gli anni di "
                        "riferimento.</li></ul><p>Nel corso dell'esercizio PEG e PDO possono "
                        "essere rivisti, seguendo la stessa procedura usata per approvarli.</p>"},
                    {"type": "callout", "value": {"title": "Il ruolo di OIV e NdV",
                     "text": "L'Organismo indipendente di valutazione o il Nucleo di Valutazione "
                        "assiste la struttura nella stesura dei documenti di programmazione, "
                        "esamina contenuti e metodi con cui sono stati formulati gli obiettivi, "
                        "ne verifica la coerenza con il D.Lgs. 150/2009 e controlla il rispetto "
                        "delle regole sulla trasparenza."}},
                ],
                "children": [],
            },
            {
                "slug": "monitoraggio", "title": "Il monitoraggio",
                "intro": "Seguire l'avanzamento degli obiettivi durante l'anno, con una verifica "
                    "intermedia sui dati al 30 giugno.",
                "body": [
                    {"type": "heading", "value": "Durante l'esercizio"},
                    {"type": "paragraph", "value": "<p>I <strong>Responsabili di Area</strong> "
                        "guidano la realizzazione dei programmi: organizzano il lavoro, "
                        "assegnano ai collaboratori obiettivi individuali o di gruppo, tengono "
                        "informato il personale sull'avanzamento e discutono le cause di ritardi "
                        "e scostamenti. Riferiscono periodicamente al Segretario generale o al "
                        "Direttore e, attraverso di lui o direttamente, agli amministratori, "
                        "proponendo soluzioni quando i programmi non procedono come previsto. A "
                        "loro spetta anche gestire gli strumenti di monitoraggio e misurare i "
                        "risultati nei tempi concordati con il Nucleo di Valutazione.</p>"},
                    {"type": "paragraph", "value": "<p>Il <strong>Segretario generale</strong> "
                        "coordina il sistema di programmazione e controllo: convoca le riunioni "
                        "di verifica periodica, aiuta i responsabili a individuare e risolvere i "
                        "problemi e garantisce agli amministratori un'informazione corretta "
                        "sullo stato degli obiettivi.</p>"},
                    {"type": "heading", "value": "La verifica intermedia al 30 giugno"},
                    {"type": "paragraph", "value": "<p>I risultati vanno rilevati almeno ogni sei "
                        "mesi: a luglio, con i dati al 30 giugno, e a fine esercizio. Entro "
                        "luglio ogni Responsabile di Area e ogni dipendente riceve un riscontro "
                        "formale intermedio sul livello di performance raggiunto fino a quel "
                        "momento. Il Nucleo di Valutazione partecipa alle riunioni di verifica, "
                        "incontra i Responsabili di Area al termine del semestre, valida il "
                        "monitoraggio intermedio della performance complessiva dell'ente e ne "
                        "riporta gli esiti in una relazione intermedia destinata "
                        "all'amministrazione. I risultati sono poi diffusi attraverso il sito "
                        "istituzionale, nel rispetto dei principi di trasparenza e integrità.</p>"},
                    {"type": "callout", "value": {"title": "Correggere la rotta",
                     "text": "Sulla base dei report dei Responsabili di Area e delle relazioni del "
                        "Nucleo, gli amministratori verificano il grado di raggiungimento degli "
                        "obiettivi e concordano con il Segretario le misure correttive. Gli "
                        "esiti del monitoraggio possono portare ad aggiornare DUP, PEG e PDO."}},
                ],
                "children": [],
            },
            {
                "slug": "misurazione-e-valutazione",
                "title": "Misurazione e valutazione della performance",
                "intro": "A inizio anno si misura quanto è stato realizzato e si valutano l'ente, "
                    "le strutture e le persone secondo il Sistema di misurazione e valutazione.",
                "body": [
                    {"type": "heading", "value": "La performance organizzativa"},
                    {"type": "paragraph", "value": "<p>Tra gennaio e febbraio dell'anno N+1 l'OIV "
                        "o il Nucleo di Valutazione avvia la misurazione della performance "
                        "complessiva dell'ente, applicando il Sistema di misurazione e "
                        "valutazione (SMVP). Gli aspetti considerati sono, tra gli "
                        "altri:</p><ul><li>l'effetto delle politiche sulla soddisfazione dei "
                        "bisogni della collettività;</li><li>il grado di attuazione degli "
                        "obiettivi;</li><li>la soddisfazione degli utenti e la qualità e "
                        "quantità dei servizi erogati;</li><li>la modernizzazione dei servizi e "
                        "le relazioni con cittadini e portatori di "
                        "interesse;</li><li>l'efficienza nell'uso delle risorse;</li><li>gli "
                        "obiettivi di promozione delle pari opportunità.</li></ul><p>Le misure "
                        "raccolte confluiscono nella Relazione sulla Performance.</p>"},
                    {"type": "heading", "value": "La performance individuale"},
                    {"type": "paragraph", "value": "<p>Nello stesso periodo i Responsabili di Area "
                        "valutano i propri collaboratori considerando il raggiungimento degli "
                        "obiettivi individuali o di gruppo, il contributo dato ai risultati "
                        "della propria unità organizzativa e le competenze e i comportamenti "
                        "dimostrati. L'obiettivo è una differenziazione equa dei giudizi, "
                        "fondata sul merito; il Segretario generale aiuta ad armonizzare le "
                        "valutazioni tra le diverse aree, anche attraverso il Comitato di "
                        "Direzione.</p>"},
                    {"type": "paragraph", "value": "<p>Per i dirigenti e il personale direttivo la "
                        "valutazione è istruita dal Nucleo, che esamina gli indicatori della "
                        "struttura diretta, gli obiettivi raggiunti, le competenze manageriali, "
                        "il contributo alla performance generale e la capacità di valutare i "
                        "collaboratori. Il Nucleo analizza la documentazione fornita dai "
                        "responsabili e i dati delle verifiche intermedie, svolge un colloquio "
                        "con ciascuno e formula una proposta al Sindaco o al Presidente, che può "
                        "modificarla motivando. Il Sindaco valuta inoltre il Segretario generale "
                        "con una scheda dedicata, anche con il supporto del Nucleo.</p>"},
                    {"type": "callout", "value": {"title": "SMVP, OIV e NdV",
                     "text": "Il Sistema di misurazione e valutazione della performance stabilisce "
                        "criteri, soggetti e tempi della valutazione ed è il riferimento per "
                        "tutte le fasi del ciclo. L'OIV o il Nucleo di Valutazione assiste "
                        "l'ente nell'applicarlo ai tre livelli: ente, unità organizzativa e "
                        "singole persone."}},
                ],
                "children": [],
            },
            {
                "slug": "premialita", "title": "La premialità",
                "intro": "Come gli esiti della valutazione si traducono in riconoscimenti legati "
                    "al merito.",
                "body": [
                    {"type": "heading", "value": "Dal punteggio alla fascia di merito"},
                    {"type": "paragraph", "value": "<p>Tra febbraio e marzo dell'anno N+1 il "
                        "processo di valutazione si chiude con un punteggio assegnato a ciascun "
                        "dipendente e a ciascun componente del personale direttivo. Il punteggio "
                        "sintetizza la performance dell'anno e colloca la persona in una fascia "
                        "a cui corrisponde un determinato trattamento premiale. Ogni ente può "
                        "modulare il proprio sistema di premi, ma sempre nel rispetto dei "
                        "principi del Titolo III del D.Lgs. 150/2009; contenuti e regole di "
                        "applicazione sono fissati nel Regolamento di organizzazione.</p>"},
                    {"type": "heading", "value": "I colloqui di restituzione"},
                    {"type": "paragraph", "value": "<p>La valutazione va comunicata di "
                        "persona:</p><ul><li>i Responsabili di Area incontrano uno per uno i "
                        "collaboratori, ne ascoltano le ragioni e suggeriscono come migliorare, "
                        "aggiungendo gli elementi relativi al premio;</li><li>il Sindaco o il "
                        "Presidente, con il supporto del Nucleo, incontra ciascun Responsabile "
                        "di Area e indica le aree di miglioramento;</li><li>il Sindaco o il "
                        "Presidente comunica al Segretario generale l'esito della sua "
                        "valutazione e le conseguenze sul piano economico.</li></ul>"},
                    {"type": "callout", "value": {"title": "Procedure di conciliazione",
                     "text": "Chi non condivide la propria valutazione può ricorrere alle "
                        "procedure di conciliazione previste dal Regolamento di organizzazione "
                        "dell'ente, che ne disciplina modalità e tempi."}},
                ],
                "children": [],
            },
            {
                "slug": "rendicontazione", "title": "La rendicontazione dei risultati",
                "intro": "La Relazione sulla Performance chiude il ciclo e rende conto ai "
                    "cittadini di quanto è stato fatto.",
                "body": [
                    {"type": "heading", "value": "La Relazione sulla Performance"},
                    {"type": "paragraph", "value": "<p>Dal mese di aprile dell'anno N+1 il "
                        "Segretario generale o il Direttore coordina i Responsabili di Area "
                        "nella stesura della Relazione sulla Performance, eventualmente con il "
                        "supporto del Nucleo. La Relazione serve a:</p><ul><li>raccogliere i "
                        "risultati, quantitativi e qualitativi, dell'ente e delle "
                        "persone;</li><li>mettere in evidenza gli scostamenti, positivi e "
                        "negativi, rispetto ai target del Piano della "
                        "Performance;</li><li>mostrare il contributo individuale agli obiettivi "
                        "dell'amministrazione e della struttura;</li><li>verificare la corretta "
                        "gestione del personale e il rispetto delle regole sui sistemi "
                        "premianti;</li><li>offrire una sintesi dei risultati agli organi di "
                        "indirizzo, agli organi di controllo esterni, ai cittadini e agli utenti "
                        "dei servizi.</li></ul>"},
                    {"type": "heading", "value": "Validazione e pubblicazione"},
                    {"type": "paragraph", "value": "<p>La Relazione è approvata dalla Giunta e "
                        "<strong>validata dall'OIV</strong> o dal Nucleo di Valutazione, di "
                        "norma entro giugno. L'organismo di valutazione ne verifica anche la "
                        "diffusione: la Relazione va pubblicata sul sito istituzionale, nella "
                        "sezione <em>Amministrazione trasparente</em>, in forma coerente con il "
                        "Piano della Performance e comprensibile per chi la legge "
                        "dall'esterno.</p>"},
                    {"type": "callout", "value": {"title": "Chiudere il cerchio",
                     "text": "I risultati riportati nella Relazione sono un ritorno di "
                        "informazione sulla gestione: consentono ad amministratori, Segretario "
                        "e Responsabili di Area di aggiornare la pianificazione e di "
                        "individuare le azioni di miglioramento per il ciclo successivo."}},
                ],
                "children": [],
            },
        ],
    },
    {
        "slug": "piani-di-miglioramento", "title": "I Piani di Azioni di Miglioramento (PAM)",
        "intro": "Progetti concreti con cui ogni ente rafforza i punti deboli del proprio ciclo "
            "della performance e dei servizi ai cittadini.",
        "body": [
            {"type": "heading", "value": "Che cos'è un PAM"},
            {"type": "paragraph", "value": "<p>Un Piano di Azioni di Miglioramento è un vero e "
                "proprio progetto di cambiamento. Nasce dall'analisi del ciclo di gestione della "
                "performance svolta con gli esperti e mette in fila le azioni necessarie per "
                "sviluppare gli elementi del ciclo ancora carenti. Nella seconda fase del "
                "progetto tutti i comuni partecipanti sono impegnati nell'avvio del proprio PAM, "
                "che richiede competenze solide di analisi, programmazione, monitoraggio e "
                "valutazione dei risultati.</p>"},
            {"type": "heading", "value": "Come si costruisce"},
            {"type": "paragraph", "value": "<p>Il percorso tipico si articola in quattro "
                "momenti:</p><ol><li><strong>Analisi</strong>: autodiagnosi dello stato dei "
                "sistemi di programmazione, misurazione e valutazione, con l'individuazione "
                "delle lacune di competenze e processi;</li><li><strong>Programmazione</strong>: "
                "definizione degli obiettivi di miglioramento, delle azioni, dei responsabili, "
                "dei tempi e degli indicatori con cui misurare i "
                "progressi;</li><li><strong>Monitoraggio</strong>: rilevazione periodica degli "
                "indicatori e verifica dello stato di avanzamento delle azioni, con eventuali "
                "correttivi;</li><li><strong>Valutazione</strong>: lettura dei risultati "
                "raggiunti e delle lezioni apprese, da riportare nella Relazione sulla "
                "Performance e nel ciclo successivo.</li></ol>"},
            {"type": "heading", "value": "Gli obiettivi di servizio"},
            {"type": "paragraph", "value": "<p>La politica di sviluppo regionale (QSN 2007-2013) "
                "assegna un ruolo centrale al miglioramento dei servizi essenziali, per ampliare "
                "le opportunità delle persone e rendere i territori più attrattivi per gli "
                "investimenti. Per questo sono stati fissati obiettivi di miglioramento in "
                "quattro ambiti:</p><ul><li>istruzione;</li><li>servizi di cura per l'infanzia e "
                "per gli anziani;</li><li>gestione dei rifiuti urbani;</li><li>servizio idrico "
                "integrato.</li></ul><p>I comuni devono tenerne conto quando pianificano, "
                "programmano e valutano la propria performance: molti PAM collegano quindi le "
                "azioni di miglioramento agli obiettivi di servizio già inseriti nel Piano della "
                "Performance.</p>"},
            {"type": "callout", "value": {"title": "Il PAM nell'area riservata",
             "text": "Ogni ente gestisce il proprio PAM nell'area riservata del portale: i "
                "componenti del gruppo di lavoro aggiornano azioni e misurazioni, gli esperti "
                "territoriali seguono l'avanzamento e ogni rilevazione resta nello storico del "
                "piano."}},
        ],
        "children": [],
    },
    {
        "slug": "contatti", "title": "Contatti",
        "intro": "Come scrivere alla redazione del portale e al gruppo di lavoro del progetto.",
        "body": [
            {"type": "heading", "value": "Scrivici"},
            {"type": "paragraph", "value": "<p>Per informazioni sul progetto, sui contenuti del "
                "portale e sulla newsletter puoi scrivere alla redazione: <a "
                "href='mailto:redazione@paq.example.it'>redazione@paq.example.it</a>. "
                "Rispondiamo nei giorni lavorativi.</p>"},
            {"type": "paragraph", "value": "<p>Per richieste specifiche:</p><ul><li>registrazione, "
                "accesso e aree riservate: <a href='mailto:supporto@paq.example.it'>supporto@paq."
                "example.it</a>;</li><li>iscrizioni ai webinar e incontri territoriali: <a "
                "href='mailto:webinar@paq.example.it'>webinar@paq.example.it</a>;</li><li>segnala"
                "zioni sull'accessibilità del portale: <a href='mailto:accessibilita@paq.example."
                "it'>accessibilita@paq.example.it</a>;</li><li>richieste sul trattamento dei "
                "dati personali: <a "
                "href='mailto:privacy@paq.example.it'>privacy@paq.example.it</a>.</li></ul>"},
            {"type": "heading", "value": "Segreterie regionali"},
            {"type": "paragraph", "value": "<p>Le segreterie regionali supportano le "
                "amministrazioni partecipanti e gli esperti territoriali:</p><ul><li>Calabria: "
                "<a href='mailto:segreteria.calabria@paq.example.it'>segreteria.calabria@paq.exam"
                "ple.it</a></li><li>Campania: <a href='mailto:segreteria.campania@paq.example.it'"
                ">segreteria.campania@paq.example.it</a></li><li>Puglia: <a href='mailto:segreter"
                "ia.puglia@paq.example.it'>segreteria.puglia@paq.example.it</a></li><li>Sicilia: "
                "<a href='mailto:segreteria.sicilia@paq.example.it'>segreteria.sicilia@paq.exampl"
                "e.it</a></li></ul>"},
            {"type": "callout", "value": {"title": "Sei già iscritto al portale?",
             "text": "Se la tua amministrazione partecipa al progetto, usa l'area riservata "
                "dell'ente e i forum per contattare gli esperti che vi seguono: le richieste "
                "restano tracciate e condivise con il gruppo di lavoro."}},
        ],
        "children": [],
    },
]

LEGAL_PAGES = [
    {
        "slug": "dichiarazione-di-accessibilita", "title": "Dichiarazione di accessibilità",
        "intro": "L'impegno del portale a essere utilizzabile da tutte le persone, comprese quelle "
            "con disabilità.",
        "body": [
            {"type": "heading", "value": "Il nostro impegno"},
            {"type": "paragraph", "value": "<p>Il titolare del progetto si impegna a rendere "
                "questo portale accessibile, in linea con la normativa italiana "
                "sull'accessibilità degli strumenti informatici e con le linee guida emanate da "
                "AgID. Il riferimento tecnico sono le <em>Web Content Accessibility "
                "Guidelines</em> (WCAG) 2.1 al livello di conformità AA.</p>"},
            {"type": "paragraph", "value": "<p>L'interfaccia segue le linee guida di design per i "
                "siti della Pubblica Amministrazione. In particolare ci impegniamo "
                "a:</p><ul><li>garantire la navigazione completa da tastiera e con le tecnologie "
                "assistive;</li><li>usare contrasti di colore adeguati e testi "
                "ridimensionabili;</li><li>fornire alternative testuali per immagini e contenuti "
                "non testuali;</li><li>pubblicare i documenti in formati aperti e accessibili, "
                "quando possibile.</li></ul>"},
            {"type": "heading", "value": "Stato di conformità"},
            {"type": "paragraph", "value": "<p>Il portale è verificato periodicamente. Alcuni "
                "contenuti, come documenti caricati dalle amministrazioni partecipanti o "
                "materiali di terze parti, potrebbero non essere ancora del tutto accessibili: "
                "in questi casi ci impegniamo a fornirne una versione alternativa su "
                "richiesta.</p>"},
            {"type": "heading", "value": "Segnalazioni e meccanismo di feedback"},
            {"type": "paragraph", "value": "<p>Se incontri difficoltà nell'uso del portale o trovi "
                "contenuti non accessibili, scrivici usando i recapiti indicati nella pagina <a "
                "href='/contatti/'>Contatti</a> oppure all'indirizzo <a "
                "href='mailto:accessibilita@paq.example.it'>accessibilita@paq.example.it</a>, "
                "indicando la pagina e il problema riscontrato. Ti risponderemo in tempi "
                "ragionevoli. Se la risposta non è soddisfacente, puoi rivolgerti al Difensore "
                "civico per il digitale secondo la procedura prevista dalle linee guida AgID.</p>"},
        ],
        "children": [],
    },
    {
        "slug": "privacy", "title": "Informativa sul trattamento dei dati personali",
        "intro": "Quali dati raccogliamo, perché li trattiamo, per quanto tempo li conserviamo e "
            "quali sono i tuoi diritti.",
        "body": [
            {"type": "heading", "value": "Titolare del trattamento"},
            {"type": "paragraph", "value": "<p>Il titolare del trattamento è il titolare del "
                "progetto, che gestisce il portale ai sensi del Regolamento (UE) 2016/679 "
                "(GDPR). Per qualsiasi richiesta puoi scrivere a <a "
                "href='mailto:privacy@paq.example.it'>privacy@paq.example.it</a>.</p>"},
            {"type": "heading", "value": "Quali dati trattiamo"},
            {"type": "paragraph", "value": "<p>Quando ti registri o usi i servizi del portale "
                "trattiamo:</p><ul><li>nome, cognome e indirizzo email;</li><li>ruolo "
                "professionale (per esempio segretario generale, dirigente, funzionario, "
                "componente di OIV);</li><li>amministrazione di appartenenza e ruolo nel gruppo "
                "di lavoro dell'ente;</li><li>i contenuti che pubblichi nei forum, nelle chat e "
                "nelle aree riservate;</li><li>i dati tecnici di navigazione necessari al "
                "funzionamento e alla sicurezza del servizio.</li></ul><p>Il portale usa solo "
                "cookie tecnici, necessari per l'accesso e la sessione.</p>"},
            {"type": "heading", "value": "Finalità e basi giuridiche"},
            {"type": "paragraph", "value": "<p>I dati sono trattati per gestire l'account e "
                "l'appartenenza all'ente, consentire l'iscrizione ai webinar e la partecipazione "
                "a forum e aree riservate, supportare le attività di affiancamento e monitorare "
                "i risultati del progetto. La base giuridica è l'esecuzione di un compito di "
                "interesse pubblico (art. 6, par. 1, lett. e, GDPR). L'invio della newsletter si "
                "basa sul tuo consenso, che puoi revocare in ogni momento con il link presente "
                "in ogni messaggio.</p>"},
            {"type": "heading", "value": "Conservazione"},
            {"type": "paragraph", "value": "<p>I dati dell'account sono conservati finché "
                "l'account resta attivo e, in ogni caso, non oltre il tempo necessario alla "
                "conclusione e alla rendicontazione delle attività del progetto. L'indirizzo "
                "email usato per la newsletter viene cancellato quando annulli l'iscrizione. I "
                "dati tecnici sono conservati per il tempo strettamente necessario alla "
                "sicurezza del servizio.</p>"},
            {"type": "heading", "value": "I tuoi diritti"},
            {"type": "paragraph", "value": "<p>Puoi chiedere in qualsiasi momento l'accesso ai "
                "tuoi dati, la rettifica, la cancellazione, la limitazione del trattamento e la "
                "portabilità, oppure opporti al trattamento (artt. 15-22 GDPR). Se ritieni che "
                "il trattamento violi la normativa, puoi presentare reclamo al Garante per la "
                "protezione dei dati personali.</p>"},
        ],
        "children": [],
    },
    {
        "slug": "note-legali", "title": "Note legali",
        "intro": "Condizioni di riutilizzo dei contenuti e regole sui collegamenti da e verso il "
            "portale.",
        "body": [
            {"type": "heading", "value": "Licenza dei contenuti"},
            {"type": "paragraph", "value": "<p>Salvo diversa indicazione, i testi e i materiali "
                "pubblicati sul portale sono rilasciati con licenza <a "
                "href='https://creativecommons.org/licenses/by/4.0/deed.it'>Creative Commons "
                "Attribuzione 4.0 Internazionale (CC BY 4.0)</a>. Puoi copiarli, distribuirli e "
                "modificarli, anche per fini commerciali, citando la fonte e indicando le "
                "eventuali modifiche.</p>"},
            {"type": "paragraph", "value": "<p>Sono esclusi dalla licenza i loghi, i marchi e i "
                "materiali di terze parti, compresi i documenti caricati dalle amministrazioni "
                "partecipanti, che restano soggetti alle condizioni stabilite dai rispettivi "
                "titolari.</p>"},
            {"type": "heading", "value": "Collegamenti"},
            {"type": "paragraph", "value": "<p>Il portale contiene collegamenti a siti esterni, "
                "inseriti per comodità di chi legge. Il titolare del progetto non controlla quei "
                "siti e non risponde dei loro contenuti né delle loro politiche sulla privacy. "
                "Chiunque può creare collegamenti verso le pagine del portale senza chiedere "
                "autorizzazione, purché sia chiaro che si tratta di una fonte esterna e i "
                "contenuti non vengano presentati come propri.</p>"},
            {"type": "heading", "value": "Responsabilità"},
            {"type": "paragraph", "value": "<p>La redazione cura l'accuratezza e l'aggiornamento "
                "delle informazioni, ma non può garantire che siano sempre complete o prive di "
                "errori. Le segnalazioni sono benvenute attraverso la pagina <a "
                "href='/contatti/'>Contatti</a>.</p>"},
        ],
        "children": [],
    },
]

HOME = {
    "title": "Valutazione delle Performance",
    "subtitle": "Comuni, università e unioni del Sud nel Ciclo di Gestione della Performance",
    "intro": "Il progetto affianca le amministrazioni di Calabria, Campania, Puglia e Sicilia "
        "nella gestione del Ciclo della Performance, dalla programmazione alla Relazione sulla "
        "Performance. Esperti territoriali, webinar e piani di miglioramento aiutano gli enti a "
        "misurare meglio i propri risultati e a migliorare i servizi ai cittadini.",
    "highlights": [
        {"title": "Il progetto", "link_slug": "il-progetto", "text": "Obiettivi, fasi, linee di "
            "attività e risultati attesi del percorso promosso dal Dipartimento della Funzione "
            "Pubblica con Formez PA."},
        {"title": "Il Ciclo della Performance", "link_slug": "ciclo-della-performance",
         "text": "Programmazione, obiettivi, monitoraggio, valutazione, premialità e "
            "rendicontazione: chi fa che cosa e quando."},
        {"title": "I Piani di Azioni di Miglioramento", "link_slug": "piani-di-miglioramento",
         "text": "Come gli enti trasformano l'analisi del proprio ciclo in progetti di "
            "miglioramento, anche sugli obiettivi di servizio."},
    ],
}

# Format with RESERVED_AREA_WELCOME.format(body=<name of the body>).
RESERVED_AREA_WELCOME = (
    "{body}: questa è l'area riservata dell'ente, lo spazio di lavoro condiviso tra i suoi "
    "componenti e gli esperti territoriali che lo affiancano. Qui puoi consultare e caricare i "
    "documenti del ciclo della performance, partecipare alle discussioni e seguire l'avanzamento "
    "del Piano di Azioni di Miglioramento (PAM)."
)

TASK_TEAMS = [
    {"name": "Task team Obiettivi di servizio", "slug": "obiettivi-di-servizio", "region": None,
     "description": "Gruppo di lavoro trasversale alle quattro regioni che supporta i comuni nel "
        "collegare Piano della Performance e PAM agli obiettivi di servizio del QSN 2007-2013: "
        "istruzione, servizi di cura per l'infanzia e gli anziani, gestione dei rifiuti urbani e "
        "servizio idrico integrato."},
    {"name": "Task team territoriale Sicilia", "slug": "task-team-sicilia", "region": "SIC",
     "description": "Composto dal referente regionale, dagli esperti territoriali e dalla "
        "segreteria regionale, coordina l'affiancamento dei comuni siciliani e dei nuovi enti "
        "nel monitoraggio, nella valutazione e nella rendicontazione della performance."},
]
# fmt: on
