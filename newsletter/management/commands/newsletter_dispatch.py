from django.core.management.base import BaseCommand

from newsletter.tasks import dispatch_newsletter


class Command(BaseCommand):
    help = (
        "Avvia gli invii programmati giunti a scadenza, riprende quelli interrotti e "
        "cancella le iscrizioni non confermate scadute (da eseguire ogni pochi minuti)."
    )

    def handle(self, *args, **options):
        result = dispatch_newsletter.call()
        self.stdout.write(
            f"Invii avviati: {result['started']}, ripresi: {result['resumed']}, "
            f"iscrizioni scadute cancellate: {result['purged']}"
        )
