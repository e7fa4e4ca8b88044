"""The one search box: sections, filters, highlighted matches, forum topics by access."""

import pytest

from portal.cgp import CgpPhase
from portal.library.templatetags.library_tags import excerpt, highlight

from .conftest import PUBLIC_WORD, login, make_item

pytestmark = pytest.mark.django_db


def section(response, key):
    return next(s for s in response.context["sections"] if s.key == key)


def test_one_query_searches_library_practices_documents_and_pages(client, world):
    response = client.get("/cerca/", {"q": "cruscotto"})

    assert section(response, "biblioteca").count == 1  # by the text inside its DOCX
    assert section(response, "pratiche").count == 1
    html = response.content.decode()
    assert "<mark>" in html


def test_documents_are_found_by_body_name_or_document_type(client, world):
    by_body = client.get("/cerca/", {"q": "Battipaglia", "tipo": "documenti"})
    by_type = client.get("/cerca/", {"q": "Relazione", "tipo": "documenti"})

    assert [d.pk for d in by_body.context["results"]] == [world["public_cycle"].pk]
    assert [d.pk for d in by_type.context["results"]] == [world["public_cycle"].pk]


def test_the_phase_filter_narrows_library_and_practices(client, world):
    make_item(world["index"], "Monitoraggio con il cruscotto", cgp_phase=CgpPhase.MONITORAGGIO)

    response = client.get("/cerca/", {"q": PUBLIC_WORD, "fase": "monitoraggio"})

    assert section(response, "biblioteca").count == 1
    assert section(response, "pratiche").count == 1


def test_forum_topics_are_searched_only_where_the_user_may_read(client, world, area_factory):
    from forum.boards.models import Board, BoardKind, Post, Topic

    public = Board.objects.create(kind=BoardKind.PUBLIC, slug="pubblica", title="Pubblica")
    area = area_factory(ente=world["ente_a"])
    reserved = Board.objects.filter(area=area).first() or Board.objects.create(
        kind=BoardKind.AREA, slug="riservata", title="Riservata", area=area
    )
    for board, title in [
        (public, "Pesatura pubblica degli obiettivi"),
        (reserved, "Pesatura riservata"),
    ]:
        topic = Topic.objects.create(board=board, title=title)
        Post.objects.create(topic=topic, number=1, body="Come pesare gli obiettivi?")

    def titles():
        response = client.get("/cerca/", {"q": "pesatura", "tipo": "forum"})
        return {topic.title for topic in response.context["results"]}

    outsider = titles()
    login(client, world["users"]["member"])
    member = titles()

    assert outsider == {"Pesatura pubblica degli obiettivi"}
    assert member == {"Pesatura pubblica degli obiettivi", "Pesatura riservata"}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "' OR 1=1 --", "tipo": "tutto"},
        {"q": "indicatori", "tipo": "'; DROP TABLE x; --"},
        {"q": "indicatori", "fase": "(?:a+)+$"},
        {"q": 'NEAR(a b) AND "x', "tipo": "biblioteca"},
        {"q": '"', "tipo": "tutto"},
        {"q": "\u202e\u0000\ufeff", "tipo": "forum"},
        {"q": "<script>alert(1)</script>", "tipo": "documenti"},
        {"q": "🙂 performance", "pagina": "-1"},
    ],
    ids=[
        "sql",
        "bad-section",
        "regex-phase",
        "fts-syntax",
        "quote-only",
        "odd-unicode",
        "html",
        "emoji",
    ],
)
def test_hostile_search_input_is_answered_calmly(client, world, params):
    response = client.get("/cerca/", params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_highlight_escapes_everything_but_its_marks():
    assert highlight("<b>Indicatori</b> di risultato", "indicatore") == (
        "&lt;b&gt;<mark>Indicator</mark>i&lt;/b&gt; di risultato"
    )
    assert highlight("a.b*c", ".*") == "a.b*c"
    assert highlight("x&amp;y", "amp") == "x&amp;<mark>amp</mark>;y"


def test_an_excerpt_starts_near_the_match():
    text = "parola " * 100 + "indicatori di risultato " + "altro " * 100

    assert "indicatori" in excerpt(text, "indicatori", 120)


def test_the_search_page_has_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    """Guards against specific pages or topics' boards fetched one result at a time."""
    for i in range(8):
        make_item(world["index"], f"Indicatori {i}")
    client.get("/cerca/", {"q": "indicatori"})
    with django_assert_max_num_queries(30):
        client.get("/cerca/", {"q": "indicatori"})
