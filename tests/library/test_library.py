"""Library behaviour: facets and filters, item pages, text extraction, versions, forum
and webinar links, ratings, bad input and bounded query counts."""

import pytest
from django.core.exceptions import ValidationError
from django.db import reset_queries

from portal.cgp import CgpPhase
from portal.library.models import (
    Audience,
    DocumentText,
    LibraryItemDocument,
    MaterialType,
    PageFeedback,
)
from portal.library.textextract import extract_text
from tests.factories import UserFactory

from .conftest import PUBLIC_WORD, docx_bytes, login, make_document, make_item, odt_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def facet_counts(response, param):
    group = next(g for g in response.context["facets"] if g["facet"].param == param)
    return {o["value"]: o["count"] for o in group["options"]}


def test_facet_counts_follow_the_other_facets_selection(client, library_index):
    for year, kind in [
        (2022, MaterialType.GUIDE),
        (2023, MaterialType.GUIDE),
        (2023, MaterialType.SLIDES),
    ]:
        make_item(library_index, f"Materiale {year} {kind}", year=year, material_type=kind)

    response = client.get(library_index.url, {"anno": "2023"})

    assert response.context["total"] == 2
    # The year facet ignores its own selection; the material facet follows it.
    assert facet_counts(response, "anno") == {2022: 1, 2023: 2}
    assert facet_counts(response, "materiale") == {"guida": 1, "slide": 1}


def test_several_values_of_one_facet_are_alternatives(client, library_index):
    make_item(library_index, "Guida A", material_type=MaterialType.GUIDE)
    make_item(library_index, "Slide B", material_type=MaterialType.SLIDES)
    make_item(library_index, "Check-list C", material_type=MaterialType.CHECKLIST)

    response = client.get(library_index.url, {"materiale": ["guida", "slide"]})

    titles = {item.title for item in response.context["page_obj"]}
    assert titles == {"Guida A", "Slide B"}


@pytest.mark.parametrize(
    "params",
    [
        {"fase": "' OR 1=1 --"},
        {"materiale": "guida'; DROP TABLE wagtailcore_page; --"},
        {"anno": "2023 OR 1=1"},
        {"anno": "99999999999999999999"},
        {"tema": "(?:a+)+$"},
        {"tipologia": "\u202e\u0000comune"},
        {"fase": "x" * 5000},
        {"materiale": ["guida"] * 50},
        {"anno": "²⁰²³"},
        {"anno": "٢٠٢٣"},
    ],
    ids=[
        "sql",
        "sql-drop",
        "year-sql",
        "year-huge",
        "regex",
        "unicode",
        "long",
        "many",
        "year-superscript",
        "year-arabic-digits",
    ],
)
def test_hostile_filter_values_are_ignored_with_a_message(client, library_index, params):
    make_item(library_index, "Guida agli indicatori")

    response = client.get(library_index.url, params)

    assert response.status_code == 200
    assert response.context["filters"].errors
    assert "Guida agli indicatori" in response.content.decode()
    assert "non ha un valore valido" in response.content.decode() or "Troppi valori" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "(?:a+)+$", '"unbalanced', "NEAR(a b) OR *", "\u202e\ufeff", "x" * 500, "🙂"],
    ids=["sql", "regex", "quote", "fts-syntax", "bidi", "long", "emoji"],
)
def test_hostile_text_queries_in_the_library_are_answered_calmly(client, library_index, query):
    make_item(library_index, "Guida agli indicatori")

    response = client.get(library_index.url, {"q": query})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_search_in_the_library_finds_an_item_by_its_file_and_highlights_it(client, world):
    response = client.get(world["index"].url, {"q": PUBLIC_WORD})

    titles = [item.title for item in response.context["page_obj"]]
    assert titles == [world["public_item"].title]


def test_text_is_extracted_from_pdf_docx_and_odt_at_upload(db):
    pdf = make_document("A", pdf_bytes("performance organizzativa"), "a.pdf")
    word = make_document("B", docx_bytes("relazione sulla performance"), "b.docx")
    odt = make_document("C", odt_bytes("piano della performance"), "c.odt")
    other = make_document("D", b"just text", "d.txt")

    assert "organizzativa" in DocumentText.objects.get(document=pdf).text
    assert "relazione sulla performance" in DocumentText.objects.get(document=word).text
    assert "piano della performance" in DocumentText.objects.get(document=odt).text
    assert not DocumentText.objects.filter(document=other).exists()


