"""The public thematic boards, and a board for every reserved area that already exists."""

from django.db import migrations
from django.utils.text import slugify

PUBLIC_BOARDS = [
    (
        "obiettivi-e-indicatori",
        "Obiettivi e indicatori",
        "Come si scrivono obiettivi misurabili e si scelgono indicatori, target e fonti "
        "dei dati nel PIAO e nel Piano della performance.",
    ),
    (
        "controlli-interni",
        "Controlli interni (D.L. 174/2012, legge 213/2012)",
        "Controllo di gestione, controllo strategico, controllo di regolarità e il loro "
        "raccordo con il ciclo della performance.",
    ),
    (
        "bilancio-e-performance",
        "Integrazione tra bilancio e performance",
        "DUP, bilancio di previsione, PEG e obiettivi: come tenerli coerenti lungo l'anno.",
    ),
    (
        "relazione-sulla-performance",
        "Rendicontazione e Relazione sulla performance",
        "Monitoraggio, misurazione dei risultati, Relazione sulla performance e sua "
        "validazione da parte dell'OIV o del Nucleo di valutazione.",
    ),
    (
        "obiettivi-di-servizio",
        "Obiettivi di servizio: istruzione, asili nido, anziani, rifiuti, acqua",
        "Gli obiettivi di servizio per i servizi alla persona e ambientali: indicatori, "
        "dati disponibili, esperienze degli enti.",
    ),
    (
        "confronto-tra-enti",
        "Confronto tra enti",
        "Pratiche, dubbi e soluzioni da condividere tra le amministrazioni del progetto.",
    ),
]


def create_boards(apps, schema_editor):
    Board = apps.get_model("boards", "Board")
    ReservedAreaPage = apps.get_model("pages", "ReservedAreaPage")
    for position, (slug, title, description) in enumerate(PUBLIC_BOARDS, start=1):
        Board.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": "public",
                "title": title,
                "description": description,
                "position": position * 10,
            },
        )
    for area in ReservedAreaPage.objects.all():
        if Board.objects.filter(area=area).exists():
            continue
        slug = slugify(f"area-{area.slug}")[:70] or f"area-{area.pk}"
        if Board.objects.filter(slug=slug).exists():
            slug = f"{slug}-{area.pk}"
        Board.objects.create(
            kind="area",
            area=area,
            slug=slug,
            title=f"Forum — {area.title}",
            description="Le discussioni riservate di chi partecipa a quest'area.",
        )


class Migration(migrations.Migration):
    dependencies = [("boards", "0001_initial"), ("pages", "0001_initial")]

    operations = [migrations.RunPython(create_boards, migrations.RunPython.noop)]
