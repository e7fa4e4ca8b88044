"""Sending an issue: one delivery row per recipient, multipart messages with one-click
unsubscribe, retries and bounces, recovery after a worker dies, results for editors."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from newsletter import delivery, services
from newsletter.models import (
    Delivery,
    DeliveryStatus,
    IssueSend,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)
from newsletter.selectors import send_progress

from . import backends


@pytest.fixture
def no_workers(monkeypatch):
    """Sends are prepared but no worker task runs until the test calls one."""
    from newsletter import tasks

    monkeypatch.setattr(tasks, "enqueue_workers", lambda send_id: None)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = "tests.newsletter.backends.FlakyBackend"
    backends.reset()
    yield backends
    backends.reset()


def start(issue, user, when=None):
    return services.issue_send_schedule(issue=issue, user=user, when=when)


@pytest.mark.django_db
def test_sending_creates_one_row_per_active_subscriber_and_sends_each_once(
    issue, moderator, subscriber_factory, flaky_smtp
):
    active = [subscriber_factory() for _n in range(5)]
    subscriber_factory(status=SubscriberStatus.PENDING)
    subscriber_factory(status=SubscriberStatus.UNSUBSCRIBED)
    subscriber_factory(status=SubscriberStatus.BOUNCING)

    send = start(issue, moderator)

    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    assert send.recipients == 5
    assert Delivery.objects.filter(send=send).count() == 5
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(s.email for s in active)
    # One SMTP connection per batch, not per message.
    assert flaky_smtp.STATS["opened"] == 1


@pytest.mark.django_db
def test_each_message_is_multipart_with_one_click_unsubscribe_headers(
    issue, moderator, subscriber_factory, settings
):
    settings.NEWSLETTER_FROM_EMAIL = "Redazione PAQ <newsletter@paq.example.it>"
    settings.NEWSLETTER_REPLY_TO = "redazione@paq.example.it"
    subscriber = subscriber_factory(email="lettrice@comune.example.it")
    send = start(issue, moderator)

    (message,) = mail.outbox
    parsed = message_from_bytes(message.message().as_bytes(), policy=policy.default)
    assert parsed.is_multipart()
    assert [part.get_content_type() for part in parsed.walk()][1:] == [
        "text/plain",
        "text/html",
    ]
    unsubscribe = f"http://testserver/newsletter/disiscrizione/{subscriber.token}/?invio={send.pk}"
    assert parsed["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert parsed["From"] == "Redazione PAQ <newsletter@paq.example.it>"
    assert parsed["Reply-To"] == "redazione@paq.example.it"
    assert parsed["Message-ID"].startswith(f"<newsletter-{send.pk}-")
    html = message.alternatives[0][0]
    assert "style=" in html  # inline-styled for mail clients
    assert unsubscribe.replace("&", "&amp;") in html
    assert f"/newsletter/preferenze/{subscriber.token}/" in message.body
    assert unsubscribe in message.body
    # No tracking: no pixel, no redirected links.
    assert "<img" not in html


@pytest.mark.django_db
def test_a_hostile_subject_cannot_inject_headers(issue, moderator, subscriber_factory):
    subscriber_factory()
    issue.subject = "Numero di novembre\r\nBcc: tutti@example.com"
    # Written around the page's validation, as an import would.
    type(issue).objects.filter(pk=issue.pk).update(subject=issue.subject)
    issue.refresh_from_db()
    start(issue, moderator)
    (message,) = mail.outbox
    raw = message.message().as_bytes()
    assert b"\nBcc:" not in raw
    assert message.subject == "Numero di novembre Bcc: tutti@example.com"


@pytest.mark.django_db
def test_an_issue_cannot_be_sent_twice(issue, moderator, subscriber_factory):
    subscriber_factory()
    start(issue, moderator)
    with pytest.raises(ValidationError, match="già stato inviato"):
        start(issue, moderator)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_only_moderators_and_staff_send_and_only_live_issues_go_out(
    issue_factory, editor, participant, moderator, staff
):
    issue = issue_factory()
    draft = issue_factory(title="Bozza", slug="bozza", publish=False)
    for user in (editor, participant):
        with pytest.raises(PermissionDenied):
            start(issue, user)
    with pytest.raises(ValidationError, match="non è pubblicato"):
        start(draft, moderator)
    assert start(issue, staff).status == SendStatus.SCHEDULED or IssueSend.objects.exists()


@pytest.mark.django_db
def test_unpublished_changes_awaiting_review_block_the_send(issue, moderator):
    issue.title = "Titolo cambiato, non ancora approvato"
    issue.save_revision()
    with pytest.raises(ValidationError, match="modifiche non ancora approvate"):
        start(issue, moderator)


@pytest.mark.django_db
def test_a_scheduled_send_waits_for_its_time_and_can_be_cancelled(
    issue, moderator, subscriber_factory
):
    subscriber_factory()
    send = start(issue, moderator, when=timezone.now() + timedelta(days=1))
    assert send.status == SendStatus.SCHEDULED
    assert services.start_due_sends() == 0
    assert mail.outbox == []
    services.issue_send_cancel(send=send, user=moderator)
    send.refresh_from_db()
    assert send.status == SendStatus.CANCELLED
    # A cancelled send frees the issue for a new one.
    start(issue, moderator)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_due_scheduled_send_is_started_by_the_dispatcher(issue, moderator, subscriber_factory):
    subscriber_factory()
    send = start(issue, moderator, when=timezone.now() + timedelta(hours=1))
    IssueSend.objects.filter(pk=send.pk).update(scheduled_for=timezone.now() - timedelta(minutes=1))
    from newsletter.tasks import dispatch_newsletter

    assert dispatch_newsletter.call()["started"] == 1
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_temporary_failures_are_retried_with_back_off(
    issue, moderator, subscriber_factory, flaky_smtp
):
    later = subscriber_factory(email="piena@comune.example.it")
    subscriber_factory()
    flaky_smtp.REFUSE_TEMPORARILY.add(later.email)
    send = start(issue, moderator)

    row = Delivery.objects.get(subscriber=later)
    assert row.status == DeliveryStatus.PENDING
    assert row.attempts == 1
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)
    send.refresh_from_db()
    assert send.status == SendStatus.SENDING
    assert send_progress(send)["retrying"] == 1

    # Nothing is due yet: a worker passing by sends nothing.
    delivery.run_worker(send.pk)
    assert len(mail.outbox) == 1

    flaky_smtp.REFUSE_TEMPORARILY.clear()
    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    delivery.run_worker(send.pk)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_permanent_failures_mark_the_subscriber_bouncing_after_the_threshold(
    issue_factory, moderator, subscriber_factory, flaky_smtp, settings
):
    settings.NEWSLETTER_BOUNCE_THRESHOLD = 2
    gone = subscriber_factory(email="non-esiste@comune.example.it")
    flaky_smtp.REFUSE_PERMANENTLY.add(gone.email)

    first = start(issue_factory(slug="primo"), moderator)
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.ACTIVE and gone.bounce_count == 1
    assert Delivery.objects.get(send=first).status == DeliveryStatus.FAILED
    assert "550" in Delivery.objects.get(send=first).last_error

    start(issue_factory(slug="secondo", title="Secondo"), moderator)
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.BOUNCING

    third = start(issue_factory(slug="terzo", title="Terzo"), moderator)
    assert not Delivery.objects.filter(send=third).exists()


@pytest.mark.django_db
def test_a_worker_that_died_mid_batch_is_resumed_without_sending_anyone_twice(
    issue, moderator, subscriber_factory, no_workers
):
    """Simulates a SIGKILL: a batch claimed, two rows sent and marked, the third on the
    wire. After the lease, the untouched rows are sent and the one on the wire is not."""
    for _n in range(6):
        subscriber_factory()
    send = IssueSend.objects.create(issue=issue, scheduled_for=timezone.now(), created_by=moderator)
    services.send_start(send.pk)

    ids = delivery.claim_batch(send.pk, "morto:1", 4)
    rows = list(Delivery.objects.filter(pk__in=ids).order_by("pk"))
    for row in rows[:2]:
        Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.SENT, claimed_by="")
    on_the_wire = rows[2]

    # Within the lease nobody touches the dead worker's rows.
    delivery.run_worker(send.pk, worker="vivo")
    assert Delivery.objects.filter(claimed_by="morto:1").count() == 2
    assert len(mail.outbox) == 2  # the two rows nobody had claimed

    Delivery.objects.filter(claimed_by="morto:1").update(
        claimed_at=timezone.now() - timedelta(hours=1)
    )
    report = delivery.run_worker(send.pk, worker="vivo")
    assert report["recovered"] == 2
    on_the_wire.refresh_from_db()
    assert on_the_wire.status == DeliveryStatus.UNCERTAIN
    assert Delivery.objects.filter(send=send, status=DeliveryStatus.SENT).count() == 5
    sent_to = [message.to[0] for message in mail.outbox]
    assert len(sent_to) == len(set(sent_to)) == 3
    assert on_the_wire.subscriber.email not in sent_to
    send.refresh_from_db()
    assert send.status == SendStatus.DONE
    assert send_progress(send)["uncertain"] == 1


@pytest.mark.django_db
def test_someone_who_left_meanwhile_is_skipped(issue, moderator, subscriber_factory, no_workers):
    leaving = subscriber_factory()
    subscriber_factory()
    send = start(issue, moderator)
    services.subscriber_unsubscribe(token=leaving.token)
    delivery.run_worker(send.pk)
    assert Delivery.objects.get(subscriber=leaving).status == DeliveryStatus.SKIPPED
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unsubscribes_caused_by_a_send_are_counted_for_it(
    client, issue, moderator, subscriber_factory
):
    readers = [subscriber_factory() for _n in range(3)]
    send = start(issue, moderator)
    client.post(
        f"/newsletter/disiscrizione/{readers[0].token}/?invio={send.pk}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    # A forged send id does not count.
    client.post(
        f"/newsletter/disiscrizione/{readers[1].token}/?invio=999999",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    send.refresh_from_db()
    progress = send_progress(send)
    assert progress["unsubscribes"] == 1
    assert progress["sent"] == progress["recipients"] == 3
    assert Subscriber.objects.filter(status=SubscriberStatus.UNSUBSCRIBED).count() == 2


@pytest.mark.django_db
def test_erasing_a_subscriber_keeps_the_send_counts_without_the_person(
    issue, moderator, subscriber_factory
):
    subscriber = subscriber_factory()
    send = start(issue, moderator)
    services.subscriber_erase(subscriber=subscriber)
    row = Delivery.objects.get(send=send)
    assert row.subscriber_id is None
    assert send_progress(send)["sent"] == 1


@pytest.mark.django_db
def test_an_editor_sends_a_test_to_themselves(issue, editor, subscriber_factory):
    subscriber_factory()
    services.issue_send_test(issue=issue, user=editor)
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject.startswith("[PROVA] ")
    assert not IssueSend.objects.exists()
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_a_prepared_message_is_the_same_message_as_one_built_for_the_recipient(issue):
    from newsletter.emails import PreparedMessage, build_message, render_issue

    subject, html, text = render_issue(issue)
    links = {
        "unsubscribe": "http://testserver/newsletter/disiscrizione/abc_DEF-123/?invio=7",
        "preferences": "http://testserver/newsletter/preferenze/abc_DEF-123/",
    }
    prepared = PreparedMessage(subject=subject, html=html, text=text)
    assert prepared.usable
    payload = prepared.render(
        to="lettrice@comune.example.it", message_id="<newsletter-7-9@paq.example.it>", **links
    )
    built = build_message(
        subject=subject,
        html=html,
        text=text,
        to="lettrice@comune.example.it",
        message_id="<newsletter-7-9@paq.example.it>",
        **links,
    ).message()
    ours = message_from_bytes(payload, policy=policy.default)
    theirs = message_from_bytes(built.as_bytes(linesep="\r\n"), policy=policy.default)
    for header in (
        "To",
        "From",
        "Reply-To",
        "Subject",
        "List-Unsubscribe",
        "List-Unsubscribe-Post",
        "List-Id",
        "Message-ID",
    ):
        assert str(ours[header]).strip() == str(theirs[header]).strip(), header
    ours_parts = [p.get_content() for p in ours.walk() if not p.is_multipart()]
    theirs_parts = [p.get_content() for p in theirs.walk() if not p.is_multipart()]
    assert ours_parts == theirs_parts
    assert links["unsubscribe"] in ours_parts[0]
    # Anything that would need escaping or encoding takes the ordinary path.
    assert prepared.render(to="anna@café.example.it", message_id="<a@b>", **links) is None
    assert (
        prepared.render(
            to="a@b.it", message_id="<a@b>", unsubscribe='http://x/"><script>', preferences="x"
        )
        is None
    )
