"""Emails to registrants: sent by tasks after commit, each exactly once (a retried task
sends nothing), with an iCalendar file; reminders before the session; changes of time
and cancellations by the organisers reach everyone registered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from tests import factories
from webinar import services, tasks
from webinar.models import Notice, NoticeKind, RegistrationStatus, WebinarSessionPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks):
    """Run what would be queued after commit, as the task workers would."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def calendar_of(message) -> Calendar:
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == ("webinar.ics", "text/calendar")
    return Calendar.from_ical(content)


def test_a_confirmed_registration_gets_one_email_with_the_event(
    session_factory, run_tasks, mailoutbox
):
    session = session_factory(title="Obiettivi e indicatori")
    user = factories.UserFactory(email="anna@comune.example.it")

    run_tasks(services.register, session, user)

    (message,) = mailoutbox
    assert message.to == ["anna@comune.example.it"]
    assert "Iscrizione confermata: Obiettivi e indicatori" in message.subject
    assert f"/webinar/{session.pk}/diretta/" in message.body
    event = calendar_of(message).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    assert str(event["uid"]) == f"webinar-{session.pk}@portale-paq"


def test_the_waitlist_and_the_promotion_are_both_told(session_factory, run_tasks, mailoutbox):
    session = session_factory(capacity=1)
    holder, _ = run_tasks(services.register, session, factories.UserFactory())
    run_tasks(services.register, session, factories.UserFactory(email="attesa@ente.example.it"))
    mailoutbox.clear()

    run_tasks(services.cancel, holder)

    subjects = sorted(message.subject for message in mailoutbox)
    assert any("Iscrizione annullata" in subject for subject in subjects)
    promoted = [m for m in mailoutbox if "Si è liberato un posto" in m.subject]
    assert [m.to for m in promoted] == [["attesa@ente.example.it"]]


def test_a_retried_delivery_sends_nothing_twice(session_factory, run_tasks, mailoutbox):
    session = session_factory()
    run_tasks(services.register, session, factories.UserFactory())
    notice = Notice.objects.get(kind=NoticeKind.CONFIRMED)

    assert tasks.deliver_notice.call(notice.pk) is False
    assert len(mailoutbox) == 1


