"""Queue again the emails whose sending failed (they were unclaimed); idempotent."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from webinar.models import Notice
from webinar.tasks import deliver_notice


class Command(BaseCommand):
    help = "Ritenta l'invio delle email dei webinar non ancora inviate."

    def handle(self, *args, **options):
        # Leave the last minutes to the tasks already queued.
        stale = Notice.objects.filter(
            sent_at__isnull=True, created_at__lt=timezone.now() - timedelta(minutes=10)
        )
        count = 0
        for notice_id in stale.values_list("pk", flat=True).iterator():
            deliver_notice.enqueue(notice_id)
            count += 1
        self.stdout.write(f"Email riaccodate: {count}")
