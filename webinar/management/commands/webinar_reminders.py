"""Queue the reminders that are due (run it from cron every few minutes; idempotent).

Backends that can defer work get each reminder scheduled at publish time; this command
is the safety net, and the only way on backends that cannot defer."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from webinar import services
from webinar.models import SessionStatus, WebinarSessionPage


class Command(BaseCommand):
    help = "Invia i promemoria dei webinar in scadenza."

    def handle(self, *args, **options):
        now = timezone.now()
        horizon = max(offset for _name, offset in services.reminder_offsets())
        sessions = WebinarSessionPage.objects.live().filter(
            status=SessionStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + horizon
        )
        queued = sum(services.queue_due_reminders(session, now=now) for session in sessions)
        self.stdout.write(f"Promemoria accodati: {queued}")
