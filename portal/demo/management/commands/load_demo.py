from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.demo.loader import DemoLoader


class Command(BaseCommand):
    help = "Carica i dati dimostrativi (idempotente). Solo per la demo: mai in produzione."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Carica anche con DEBUG=False (test automatici); mai in produzione.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "I dati dimostrativi creano account con password note: si caricano solo con "
                "DEBUG=True (profilo demo)."
            )
        created = DemoLoader(log=lambda msg: self.stdout.write(msg)).run()
        self.stdout.write(self.style.SUCCESS(f"Demo pronta: {created} elementi creati."))
