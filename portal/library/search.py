"""The portal's one search box: pages, library, bodies' documents, good practices and
(for those allowed) forum discussions. Each section starts from what the access policy
lets the user see; Wagtail's search backend (Italian stemming on PostgreSQL) ranks pages,
library items and practices; documents and discussions are matched in the database."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from wagtail.models import Page

from portal import access
from portal.cgp import CgpPhase

from . import selectors
from .filters import search_text
from .models import GoodPractice

SECTIONS = (
    ("tutto", "Tutto"),
    ("pagine", "Pagine"),
    ("biblioteca", "Biblioteca"),
    ("pratiche", "Buone pratiche"),
    ("documenti", "Documenti degli enti"),
    ("forum", "Forum"),
)
PREVIEW = 5


@dataclass
class Section:
    key: str
    label: str
    count: int
    results: object  # a sliceable sequence of results


def _pages(user, query: str):
    from portal.pages.selectors import search_pages

    # Library items have their own section: here, every other page.
    return search_pages(user, query, exclude_library=True)


def _library(user, query: str, phase: str | None):
    items = selectors.library_base(user).order_by("-year", "title", "id")
    if phase:
        items = items.filter(cgp_phase=phase)
    return items.search(query, operator="and", order_by_relevance=selectors.rank_by_relevance())


def _practices(user, query: str, phase: str | None):
    practices = access.visible_practices(user, GoodPractice.objects.all())
    if phase:
        practices = practices.filter(cgp_phase=phase)
    return practices.search(query, operator="and")


def _documents(query: str):
    """Public documents by body name, document type or what their file says; the file's
    text comes along (one join) for the passage shown under the result."""
    from django.db.models import F

    from portal.pam.models import DocumentKind

    kinds = [value for value, label in DocumentKind.choices if query.lower() in str(label).lower()]
    match = selectors.document_match_q(query) | Q(kind__in=kinds)
    return (
        selectors.cycle_documents_base()
        .filter(match)
        .select_related("ente__region")
        .annotate(file_text=F("extracted__text"))
        .order_by("-year", "ente__name", "pk")
    )


def _topics(user, query: str):
    from forum.boards.models import Topic
    from forum.boards.selectors import search_posts

    matching = search_posts(user, query).order_by().values("topic_id")
    return (
        Topic.objects.filter(pk__in=matching)
        .select_related("board")
        .order_by("-last_post_at", "-pk")
    )


_EMPTY = {
    "pagine": lambda: Page.objects.none(),
    "biblioteca": lambda: selectors.LibraryItemPage.objects.none(),
    "pratiche": lambda: GoodPractice.objects.none(),
    "documenti": lambda: selectors.cycle_documents_base().none(),
    "forum": lambda: _topic_model().objects.none(),
}


def _topic_model():
    from forum.boards.models import Topic

    return Topic


def unified_search(user, query: str, section: str = "tutto", phase: str = "") -> dict:
    section = section if section in dict(SECTIONS) else "tutto"
    terms = search_text(query)
    phase = phase if phase in dict(CgpPhase.choices) else None
    sources = {
        "pagine": lambda: _pages(user, terms),
        "biblioteca": lambda: _library(user, terms, phase),
        "pratiche": lambda: _practices(user, terms, phase),
        "documenti": lambda: _documents(query),
        "forum": lambda: _topics(user, query),
    }
    sections = []
    for key, label in SECTIONS[1:]:
        # Nothing searchable left (only punctuation or symbols): nothing found.
        results = sources[key]() if terms else _EMPTY[key]()
        sections.append(Section(key=key, label=label, count=results.count(), results=results))
    return {
        "sections": sections,
        "section": section,
        "phase": phase or "",
        "total": sum(s.count for s in sections),
        "selected": next((s for s in sections if s.key == section), None),
    }


def specific_pages(pages) -> list:
    """The specific pages of a results page, without one query per result."""
    ids = [page.pk for page in pages]
    specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
    return [specific[pk] for pk in ids if pk in specific]


def _mentions(text: str, terms: list[str]) -> bool:
    lowered = (text or "").lower()
    return any(term in lowered for term in terms)


def attach_snippets(items, query: str) -> list:
    """For library results, the text to show under the title: the summary when it says
    what was searched, else the passage of the item's files that does (one query for the
    whole results page)."""
    from .models import LibraryItemDocument

    items = list(items)
    terms = [t[:-1] if len(t) > 4 else t for t in search_text(query).lower().split() if len(t) >= 3]
    file_text: dict[int, list[str]] = {}
    for page_id, text in LibraryItemDocument.objects.filter(
        page_id__in=[item.pk for item in items], document__extracted__isnull=False
    ).values_list("page_id", "document__extracted__text"):
        file_text.setdefault(page_id, []).append(text or "")
    for item in items:
        item.snippet = item.summary
        item.snippet_from_files = False
        if terms and not _mentions(item.summary, terms):
            text = " ".join(file_text.get(item.pk, []))
            if _mentions(text, terms):
                item.snippet, item.snippet_from_files = text, True
    return items