def test_a_failed_send_can_be_retried(
    session_factory, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    session = session_factory()
    with django_capture_on_commit_callbacks(execute=False):
        services.register(session, factories.UserFactory())
    notice = Notice.objects.get(kind=NoticeKind.CONFIRMED)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.message.EmailMessage.send", refuse)
    with pytest.raises(ConnectionRefusedError):
        tasks.deliver_notice.call(notice.pk)
    notice.refresh_from_db()
    assert notice.sent_at is None
    monkeypatch.undo()

    assert tasks.deliver_notice.call(notice.pk) is True
    assert len(mailoutbox) == 1


def test_a_new_time_is_announced_to_everyone_registered_once(
    session_factory, run_tasks, mailoutbox
):
    session = session_factory(capacity=1)
    run_tasks(services.register, session, factories.UserFactory(email="uno@ente.example.it"))
    run_tasks(services.register, session, factories.UserFactory(email="due@ente.example.it"))
    cancelled, _ = run_tasks(services.register, session, factories.UserFactory())
    run_tasks(services.cancel, cancelled)
    mailoutbox.clear()
    session = WebinarSessionPage.objects.get(pk=session.pk)
    session.starts_at = session.starts_at + timedelta(days=1)

    run_tasks(lambda: session.save_revision().publish())
    run_tasks(services.announce_changes, WebinarSessionPage.objects.get(pk=session.pk))

    changed = [m for m in mailoutbox if "Nuovo orario" in m.subject]
    assert sorted(m.to[0] for m in changed) == ["due@ente.example.it", "uno@ente.example.it"]
    event = calendar_of(changed[0]).walk("VEVENT")[0]
    assert event.decoded("dtstart") == session.starts_at
    assert int(event["sequence"]) == 1


def test_a_cancelled_session_is_announced_and_the_calendar_event_cancelled(
    session_factory, run_tasks, mailoutbox
):
    session = session_factory()
    run_tasks(services.register, session, factories.UserFactory())
    mailoutbox.clear()
    session = WebinarSessionPage.objects.get(pk=session.pk)
    session.status = "cancelled"

    run_tasks(lambda: session.save_revision().publish())

    (message,) = mailoutbox
    assert "Webinar annullato" in message.subject
    assert str(calendar_of(message).walk("VEVENT")[0]["status"]) == "CANCELLED"


def test_publishing_without_changes_writes_to_nobody(session_factory, run_tasks, mailoutbox):
    session = session_factory()
    run_tasks(services.register, session, factories.UserFactory())
    mailoutbox.clear()

    session = WebinarSessionPage.objects.get(pk=session.pk)
    run_tasks(lambda: session.save_revision().publish())

    assert mailoutbox == []


def test_reminders_go_out_once_the_day_before_and_the_hour_before(
    session_factory, run_tasks, mailoutbox
):
    session = session_factory(starts_in=timedelta(hours=30))
    run_tasks(services.register, session, factories.UserFactory())
    mailoutbox.clear()
    starts = session.starts_at

    assert run_tasks(services.queue_due_reminders, session, now=starts - timedelta(hours=25)) == 0
    assert run_tasks(services.queue_due_reminders, session, now=starts - timedelta(hours=23)) == 1
    assert run_tasks(services.queue_due_reminders, session, now=starts - timedelta(hours=22)) == 0
    assert run_tasks(services.queue_due_reminders, session, now=starts - timedelta(minutes=50)) == 1
    assert run_tasks(services.queue_due_reminders, session, now=starts + timedelta(minutes=5)) == 0

    assert [m.subject.split(":")[0].split("] ")[1] for m in mailoutbox] == ["Promemoria"] * 2


def test_reminders_skip_the_waitlist_and_cancelled_sessions(session_factory, run_tasks, mailoutbox):
    session = session_factory(starts_in=timedelta(minutes=30), capacity=1)
    run_tasks(services.register, session, factories.UserFactory())
    run_tasks(services.register, session, factories.UserFactory())
    mailoutbox.clear()

    assert run_tasks(services.queue_due_reminders, session) == 1
    session.status = "cancelled"
    assert run_tasks(services.queue_due_reminders, session) == 0


def test_the_reminders_command_sends_what_is_due(session_factory, run_tasks, mailoutbox):
    soon = session_factory(starts_in=timedelta(minutes=40))
    later = session_factory(starts_in=timedelta(days=5))
    for session in (soon, later):
        run_tasks(services.register, session, factories.UserFactory())
    mailoutbox.clear()

    run_tasks(call_command, "webinar_reminders")
    run_tasks(call_command, "webinar_reminders")

    assert len(mailoutbox) == 1
    assert soon.title in mailoutbox[0].subject


def test_a_deferring_backend_gets_the_reminders_scheduled(session_factory, settings, run_tasks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    session = session_factory(starts_in=timedelta(days=3))

    run_tasks(services.schedule_reminders, session)

    runs = DBTaskResult.objects.filter(task_path="webinar.tasks.send_due_reminders")
    assert sorted(run.run_after for run in runs) == [
        session.starts_at - timedelta(days=1),
        session.starts_at - timedelta(hours=1),
    ]


def test_the_follow_up_goes_once_to_confirmed_participants(session_factory, run_tasks, mailoutbox):
    session = session_factory(recording_url="https://video.example.it/registrazione")
    registration, _ = run_tasks(services.register, session, factories.UserFactory())
    WebinarSessionPage.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(days=1)
    )
    session = WebinarSessionPage.objects.get(pk=session.pk)
    mailoutbox.clear()

    assert run_tasks(services.send_follow_up, session) == 1
    assert run_tasks(services.send_follow_up, session) == 0

    (message,) = mailoutbox
    assert "https://video.example.it/registrazione" in message.body
    assert f"/webinar/{session.pk}/questionario/" in message.body
    assert registration.status == RegistrationStatus.CONFIRMED


def test_on_a_durable_queue_the_email_task_commits_with_the_registration(
    session_factory, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    session = session_factory()

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        services.register(session, factories.UserFactory())

    notice = Notice.objects.get(kind=NoticeKind.CONFIRMED)
    queued = DBTaskResult.objects.get(task_path="webinar.tasks.deliver_notice")
    assert queued.args_kwargs["args"] == [notice.pk]
    assert after_commit == [] or all("deliver_notice" not in repr(c) for c in after_commit)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Come si misura la soddisfazione degli utenti?", "Come si misura la soddisfazione"),
        ("E l'OIV?", "Dal webinar «Obiettivi»: E l'OIV?"),
        ("x" * 300, "x" * 100),
    ],
)
def test_a_question_becomes_a_forum_title_that_stands_alone(question, expected):
    title = services._topic_title(question, "Obiettivi")

    assert title.startswith(expected)
    assert 5 <= len(title) <= 120
