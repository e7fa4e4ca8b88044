"""The first self-diagnosis questionnaire, one block per CGP phase (from the seeds'
procedure). From here on it is data: staff edit it in the Wagtail admin."""

from django.db import migrations

QUESTIONS = {
    "programmazione": [
        "Gli obiettivi annuali di PEG e PDO discendono dagli obiettivi strategici della "
        "sezione operativa del DUP.",
        "La programmazione degli obiettivi è triennale e coerente con le risorse finanziarie "
        "e umane assegnate.",
        "Gli obiettivi sono collegati alla struttura delle responsabilità e ai centri di costo.",
    ],
    "obiettivi": [
        "Ogni obiettivo ha indicatori di processo o di risultato con valore di partenza e "
        "target.",
        "Gli obiettivi sono assegnati formalmente ai responsabili e comunicati al personale.",
        "Il NdV/OIV esamina contenuti e metodi della formulazione degli obiettivi.",
    ],
    "monitoraggio": [
        "L'ente rileva lo stato di avanzamento degli obiettivi almeno al 30 giugno e a fine "
        "anno.",
        "In caso di scostamenti si decidono e si documentano misure correttive.",
        "I risultati del monitoraggio sono diffusi sul sito istituzionale.",
    ],
    "misurazione": [
        "Esiste un Sistema di misurazione e valutazione (SMVP) adottato e aggiornato.",
        "La performance organizzativa è misurata con dati e fonti documentate.",
        "La valutazione individuale tiene conto di obiettivi, contributo e comportamenti.",
    ],
    "premialita": [
        "I premi sono distribuiti in modo differenziato in base alla valutazione.",
        "Le regole della premialità e della conciliazione sono scritte nel regolamento.",
    ],
    "rendicontazione": [
        "La Relazione sulla Performance è redatta ogni anno ed evidenzia gli scostamenti dai "
        "target.",
        "Il NdV/OIV valida la Relazione sulla Performance.",
        "Piano e Relazione sono pubblicati in «Amministrazione trasparente».",
    ],
}


def create(apps, schema_editor):
    Question = apps.get_model("pam", "AssessmentQuestion")
    if Question.objects.exists():
        return
    Question.objects.bulk_create(
        Question(phase=phase, text=text, order=order)
        for phase, texts in QUESTIONS.items()
        for order, text in enumerate(texts, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("pam", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
