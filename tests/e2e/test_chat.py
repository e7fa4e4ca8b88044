"""Two people chat in their body's room in real browsers, through a real ASGI server
(daphne): messages appear for the other within a blink, survive a reload, and an
outsider is kept out."""

from functools import partial

import pytest
from channels.testing.live import make_application, set_database_connection
from daphne.testing import DaphneProcess
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from playwright.sync_api import expect

from forum.chat.models import ChatMessage
from forum.chat.services import room_for_area
from portal.enti.models import MembershipRole
from tests.factories import PASSWORD, EnteFactory, MembershipFactory, UserFactory

from .conftest import TIMEOUT_MS

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]


def _fresh_server_process():
    """In the forked server: the suite's database, channel layers of its own (those
    inherited from the parent are bound to event loops that do not exist here), and a
    fresh thread for sync work (the parent's thread did not survive the fork)."""
    from concurrent.futures import ThreadPoolExecutor

    from asgiref.sync import SyncToAsync
    from channels.layers import channel_layers

    set_database_connection()
    channel_layers.backends = {}
    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)


@pytest.fixture
def asgi_server(transactional_db):
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
        context = browser.new_context(base_url=asgi_server, locale="it-IT")
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


def test_two_members_chat_in_real_time_and_an_outsider_is_kept_out(person, area_factory):
    ente = EnteFactory(name="Comune di Marsala")
    area = area_factory(ente=ente)
    room = room_for_area(area)
    rosa = MembershipFactory(
        ente=ente,
        role=MembershipRole.REFERENTE,
        user__first_name="Rosa",
        user__last_name="Esposito",
    ).user
    marco = MembershipFactory(ente=ente, user__first_name="Marco", user__last_name="Russo").user
    outsider = UserFactory()

    rosa_page = person(rosa)
    marco_page = person(marco)
    for page in (rosa_page, marco_page):
        page.goto(area.url)
        page.get_by_role("link", name="Apri la chat dell'area").click()
        expect(page.locator("#chat-status")).to_contain_text("Collegato")

    expect(rosa_page.locator("#chat-online")).to_contain_text("Marco Russo")
    rosa_page.get_by_label("Scrivi un messaggio").fill(
        "Buongiorno! La bozza del PAM è su https://www.example.it/pam <b>grassetto</b>"
    )
    rosa_page.get_by_label("Scrivi un messaggio").press("Enter")

    marco_log = marco_page.get_by_role("log")
    expect(marco_log).to_contain_text("Buongiorno! La bozza del PAM")
    expect(marco_log.get_by_role("link", name="https://www.example.it/pam")).to_be_visible()
    expect(marco_log).to_contain_text("<b>grassetto</b>")  # shown as text, never as markup

    marco_page.get_by_label("Scrivi un messaggio").fill("Ricevuto, la guardo oggi.")
    marco_page.get_by_role("button", name="Invia").click()
    expect(rosa_page.get_by_role("log")).to_contain_text("Ricevuto, la guardo oggi.")

    rosa_page.reload()
    expect(rosa_page.get_by_role("log")).to_contain_text("Ricevuto, la guardo oggi.")
    assert list(
        ChatMessage.objects.filter(room=room).order_by("seq").values_list("author_id", flat=True)
    ) == [rosa.pk, marco.pk]

    outsider_page = person(outsider)
    response = outsider_page.goto(f"/chat/stanze/{room.pk}/")
    assert response.status == 403
