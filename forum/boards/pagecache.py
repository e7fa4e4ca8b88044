"""Board and topic pages as a visitor without cookies sees them, kept in the cache.

The same rule as the portal's page cache (`portal.pagecache`): only requests with no
cookie at all are served from or stored in the cache, only 200 responses that set
none, so nothing personal goes in or out. Keys carry the portal's page generation (a
publish changes the layout) and the forum's own generation, which every forum write
replaces after it commits (a new post, an edit, any moderation): a visitor never reads
a page older than the last change, and a hit costs no query at all.
"""

from __future__ import annotations

import time
from functools import wraps

from django.core.cache import cache
from django.db import transaction

from portal.pagecache import generation as portal_generation

GENERATION_KEY = "paq-forum-generation"
LIFETIME_SECONDS = 300


def forum_generation() -> str:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = str(time.time_ns())
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def _bump() -> None:
    cache.set(GENERATION_KEY, str(time.time_ns()), None)


def forum_changed() -> None:
    """Call from every write that changes what a page shows. Bumped now and again at
    commit: a visitor who rendered the page in between stored it under a generation
    that is already gone."""
    _bump()
    transaction.on_commit(_bump)


def _cacheable(request) -> bool:
    return request.method in ("GET", "HEAD") and not request.COOKIES


def cached_for_visitors(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = (
            f"paq-forum-page:{portal_generation()}:{forum_generation()}:"
            f"{request.get_host()}:{request.get_full_path()}"
        )
        cached = cache.get(key)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, response, LIFETIME_SECONDS)
        return response

    return wrapper
