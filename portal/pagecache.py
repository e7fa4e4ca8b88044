"""Public pages served to anonymous visitors from the cache, with no database work.

Only requests that carry no cookie at all are served from or stored in the cache, and
only responses that set none: nothing personal (a session, a CSRF token, a message)
can enter it or come out of it. Entries belong to a generation that every publish,
unpublish or move of a page, and every change apps announce (a registration changes
the seats shown), replaces; a short lifetime bounds anything else a page shows.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from wagtail import views as wagtail_views

GENERATION_KEY = "paq-page-cache-generation"
# Changes only when pages themselves change (not when a registration moves the seats):
# what is derived from pages alone (the site's menu, a session page's object) keeps
# across registrations.
CONTENT_GENERATION_KEY = "paq-page-content-generation"
LIFETIME_SECONDS = 60


def _current(key: str) -> str:
    value = cache.get(key)
    if value is None:
        value = str(time.time_ns())
        cache.add(key, value, None)
        value = cache.get(key, value)
    return value


def generation() -> str:
    return _current(GENERATION_KEY)


def content_generation() -> str:
    return _current(CONTENT_GENERATION_KEY)


def invalidate(*args, **kwargs) -> None:
    """Start a new generation: every cached page is out of date at once."""
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def content_changed(*args, **kwargs) -> None:
    """A page was published, moved, deleted or restricted: cached pages and everything
    read from pages are out of date."""
    value = str(time.time_ns())
    cache.set_many({GENERATION_KEY: value, CONTENT_GENERATION_KEY: value}, None)


def _cacheable(response) -> bool:
    return (
        response.status_code == 200
        and not response.cookies
        and not getattr(response, "streaming", False)
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_paq_page_cache_key", None)
        if key is not None and _cacheable(response):
            cache.set(key, response, LIFETIME_SECONDS)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            view_func is not wagtail_views.serve
            or request.method not in ("GET", "HEAD")
            or request.COOKIES
        ):
            return None
        # Hashed: a long query string must not make a key the cache refuses.
        address = f"{request.get_host()}{request.get_full_path()}".encode()
        key = f"paq-page:{generation()}:{hashlib.sha256(address).hexdigest()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        request._paq_page_cache_key = key
        return None
