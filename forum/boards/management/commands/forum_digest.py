from django.core.management.base import BaseCommand

from forum.boards.tasks import send_forum_digests


class Command(BaseCommand):
    help = "Accoda l'invio del riepilogo giornaliero del forum (da eseguire una volta al giorno)."

    def handle(self, *args, **options):
        result = send_forum_digests.enqueue()
        self.stdout.write(f"Riepilogo del forum accodato ({result.id}).")
