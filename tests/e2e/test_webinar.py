"""A participant registers for a webinar in a real browser, gets the confirmation email
with its calendar file, enters the live page, asks a question that another participant
sees appear without reloading, is counted present, and after the session downloads the
certificate. The programme, session and live pages pass axe. Through a real ASGI server
(daphne), so the live page's socket is the real one."""

import email
import email.policy
import re
import time
from datetime import timedelta
from functools import partial

import pytest
from axe_playwright_python.sync_playwright import Axe
from channels.testing.live import make_application, set_database_connection
from daphne.testing import DaphneProcess
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db.models import F
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from portal import access
from portal.cgp import CgpPhase
from portal.pages.models import HomePage
from tests.factories import PASSWORD, MembershipFactory, UserFactory
from webinar.models import (
    AttendanceSpan,
    Question,
    Registration,
    RegistrationStatus,
    SessionSpeaker,
    WebinarCyclePage,
    WebinarIndexPage,
    WebinarSessionPage,
    WebinarTheme,
)

from .conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

BLOCKING_IMPACTS = {"serious", "critical"}
TITLE = "Lo sviluppo di Obiettivi ed Indicatori"


def _fresh_server_process():
    """In the forked server: the suite's database, channel layers of its own, and a
    fresh thread for sync work (see tests/e2e/test_chat.py)."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync
    from channels.layers import channel_layers

    set_database_connection()
    channel_layers.backends = {}
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


@pytest.fixture
def mail_dir(settings, tmp_path):
    """The server is a forked process: its emails go to files the test can read."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


@pytest.fixture
def webinar(transactional_db):
    """A programme with one session starting in 20 minutes: registration is still open
    and the live page is already open (it opens 30 minutes before)."""
    expert = UserFactory(first_name="Giulia", last_name="Ferraro", groups=[access.EXPERT_GROUP])
    home = HomePage.objects.get()
    index = WebinarIndexPage(title="Webinar", slug="webinar")
    home.add_child(instance=index)
    index.save_revision().publish()
    cycle = WebinarCyclePage(title="Primo ciclo di webinar", slug="primo-ciclo")
    index.add_child(instance=cycle)
    cycle.save_revision().publish()
    session = WebinarSessionPage(
        title=TITLE,
        slug="obiettivi-indicatori",
        starts_at=timezone.now() + timedelta(minutes=20),
        duration_minutes=90,
        theme=WebinarTheme.OBIETTIVI,
        cgp_phase=CgpPhase.OBIETTIVI,
        summary="Come si scrivono obiettivi misurabili e indicatori di outcome.",
        audience="Direttori generali, segretari generali, dirigenti, componenti OIV",
        capacity=50,
        meeting_url="https://meet.example.it/webinar-paq",
    )
    session.speakers = [SessionSpeaker(user=expert, role="Esperta territoriale")]
    cycle.add_child(instance=session)
    session.save_revision().publish()
    return WebinarSessionPage.objects.get(pk=session.pk)


@pytest.fixture
def asgi_server(transactional_db, mail_dir, webinar):
    from django.db import connections

    connections.close_all()  # the server process is forked: it must not share them
    process = DaphneProcess(
        "localhost",
        partial(make_application, static_wrapper=ASGIStaticFilesHandler),
        setup=_fresh_server_process,
    )
    process.start()
    if not process.ready.wait(timeout=30):
        process.terminate()
        raise RuntimeError("daphne did not start")
    yield f"http://localhost:{process.port.value}"
    process.terminate()
    process.join()


@pytest.fixture
def person(browser, asgi_server):
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=asgi_server, locale="it-IT", accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/account/login/")
        page.get_by_label("Indirizzo email").fill(user.email)
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main").get_by_role("button", name="Accedi").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Area personale")
        return page

    yield open_as
    for context in contexts:
        context.close()


