"""Sign-up, email verification, login, password reset and profile (django-allauth)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "nuova.utente@comune.example.it",
    "password1": "Una-Password-Lunga-7",
    "password2": "Una-Password-Lunga-7",
}


def confirmation_link(message) -> str:
    return re.search(r"(/account/confirm-email/[^/\s]+/)", message.body).group(1)


def test_signup_sends_a_verification_email_and_does_not_log_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/signup/", SIGNUP)

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SIGNUP["email"]]
    assert "/account/confirm-email/" in mail.outbox[0].body
    assert "Valutazione delle Performance" in mail.outbox[0].body
    assert "Valutazione delle Performance" in mail.outbox[0].subject
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    assert "_auth_user_id" not in client.session


def test_a_plain_get_of_the_confirmation_link_does_not_verify(
    client, django_capture_on_commit_callbacks
):
    """Mail scanners prefetch links: only the POST from the page confirms."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/signup/", SIGNUP)
    link = confirmation_link(mail.outbox[0])

    page = client.get(link)
    assert page.status_code == 200
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified

    client.post(link)
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_login_with_an_unverified_address_asks_for_verification(client):
    client.post("/account/signup/", SIGNUP)
    client.logout()

    response = client.post(
        "/account/login/", {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**SIGNUP, "email": "non-una-email"}, "Inserisci un indirizzo email valido"),
        ({**SIGNUP, "password2": "Diversa-Password-99"}, "stessa password"),
        ({**SIGNUP, "password1": "corta", "password2": "corta"}, "troppo corta"),
        ({**SIGNUP, "password1": "1234567890123", "password2": "1234567890123"}, "numerica"),
    ],
    ids=["invalid-email", "passwords-differ", "too-short", "only-digits"],
)
def test_bad_signup_input_is_explained_in_italian_and_saves_nothing(client, data, message):
    response = client.post("/account/signup/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_user_model().objects.exists()
    assert mail.outbox == []


def test_signup_with_a_taken_address_looks_like_any_signup(
    client, django_capture_on_commit_callbacks
):
    """No enumeration: the page is the same; the owner of the address is told by email."""
    UserFactory(email="gia.registrata@comune.example.it")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/signup/", {**SIGNUP, "email": "gia.registrata@comune.example.it"}
        )

    assert response.status_code == 302
    assert response["Location"] == "/account/confirm-email/"
    assert get_user_model().objects.filter(email="gia.registrata@comune.example.it").count() == 1
    assert mail.outbox[0].to == ["gia.registrata@comune.example.it"]


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(client):
    UserFactory(email="conosciuta@comune.example.it")

    known = client.post("/account/password/reset/", {"email": "conosciuta@comune.example.it"})
    unknown = client.post("/account/password/reset/", {"email": "ignota@comune.example.it"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/done/"


def test_repeated_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _attempt in range(5):
        client.post("/account/login/", {"login": user.email, "password": "sbagliata"})

    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "troppi" in response.content.decode().lower()


def test_verified_user_logs_in_and_reaches_the_personal_area(client):
    user = UserFactory()

    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/area-personale/"
    assert client.get("/area-personale/").status_code == 200


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/admin/"


def test_wagtail_admin_sends_anonymous_visitors_to_the_allauth_login(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/account/login/")


class TestProfile:
    def test_profile_requires_name_surname_and_role(self, client):
        user = UserFactory(first_name="", last_name="", job_role="")
        client.force_login(user)

        response = client.post(
            "/area-personale/profilo/", {"first_name": "", "last_name": "", "job_role": ""}
        )

        assert response.status_code == 400
        assert "Questo campo è obbligatorio" in response.content.decode()
        user.refresh_from_db()
        assert user.job_role == ""

    def test_participants_cannot_declare_themselves_experts(self, client):
        user = UserFactory(job_role="")
        client.force_login(user)

        response = client.post(
            "/area-personale/profilo/",
            {"first_name": "Anna", "last_name": "Greco", "job_role": "esperto"},
        )

        assert response.status_code == 400
        user.refresh_from_db()
        assert user.job_role == ""

    def test_a_complete_profile_is_saved(self, client):
        user = UserFactory(first_name="", last_name="", job_role="")
        client.force_login(user)

        response = client.post(
            "/area-personale/profilo/",
            {"first_name": " Anna ", "last_name": "Greco", "job_role": "oiv", "job_title": ""},
        )

        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.first_name, user.job_role, user.profile_complete) == ("Anna", "oiv", True)


class TestMFAForPrivilegedRoles:
    def test_staff_without_a_second_factor_is_sent_to_set_it_up(self, client, settings):
        settings.PORTAL_REQUIRE_MFA = True
        client.force_login(StaffFactory())

        response = client.get("/admin/")

        assert response.status_code == 302
        assert response["Location"].startswith("/account/2fa/totp/activate/")

    def test_participants_are_not_asked_for_a_second_factor(self, client, settings):
        settings.PORTAL_REQUIRE_MFA = True
        client.force_login(UserFactory())

        assert client.get("/area-personale/").status_code == 200

    def test_the_demo_profile_may_relax_the_requirement(self, client, settings):
        settings.PORTAL_REQUIRE_MFA = False
        client.force_login(StaffFactory())

        assert client.get("/area-personale/").status_code == 200


def test_wagtails_own_front_end_login_form_is_not_reachable(client):
    """It would log people in without allauth's rate limits, verification and MFA."""
    user = UserFactory()

    form = client.get("/_util/login/?next=/aree-riservate/")
    attempt = client.post("/_util/login/", {"username": user.email, "password": PASSWORD})

    assert form.status_code == 302
    assert form["Location"] == "/account/login/?next=/aree-riservate/"
    assert "_auth_user_id" not in client.session
    assert attempt.status_code in (302, 405)
    assert client.get("/_util/authenticate_with_password/1/2/").status_code == 404


def test_logging_out_takes_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    page = client.get("/account/logout/")
    response = client.post("/account/logout/")

    assert page.status_code == 200  # a confirmation page: a GET never logs out
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_ups_from_one_address_are_rate_limited(client):
    for number in range(10):
        client.post("/account/signup/", {**SIGNUP, "email": f"persona{number}@comune.example.it"})

    response = client.post("/account/signup/", {**SIGNUP, "email": "altra@comune.example.it"})

    assert response.status_code == 429
    assert not get_user_model().objects.filter(email="altra@comune.example.it").exists()
