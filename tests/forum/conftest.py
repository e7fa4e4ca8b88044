import pytest

from forum.boards.models import Board
from forum.boards.services import board_for_area, post_reply, topic_start
from tests.factories import (
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.PORTAL_FORUM_RATE_LIMIT_POSTS = 1000


@pytest.fixture
def public_board(db):
    return Board.objects.get(slug="obiettivi-e-indicatori")


@pytest.fixture
def ente(db):
    return EnteFactory(name="Comune di Altamura", region=RegionFactory(code="CAM"))


@pytest.fixture
def area_board(ente, area_factory):
    return board_for_area(area_factory(ente=ente))


@pytest.fixture
def member(ente):
    return MembershipFactory(ente=ente, user__first_name="Anna", user__last_name="Greco").user


@pytest.fixture
def other_member(ente):
    return MembershipFactory(ente=ente, user__first_name="Paolo", user__last_name="Lupo").user


@pytest.fixture
def expert(ente):
    return ExpertAssignmentFactory(
        ente=ente, expert__first_name="Giulia", expert__last_name="Ferraro"
    ).expert


@pytest.fixture
def outsider(db):
    return UserFactory(first_name="Ugo", last_name="Esterno")


@pytest.fixture
def make_topic():
    def make(board, author, title="Come si definisce un indicatore?", body="Testo", **kw):
        return topic_start(board=board, author=author, title=title, body=body, **kw)

    return make


@pytest.fixture
def make_reply():
    def make(topic, author, body="Una risposta"):
        return post_reply(topic=topic, author=author, body=body)

    return make
