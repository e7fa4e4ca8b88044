"""Reads for the library, the databases, the results page and the unified search.

Every listing starts from what the access policy lets the user see, and every count is a
GROUP BY in the database (or the search backend's facet, which is one too): no Python
loop over rows, so facets and exports keep their cost with 10,000 items.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from wagtail.models import Site

from portal import access
from portal.enti.models import Ente, EnteKind, Region

from .filters import DocumentFilters, Filters, LibraryFilters, PracticeFilters, search_text
from .models import GoodPractice, LibraryIndexPage, LibraryItemDocument, LibraryItemPage

# --- Library -----------------------------------------------------------------------------


def library_index() -> LibraryIndexPage | None:
    return LibraryIndexPage.objects.live().first()


def library_base(user, parent=None):
    items = LibraryItemPage.objects.live()
    if parent is not None:
        items = items.child_of(parent)
    return access.visible_library_items(user, items)


def rank_by_relevance() -> bool:
    """PostgreSQL ranks matches in the same query; the SQLite FTS5 backend ranks with a
    correlated subquery per match (seconds with thousands of matches), so there the text
    results keep the listing's order (newest first)."""
    return connection.vendor == "postgresql"


def library_items(user, filters: LibraryFilters, parent=None):
    items = library_base(user, parent).filter(**filters.q_for())
    ordered = items.order_by("-year", "title", "id")
    if filters.query:
        if not filters.search_terms:
            return items.none()
        return ordered.search(
            filters.search_terms, operator="and", order_by_relevance=rank_by_relevance()
        )
    return ordered


def _counts(queryset, facet, query: str) -> dict:
    if query:
        terms = search_text(query)
        if not terms:
            return {}
        matches = queryset.search(terms, operator="and", order_by_relevance=False)
        return dict(matches.facet(facet.field))
    return dict(
        queryset.order_by()
        .values_list(facet.field)
        .annotate(n=Count("pk"))
        .values_list(facet.field, "n")
    )


def _facet_options(base, filters: Filters) -> list[dict]:
    """For each facet, every value with the count it would give combined with the other
    facets' selection (so choosing a value never leads to an empty page)."""
    result = []
    for facet in filters.facets:
        counts = _counts(
            base.filter(**filters.q_for(except_param=facet.param)), facet, filters.query
        )
        if facet.choices is None:
            values = sorted((v for v in counts if v), reverse=True)
            pairs = [(v, str(v)) for v in values]
        else:
            pairs = list(facet.choices)
        options = [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "selected": filters.is_selected(facet.param, value),
            }
            for value, label in pairs
            if counts.get(value, 0) or filters.is_selected(facet.param, value)
        ]
        result.append({"facet": facet, "options": options})
    return result


def library_facets(user, filters: LibraryFilters, parent=None) -> list[dict]:
    return _facet_options(library_base(user, parent), filters)


def library_item_context(item: LibraryItemPage, user) -> dict:
    from forum.boards.models import Topic
    from forum.boards.selectors import board_for_theme
    from webinar.selectors import public_sessions

    documents = [
        row
        for row in LibraryItemDocument.objects.filter(page=item).select_related("document")
        if access.can_download_library_document(user, item, row.document)
    ]
    newer = list(
        access.visible_library_items(user, item.newer_versions.live()).order_by("-year", "-pk")[:5]
    )
    previous = item.previous_version
    if previous is not None and (
        not previous.live or not access.can_view_library_item(user, previous)
    ):
        previous = None
    webinars = list(public_sessions().filter(cgp_phase=item.cgp_phase).order_by("-starts_at")[:3])
    topic_q = access.visible_topic_q(user) or Q()
    topics = []
    if item.source_topic_id:
        topics += list(
            Topic.objects.filter(topic_q, pk=item.source_topic_id).select_related("board")
        )
    board = board_for_theme(item.get_cgp_phase_display())
    if board is not None:
        topics += list(
            Topic.objects.filter(topic_q, board=board)
            .exclude(pk=item.source_topic_id or 0)
            .select_related("board")
            .order_by("-last_post_at")[:3]
        )
    return {
        "documents": documents,
        "newer_versions": newer,
        "previous_version": previous,
        "related_webinars": webinars,
        "related_topics": topics,
    }


