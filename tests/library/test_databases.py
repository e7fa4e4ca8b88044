"""Documents database, comparison, practices, results, open data and the JSON API."""

import csv
import io
import json

import pytest

from portal.pam.models import CycleDocument, DocumentKind, DocumentStatus

from .conftest import login

pytestmark = pytest.mark.django_db


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def test_documents_filter_by_region_kind_type_year_and_status(client, world):
    response = client.get(
        "/banche-dati/documenti/",
        {
            "regione": "CAM",
            "tipologia": "comune",
            "documento": "relazione",
            "anno": "2024",
            "stato": "pubblicato",
        },
    )

    assert [d.pk for d in response.context["page_obj"]] == [world["public_cycle"].pk]
    assert response.context["page_obj"][0].oiv_validated is True


def test_an_adopted_document_without_a_public_link_is_not_public(client, world):
    CycleDocument.objects.create(
        ente=world["ente_b"],
        year=2024,
        kind=DocumentKind.PIANO,
        due_date="2024-01-31",
        status=DocumentStatus.ADOPTED,
    )

    response = client.get("/banche-dati/documenti/", {"regione": "PUG"})

    assert response.context["page_obj"].paginator.count == 0


def test_document_facets_count_only_public_documents(client, world):
    response = client.get("/banche-dati/documenti/")

    regions = next(g for g in response.context["facets"] if g["facet"].param == "regione")
    assert {o["value"]: o["count"] for o in regions["options"]} == {"CAM": 1}


