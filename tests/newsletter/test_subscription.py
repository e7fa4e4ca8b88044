"""Subscribing with double opt-in, confirming, leaving, preferences and erasure."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from newsletter import services
from newsletter.models import Subscriber, SubscriberStatus
from tests.factories import RegionFactory, UserFactory

CONFIRM_LINK = re.compile(r"http://testserver(/newsletter/conferma/[^/\s]+/)")


def subscribe(client, email, **extra):
    return client.post(
        "/newsletter/iscrizione/",
        {"email": email, "consent": "on", **extra},
        REMOTE_ADDR=extra.pop("ip", "203.0.113.7"),
    )


def confirmation_path(address):
    messages = [m for m in mail.outbox if address in m.to]
    assert messages, [m.to for m in mail.outbox]
    match = CONFIRM_LINK.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group(1)


@pytest.mark.django_db
def test_a_visitor_subscribes_and_only_a_post_on_the_link_confirms(client):
    campania = RegionFactory(code="CAM")
    response = client.get("/newsletter/iscrizione/")
    assert response.status_code == 200
    assert "Acconsento a ricevere la newsletter" in response.content.decode()

    response = subscribe(client, "Anna.Bianchi@Comune.Example.it", regions=[campania.pk])
    assert response.status_code == 302
    assert response["Location"] == "/newsletter/iscrizione/controlla-la-posta/"

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "anna.bianchi@comune.example.it"
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.consent_ip == "203.0.113.7"
    assert subscriber.consent_at is not None
    assert "non traccia aperture né clic" in subscriber.consent_text
    assert list(subscriber.regions.all()) == [campania]
    assert len(mail.outbox) == 1
    path = confirmation_path(subscriber.email)

    # A mail scanner opening the link confirms nothing.
    page = client.get(path)
    assert page.status_code == 200
    assert "Conferma l'iscrizione" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING

    done = client.post(path, REMOTE_ADDR="203.0.113.9")
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_ip == "203.0.113.9"
    assert subscriber.confirmation_key == ""


@pytest.mark.django_db
def test_a_replayed_or_forged_confirmation_link_changes_nothing(client):
    subscribe(client, "rossi@comune.example.it")
    path = confirmation_path("rossi@comune.example.it")
    assert client.post(path).status_code == 200
    replay = client.post(path)
    assert replay.status_code == 404
    assert "non è valido" in replay.content.decode()
    forged = client.post("/newsletter/conferma/" + "A" * 43 + "/")
    assert forged.status_code == 404
    too_long = client.post("/newsletter/conferma/" + "A" * 300 + "/")
    assert too_long.status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_an_expired_confirmation_link_is_refused_and_expired_sign_ups_are_purged(client):
    subscribe(client, "tardi@comune.example.it")
    path = confirmation_path("tardi@comune.example.it")
    Subscriber.objects.update(confirmation_sent_at=timezone.now() - timedelta(days=8))
    assert client.post(path).status_code == 404
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert services.purge_expired_pending() == 1
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "non-un-indirizzo",
        "a@b",
        "anna@comune.example.it\r\nBcc: tutti@example.com",
        "anna@comune.example.it\nSubject: spam",
        "<script>alert(1)</script>@example.com",
        "anna @comune.example.it",
        "x" * 250 + "@example.com",
        "",
    ],
)
def test_malformed_and_hostile_addresses_are_refused_with_a_message(client, address):
    response = subscribe(client, address)
    assert response.status_code == 400
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_consent_is_required(client):
    response = client.post("/newsletter/iscrizione/", {"email": "anna@comune.example.it"})
    assert response.status_code == 400
    assert "serve il tuo consenso" in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_subscribing_someone_else_repeatedly_sends_one_email(client):
    for _attempt in range(6):
        response = subscribe(client, "vittima@comune.example.it")
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == 1
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
def test_one_network_cannot_flood_the_form(client):
    for n in range(services.IP_LIMIT):
        assert subscribe(client, f"persona{n}@comune.example.it").status_code == 302
    refused = subscribe(client, "ancora@comune.example.it")
    assert refused.status_code == 400
    assert "Troppe richieste" in refused.content.decode()
    assert not Subscriber.objects.filter(email="ancora@comune.example.it").exists()
    assert len(mail.outbox) == services.IP_LIMIT


@pytest.mark.django_db
def test_an_active_subscriber_signing_up_again_gets_no_email_and_stays_active(
    client, subscriber_factory
):
    subscriber_factory(email="gia@comune.example.it")
    assert subscribe(client, "gia@comune.example.it").status_code == 302
    assert mail.outbox == []
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_one_click_unsubscribe_answers_200_without_cookies_or_csrf(subscriber_factory):
    subscriber = subscriber_factory()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/newsletter/disiscrizione/{subscriber.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Location" not in response
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None
    # Replayed: still 200, nothing more changes.
    again = client.post(
        f"/newsletter/disiscrizione/{subscriber.token}/",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert again.status_code == 200


@pytest.mark.django_db
def test_opening_the_unsubscribe_link_only_shows_a_button(client, subscriber_factory):
    subscriber = subscriber_factory()
    page = client.get(f"/newsletter/disiscrizione/{subscriber.token}/")
    assert page.status_code == 200
    assert "Annulla l'iscrizione" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    done = client.post(f"/newsletter/disiscrizione/{subscriber.token}/")
    assert done.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.django_db
def test_a_forged_unsubscribe_token_is_refused(client, subscriber_factory):
    subscriber = subscriber_factory()
    for token in ("inventato", subscriber.token[:-1] + "x", "x" * 200):
        response = client.post(
            f"/newsletter/disiscrizione/{token}/",
            data="List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


@pytest.mark.django_db
def test_preferences_change_interests_and_erase_everything(client, subscriber_factory):
    subscriber = subscriber_factory()
    puglia = RegionFactory(code="PUG")
    url = f"/newsletter/preferenze/{subscriber.token}/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"regions": [puglia.pk], "azione": "salva"})
    assert response.status_code == 302
    assert list(subscriber.regions.all()) == [puglia]

    response = client.post(url, {"azione": "cancella"})
    assert response.status_code == 200
    assert "Dati cancellati" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_registered_user_subscribes_from_the_profile_without_a_second_confirmation(client):
    user = UserFactory(email="utente.registrato@comune.example.it")
    client.force_login(user)
    page = client.get("/newsletter/il-mio-abbonamento/")
    assert page.status_code == 200
    response = client.post("/newsletter/il-mio-abbonamento/", {"consent": "on"})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.user == user
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.consent_at is not None
    assert mail.outbox == []

    client.post("/newsletter/il-mio-abbonamento/", {"azione": "disiscrivi"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


@pytest.mark.django_db
def test_an_unverified_account_must_confirm_its_address_first():
    user = UserFactory(email="non.verificato@comune.example.it", verified=False)
    with pytest.raises(ValidationError, match="Conferma prima il tuo indirizzo"):
        services.subscribe_user(user=user, ip="192.0.2.5")
    assert not Subscriber.objects.exists()


def test_the_profile_page_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get("/newsletter/il-mio-abbonamento/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
