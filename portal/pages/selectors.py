from wagtail.models import Page, Site

from portal import access


def menu_pages(request):
    """Top navigation: live, public children of the site root that the user may see."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = site.root_page.get_children().live().in_menu()
    # Title and URL are all the menu shows: plain pages, one query whatever their types.
    return list(access.visible_pages(request.user, pages))


def search_pages(user, query: str, *, exclude_library: bool = False):
    """Full-text search over the live pages the user may see (reserved library material
    only for participants; `exclude_library` leaves library items to their own section)."""
    pages = access.visible_pages(user, Page.objects.live())
    hidden_library = access.hidden_library_pages_q(user)
    if hidden_library is not None:
        pages = pages.exclude(hidden_library)
    if exclude_library:
        from portal.library.models import LibraryItemPage

        pages = pages.not_type(LibraryItemPage)
    return pages.search(query, operator="and")


def areas_for(user):
    """The live reserved areas the user may enter, ready for listing."""
    from .models import ReservedAreaPage

    areas = (
        ReservedAreaPage.objects.live()
        .select_related("ente__region", "region", "task_team")
        .defer_streamfields()
        .order_by("scope", "title")
    )
    query = access.visible_area_q(user)
    return areas if query is None else areas.filter(query)
