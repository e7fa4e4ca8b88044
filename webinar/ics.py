"""iCalendar files: the whole programme as a feed, one event per session."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event

from portal.mail import absolute_url

from .models import SessionSeats

PRODID = "-//Portale PAQ//Webinar//IT"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Rome")
    return calendar


def _event(session, sequence: int) -> Event:
    event = Event()
    event.add("uid", f"webinar-{session.pk}@portale-paq")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", session.title)
    event.add("description", f"{session.summary}\n\n{absolute_url(session.url)}")
    event.add("url", absolute_url(session.url))
    event.add("location", "Online")
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return event


def _sequences(sessions) -> dict[int, int]:
    return dict(
        SessionSeats.objects.filter(session__in=[s.pk for s in sessions]).values_list(
            "session_id", "ics_sequence"
        )
    )


def session_calendar(session) -> bytes:
    calendar = _calendar(session.title)
    calendar.add_component(_event(session, _sequences([session]).get(session.pk, 0)))
    return calendar.to_ical()


def programme_calendar(sessions) -> bytes:
    sessions = list(sessions)
    sequences = _sequences(sessions)
    calendar = _calendar("Webinar del progetto Valutazione delle Performance")
    for session in sessions:
        calendar.add_component(_event(session, sequences.get(session.pk, 0)))
    return calendar.to_ical()
