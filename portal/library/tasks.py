"""Background work of the library: reading the text of an uploaded file."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_document_text(*, document_id: int) -> bool:
    """Read what an uploaded document says and index the items and practices using it.
    Runs after the upload's transaction commits, so a long PDF never holds the request."""
    from wagtail.documents import get_document_model

    from .services import document_text_store

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:
        return False
    row = document_text_store(document=document)
    return row is not None and not row.error
