"""The text of the bodies' cycle document files, for the search of the public documents
database (`portal.library`).

A new or replaced file is read once, by a django_tasks task enqueued after the upload's
transaction commits: extraction (bounded, see `portal.library.textextract`) never holds
the request. The text lives in `CycleDocumentText`, indexed by Wagtail's search backend
(Italian stemming on PostgreSQL). `documents_saying` answers which documents' files say
some words; it knows nothing of access: callers narrow it with the access policy's
public documents, so a document that is not public is never shown nor counted.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


def schedule_text_extraction(document_id: int) -> None:
    from .tasks import extract_cycle_document_text

    transaction.on_commit(
        lambda: extract_cycle_document_text.enqueue(document_id=document_id), robust=True
    )


def cycle_document_text_store(document_id: int):
    """Read the document's current file (the task may run after a newer upload: it always
    reads what the row holds now). No file, or a kind we cannot read: no text."""
    from portal.library.textextract import ExtractionError, can_extract, extract_text

    from .models import CycleDocument, CycleDocumentText

    document = CycleDocument.objects.filter(pk=document_id).only("pk", "file").first()
    if document is None:
        return None
    name = document.file.name or ""
    if not name or not can_extract(name):
        # One by one, so the search index forgets them too (post_delete).
        for stale in CycleDocumentText.objects.filter(document_id=document_id):
            stale.delete()
        return None
    done = CycleDocumentText.objects.filter(document_id=document_id, file_name=name).first()
    if done is not None:
        return done  # a repeated task: this file was read already
    text, error = "", ""
    try:
        with document.file.open("rb") as handle:
            text = extract_text(handle, name)
    except ExtractionError as failure:
        error = str(failure)[:200]
    except OSError as failure:
        logger.warning("cycle document %s: file not readable: %s", document_id, failure)
        error = f"file non leggibile: {failure}"[:200]
    row, _created = CycleDocumentText.objects.update_or_create(
        document_id=document_id,
        defaults={"file_name": name, "text": text, "error": error, "extracted_at": timezone.now()},
    )
    return row


def documents_saying(terms: str):
    """A subquery (flat values) of the CycleDocument ids whose file contains every word of `terms`
    (words only: see `portal.library.filters.search_text`). Not narrowed by access."""
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    from .models import CycleDocumentText

    if not terms:
        return CycleDocumentText.objects.none().values_list("pk", flat=True)
    backend = get_search_backend()
    if connection.vendor == "postgresql":
        return _postgres_documents_saying(terms, getattr(backend, "config", None))
    results = backend.search(
        terms, CycleDocumentText.objects.all(), operator="and", order_by_relevance=False
    )
    # The database backends answer with a queryset: kept as a subquery, so however many
    # files match, no id list travels through Python.
    return results.get_queryset().order_by().values_list("pk", flat=True)


def _postgres_documents_saying(terms: str, config: str | None):
    """The index entries alone, on their `title || body` GIN index. The backend's own
    query joins the entries to the texts through a text cast; PostgreSQL, which cannot
    estimate a full-text match, plans that join as a nested loop: 5,000 matching files
    took about 4 s per query (26 s for a list page with its facets)."""
    from django.contrib.postgres.search import SearchQuery, SearchVectorField
    from django.db.models import F, IntegerField
    from django.db.models.expressions import CombinedExpression
    from django.db.models.functions import Cast
    from wagtail.search.models import IndexEntry

    vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    return (
        IndexEntry.objects.filter(
            content_type__app_label="pam", content_type__model="cycledocumenttext"
        )
        .annotate(document_vector=vector)
        .filter(document_vector=SearchQuery(terms, config=config, search_type="plain"))
        .annotate(document_id=Cast("object_id", IntegerField()))
        .values_list("document_id", flat=True)
    )