def test_a_library_file_is_read_after_the_upload_commits_and_its_items_reindexed(
    client, library_index, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile
    from wagtail.models import Collection

    from portal.pages.models import PUBLIC_COLLECTION, PortalDocument

    document = PortalDocument(
        title="Scheda", collection=Collection.objects.get(depth=2, name=PUBLIC_COLLECTION)
    )
    document.file.save("scheda.docx", ContentFile(docx_bytes("benessere organizzativo")), False)
    with django_capture_on_commit_callbacks(execute=False) as upload:
        document.save()
    # The upload request reads nothing: the text comes from a task after commit...
    assert not DocumentText.objects.filter(document=document).exists()
    item = make_item(library_index, "Scheda di lavoro", documents=[document])
    client.force_login(UserFactory())  # rendered each time, never the anonymous cache
    assert client.get(library_index.url, {"q": "benessere"}).context["total"] == 0

    # ...which also reindexes the item published meanwhile.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in upload:
            callback()

    response = client.get(library_index.url, {"q": "benessere"})
    assert [found.pk for found in response.context["page_obj"]] == [item.pk]


def test_a_broken_file_is_stored_without_text_and_the_reason(db):
    document = make_document("Rotto", b"%PDF-1.4 not really a pdf", "rotto.pdf")

    row = DocumentText.objects.get(document=document)
    assert row.text == ""
    assert row.error


def test_a_zip_bomb_docx_is_not_unpacked():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (21 * 1024 * 1024))
    buffer.seek(0)

    from portal.library.textextract import ExtractionError

    with pytest.raises(ExtractionError):
        extract_text(buffer, "bomba.docx")


def test_an_item_shows_newer_versions_related_webinars_and_its_forum_origin(client, world):
    from forum.boards.models import Board, BoardKind, LibraryProposal, Topic

    board = Board.objects.create(kind=BoardKind.PUBLIC, slug="obiettivi", title="Obiettivi")
    topic = Topic.objects.create(board=board, title="Come scegliere gli indicatori di risultato?")
    LibraryProposal.objects.create(topic=topic)
    old = world["public_item"]
    newer = make_item(world["index"], "Guida agli indicatori — edizione 2025", year=2025)
    newer.previous_version = old
    newer.source_topic = topic
    newer.save_revision().publish()

    old_html = client.get(old.url).content.decode()
    new_html = client.get(newer.url).content.decode()

    assert "Guida agli indicatori — edizione 2025" in old_html
    assert "versione più recente" in old_html
    assert "Come scegliere gli indicatori di risultato?" in new_html
    assert "La discussione da cui nasce questo materiale" in new_html


def test_a_reserved_newer_version_is_not_announced_to_the_public(client, world):
    newer = make_item(world["index"], "Edizione riservata", audience=Audience.PARTICIPANTS)
    newer.previous_version = world["public_item"]
    newer.save_revision().publish()

    html = client.get(world["public_item"].url).content.decode()

    assert "Edizione riservata" not in html
    assert "versione più recente" not in html


def test_a_hidden_forum_topic_cannot_be_an_items_origin(world):
    from forum.boards.models import Board, BoardKind, Topic

    board = Board.objects.create(kind=BoardKind.PUBLIC, slug="b", title="B")
    topic = Topic.objects.create(board=board, title="Nascosta", hidden=True)
    item = world["public_item"]
    item.source_topic = topic

    with pytest.raises(ValidationError):
        item.full_clean()


def test_a_document_of_a_reserved_area_cannot_be_attached_to_the_library(world, area_factory):
    area = area_factory(ente=world["ente_a"])
    document = make_document("Verbale riservato", pdf_bytes("verbale"), "v.pdf", area.collection)

    row = LibraryItemDocument(page=world["public_item"], document=document)

    with pytest.raises(ValidationError):
        row.clean()


