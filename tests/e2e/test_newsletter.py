"""A visitor subscribes from the archive, confirms from the email link, receives an issue
through a real SMTP server and leaves with one click; the archive and an issue page
pass axe. In a real browser."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from newsletter import services
from newsletter.models import NewsletterIndexPage, Subscriber, SubscriberStatus
from portal.demo.loader import DemoLoader
from tests.factories import RegionFactory, UserFactory
from tests.newsletter.conftest import make_issue
from tests.newsletter.smtp_sink import SmtpSink

from .test_accessibility import BLOCKING_IMPACTS, describe

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

EMAIL = "lettrice.nuova@comune.example.it"
CONFIRM_PATH = re.compile(r"/newsletter/conferma/[^/\s]+/")


def test_a_visitor_subscribes_confirms_receives_an_issue_and_leaves_with_one_click(
    page, live_server, settings
):
    RegionFactory(code="CAM")
    # 1. From the archive, the visitor subscribes.
    page.goto("/newsletter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter")
    form = page.get_by_role("complementary").locator("form")
    form.get_by_label("Indirizzo email").fill(EMAIL)
    form.get_by_role("checkbox", name="Campania").check(force=True)
    consent = "Ho letto l'informativa e acconsento a ricevere la newsletter"
    # Bootstrap Italia draws the box over the input: the label takes the click.
    form.get_by_label(consent).check(force=True)
    form.get_by_role("button", name="Iscriviti").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlla la posta")
    subscriber = Subscriber.objects.get(email=EMAIL)
    assert subscriber.status == SubscriberStatus.PENDING

    # 2. The email's link shows a button; only pressing it confirms.
    sent = [message for message in mail.outbox if EMAIL in message.to]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    link = CONFIRM_PATH.search(sent[0].body)
    assert link, sent[0].body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Conferma l'iscrizione")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING, "a GET confirmed the subscription"
    page.locator("main").get_by_role("button", name="Conferma l'iscrizione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iscrizione confermata")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.confirmed_at and subscriber.consent_at and subscriber.consent_ip

    # 3. A moderator sends an issue; it arrives through a real SMTP server.
    issue = make_issue(NewsletterIndexPage.objects.get(), title="Numero di prova e2e")
    moderator = UserFactory(groups=["Moderators"])
    with SmtpSink(keep_messages=True) as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        services.issue_send_schedule(issue=issue, user=moderator)
    assert [recipient for recipient, _id in sink.received] == [EMAIL]
    (message,) = sink.handler.messages
    assert message["Subject"] == issue.email_subject
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = re.search(r"<([^>]+)>", message["List-Unsubscribe"]).group(1)
    assert message.get_body(preferencelist=("html",)) is not None
    assert "Numero di prova e2e" in message.get_body(preferencelist=("plain",)).get_content()
    path = unsubscribe_url.removeprefix(settings.PORTAL_BASE_URL)

    # 4. Opening the unsubscribe link changes nothing; the mail client's one-click POST
    # (no cookies, no CSRF token) does, and answers 200 without a redirect.
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Annulla l'iscrizione")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
    response = page.context.request.post(
        f"{live_server.url}{path}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data="List-Unsubscribe=One-Click",
        max_redirects=0,
    )
    assert response.status == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert subscriber.unsubscribed_from_send is not None
    page.reload()
    expect(page.locator("main")).to_contain_text("non è iscritto alla newsletter")


def test_the_archive_and_an_issue_have_no_serious_accessibility_violations(page):
    DemoLoader(log=lambda message: None).run()
    issue = NewsletterIndexPage.objects.get().get_children().live().first()
    assert issue is not None
    axe = Axe()
    problems = []
    for path, heading in [
        ("/newsletter/", "Newsletter"),
        (issue.url, issue.title),
        ("/newsletter/iscrizione/", "Iscriviti alla newsletter"),
    ]:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        violations = axe.run(page).response["violations"]
        problems += [describe(path, v) for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)
