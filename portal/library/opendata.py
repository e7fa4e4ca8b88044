"""Open data: each database as CSV and JSON, with a data dictionary and a licence, and
the same rows through a small read-only JSON API.

Rows are read with `.values()` and streamed in chunks, so a full export of 10,000 records
never builds 10,000 model instances nor holds the whole file in memory. The querysets
come from the same selectors as the HTML pages: what the access policy hides there is
hidden here (anonymous visitors and participants alike see only public records)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.urls import reverse

from portal.cgp import CgpPhase
from portal.enti.models import EnteKind
from portal.spreadsheets import safe_cell

from . import selectors
from .filters import (
    MAX_QUERY_LENGTH,
    MAX_VALUES_PER_FACET,
    DocumentFilters,
    LibraryFilters,
    PracticeFilters,
)
from .models import LICENCE, LICENCE_URL, LibraryTopic, MaterialType, PracticeArea


@dataclass(frozen=True)
class Column:
    key: str
    source: str  # a .values() expression name
    type: str
    description: str
    labels: dict | None = None  # code -> Italian label, added as "<key>_descrizione"
    transform: Callable | None = None


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[Column, ...]
    rows: Callable  # (params) -> queryset of dicts
    url: Callable  # (row dict, context) -> stable URL of the record
    filters: Callable  # (params) -> the Filters its rows read


def _library_rows(params):
    filters = LibraryFilters.from_params(params)
    # Exports are the same for everyone: the public records only.
    items = selectors.library_base(AnonymousUser()).filter(**filters.q_for())
    if filters.query:
        terms = filters.search_terms
        matches = items.search(terms, operator="and", order_by_relevance=False) if terms else []
        ids = [item.pk for item in matches]
        items = items.filter(pk__in=ids)
    return items.order_by("pk").values(
        "pk",
        "title",
        "summary",
        "cgp_phase",
        "topic",
        "ente_kind",
        "material_type",
        "year",
        "url_path",
        "last_published_at",
        "previous_version_id",
    )


def _document_rows(params):
    from portal.pam.models import DocumentKind, DocumentStatus  # noqa: F401 - labels below

    filters = DocumentFilters.from_params(params)
    return (
        selectors.cycle_documents(filters)
        .order_by("pk")
        .values(
            "pk",
            "year",
            "kind",
            "status",
            "link",
            "due_date",
            "oiv_validated",
            ente_name=F("ente__name"),
            ente_kind=F("ente__kind"),
            ente_istat=F("ente__istat_code"),
            region=F("ente__region__name"),
            has_file=F("file"),
        )
    )


def _practice_rows(params):
    filters = PracticeFilters.from_params(params)
    return (
        selectors.practices(AnonymousUser(), filters)
        .order_by("pk")
        .values(
            "pk",
            "slug",
            "title",
            "area",
            "cgp_phase",
            "year",
            "problem",
            "solution",
            "results",
            "contacts",
            "adoption_count",
            ente_name=F("ente__name"),
            ente_kind=F("ente__kind"),
            region=F("ente__region__name"),
        )
    )


def _document_labels():
    from portal.pam.models import DocumentKind, DocumentStatus

    return dict(DocumentKind.choices), dict(DocumentStatus.choices)


def _datasets() -> dict[str, Dataset]:
    kinds, statuses = _document_labels()
    phase = dict(CgpPhase.choices)
    ente_kind = dict(EnteKind.choices)
    return {
        "biblioteca": Dataset(
            slug="biblioteca",
            title="Biblioteca metodologica",
            description="Guide, modelli, presentazioni ed esempi pubblicati dal progetto.",
            columns=(
                Column("id", "pk", "intero", "Identificativo stabile del materiale"),
                Column("titolo", "title", "testo", "Titolo"),
                Column("sintesi", "summary", "testo", "Sintesi del contenuto"),
                Column("fase", "cgp_phase", "codice", "Fase del ciclo della performance", phase),
                Column("tema", "topic", "codice", "Tema", dict(LibraryTopic.choices)),
                Column(
                    "tipologia_ente",
                    "ente_kind",
                    "codice",
                    "Tipologia di ente a cui è rivolto (vuoto: tutte)",
                    ente_kind,
                ),
                Column(
                    "tipo_materiale",
                    "material_type",
                    "codice",
                    "Tipo di materiale",
                    dict(MaterialType.choices),
                ),
                Column("anno", "year", "intero", "Anno di riferimento"),
                Column(
                    "versione_precedente",
                    "previous_version_id",
                    "intero",
                    "Id del materiale che questo aggiorna (vuoto se nessuno)",
                ),
                Column(
                    "pubblicato_il",
                    "last_published_at",
                    "data e ora ISO 8601",
                    "Ultima pubblicazione",
                ),
            ),
            rows=_library_rows,
            filters=LibraryFilters.from_params,
            url=lambda row, ctx: selectors.page_url(row["url_path"], ctx["prefix"]),
        ),
        "documenti-enti": Dataset(
            slug="documenti-enti",
            title="Documenti del ciclo della performance degli enti",
            description=(
                "SMVP, Piani e Relazioni sulla Performance e gli altri documenti del ciclo che "
                "gli enti hanno reso pubblici."
            ),
            columns=(
                Column("id", "pk", "intero", "Identificativo stabile del documento"),
                Column("ente", "ente_name", "testo", "Denominazione dell'ente"),
                Column("codice_istat", "ente_istat", "testo", "Codice ISTAT dell'ente"),
                Column("tipologia_ente", "ente_kind", "codice", "Tipologia di ente", ente_kind),
                Column("regione", "region", "testo", "Regione"),
                Column("anno", "year", "intero", "Anno del ciclo"),
                Column("documento", "kind", "codice", "Tipo di documento", kinds),
                Column("stato", "status", "codice", "Stato del documento", statuses),
                Column("scadenza", "due_date", "data ISO 8601", "Scadenza prevista"),
                Column(
                    "validato_oiv",
                    "oiv_validated",
                    "booleano",
                    "Validato dall'OIV/Nucleo di valutazione",
                ),
                Column(
                    "collegamento",
                    "link",
                    "URL",
                    "Pagina di «Amministrazione trasparente» indicata dall'ente",
                ),
                Column(
                    "file_disponibile",
                    "has_file",
                    "booleano",
                    "Il file è scaricabile dal portale",
                    transform=bool,
                ),
            ),
            rows=_document_rows,
            filters=DocumentFilters.from_params,
            url=lambda row, ctx: reverse("library:document_detail", args=[row["pk"]]),
        ),
        "buone-pratiche": Dataset(
            slug="buone-pratiche",
            title="Buone pratiche",
            description="Pratiche degli enti individuate dal progetto e curate dagli esperti.",
            columns=(
                Column("id", "pk", "intero", "Identificativo della pratica"),
                Column("codice", "slug", "testo", "Codice stabile (usato nell'indirizzo)"),
                Column("titolo", "title", "testo", "Titolo"),
                Column("ente", "ente_name", "testo", "Ente che l'ha sviluppata"),
                Column("tipologia_ente", "ente_kind", "codice", "Tipologia di ente", ente_kind),
                Column("regione", "region", "testo", "Regione"),
                Column("ambito", "area", "codice", "Ambito", dict(PracticeArea.choices)),
                Column("fase", "cgp_phase", "codice", "Fase del ciclo", phase),
                Column("anno", "year", "intero", "Anno"),
                Column("problema", "problem", "testo", "Il problema affrontato"),
                Column("soluzione", "solution", "testo", "La soluzione adottata"),
                Column("risultati", "results", "testo", "I risultati ottenuti"),
                Column("contatti", "contacts", "testo", "Contatti"),
                Column(
                    "enti_che_la_hanno_adottata",
                    "adoption_count",
                    "intero",
                    "Numero di enti che l'hanno adottata",
                ),
            ),
            rows=_practice_rows,
            filters=PracticeFilters.from_params,
            url=lambda row, ctx: reverse("library:practice_detail", args=[row["slug"]]),
        ),
    }


def datasets() -> dict[str, Dataset]:
    return _datasets()


def dictionary(dataset: Dataset) -> list[dict]:
    """The data dictionary: every column of the export, its type and meaning."""
    entries = []
    for column in dataset.columns:
        entries.append(
            {"campo": column.key, "tipo": column.type, "descrizione": column.description}
        )
        if column.labels:
            entries.append(
                {
                    "campo": f"{column.key}_descrizione",
                    "tipo": "testo",
                    "descrizione": f"{column.description} (descrizione del codice)",
                    "valori": {code: str(label) for code, label in column.labels.items()},
                }
            )
    entries.append({"campo": "url", "tipo": "URL", "descrizione": "Indirizzo stabile del record"})
    entries.append(
        {"campo": "licenza", "tipo": "testo", "descrizione": f"Licenza dei dati ({LICENCE_URL})"}
    )
    return entries


def record(dataset: Dataset, row: dict, ctx: dict) -> dict:
    out = {}
    for column in dataset.columns:
        value = row.get(column.source)
        if column.transform is not None:
            value = column.transform(value)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        out[column.key] = value
        if column.labels:
            out[f"{column.key}_descrizione"] = str(column.labels.get(value, "")) if value else ""
    out["url"] = ctx["base"] + dataset.url(row, ctx)
    out["licenza"] = LICENCE
    return out


def context_for(request) -> dict:
    return {"prefix": selectors.site_url_prefix(), "base": request.build_absolute_uri("/")[:-1]}


CHUNK = 2000


def iter_records(dataset: Dataset, params, ctx: dict):
    """Rows in primary-key order, CHUNK at a time by keyset (pk > last seen): bounded
    memory without a server-side cursor (which PostgreSQL planned for first rows, and
    which connection poolers in transaction mode do not allow)."""
    rows = dataset.rows(params)
    last = None
    while True:
        chunk = list((rows if last is None else rows.filter(pk__gt=last))[:CHUNK])
        for row in chunk:
            yield record(dataset, row, ctx)
        if len(chunk) < CHUNK:
            return
        last = chunk[-1]["pk"]


# The CSV is what people open in a spreadsheet, so its text cells go through the project's
# one formula guard; the JSON and the API carry the values as stored. Said to the reader
# in the data dictionary (CSV_NOTE) and in the JSON head.
CSV_NOTE = (
    "Nel file CSV i testi che iniziano con =, +, -, @, una tabulazione o un ritorno a capo "
    "sono preceduti da un apostrofo ('), perché un foglio di calcolo non li esegua come "
    "formule; il JSON e l'API riportano i valori originali."
)


def _csv_cell(value):
    if value is None:
        return ""
    return safe_cell(value)


class _Echo:
    def write(self, value):
        return value


def csv_stream(dataset: Dataset, params, ctx: dict):
    writer = csv.writer(_Echo())
    header = [entry["campo"] for entry in dictionary(dataset)]
    yield "\ufeff" + writer.writerow(header)
    for item in iter_records(dataset, params, ctx):
        yield writer.writerow([_csv_cell(item[key]) for key in header])


def json_stream(dataset: Dataset, params, ctx: dict):
    head = {
        "titolo": dataset.title,
        "descrizione": dataset.description,
        "licenza": LICENCE,
        "licenza_url": LICENCE_URL,
        "dizionario": dictionary(dataset),
        "nota_csv": CSV_NOTE,
    }
    yield json.dumps(head, ensure_ascii=False, default=str)[:-1] + ', "record": ['
    first = True
    for item in iter_records(dataset, params, ctx):
        yield ("" if first else ",") + json.dumps(item, ensure_ascii=False, default=str)
        first = False
    yield "]}"


# --- API pagination ----------------------------------------------------------------------

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class ParameterError(ValueError):
    """A query-string value the API or an export cannot honour. The message is Italian
    and goes into the 400 answer."""


def check_parameters(dataset: Dataset, params) -> None:
    """Filters a machine client sent that are not valid: an error, not a silently wider
    result (the HTML pages ignore such values and say so; a script would not notice)."""
    filters = dataset.filters(params)
    messages = []
    for param, problem in filters.problems:
        if problem == "too_long":
            messages.append(
                f"Il parametro «q» può contenere al massimo {MAX_QUERY_LENGTH} caratteri."
            )
            continue
        facet = next(f for f in filters.facets if f.param == param)
        if problem == "too_many":
            messages.append(
                f"Il filtro «{param}» accetta al massimo {MAX_VALUES_PER_FACET} valori."
            )
        elif facet.choices is None:
            messages.append(f"Il filtro «{param}» vuole un anno di quattro cifre (es. 2024).")
        else:
            allowed = ", ".join(value for value, _label in facet.choices)
            messages.append(
                f"Valore non valido per il filtro «{param}». Valori ammessi: {allowed}."
            )
    if messages:
        raise ParameterError(" ".join(messages))


def _bounded_int(params, name: str, default: int, minimum: int, maximum: int, message: str) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ParameterError(message)
    value = int(raw)
    if not minimum <= value <= maximum:
        raise ParameterError(message)
    return value


def api_page(dataset: Dataset, params, ctx: dict, path: str) -> dict:
    check_parameters(dataset, params)
    limit = _bounded_int(
        params,
        "limit",
        DEFAULT_LIMIT,
        1,
        MAX_LIMIT,
        f"Il parametro «limit» deve essere un numero intero tra 1 e {MAX_LIMIT}.",
    )
    offset = _bounded_int(
        params,
        "offset",
        0,
        0,
        MAX_OFFSET,
        f"Il parametro «offset» deve essere un numero intero tra 0 e {MAX_OFFSET}.",
    )
    rows = dataset.rows(params)
    count = rows.count()
    records = [record(dataset, row, ctx) for row in rows[offset : offset + limit]]

    def link(new_offset):
        from urllib.parse import urlencode

        query = [
            (key, value)
            for key, values in params.lists()
            if key not in ("limit", "offset")
            for value in values
        ]
        query += [("limit", str(limit)), ("offset", str(new_offset))]
        return ctx["base"] + path + "?" + urlencode(query)

    return {
        "licenza": LICENCE,
        "licenza_url": LICENCE_URL,
        "totale": count,
        "limit": limit,
        "offset": offset,
        "successivi": link(offset + limit) if offset + limit < count else None,
        "precedenti": link(max(0, offset - limit)) if offset > 0 else None,
        "record": records,
    }
