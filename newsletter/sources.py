"""What the rest of the portal offers the newsletter: published articles, public
documents and (when the webinar app provides them) webinar sessions.

The webinar programme is read only through `webinar.selectors`; when that module or
its functions do not exist yet, webinars are simply absent from issues, the calendar
and the automatic draft.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portal import access


@dataclass(frozen=True)
class WebinarItem:
    title: str
    starts_at: datetime | None
    url: str
    has_recording: bool = False


def _webinar_selectors():
    try:
        return importlib.import_module("webinar.selectors")
    except ImportError:
        return None


def _as_item(session) -> WebinarItem:
    title = getattr(session, "title", None) or str(session)
    starts_at = getattr(session, "starts_at", None) or getattr(session, "start", None)
    url = ""
    for attr in ("get_absolute_url", "get_url", "full_url", "url"):
        value = getattr(session, attr, None)
        if callable(value):
            try:
                value = value()
            except TypeError:
                continue
        if isinstance(value, str) and value:
            url = value
            break
    return WebinarItem(
        title=title,
        starts_at=starts_at,
        url=url,
        has_recording=bool(getattr(session, "recording_url", "")),
    )


def webinars_available() -> bool:
    selectors = _webinar_selectors()
    return selectors is not None and (
        hasattr(selectors, "sessions_between") or hasattr(selectors, "upcoming_sessions")
    )


def upcoming_webinars(*, limit: int = 3) -> list[WebinarItem]:
    selectors = _webinar_selectors()
    if selectors is None:
        return []
    if hasattr(selectors, "upcoming_sessions"):
        try:
            sessions = selectors.upcoming_sessions(limit=limit)
        except TypeError:
            sessions = selectors.upcoming_sessions()
    elif hasattr(selectors, "sessions_between"):
        now = timezone.now()
        sessions = selectors.sessions_between(now, now + timedelta(days=90))
    else:
        return []
    return [_as_item(session) for session in list(sessions)[:limit]]


def webinars_between(start: date, end: date) -> list[WebinarItem]:
    selectors = _webinar_selectors()
    if selectors is None or not hasattr(selectors, "sessions_between"):
        return []
    tz = timezone.get_current_timezone()
    sessions = selectors.sessions_between(
        datetime.combine(start, time.min, tzinfo=tz), datetime.combine(end, time.min, tzinfo=tz)
    )
    return [_as_item(session) for session in sessions]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as [first instant, first instant of the next month) in the site's zone."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(following, time.min, tzinfo=tz),
    )


def articles_published_between(start: datetime, end: datetime):
    """Public content pages first published in the window: the portal's focus articles."""
    from portal.pages.models import ContentPage

    return (
        access.public_pages(ContentPage.objects.live())
        .filter(first_published_at__gte=start, first_published_at__lt=end)
        .defer_streamfields()
        .order_by("first_published_at")
    )


def public_documents_between(start: datetime, end: datetime):
    """Documents added in the window that anyone may read (none from reserved areas)."""
    from django.contrib.auth.models import AnonymousUser
    from wagtail.documents import get_document_model

    documents = get_document_model().objects.filter(created_at__gte=start, created_at__lt=end)
    return list(access.visible_documents(AnonymousUser(), documents).order_by("created_at"))
