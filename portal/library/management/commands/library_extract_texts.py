"""Queue the reading of every file whose text the search does not have yet: library
documents (PDF, DOCX, ODT) and the files of the bodies' cycle documents. For files
uploaded before text extraction existed, or whose task was lost with a worker. The tasks
run on the configured django_tasks backend."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Accoda l'estrazione del testo dei file non ancora indicizzati."

    def handle(self, *args, **options):
        from wagtail.documents import get_document_model

        from portal.library.tasks import extract_document_text
        from portal.library.textextract import EXTENSIONS
        from portal.pam.models import CycleDocument
        from portal.pam.tasks import extract_cycle_document_text

        def readable(queryset):
            return [
                pk
                for pk, name in queryset.values_list("pk", "file").iterator()
                if name and name.lower().endswith(tuple(EXTENSIONS))
            ]

        library_ids = readable(get_document_model().objects.filter(extracted__isnull=True))
        cycle_ids = readable(CycleDocument.objects.exclude(file="").filter(extracted__isnull=True))
        for pk in library_ids:
            extract_document_text.enqueue(document_id=pk)
        for pk in cycle_ids:
            extract_cycle_document_text.enqueue(document_id=pk)
        self.stdout.write(
            f"Accodati {len(library_ids)} documenti della biblioteca e "
            f"{len(cycle_ids)} documenti del ciclo."
        )
