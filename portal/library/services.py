"""Writes of the library: extracted text, the reserved material's access, ratings."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .models import (
    RESERVED_LIBRARY_COLLECTION,
    Audience,
    DocumentText,
    LibraryItemPage,
    PageFeedback,
)
from .textextract import ExtractionError, can_extract, extract_text


def document_text_store(*, document) -> DocumentText | None:
    """Read the text of an uploaded file once, at upload time, and reindex what uses it."""
    if not document.file or not can_extract(document.file.name):
        DocumentText.objects.filter(document=document).delete()
        return None
    text, error = "", ""
    try:
        with document.file.open("rb") as handle:
            text = extract_text(handle, document.file.name)
    except ExtractionError as failure:
        error = str(failure)[:200]
    except OSError as failure:
        error = f"file non leggibile: {failure}"[:200]
    row, _created = DocumentText.objects.update_or_create(
        document=document, defaults={"text": text, "error": error, "extracted_at": timezone.now()}
    )
    transaction.on_commit(lambda: _reindex_users_of(document.pk))
    return row


def _reindex_users_of(document_id: int) -> None:
    from wagtail.search import index

    from .models import GoodPractice

    for page in LibraryItemPage.objects.filter(documents__document_id=document_id).distinct():
        index.insert_or_update_object(page)
    for practice in GoodPractice.objects.filter(practice_documents__document_id=document_id):
        index.insert_or_update_object(practice)


def reserved_library_collection():
    from wagtail.models import Collection

    from portal.pages.models import RESERVED_COLLECTIONS_ROOT

    root = Collection.objects.filter(depth=2, name=RESERVED_COLLECTIONS_ROOT).first()
    if root is None:
        return None
    existing = root.get_children().filter(name=RESERVED_LIBRARY_COLLECTION).first()
    return existing or root.add_child(name=RESERVED_LIBRARY_COLLECTION)


def public_collection():
    from wagtail.models import Collection

    from portal.pages.models import PUBLIC_COLLECTION

    return Collection.objects.filter(depth=2, name=PUBLIC_COLLECTION).first()


def library_item_apply_audience(*, item: LibraryItemPage) -> None:
    """After publishing: a reserved item's files move into the reserved library collection
    (so Wagtail's own document URL refuses them to everyone but staff, and participants
    download through the library's checked view); a public item's files move back out.
    A login restriction on reserved items keeps Wagtail's `.public()` (sitemap, menus,
    other apps' listings) from showing them."""
    from wagtail.models import PageViewRestriction
    from wagtail.search import index

    from portal.pages.models import PortalDocument

    reserved = item.audience == Audience.PARTICIPANTS
    target = reserved_library_collection() if reserved else public_collection()
    document_ids = list(item.documents.values_list("document_id", flat=True))
    if target is not None and document_ids:
        documents = PortalDocument.objects.filter(pk__in=document_ids)
        if reserved:
            documents.update(collection=target)
        else:
            documents.filter(collection__name=RESERVED_LIBRARY_COLLECTION).update(collection=target)
    restrictions = PageViewRestriction.objects.filter(
        page=item, restriction_type=PageViewRestriction.LOGIN
    )
    if reserved and not restrictions.exists():
        PageViewRestriction.objects.create(page=item, restriction_type=PageViewRestriction.LOGIN)
    elif not reserved:
        restrictions.delete()
    # The page was indexed when saved, before its documents were: index it again.
    index.insert_or_update_object(item)


MAX_COMMENT = 500


def feedback_record(*, page, useful: bool, comment: str = "") -> PageFeedback:
    # Comments are plain text, always shown escaped: no HTML to sanitise.
    feedback = PageFeedback(page=page, useful=useful, comment=comment.strip()[:MAX_COMMENT])
    feedback.full_clean()
    feedback.save()
    return feedback
