"""Seat allocation: one registration per person, never more confirmed than seats, the
waitlist promoted in order, per-body caps, windows — also under real concurrency, on
SQLite and (in the PostgreSQL pass) with two server processes."""

from __future__ import annotations

import contextlib
import secrets
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone

from tests import factories
from webinar import services
from webinar.models import (
    BodySeats,
    Notice,
    NoticeKind,
    Registration,
    RegistrationStatus,
    SessionSeats,
    SessionStatus,
    WebinarSessionPage,
)

pytestmark = pytest.mark.django_db


def confirmed(session):
    return Registration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED)


def waitlisted(session):
    return Registration.objects.filter(session=session, status=RegistrationStatus.WAITLISTED)


def seats(session):
    return SessionSeats.objects.get(session=session)


# --- One person, one session -------------------------------------------------------------


def test_a_free_seat_confirms_the_registration_and_records_the_body(session_factory):
    session = session_factory(capacity=2)
    member = factories.MembershipFactory().user

    registration, changed = services.register(session, member)

    assert changed
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.holds_seat
    assert registration.ente == member.memberships.get().ente
    assert seats(session).taken == 1


def test_a_person_of_several_bodies_is_recorded_for_the_one_they_refer_for(session_factory):
    from portal.enti.models import MembershipRole

    person = factories.UserFactory()
    factories.MembershipFactory(user=person, ente__name="Comune di Andria")
    factories.MembershipFactory(
        user=person, ente__name="Comune di Zafferana", role=MembershipRole.REFERENTE
    )
    factories.MembershipFactory(user=person, ente__name="Comune di Bari", state="requested")

    registration, _changed = services.register(session_factory(), person)

    assert registration.ente.name == "Comune di Zafferana"


def test_a_member_of_two_bodies_is_recorded_for_the_first_by_name(session_factory):
    person = factories.UserFactory()
    for name in ("Comune di Trani", "Comune di Barletta"):
        factories.MembershipFactory(user=person, ente__name=name)

    registration, _changed = services.register(session_factory(), person)

    assert registration.ente.name == "Comune di Barletta"


def test_a_person_without_an_approved_membership_registers_without_a_body(session_factory):
    person = factories.MembershipFactory(state="requested").user

    registration, _changed = services.register(session_factory(), person)

    assert registration.ente is None


def test_registering_twice_registers_once(session_factory):
    session = session_factory()
    user = factories.UserFactory()

    first, _ = services.register(session, user)
    second, changed = services.register(session, user)

    assert not changed
    assert first.pk == second.pk
    assert Registration.objects.filter(session=session).count() == 1
    assert seats(session).taken == 1


def test_a_full_session_puts_people_on_the_waitlist(session_factory):
    session = session_factory(capacity=1)
    services.register(session, factories.UserFactory())

    registration, _ = services.register(session, factories.UserFactory())

    assert registration.status == RegistrationStatus.WAITLISTED
    assert not registration.holds_seat
    assert seats(session).taken == 1


def test_a_cancellation_promotes_the_first_on_the_waitlist(session_factory):
    session = session_factory(capacity=1)
    holder, _ = services.register(session, factories.UserFactory())
    first_waiting, _ = services.register(session, factories.UserFactory())
    second_waiting, _ = services.register(session, factories.UserFactory())

    services.cancel(holder)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == RegistrationStatus.CONFIRMED
    assert second_waiting.status == RegistrationStatus.WAITLISTED
    assert seats(session).taken == 1
    assert Notice.objects.filter(registration=first_waiting, kind=NoticeKind.PROMOTED).exists()


def test_cancelling_a_waitlisted_registration_frees_no_seat(session_factory):
    session = session_factory(capacity=1)
    holder, _ = services.register(session, factories.UserFactory())
    waiting, _ = services.register(session, factories.UserFactory())

    services.cancel(waiting)

    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.CONFIRMED
    assert seats(session).taken == 1


def test_cancelling_twice_changes_nothing_the_second_time(session_factory):
    session = session_factory(capacity=3)
    registration, _ = services.register(session, factories.UserFactory())

    assert services.cancel(registration)
    assert not services.cancel(registration)
    assert seats(session).taken == 0


def test_registering_again_after_cancelling_queues_anew(session_factory):
    session = session_factory(capacity=1)
    user = factories.UserFactory()
    registration, _ = services.register(session, user)
    services.cancel(registration)
    other, _ = services.register(session, factories.UserFactory())

    again, changed = services.register(session, user)

    assert changed
    assert again.pk == registration.pk
    assert again.status == RegistrationStatus.WAITLISTED
    assert other.status == RegistrationStatus.CONFIRMED