def site_url_prefix() -> str:
    """The url_path of the default site's root, to turn url_path into a public URL."""
    site = Site.objects.select_related("root_page").filter(is_default_site=True).first()
    return site.root_page.url_path if site else "/"


def page_url(url_path: str, prefix: str) -> str:
    return "/" + url_path[len(prefix) :] if url_path.startswith(prefix) else url_path


# --- Bodies' performance documents ------------------------------------------------------


def cycle_documents_base():
    from portal.pam.models import CycleDocument

    return access.public_cycle_documents(CycleDocument.objects.all())


def oiv_validated_expression():
    """Validated by the OIV: the document itself says so, or the body's OIV validation of
    that year's cycle is done."""
    from portal.pam.models import DONE_STATUSES, CycleDocument, DocumentKind, DocumentStatus

    validation = CycleDocument.objects.filter(
        ente=OuterRef("ente"),
        year=OuterRef("year"),
        kind=DocumentKind.VALIDAZIONE,
        status__in=DONE_STATUSES,
    )
    return Q(status=DocumentStatus.VALIDATED) | Q(Exists(validation))


def document_match_q(query: str) -> Q:
    """Documents matching a typed query: by the body's name, or by what their file says
    (every word, through the search index). Always combined with the public documents,
    so a match in a file that is not public is never shown nor counted."""
    from portal.pam.search import documents_saying

    match = Q(ente__name__icontains=query)
    terms = search_text(query)
    if terms:
        match |= Q(pk__in=documents_saying(terms))
    return match


def cycle_documents(filters: DocumentFilters):
    from django.db.models import BooleanField, ExpressionWrapper

    documents = cycle_documents_base().filter(**filters.q_for())
    if filters.query:
        documents = documents.filter(document_match_q(filters.query))
    return (
        documents.select_related("ente__region")
        .annotate(
            oiv_validated=ExpressionWrapper(oiv_validated_expression(), output_field=BooleanField())
        )
        .order_by("-year", "ente__name", "kind")
    )


def document_facets(filters: DocumentFilters) -> list[dict]:
    base = cycle_documents_base()
    if filters.query:
        base = base.filter(document_match_q(filters.query))
    # The query is applied above: the counts are plain GROUP BYs on what it matched.
    stripped = DocumentFilters(facets=filters.facets, selected=filters.selected)
    return _facet_options(base, stripped)


MAX_COMPARED = 4


def comparable_enti():
    """Bodies with at least one public document, for the comparison form."""
    return (
        Ente.objects.filter(Exists(cycle_documents_base().filter(ente=OuterRef("pk"))))
        .select_related("region")
        .order_by("name")
    )


def compare_enti(ente_ids: list[int], year: int | None) -> dict:
    """Bodies side by side: one row per document type, one column per body."""
    from django.db.models import BooleanField, ExpressionWrapper

    from portal.pam.models import DocumentKind

    enti = list(comparable_enti().filter(pk__in=ente_ids[:MAX_COMPARED]))
    documents = cycle_documents_base().filter(ente__in=enti)
    years = sorted(set(documents.values_list("year", flat=True)), reverse=True)
    if year is None and years:
        year = years[0]
    cells = {}
    for document in documents.filter(year=year).annotate(
        oiv_validated=ExpressionWrapper(oiv_validated_expression(), output_field=BooleanField())
    ):
        cells[(document.kind, document.ente_id)] = document
    rows = [
        {"kind": label, "cells": [cells.get((value, ente.pk)) for ente in enti]}
        for value, label in DocumentKind.choices
    ]
    return {"enti": enti, "rows": rows, "year": year, "years": years}


# --- Good practices ----------------------------------------------------------------------


def practices_base(user):
    return access.visible_practices(user, GoodPractice.objects.all())


