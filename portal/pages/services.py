from wagtail.documents import get_document_model

from portal import access

from .models import ReservedAreaPage


def area_document_upload(*, area: ReservedAreaPage, user, title: str, uploaded_file):
    """Store a document in the area's private collection."""
    if not access.can_contribute_to_area(user, area):
        raise PermissionError("not allowed to upload to this area")
    document = get_document_model()(
        title=title, file=uploaded_file, collection_id=area.collection_id, uploaded_by_user=user
    )
    document.full_clean()
    document.save()
    return document
