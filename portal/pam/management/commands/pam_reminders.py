from django.core.management.base import BaseCommand

from portal.pam.reminders import ensure_calendars, queue_due_reminders, queue_expert_digests


class Command(BaseCommand):
    help = (
        "Prepara il calendario del ciclo di ogni ente, accoda i promemoria delle scadenze "
        "e il riepilogo settimanale agli esperti. Idempotente: da eseguire ogni giorno (cron)."
    )

    def handle(self, *args, **options):
        calendars = ensure_calendars()
        reminders = queue_due_reminders()
        digests = queue_expert_digests()
        self.stdout.write(
            f"Scadenze create: {calendars}; promemoria accodati: {reminders}; "
            f"riepiloghi agli esperti: {digests}"
        )
