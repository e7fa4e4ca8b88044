"""Filters read from the query string: every value is checked against the known choices,
so nothing a visitor types reaches a query except as a bound value of a known field.
Unknown values are dropped and reported (in Italian) to the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.cgp import CgpPhase
from portal.enti.models import EnteKind

from .models import LibraryTopic, MaterialType, PracticeArea

MAX_QUERY_LENGTH = 200
MAX_VALUES_PER_FACET = 10


@dataclass(frozen=True)
class Facet:
    param: str  # query-string name (Italian, stable: it is part of shareable URLs)
    field: str  # model field (or lookup path)
    label: str
    choices: tuple[tuple[str, str], ...] | None = None  # None: years, read from the data

    def label_for(self, value) -> str:
        if self.choices is None:
            return str(value)
        return dict(self.choices).get(str(value), str(value))


def search_text(query: str) -> str:
    """The words of a query, for the search backend: letters and digits only, so that
    quotes, operators or brackets are never read as full-text syntax (SQLite's FTS5
    would fail on an unbalanced quote)."""
    return " ".join(re.findall(r"\w+", query or ""))[:MAX_QUERY_LENGTH]


def _year(value: str) -> int | None:
    # ASCII only: "²⁰²³" is isdigit() but int() refuses it.
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        return None
    return int(value) if 1990 <= int(value) <= 2100 else None


@dataclass
class Filters:
    facets: tuple[Facet, ...] = ()
    selected: dict[str, list] = field(default_factory=dict)
    query: str = ""
    errors: list[str] = field(default_factory=list)
    # (param, problem) for machine clients: the API and the exports answer 400 with them
    # instead of silently widening the result. Problems: "invalid", "too_many", "too_long".
    problems: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_params(cls, params, facets: tuple[Facet, ...] | None = None):
        facets = facets if facets is not None else cls.FACETS
        selected, errors, problems = {}, [], []
        for facet in facets:
            raw = [value.strip() for value in params.getlist(facet.param) if value.strip()]
            values = []
            for value in raw[:MAX_VALUES_PER_FACET]:
                if facet.choices is None:
                    parsed = _year(value)
                else:
                    parsed = value if value in dict(facet.choices) else None
                if parsed is None:
                    problems.append((facet.param, "invalid"))
                    errors.append(
                        _("Il filtro «%(label)s» non ha un valore valido: è stato ignorato.")
                        % {"label": facet.label}
                    )
                elif parsed not in values:
                    values.append(parsed)
            if len(raw) > MAX_VALUES_PER_FACET:
                problems.append((facet.param, "too_many"))
                errors.append(
                    _("Troppi valori per il filtro «%(label)s».") % {"label": facet.label}
                )
            if values:
                selected[facet.param] = values
        query = params.get("q", "")
        if not isinstance(query, str):
            query = ""
        query = "".join(ch for ch in query if ch.isprintable()).strip()
        if len(query) > MAX_QUERY_LENGTH:
            problems.append(("q", "too_long"))
            errors.append(
                _("La ricerca può contenere al massimo %(n)d caratteri: è stata accorciata.")
                % {"n": MAX_QUERY_LENGTH}
            )
            query = query[:MAX_QUERY_LENGTH]
        return cls(
            facets=facets,
            selected=selected,
            query=query,
            errors=list(dict.fromkeys(errors)),
            problems=list(dict.fromkeys(problems)),
        )

    def q_for(self, *, except_param: str | None = None) -> dict:
        """ORM filter kwargs for the selected values (all facets but one, for counts)."""
        lookups = {}
        for facet in self.facets:
            if facet.param == except_param or facet.param not in self.selected:
                continue
            lookups[f"{facet.field}__in"] = self.selected[facet.param]
        return lookups

    def is_selected(self, param: str, value) -> bool:
        return value in self.selected.get(param, [])

    def as_query_items(self) -> list[tuple[str, str]]:
        items = [(param, str(v)) for param, values in self.selected.items() for v in values]
        if self.query:
            items.append(("q", self.query))
        return items

    @property
    def search_terms(self) -> str:
        return search_text(self.query)

    @property
    def active(self) -> bool:
        return bool(self.selected or self.query)

    def chips(self) -> list[dict]:
        """The active filters, each with the URL that removes it."""
        from urllib.parse import urlencode

        chips = []
        items = self.as_query_items()
        for index, (param, value) in enumerate(items):
            facet = next((f for f in self.facets if f.param == param), None)
            label = f"«{value}»" if facet is None else f"{facet.label}: {facet.label_for(value)}"
            rest = items[:index] + items[index + 1 :]
            chips.append({"label": label, "remove": "?" + urlencode(rest)})
        return chips


class LibraryFilters(Filters):
    FACETS = (
        Facet("fase", "cgp_phase", "Fase del ciclo", tuple(CgpPhase.choices)),
        Facet("tema", "topic", "Tema", tuple(LibraryTopic.choices)),
        Facet("tipologia", "ente_kind", "Tipologia di ente", tuple(EnteKind.choices)),
        Facet("materiale", "material_type", "Tipo di materiale", tuple(MaterialType.choices)),
        Facet("anno", "year", "Anno"),
    )


def document_facets() -> tuple[Facet, ...]:
    from portal.enti.models import Region
    from portal.pam.models import DocumentKind, DocumentStatus

    public_statuses = tuple(
        (value, label)
        for value, label in DocumentStatus.choices
        if value in (DocumentStatus.ADOPTED, DocumentStatus.VALIDATED, DocumentStatus.PUBLISHED)
    )
    return (
        Facet(
            "regione",
            "ente__region__code",
            "Regione",
            tuple(Region.objects.order_by("name").values_list("code", "name")),
        ),
        Facet("tipologia", "ente__kind", "Tipologia di ente", tuple(EnteKind.choices)),
        Facet("documento", "kind", "Tipo di documento", tuple(DocumentKind.choices)),
        Facet("anno", "year", "Anno"),
        Facet("stato", "status", "Stato", public_statuses),
    )


class DocumentFilters(Filters):
    @classmethod
    def from_params(cls, params, facets=None):
        return super().from_params(params, facets or document_facets())


class PracticeFilters(Filters):
    FACETS = (
        Facet("ambito", "area", "Ambito", tuple(PracticeArea.choices)),
        Facet("fase", "cgp_phase", "Fase del ciclo", tuple(CgpPhase.choices)),
        Facet("tipologia", "ente__kind", "Tipologia di ente", tuple(EnteKind.choices)),
        Facet("anno", "year", "Anno"),
    )
