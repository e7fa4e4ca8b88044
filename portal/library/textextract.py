"""Text out of uploaded PDF, DOCX and ODT files, for the search index.

Extraction is bounded (pages, characters) so that a huge or hostile file cannot hold a
request: what is beyond the limits is simply not indexed."""

from __future__ import annotations

import logging
import os
import zipfile

logger = logging.getLogger(__name__)

MAX_PAGES = 200
MAX_CHARS = 200_000
MAX_ZIP_MEMBER = (
    20 * 1024 * 1024
)  # an uncompressed document.xml/content.xml larger than this is a zip bomb
EXTENSIONS = {".pdf", ".docx", ".odt"}


class ExtractionError(Exception):
    pass


def can_extract(filename: str) -> bool:
    return os.path.splitext(filename or "")[1].lower() in EXTENSIONS


def extract_text(fileobj, filename: str) -> str:
    extension = os.path.splitext(filename or "")[1].lower()
    try:
        if extension == ".pdf":
            text = _pdf(fileobj)
        elif extension == ".docx":
            _check_zip(fileobj, "word/document.xml")
            text = _docx(fileobj)
        elif extension == ".odt":
            _check_zip(fileobj, "content.xml")
            text = _odt(fileobj)
        else:
            return ""
    except ExtractionError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means "no text", logged
        logger.info("text extraction failed for %s: %s", filename, error)
        raise ExtractionError(str(error)[:200]) from error
    return " ".join(text.split())[:MAX_CHARS]


def _check_zip(fileobj, member: str) -> None:
    fileobj.seek(0)
    with zipfile.ZipFile(fileobj) as archive:
        info = archive.getinfo(member)
        if info.file_size > MAX_ZIP_MEMBER:
            raise ExtractionError("documento troppo grande da indicizzare")
    fileobj.seek(0)


def _pdf(fileobj) -> str:
    from pypdf import PdfReader

    fileobj.seek(0)
    reader = PdfReader(fileobj)
    parts, size = [], 0
    for page in reader.pages[:MAX_PAGES]:
        chunk = page.extract_text() or ""
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_CHARS:
            break
    return "\n".join(parts)


def _docx(fileobj) -> str:
    import docx

    document = docx.Document(fileobj)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _odt(fileobj) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(fileobj)
    return (
        "\n".join(teletype.extractText(node) for node in document.getElementsByType(text.P))
        + "\n"
        + "\n".join(teletype.extractText(node) for node in document.getElementsByType(text.H))
    )