def test_a_larger_capacity_published_by_an_editor_promotes_the_waitlist(session_factory):
    session = session_factory(capacity=1)
    services.register(session, factories.UserFactory())
    waiting, _ = services.register(session, factories.UserFactory())

    session.capacity = 2
    session.save_revision().publish()
    services.announce_changes(WebinarSessionPage.objects.get(pk=session.pk))

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert seats(session).taken == 2


# --- Refusals: a clear message, nothing saved -----------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"registration_opens_at_in": timedelta(days=1)}, "not_yet", "non sono ancora aperte"),
        ({"registration_closes_at_in": -timedelta(hours=1)}, "closed", "sono chiuse"),
        ({"starts_in": -timedelta(hours=3)}, "closed", "sono chiuse"),
        ({"status": SessionStatus.CANCELLED}, "cancelled", "annullato"),
    ],
)
def test_registration_outside_its_window_is_refused(session_factory, fields, code, message):
    now = timezone.now()
    extra = {}
    if "registration_opens_at_in" in fields:
        extra["registration_opens_at"] = now + fields["registration_opens_at_in"]
    if "registration_closes_at_in" in fields:
        extra["registration_closes_at"] = now + fields["registration_closes_at_in"]
    if "status" in fields:
        extra["status"] = fields["status"]
    session = session_factory(starts_in=fields.get("starts_in", timedelta(days=3)), **extra)

    with pytest.raises(ValidationError) as refused:
        services.register(session, factories.UserFactory())

    assert refused.value.code == code
    assert message in refused.value.messages[0]
    assert not Registration.objects.filter(session=session).exists()
    assert seats(session).taken == 0


def test_a_body_over_its_cap_is_refused_and_nothing_is_saved(session_factory):
    session = session_factory(capacity=10, per_body_cap=2)
    ente = factories.EnteFactory(name="Comune di Lamezia Terme")
    first, second, third = (factories.MembershipFactory(ente=ente).user for _ in range(3))
    services.register(session, first)
    services.register(session, second)

    with pytest.raises(ValidationError) as refused:
        services.register(session, third)

    assert refused.value.code == "body_cap"
    assert "Comune di Lamezia Terme" in refused.value.messages[0]
    assert not Registration.objects.filter(session=session, user=third).exists()
    assert seats(session).taken == 2
    assert BodySeats.objects.get(session=session, ente=ente).taken == 2


def test_a_cancellation_gives_the_body_its_place_back(session_factory):
    session = session_factory(capacity=10, per_body_cap=1)
    ente = factories.EnteFactory()
    first, second = (factories.MembershipFactory(ente=ente).user for _ in range(2))
    registration, _ = services.register(session, first)
    services.cancel(registration)

    again, _ = services.register(session, second)

    assert again.status == RegistrationStatus.CONFIRMED


def test_anonymous_visitors_cannot_register(session_factory):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.register(session_factory(), AnonymousUser())


def test_someone_else_registration_cannot_be_cancelled_over_http(client, session_factory):
    session = session_factory()
    owner_registration, _ = services.register(session, factories.UserFactory())
    client.force_login(factories.UserFactory())

    client.post(f"/webinar/{session.pk}/annulla-iscrizione/")

    owner_registration.refresh_from_db()
    assert owner_registration.status == RegistrationStatus.CONFIRMED


def test_a_forged_session_id_is_not_found(client):
    client.force_login(factories.UserFactory())

    assert client.post("/webinar/999999/iscrizione/").status_code == 404


# The registration views keep the session page in the cache between requests: what an
# editor publishes, unpublishes or restricts must count from the next request.


def _visit_then(client, session):
    """A first request through the registration views, which caches the page."""
    person = factories.MembershipFactory().user
    client.force_login(person)
    assert client.post(f"/webinar/{session.pk}/annulla-iscrizione/").status_code == 302
    return person


def test_registration_closed_by_an_editor_is_refused_at_once(client, session_factory):
    session = session_factory()
    person = _visit_then(client, session)

    session.registration_closes_at = timezone.now() - timedelta(minutes=1)
    session.save_revision().publish()
    client.post(f"/webinar/{session.pk}/iscrizione/")

    assert not Registration.objects.filter(session=session, user=person).exists()


def test_an_unpublished_session_is_no_longer_found(client, session_factory):
    session = session_factory()
    _visit_then(client, session)

    session.unpublish()

    assert client.post(f"/webinar/{session.pk}/iscrizione/").status_code == 404


def test_a_session_made_private_is_no_longer_found(client, session_factory):
    from wagtail.models import PageViewRestriction

    session = session_factory()
    _visit_then(client, session)

    PageViewRestriction.objects.create(page=session, restriction_type=PageViewRestriction.LOGIN)

    assert client.post(f"/webinar/{session.pk}/iscrizione/").status_code == 404
    assert client.get(f"/webinar/{session.pk}/evento.ics").status_code == 404


# --- Concurrency -------------------------------------------------------------------------


