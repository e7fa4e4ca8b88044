"""`access.public_pages`: Wagtail's `.public()` in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from portal import access


def _page(parent, slug):
    return parent.add_child(instance=Page(title=slug.title(), slug=slug))


def test_a_restricted_section_and_everything_below_it_are_left_out(db, area_factory, ente_factory):
    area_factory(ente=ente_factory())
    home = Site.objects.get(is_default_site=True).root_page
    section = _page(home, "sezione")
    below = _page(_page(section, "figlia"), "nipote")
    sibling = _page(home, "sezione-aperta")
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)

    public = set(access.public_pages(Page.objects.all()).values_list("pk", flat=True))

    assert section.pk not in public
    assert below.pk not in public
    assert sibling.pk in public
    assert public == set(Page.objects.public().values_list("pk", flat=True))


def test_it_costs_one_query_whatever_the_number_of_restrictions(db, area_factory, ente_factory):
    home = Site.objects.get(is_default_site=True).root_page
    for number in range(5):
        page = _page(home, f"riservata-{number}")
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    with CaptureQueriesContext(connection) as queries:
        list(access.public_pages(Page.objects.filter(depth=3)))

    assert len(queries.captured_queries) == 1