@pytest.mark.parametrize("path", ["/banche-dati/documenti/", "/banche-dati/buone-pratiche/"])
@pytest.mark.parametrize(
    "params",
    [
        {"q": "' OR 1=1 --"},
        {"q": '"unbalanced NEAR(a b) OR *'},
        {"q": "(?:a+)+$"},
        {"q": "\u202e\ufeff🙂"},
        {"q": "x" * 5000},
        {"anno": "²⁰²⁴", "regione": "' OR 1=1 --", "tipologia": "\u0000"},
        {"documento": ["smvp"] * 50, "ambito": "x" * 5000},
        {"pagina": "-1"},
        {"pagina": "9" * 5000},
    ],
    ids=["sql", "fts", "regex", "unicode", "long", "bad-values", "many", "page-neg", "page-huge"],
)
def test_database_lists_answer_hostile_input_calmly(client, world, path, params):
    response = client.get(path, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Università di Foggia" not in html.split('id="risultati"', 1)[1]


def test_bodies_are_compared_side_by_side(client, world):
    response = client.get(
        "/banche-dati/documenti/confronta/", {"enti": [world["ente_a"].pk], "anno": "2024"}
    )

    comparison = response.context["comparison"]
    assert [e.name for e in comparison["enti"]] == ["Comune di Battipaglia"]
    relazione = next(
        r
        for r in comparison["rows"]
        if "Relazione sulla Performance" in str(r["kind"]) and r["cells"][0]
    )
    assert relazione["cells"][0].oiv_validated


@pytest.mark.parametrize(
    "params",
    [
        {"enti": ["abc", "1;DROP"]},
        {"enti": ["9" * 30]},
        {"enti": [str(i) for i in range(50)]},
        {"anno": "20x4", "enti": "1"},
    ],
    ids=["not-numbers", "huge", "too-many", "bad-year"],
)
def test_comparison_with_bad_input_is_answered_calmly(client, world, params):
    response = client.get("/banche-dati/documenti/confronta/", params)

    assert response.status_code == 200


def test_a_practice_has_a_stable_url_indicators_and_adopters(client, world):
    response = client.get(f"/banche-dati/buone-pratiche/{world['practice'].slug}/")

    html = response.content.decode()
    assert "Tempo medio di pagamento" in html
    assert "Università di Foggia" in html  # adopted it
    assert "62 giorni" in html


def test_practices_are_searchable_and_filterable(client, world):
    found = client.get("/banche-dati/buone-pratiche/", {"q": "fatture", "ambito": "indicatori"})
    other = client.get("/banche-dati/buone-pratiche/", {"ambito": "trasparenza"})

    assert [p.slug for p in found.context["page_obj"]] == [world["practice"].slug]
    assert other.context["page_obj"].paginator.count == 0


def test_the_results_page_is_computed_from_the_data(client, world):
    response = client.get("/banche-dati/risultati/")

    targets = {t["label"]: t for t in response.context["targets"]}
    assert targets["Relazioni sulla Performance"]["produced"] == 1
    assert targets["Relazioni sulla Performance"]["target"] == 40
    assert response.context["enti_total"] == 2


# --- Open data ----------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["biblioteca", "documenti-enti", "buone-pratiche"])
def test_every_database_exports_csv_with_a_licence_and_stable_urls(client, world, dataset):
    response = client.get(f"/banche-dati/dati-aperti/{dataset}.csv")

    rows = list(csv.DictReader(io.StringIO(body(response))))
    assert response["Content-Type"].startswith("text/csv")
    assert rows
    assert all(row["licenza"] == "CC-BY-4.0" for row in rows)
    assert all(row["url"].startswith("http://testserver/") for row in rows)
    assert client.get(rows[0]["url"].removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("dataset", ["biblioteca", "documenti-enti", "buone-pratiche"])
def test_every_database_exports_json_with_its_data_dictionary(client, world, dataset):
    data = json.loads(body(client.get(f"/banche-dati/dati-aperti/{dataset}.json")))

    fields = {entry["campo"] for entry in data["dizionario"]}
    assert data["licenza"] == "CC-BY-4.0"
    assert data["record"]
    assert set(data["record"][0]) == fields


FORMULAS = ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)", "\tA", "\rB"]


def practice_with_formulas(world):
    practice = world["practice"]
    practice.title, practice.problem = FORMULAS[0], FORMULAS[1]
    practice.solution, practice.results = FORMULAS[2], FORMULAS[3]
    practice.contacts = FORMULAS[4]
    practice.save()
    item = world["public_item"]
    item.summary = FORMULAS[5]
    item.save_revision().publish()
    return practice


def test_the_csv_neutralises_formula_like_text_cells(client, world):
    practice_with_formulas(world)

    practices = list(
        csv.DictReader(io.StringIO(body(client.get("/banche-dati/dati-aperti/buone-pratiche.csv"))))
    )
    library = list(
        csv.DictReader(io.StringIO(body(client.get("/banche-dati/dati-aperti/biblioteca.csv"))))
    )

    row = next(r for r in practices if r["codice"] == "cruscotto-tempi-pagamento")
    assert [row[k] for k in ("titolo", "problema", "soluzione", "risultati", "contatti")] == [
        "'" + value for value in FORMULAS[:5]
    ]
    assert row["anno"] == "2024"  # numbers are not text: left alone
    assert next(r for r in library if r["id"] == str(world["public_item"].pk))["sintesi"] == (
        "'" + FORMULAS[5]
    )


def test_the_json_and_the_api_keep_the_values_as_stored(client, world):
    practice_with_formulas(world)

    export = json.loads(body(client.get("/banche-dati/dati-aperti/buone-pratiche.json")))
    api = client.get("/banche-dati/api/buone-pratiche/").json()

    for records in (export["record"], api["record"]):
        row = next(r for r in records if r["codice"] == "cruscotto-tempi-pagamento")
        assert row["titolo"] == FORMULAS[0]
        assert row["problema"] == FORMULAS[1]
    assert "apostrofo" in export["nota_csv"]


def test_the_data_dictionary_says_how_the_csv_guards_formulas(client, world):
    html = client.get("/banche-dati/dati-aperti/").content.decode()

    assert "preceduti da un apostrofo" in html


def test_the_export_follows_the_filters(client, world):
    data = json.loads(
        body(client.get("/banche-dati/dati-aperti/documenti-enti.json", {"regione": "PUG"}))
    )

    assert data["record"] == []


def test_the_open_data_page_shows_each_dictionary(client, world):
    html = client.get("/banche-dati/dati-aperti/").content.decode()

    assert "Dizionario dei dati" in html
    assert "validato_oiv" in html
    assert "CC-BY-4.0" in html


def test_an_unknown_dataset_or_format_is_not_found(client, world):
    assert client.get("/banche-dati/dati-aperti/utenti.csv").status_code == 404
    assert client.get("/banche-dati/dati-aperti/biblioteca.xml").status_code == 404
    assert client.get("/banche-dati/api/utenti/").status_code == 404


# --- API -----------------------------------------------------------------------------------


def test_the_api_paginates_with_limit_and_offset(client, world):
    first = client.get("/banche-dati/api/documenti-enti/", {"limit": "1"}).json()

    assert first["totale"] == 1
    assert first["limit"] == 1
    assert first["successivi"] is None
    assert first["record"][0]["validato_oiv"] is True
    assert first["record"][0]["licenza"] == "CC-BY-4.0"


def test_the_api_links_the_next_page(client, world, library_index):
    from .conftest import make_item

    for i in range(3):
        make_item(library_index, f"Extra {i}")

    page = client.get("/banche-dati/api/biblioteca/", {"limit": "2", "offset": "0"}).json()
    following = client.get(page["successivi"].removeprefix("http://testserver")).json()

    assert page["totale"] == 4
    assert len(page["record"]) == 2
    assert len(following["record"]) == 2
    assert following["precedenti"]
    assert {r["id"] for r in page["record"]}.isdisjoint({r["id"] for r in following["record"]})


@pytest.mark.parametrize(
    ("params", "word"),
    [
        ({"limit": "1000000"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "abc"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "1e9"}, "offset"),
        ({"offset": "9" * 40}, "offset"),
        ({"limit": "١٠"}, "limit"),  # Arabic-Indic digits
    ],
    ids=["huge", "zero", "negative", "text", "negative-offset", "exp", "long", "unicode-digits"],
)
def test_api_pagination_abuse_gets_a_clear_400_in_italian(client, world, params, word):
    response = client.get("/banche-dati/api/biblioteca/", params)

    assert response.status_code == 400
    assert word in response.json()["errore"]
    assert "numero intero" in response.json()["errore"]


def test_an_offset_past_the_end_is_an_empty_page(client, world):
    data = client.get("/banche-dati/api/biblioteca/", {"offset": "5000"}).json()

    assert data["record"] == []
    assert data["totale"] == 1


@pytest.mark.parametrize(
    "params, says",
    [
        ({"fase": "' OR 1=1 --"}, "Valore non valido per il filtro «fase»"),
        ({"anno": "2024 OR 1=1"}, "anno di quattro cifre"),
        ({"anno": "²⁰²⁴"}, "anno di quattro cifre"),
        ({"materiale": "x" * 10_000}, "Valori ammessi: guida"),
        ({"tema": [f"v{i}" for i in range(50)]}, "al massimo 10 valori"),
        ({"q": "indicatori " * 100}, "al massimo 200 caratteri"),
    ],
)
def test_api_and_exports_refuse_unknown_filter_values_in_italian(client, world, params, says):
    # A script asking for a filter that does not exist gets an error, not every record.
    api = client.get("/banche-dati/api/biblioteca/", params)
    export = client.get("/banche-dati/dati-aperti/biblioteca.csv", params)

    assert api.status_code == 400
    assert says in api.json()["errore"]
    assert export.status_code == 400
    assert says in export.content.decode()


def test_api_text_queries_with_search_syntax_are_plain_words(client, world):
    response = client.get("/banche-dati/api/biblioteca/", {"q": '(?:a+)+$ " OR 1=1 -- *'})

    assert response.status_code == 200
    assert response.json()["totale"] == 0


@pytest.mark.parametrize("pk", ["0", "999999", "99999999999999999999"])
def test_guessing_a_document_record_url_finds_nothing(client, world, pk):
    assert client.get(f"/banche-dati/documenti/{pk}/").status_code == 404
    assert client.get(f"/banche-dati/documenti/{pk}/file/").status_code == 404


def test_database_pages_have_bounded_queries(client, world, django_assert_max_num_queries):
    """Guards against region, body or validation read once per row."""
    for year in range(2015, 2024):
        CycleDocument.objects.create(
            ente=world["ente_a"],
            year=year,
            kind=DocumentKind.SMVP,
            due_date=f"{year}-01-31",
            status=DocumentStatus.PUBLISHED,
            link=f"https://example.it/{year}",
        )
    for path in (
        "/banche-dati/documenti/",
        "/banche-dati/buone-pratiche/",
        "/banche-dati/risultati/",
        "/banche-dati/api/documenti-enti/",
    ):
        with django_assert_max_num_queries(16):
            client.get(path)


def test_the_compare_page_has_bounded_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        client.get(
            "/banche-dati/documenti/confronta/", {"enti": [world["ente_a"].pk, world["ente_b"].pk]}
        )


def test_a_logged_in_participant_sees_the_same_open_data(client, world):
    anonymous = body(client.get("/banche-dati/dati-aperti/biblioteca.csv"))
    login(client, world["users"]["staff"])
    staff = body(client.get("/banche-dati/dati-aperti/biblioteca.csv"))

    assert anonymous == staff