def _matching_practice_ids(user, filters: PracticeFilters) -> list[int]:
    """Practices matching the text query. The search backend filters only on declared
    FilterFields (not on the body's kind), so the match is narrowed by ids; practices are
    curated by hand and stay few."""
    terms = filters.search_terms
    if not terms:
        return []
    matches = practices_base(user).search(terms, operator="and", order_by_relevance=False)
    return [p.pk for p in matches]


def practices(user, filters: PracticeFilters):
    items = practices_base(user).filter(**filters.q_for())
    if filters.query:
        items = items.filter(pk__in=_matching_practice_ids(user, filters))
    return (
        items.select_related("ente__region")
        .annotate(adoption_count=Count("adoptions"))
        .order_by("-year", "title")
    )


def practice_facets(user, filters: PracticeFilters) -> list[dict]:
    base = practices_base(user)
    if filters.query:
        base = base.filter(pk__in=_matching_practice_ids(user, filters))
    stripped = PracticeFilters(facets=filters.facets, selected=filters.selected)
    return _facet_options(base, stripped)


def practice_detail(practice: GoodPractice) -> dict:
    return {
        "indicators": list(practice.indicators.all()),
        "documents": [
            row.document for row in practice.practice_documents.select_related("document")
        ],
        "adoptions": list(practice.adoptions.select_related("ente__region").order_by("year")),
    }


# --- Project results -------------------------------------------------------------------

# The project's expected results, from its sheet in the seeds ("Risultati attesi").
EXPECTED_RESULTS = (
    ("relazioni", "Relazioni sulla Performance", 40),
    ("smvp_piani", "Sistemi di misurazione e valutazione e Piani della Performance", 40),
)


def project_results() -> dict:
    """Every figure computed from the data, counting only what is public."""
    from portal.pam.models import DocumentKind

    documents = cycle_documents_base()
    by_kind = dict(documents.order_by().values_list("kind").annotate(n=Count("pk")))
    produced = {
        "relazioni": by_kind.get(DocumentKind.RELAZIONE, 0),
        "smvp_piani": by_kind.get(DocumentKind.SMVP, 0) + by_kind.get(DocumentKind.PIANO, 0),
    }
    targets = [
        {
            "label": label,
            "target": target,
            "produced": produced[key],
            "percent": min(100, round(100 * produced[key] / target)) if target else 0,
        }
        for key, label, target in EXPECTED_RESULTS
    ]
    kind_labels = dict(DocumentKind.choices)
    documents_by_kind = [
        {"label": kind_labels.get(kind, kind), "count": by_kind[kind]}
        for kind, _label in DocumentKind.choices
        if by_kind.get(kind)
    ]
    enti = Ente.objects.active()
    ente_kinds = dict(EnteKind.choices)
    by_ente_kind = [
        {"label": ente_kinds.get(kind, kind), "count": n}
        for kind, n in enti.order_by("kind").values_list("kind").annotate(n=Count("pk"))
    ]
    by_region = list(
        Region.objects.annotate(count=Count("enti", filter=~Q(enti__status="ritirato")))
        .filter(count__gt=0)
        .values("name", "count")
    )
    from django.contrib.auth.models import AnonymousUser

    # A public page: what anyone sees, so reserved material is not counted.
    library = access.visible_library_items(AnonymousUser(), LibraryItemPage.objects.live())
    library_by_type = library.order_by().values_list("material_type").annotate(n=Count("pk"))
    from .models import MaterialType

    types = dict(MaterialType.choices)
    return {
        "targets": targets,
        "documents_by_kind": documents_by_kind,
        "documents_total": sum(by_kind.values()),
        "enti_by_kind": by_ente_kind,
        "enti_by_region": by_region,
        "enti_total": enti.count(),
        "library_by_type": [{"label": types.get(k, k), "count": n} for k, n in library_by_type],
        "practices_total": access.visible_practices(
            AnonymousUser(), GoodPractice.objects.all()
        ).count(),
    }
