"""The access matrix of the library and the databases: every role against every way in
(listing, facet counts, page, file, Wagtail's document URL, search, API, exports).
Reserved material is for participants only; private body documents and draft practices
are for nobody here, not even as a count."""

import json

import pytest

from .conftest import RESERVED_WORD, login

PARTICIPANTS = ("member", "referent", "expert", "regional", "editor", "staff")
OUTSIDERS = ("anonymous", "outsider")
ROLES = OUTSIDERS + PARTICIPANTS

pytestmark = pytest.mark.django_db


def matrix():
    return [pytest.param(role, role in PARTICIPANTS, id=role) for role in ROLES]


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_the_library_lists_reserved_material_only_to_participants(client, world, role, allowed):
    login(client, world["users"][role])

    html = client.get(world["index"].url).content.decode()

    assert world["public_item"].title in html
    assert (world["reserved_item"].title in html) is allowed


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_facet_counts_include_reserved_material_only_for_participants(client, world, role, allowed):
    login(client, world["users"][role])

    response = client.get(world["index"].url)

    facets = {g["facet"].param: g["options"] for g in response.context["facets"]}
    material = {o["value"]: o["count"] for o in facets["materiale"]}
    years = {o["value"]: o["count"] for o in facets["anno"]}
    assert material.get("guida") == 1
    assert ("slide" in material) is allowed
    assert (2023 in years) is allowed
    assert response.context["total"] == (2 if allowed else 1)


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_a_reserved_item_page_opens_only_for_participants(client, world, role, allowed):
    login(client, world["users"][role])

    response = client.get(world["reserved_item"].url)

    if allowed:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_a_reserved_file_downloads_only_for_participants(client, world, role, allowed):
    item, document = world["reserved_item"], world["reserved_doc"]
    login(client, world["users"][role])

    response = client.get(f"/banche-dati/biblioteca/{item.pk}/file/{document.pk}/")

    if allowed:
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    else:
        assert response.status_code in (302, 403)


@pytest.mark.parametrize("role", ROLES)
def test_guessing_wagtails_url_of_a_reserved_file_gives_it_only_to_staff(client, world, role):
    """The reserved item's files were moved into the reserved library collection on
    publishing, so the generic document URL applies the reserved-collection rule."""
    document = world["reserved_doc"]
    document.refresh_from_db()
    login(client, world["users"][role])

    response = client.get(document.url)

    assert (response.status_code == 200) is (role == "staff")


