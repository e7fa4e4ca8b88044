from django.core.management.base import BaseCommand

from portal.pam.reminders import queue_due_reminders, queue_expert_digests


class Command(BaseCommand):
    help = (
        "Accoda i promemoria delle scadenze del ciclo della performance e il riepilogo "
        "settimanale agli esperti. Idempotente: da eseguire ogni giorno (cron)."
    )

    def handle(self, *args, **options):
        reminders = queue_due_reminders()
        digests = queue_expert_digests()
        self.stdout.write(f"Promemoria accodati: {reminders}; riepiloghi agli esperti: {digests}")