def wait_for(condition, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def read_mails(mail_dir):
    return [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(mail_dir.glob("*.log"))
        if path.stat().st_size
    ]


def test_register_get_the_ics_ask_live_be_counted_and_download_the_certificate(
    person, webinar, mail_dir
):
    rosa = MembershipFactory(
        ente__name="Comune di Catanzaro", user__first_name="Rosa", user__last_name="Esposito"
    ).user
    marco = UserFactory(first_name="Marco", last_name="Russo")
    Registration.objects.create(
        session=webinar,
        user=marco,
        status=RegistrationStatus.CONFIRMED,
        holds_seat=True,
        confirmed_at=timezone.now(),
    )

    # 1. Rosa finds the session in the programme and registers with one click.
    rosa_page = person(rosa)
    rosa_page.goto("/webinar/")
    rosa_page.get_by_role("link", name=TITLE).click()
    expect(rosa_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    rosa_page.get_by_role("button", name="Iscriviti").click()
    expect(rosa_page.locator("main")).to_contain_text("Iscrizione confermata")
    expect(rosa_page.locator("main")).to_contain_text("Sei iscritto/a per Comune di Catanzaro")
    registration = Registration.objects.get(session=webinar, user=rosa)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.ente.name == "Comune di Catanzaro"

    # 2. The confirmation email carries the event for her calendar.
    wait_for(lambda: read_mails(mail_dir), what="the confirmation email")
    (mail,) = [m for m in read_mails(mail_dir) if rosa.email in m["To"]]
    assert mail["Subject"].endswith(f"Iscrizione confermata: {TITLE}")
    attachments = [part for part in mail.walk() if part.get_filename() == "webinar.ics"]
    assert len(attachments) == 1
    (event,) = Calendar.from_ical(attachments[0].get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("DTSTART") == webinar.starts_at.replace(microsecond=0)
    assert str(event["UID"]) == f"webinar-{webinar.pk}@portale-paq"

    # 3. Both enter the live page; Rosa asks, Marco sees it appear without reloading.
    rosa_page.get_by_role("link", name="Entra nella pagina della diretta").click()
    expect(rosa_page.get_by_role("heading", level=1)).to_have_text("Diretta del webinar")
    expect(
        rosa_page.get_by_role("link", name=re.compile("Apri la diretta video"))
    ).to_have_attribute("href", "https://meet.example.it/webinar-paq")
    marco_page = person(marco)
    marco_page.goto(f"/webinar/{webinar.pk}/diretta/")
    wait_for(
        lambda: AttendanceSpan.objects.filter(session=webinar, left_at__isnull=True).count() == 2,
        what="both sockets to be counted present",
    )
    marco_url = marco_page.url

    rosa_page.get_by_label("La tua domanda ai relatori").fill(
        "Quali indicatori di outcome per il PEG? <b>grazie</b>"
    )
    rosa_page.get_by_role("button", name="Invia la domanda").click()
    expect(rosa_page.locator("#live-status")).to_have_text("Domanda inviata ai relatori.")

    marco_questions = marco_page.locator("#live-questions")
    expect(marco_questions).to_contain_text("Quali indicatori di outcome per il PEG?")
    expect(marco_questions).to_contain_text("<b>grazie</b>")  # text, never markup
    expect(marco_questions).to_contain_text("Rosa Esposito")
    assert marco_page.url == marco_url  # no navigation happened
    assert Question.objects.get().author == rosa

    # Marco votes from his page; Rosa's list shows the vote without reloading.
    marco_questions.get_by_role("button", name="Vota").click()
    expect(rosa_page.locator("#live-questions")).to_contain_text("1 voto")

    # 4. Attendance: Rosa's stay is recorded from join to leave.
    rosa_page.goto(webinar.url)
    wait_for(
        lambda: AttendanceSpan.objects.filter(
            session=webinar, user=rosa, left_at__isnull=False
        ).exists(),
        what="Rosa's stay to be closed",
    )
    span = AttendanceSpan.objects.get(session=webinar, user=rosa)
    assert span.left_at > span.joined_at

    # 5. The session (and her recorded stay with it) is moved two hours into the past,
    # shortened to one minute so that her few seconds pass the threshold.
    shift = timedelta(hours=2)
    AttendanceSpan.objects.filter(pk=span.pk).update(
        joined_at=F("joined_at") - shift,
        last_seen_at=F("last_seen_at") - shift,
        left_at=F("left_at") - shift,
    )
    stayed_percent = 100 * (span.left_at - span.joined_at).total_seconds() / 60
    WebinarSessionPage.objects.filter(pk=webinar.pk).update(
        starts_at=span.joined_at - shift - timedelta(seconds=1),
        duration_minutes=1,
        attendance_threshold=max(1, int(stayed_percent) - 1),
    )
    rosa_page.goto(webinar.url)
    expect(rosa_page.locator("main")).to_contain_text("Il webinar si è svolto.")
    with rosa_page.expect_download() as download_info:
        rosa_page.get_by_role("link", name="Attestato di partecipazione (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("attestato-")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_programme_session_and_live_pages_have_no_serious_accessibility_violations(person, webinar):
    rosa = UserFactory(first_name="Rosa", last_name="Esposito")
    Registration.objects.create(
        session=webinar,
        user=rosa,
        status=RegistrationStatus.CONFIRMED,
        holds_seat=True,
        confirmed_at=timezone.now(),
    )
    page = person(rosa)
    axe = Axe()
    problems = []
    for path, heading in (
        ("/webinar/", "Webinar"),
        (webinar.url, TITLE),
        (f"/webinar/{webinar.pk}/diretta/", "Diretta del webinar"),
        ("/webinar/i-miei-webinar/", "I miei webinar"),
    ):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in BLOCKING_IMPACTS:
                node = violation["nodes"][0] if violation["nodes"] else {}
                problems.append(
                    f"{path}: {violation['id']} ({violation['impact']}) {violation['help']}"
                    f" — {str(node.get('html'))[:200]}"
                )
    assert not problems, "serious or critical accessibility violations:\n" + "\n".join(problems)
