"""What the site's frame (templates/base.html) shows around every page.

The menu and the footer's links are the same for everyone on a host and change only
when pages are published, moved or deleted or the portal settings are saved: exactly
when `portal.pagecache` starts a new content generation (seat changes do not). So
they are read once per content generation and host and kept in the cache as plain
dictionaries; a page then renders its frame without a query. The lifetime bounds what
no signal announces (a Site edited in the admin, a page changed with a bare queryset
update).
"""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from portal import access, pagecache

from .selectors import menu_pages

LIFETIME_SECONDS = 300
FOOTER_LINKS = (
    ("legal_page", "Note legali"),
    ("privacy_page", "Privacy"),
    ("accessibility_page", "Dichiarazione di accessibilità"),
)


def _read_frame(request) -> dict:
    # The policy is asked as an anonymous visitor: what a visitor may see, every user
    # may see (the policy only ever hides reserved pages, and only from those outside
    # them). When the policy hides a candidate from visitors, the menu depends on who
    # asks and is read per request (`menu` None).
    from wagtail.models import Site

    from .models import PortalSettings

    site = Site.find_for_request(request)
    menu: list[dict] | None = []
    if site is not None:
        candidates = list(site.root_page.get_children().live().in_menu())
        public_ids = set(
            access.visible_pages(
                AnonymousUser(), site.root_page.get_children().live().in_menu()
            ).values_list("pk", flat=True)
        )
        if all(page.pk in public_ids for page in candidates):
            menu = [{"url": page.get_url(request), "title": page.title} for page in candidates]
        else:
            menu = None
    # Read, never created here: creating the row would start a new page generation and
    # make this very entry out of date. No row yet means no link yet.
    portal_settings = PortalSettings.base_queryset().first() or PortalSettings()
    contacts = portal_settings.contacts_page
    footer = [
        {"url": getattr(portal_settings, field).get_url(request), "label": label}
        for field, label in FOOTER_LINKS
        if getattr(portal_settings, field) is not None
    ]
    if portal_settings.accessibility_feedback_url:
        footer.append(
            {
                "url": portal_settings.accessibility_feedback_url,
                "label": "Segnalazioni sull'accessibilità",
            }
        )
    return {
        "menu": menu,
        "contacts_url": contacts.get_url(request) if contacts is not None else "",
        "footer_links": footer,
    }


def frame(request) -> dict:
    """The frame's shared data for this request's host, from the cache when current."""
    # What Wagtail's Site lookup reads (the raw host: no ALLOWED_HOSTS check here).
    address = f"{request._get_raw_host()}|{request.get_port()}"
    host = hashlib.sha256(address.encode()).hexdigest()[:32]
    key = f"paq-frame:{pagecache.content_generation()}:{host}"
    data = cache.get(key)
    if data is None:
        data = _read_frame(request)
        cache.set(key, data, LIFETIME_SECONDS)
    return data


def navigation(request):
    shared = SimpleLazyObject(lambda: frame(request))

    def menu():
        items = shared["menu"]
        return items if items is not None else menu_pages(request)

    return {"site_frame": shared, "menu_pages": SimpleLazyObject(menu)}