@pytest.mark.parametrize("role", ROLES)
def test_a_file_is_not_served_through_an_item_it_does_not_belong_to(client, world, role):
    login(client, world["users"][role])

    response = client.get(
        f"/banche-dati/biblioteca/{world['public_item'].pk}/file/{world['reserved_doc'].pk}/"
    )

    assert response.status_code in (302, 403)


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_search_finds_reserved_material_by_its_file_text_only_for_participants(
    client, world, role, allowed
):
    login(client, world["users"][role])

    response = client.get("/cerca/", {"q": RESERVED_WORD})

    html = response.content.decode()
    assert (world["reserved_item"].title in html) is allowed
    library = next(s for s in response.context["sections"] if s.key == "biblioteca")
    assert library.count == (1 if allowed else 0)


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_site_search_pages_section_hides_reserved_items_too(client, world, role, allowed):
    from portal.pages.selectors import search_pages

    user = world["users"][role]
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()

    titles = {page.title for page in search_pages(user, "esercitazione")}

    assert (world["reserved_item"].title in titles) is allowed


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "path",
    [
        "/banche-dati/api/biblioteca/",
        "/banche-dati/dati-aperti/biblioteca.csv",
        "/banche-dati/dati-aperti/biblioteca.json",
        "/banche-dati/api/biblioteca/?materiale=slide",
        "/banche-dati/api/biblioteca/?q=" + RESERVED_WORD,
    ],
)
def test_open_data_and_the_api_never_carry_reserved_material(client, world, role, path):
    login(client, world["users"][role])

    response = client.get(path)

    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode("utf-8-sig")
    assert response.status_code == 200
    assert world["reserved_item"].title not in body
    assert f"/{world['reserved_item'].slug}/" not in body
    if path.endswith("/biblioteca/"):
        assert json.loads(body)["totale"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_private_body_documents_are_nowhere_for_anyone(client, world, role):
    private = world["private_cycle"]
    login(client, world["users"][role])

    listing = client.get("/banche-dati/documenti/").content.decode()
    api = client.get("/banche-dati/api/documenti-enti/").json()
    export = b"".join(client.get("/banche-dati/dati-aperti/documenti-enti.csv").streaming_content)
    detail = client.get(f"/banche-dati/documenti/{private.pk}/")
    file = client.get(f"/banche-dati/documenti/{private.pk}/file/")
    compare = client.get("/banche-dati/documenti/confronta/", {"enti": [private.ente_id]})

    assert "Università di Foggia" not in listing
    assert api["totale"] == 1
    assert [r["ente"] for r in api["record"]] == ["Comune di Battipaglia"]
    assert b"Foggia" not in export
    assert detail.status_code == 404
    assert file.status_code == 404
    assert "Università di Foggia" not in compare.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_a_public_body_document_and_its_file_are_open_to_everyone(client, world, role):
    public = world["public_cycle"]
    login(client, world["users"][role])

    detail = client.get(f"/banche-dati/documenti/{public.pk}/")
    file = client.get(f"/banche-dati/documenti/{public.pk}/file/")

    assert detail.status_code == 200
    assert "Validato dall&#x27;OIV" in detail.content.decode() or "Validato dall'OIV" in (
        detail.content.decode()
    )
    assert file.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_a_draft_practice_is_nowhere(client, world, role):
    login(client, world["users"][role])

    listing = client.get("/banche-dati/buone-pratiche/").content.decode()
    detail = client.get(f"/banche-dati/buone-pratiche/{world['draft'].slug}/")
    api = client.get("/banche-dati/api/buone-pratiche/").json()
    search = client.get("/cerca/", {"q": "segreta", "tipo": "pratiche"}).content.decode()

    assert world["practice"].title in listing
    assert world["draft"].title not in listing
    assert detail.status_code == 404
    assert [r["codice"] for r in api["record"]] == [world["practice"].slug]
    assert world["draft"].title not in search


@pytest.mark.parametrize(("role", "allowed"), matrix())
def test_the_results_page_never_counts_reserved_or_private_rows(client, world, role, allowed):
    login(client, world["users"][role])

    response = client.get("/banche-dati/risultati/")

    assert response.status_code == 200
    assert response.context["documents_total"] == 1
    assert sum(row["count"] for row in response.context["library_by_type"]) == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [pytest.param(r, r in ("editor", "staff"), id=r) for r in ROLES],
)
def test_the_feedback_report_is_for_editors_and_staff(client, world, role, allowed):
    from portal.library.services import feedback_record

    feedback_record(page=world["public_item"], useful=False, comment="Manca un esempio")
    login(client, world["users"][role])

    response = client.get("/admin/biblioteca/valutazioni/")

    if allowed:
        assert response.status_code == 200
        assert "Manca un esempio" in response.content.decode()
    else:
        assert response.status_code in (302, 403)


def test_the_sitemap_never_lists_reserved_material(client, world):
    xml = client.get("/sitemap.xml").content.decode()

    assert f"/{world['public_item'].slug}/" in xml
    assert f"/{world['reserved_item'].slug}/" not in xml


def test_experts_may_draft_library_material_in_the_admin(client, world):
    from portal.library.models import LibraryIndexPage

    expert = world["users"]["expert"]
    login(client, expert)
    index = LibraryIndexPage.objects.get()

    response = client.get(f"/admin/pages/add/library/libraryitempage/{index.pk}/")

    assert response.status_code == 200