def _in_threads(function, arguments, workers=16):
    barrier = threading.Barrier(min(workers, len(arguments)), timeout=30)

    def run(argument):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            return function(argument), None
        except Exception as error:  # noqa: BLE001 - reported to the test
            return None, error
        finally:
            close_old_connections()
            connection.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, arguments))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_concurrent_registrations_never_overbook(session_factory):
    session = session_factory(capacity=10)
    users = factories.UserFactory.create_batch(40)

    results = _in_threads(lambda user: services.register(session, user), users)

    assert [error for _result, error in results if error] == []
    assert confirmed(session).count() == 10
    assert waitlisted(session).count() == 30
    assert seats(session).taken == 10
    assert Notice.objects.filter(kind=NoticeKind.CONFIRMED).count() == 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_a_burst_of_clicks_by_one_person_registers_once(session_factory):
    session = session_factory(capacity=5)
    user = factories.UserFactory()

    results = _in_threads(lambda _n: services.register(session, user), list(range(12)))

    assert [error for _result, error in results if error] == []
    assert Registration.objects.filter(session=session, user=user).count() == 1
    assert seats(session).taken == 1
    assert sum(1 for (result, _error) in results if result and result[1]) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_concurrent_cancellations_promote_exactly_the_seats_they_free(session_factory):
    session = session_factory(capacity=8)
    holders = [services.register(session, factories.UserFactory())[0] for _ in range(8)]
    for _ in range(12):
        services.register(session, factories.UserFactory())

    results = _in_threads(services.cancel, holders[:6])

    assert [error for _result, error in results if error] == []
    assert confirmed(session).count() == 8
    assert waitlisted(session).count() == 6
    assert seats(session).taken == 8
    promoted = Notice.objects.filter(kind=NoticeKind.PROMOTED).count()
    assert promoted == 6


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_concurrent_registrations_of_one_body_respect_its_cap(session_factory):
    session = session_factory(capacity=50, per_body_cap=3)
    ente = factories.EnteFactory()
    users = [factories.MembershipFactory(ente=ente).user for _ in range(12)]

    results = _in_threads(lambda user: services.register(session, user), users)

    refused = [error for _result, error in results if error]
    assert len(refused) == 9
    assert all(isinstance(error, ValidationError) for error in refused)
    assert Registration.objects.filter(session=session).count() == 3
    assert seats(session).taken == 3
    assert BodySeats.objects.get(session=session, ente=ente).taken == 3


# --- Real server processes (PostgreSQL pass) -----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(240)
def test_two_server_processes_never_overbook_on_postgresql(session_factory):
    from django.conf import settings

    from tests.chat.conftest import _session_cookie_for
    from tests.chat.servers import ChatWorker

    if connection.vendor != "postgresql":
        pytest.skip("real server processes run in the PostgreSQL pass of the suite")
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/"
        f"{db['NAME']}"
    )
    session = session_factory(capacity=15)
    users = factories.UserFactory.create_batch(60)
    cookies = [_session_cookie_for(user) for user in users]
    workers = [ChatWorker(database_url, "", settings.SECRET_KEY) for _ in range(2)]
    for worker in workers:
        worker.env.pop("REDIS_URL")
        worker.start()
    try:
        token = secrets.token_hex(16)

        def post(index):
            worker = workers[index % 2]
            request = urllib.request.Request(  # noqa: S310 - loopback
                f"http://127.0.0.1:{worker.port}/webinar/{session.pk}/iscrizione/",
                method="POST",
                data=b"",
                headers={
                    "Cookie": f"sessionid={cookies[index]}; csrftoken={token}",
                    "X-CSRFToken": token,
                },
            )

            class NoRedirect(urllib.request.HTTPRedirectHandler):
                def redirect_request(self, *args, **kwargs):
                    return None

            opener = urllib.request.build_opener(NoRedirect)
            try:
                return opener.open(request, timeout=60).status
            except urllib.error.HTTPError as error:
                return error.code

        with ThreadPoolExecutor(max_workers=30) as pool:
            statuses = list(pool.map(post, range(len(users))))
    finally:
        for worker in workers:
            worker.stop()

    assert statuses == [302] * len(users)
    assert confirmed(session).count() == 15
    assert waitlisted(session).count() == 45
    assert seats(session).taken == 15


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.timeout(120)
def test_concurrent_first_registrations_of_one_body_are_all_kept(session_factory):
    """The body's counter row is created by whichever registration comes first: the
    others must find it, not read its absence as a full cap (seen on PostgreSQL)."""
    session = session_factory(capacity=50)
    ente = factories.EnteFactory()
    users = [factories.MembershipFactory(ente=ente).user for _ in range(16)]

    results = _in_threads(lambda user: services.register(session, user), users)

    assert [error for _result, error in results if error] == []
    assert confirmed(session).count() == 16
    assert BodySeats.objects.get(session=session, ente=ente).taken == 16
