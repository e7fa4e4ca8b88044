from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from .models import LibraryItemPage


@receiver(page_published, sender=LibraryItemPage)
def apply_audience_on_publish(sender, instance, **kwargs):
    from .services import library_item_apply_audience

    library_item_apply_audience(item=instance)


def _connect_documents():
    from wagtail.documents import get_document_model

    @receiver(post_save, sender=get_document_model(), weak=False)
    def extract_text_on_upload(sender, instance, raw=False, update_fields=None, **kwargs):
        if raw:
            return
        # Moving a file between collections does not change what it says.
        if update_fields and "file" not in update_fields:
            return
        from django.db import transaction

        from .tasks import extract_document_text

        document_id = instance.pk
        # Read in a task after commit: the upload request never waits for a long PDF.
        transaction.on_commit(
            lambda: extract_document_text.enqueue(document_id=document_id), robust=True
        )


_connect_documents()