def test_making_an_item_public_moves_its_files_out_of_the_reserved_collection(client, world):
    item = world["reserved_item"]
    item.audience = Audience.PUBLIC
    item.save_revision().publish()

    world["reserved_doc"].refresh_from_db()
    response = client.get(world["reserved_doc"].url)

    assert response.status_code == 200


def test_a_rating_is_recorded_once_per_visitor_and_comments_are_escaped(client, world):
    page = world["public_item"]
    url = f"/banche-dati/valutazione/{page.pk}/"

    first = client.post(
        url, {"useful": "0", "comment": "<b>manca</b> un esempio", "next": page.url}
    )
    second = client.post(url, {"useful": "1", "next": page.url})

    assert first.status_code == 302
    assert first["Location"].endswith("#valutazione")
    assert PageFeedback.objects.filter(page=page).count() == 1
    assert second.status_code == 302
    assert PageFeedback.objects.get().comment == "<b>manca</b> un esempio"


@pytest.mark.parametrize(
    "data",
    [{"useful": "forse"}, {}, {"useful": "1", "comment": "x" * 501}],
    ids=["bad-choice", "missing", "too-long"],
)
def test_a_bad_rating_changes_nothing(client, world, data):
    response = client.post(
        f"/banche-dati/valutazione/{world['public_item'].pk}/", data, follow=True
    )

    assert response.status_code == 200
    assert PageFeedback.objects.count() == 0


def test_rating_a_reserved_item_is_refused_to_outsiders(client, world):
    response = client.post(
        f"/banche-dati/valutazione/{world['reserved_item'].pk}/", {"useful": "1"}
    )

    assert response.status_code == 404
    assert PageFeedback.objects.count() == 0


def test_an_external_next_url_is_not_followed(client, world):
    response = client.post(
        f"/banche-dati/valutazione/{world['public_item'].pk}/",
        {"useful": "1", "next": "https://evil.example.com/"},
    )

    assert "evil.example.com" not in response["Location"]


def test_a_content_page_carries_the_rating_form(client, db):
    from portal.pages.models import ContentPage, HomePage

    home = HomePage.objects.get()
    page = ContentPage(title="Il progetto", slug="il-progetto")
    home.add_child(instance=page)
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "Questa pagina ti è stata utile?" in html
    assert f"/banche-dati/valutazione/{page.pk}/" in html


def test_the_library_list_has_a_constant_number_of_queries(
    client, library_index, django_assert_max_num_queries
):
    """Guards against facet counts or item fields read once per item."""
    # Logged in: the page is rendered every time (anonymous visitors may get the cache).
    client.force_login(UserFactory())
    for i in range(3):
        make_item(library_index, f"Materiale {i}", cgp_phase=CgpPhase.OBIETTIVI)
    client.get(library_index.url)
    # Django keeps the last 9,000 queries only: start counting from an empty log.
    reset_queries()
    # Five facet GROUP BYs, the count, the page of items; the rest is the site frame.
    with django_assert_max_num_queries(25) as few:
        client.get(library_index.url)
    few = len(few.captured_queries)
    for i in range(3, 15):
        make_item(
            library_index, f"Materiale {i}", cgp_phase=CgpPhase.MONITORAGGIO, year=2020 + i % 4
        )
    filtered = {"fase": ["obiettivi", "monitoraggio"]}
    client.get(library_index.url, filtered)  # publishing refreshed the cached site frame
    reset_queries()
    with django_assert_max_num_queries(few):
        client.get(library_index.url, filtered)


def test_an_item_page_has_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    """Guards against related webinars, topics or files read one by one."""
    login(client, world["users"]["member"])
    client.get(world["reserved_item"].url)
    with django_assert_max_num_queries(40):
        client.get(world["reserved_item"].url)


def test_the_rating_form_keeps_content_pages_cacheable(client, db):
    """A CSRF token in the form would set a cookie and keep every content page out of
    the anonymous page cache."""
    from portal.pages.models import ContentPage, HomePage

    home = HomePage.objects.get()
    page = ContentPage(title="Contatti", slug="contatti")
    home.add_child(instance=page)
    page.save_revision().publish()

    response = client.get(page.url)

    assert "valutazione" in response.content.decode()
    assert not response.cookies
