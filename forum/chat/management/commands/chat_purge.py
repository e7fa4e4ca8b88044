from django.core.management.base import BaseCommand

from forum.chat.tasks import purge_expired_chat_messages


class Command(BaseCommand):
    help = "Elimina i messaggi di chat oltre il periodo di conservazione della stanza (da cron)."

    def handle(self, *args, **options):
        result = purge_expired_chat_messages.enqueue()
        self.stdout.write(f"Pulizia della chat accodata ({result.id}).")
