"""Who reads, writes and moderates which forum board.

The two tables below are the specification. Each cell is asserted against the one access
policy (`portal.access`) and over HTTP: the board page, a topic page, a post's address,
an attachment, the forum index and the search, and the notifications a user receives.

Body A is in Campania, body B in Calabria; the region board is Campania's; the task team
has its own board; the public board is open to every reader. Each board holds one topic
whose title carries a word found nowhere else, so a title leaking into any page shows.
"""

from __future__ import annotations

from functools import cached_property

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum.boards import selectors
from forum.boards.models import Board, Notification, Topic
from forum.boards.services import board_for_area, topic_start
from portal import access
from portal.enti.models import MembershipRole, MembershipState
from tests.factories import (
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
    StaffFactory,
    TaskTeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BOARDS = ("public", "board_a", "board_b", "region_board", "team_board")
CODEWORDS = {
    "public": "Mirtillo",
    "board_a": "Rabarbaro",
    "board_b": "Cardamomo",
    "region_board": "Liquirizia",
    "team_board": "Zenzero",
}


class World:
    def __init__(self, area_factory):
        self._area_factory = area_factory

    @cached_property
    def region_a(self):
        return RegionFactory(code="CAM")

    @cached_property
    def other_region(self):
        return RegionFactory(code="CAL")

    @cached_property
    def ente_a(self):
        return EnteFactory(region=self.region_a)

    @cached_property
    def ente_b(self):
        return EnteFactory(region=self.other_region)

    @cached_property
    def team(self):
        return TaskTeamFactory()

    @cached_property
    def poster(self):
        return StaffFactory(first_name="Sara", last_name="Scrivente")

    @cached_property
    def boards(self):
        boards = {
            "public": Board.objects.get(slug="confronto-tra-enti"),
            "board_a": board_for_area(self._area_factory(ente=self.ente_a)),
            "board_b": board_for_area(self._area_factory(ente=self.ente_b)),
            "region_board": board_for_area(self._area_factory(region=self.region_a)),
            "team_board": board_for_area(self._area_factory(task_team=self.team)),
        }
        return boards

    @cached_property
    def topics(self):
        topics = {}
        for name, board in self.boards.items():
            pdf = SimpleUploadedFile("nota.pdf", b"%PDF-1.4 nota", content_type="application/pdf")
            topics[name] = topic_start(
                board=board,
                author=self.poster,
                title=f"Discussione {CODEWORDS[name]} sugli indicatori",
                body=f"Testo comune della discussione {CODEWORDS[name]}",
                files=[pdf],
            )
        return topics


def _member(role=MembershipRole.MEMBRO, state=MembershipState.APPROVED, ente="ente_a"):
    return lambda w: MembershipFactory(ente=getattr(w, ente), role=role, state=state).user


def _team_member(w):
    user = UserFactory()
    w.team.members.add(user)
    return user


ROLES = {
    "anonymous": lambda w: None,
    "plain-user": lambda w: UserFactory(),
    "pending-member-A": _member(state=MembershipState.REQUESTED),
    "member-A": _member(),
    "member-B": _member(ente="ente_b"),
    "referent-A": _member(role=MembershipRole.REFERENTE),
    "assigned-expert-A": lambda w: ExpertAssignmentFactory(ente=w.ente_a).expert,
    "regional-referent-A": lambda w: RegionalRoleFactory(region=w.region_a).user,
    "task-team-member": _team_member,
    "staff": lambda w: StaffFactory(),
}

Y, N = True, False
READS = {
    # role                  public board_a board_b region team
    "anonymous":            (Y,     N,      N,      N,     N),
    "plain-user":           (Y,     N,      N,      N,     N),
    "pending-member-A":     (Y,     N,      N,      N,     N),
    "member-A":             (Y,     Y,      N,      Y,     N),
    "member-B":             (Y,     N,      Y,      N,     N),
    "referent-A":           (Y,     Y,      N,      Y,     N),
    "assigned-expert-A":    (Y,     Y,      N,      Y,     N),
    "regional-referent-A":  (Y,     Y,      N,      Y,     N),
    "task-team-member":     (Y,     N,      N,      N,     Y),
    "staff":                (Y,     Y,      Y,      Y,     Y),
}  # fmt: skip
MODERATES = {
    # Staff everywhere; experts on public boards; on a body's board its referents and
    # assigned experts; on a region's board its regional referents and the experts
    # working there; on a team's board the experts in the team.
    # role                  public board_a board_b region team
    "anonymous":            (N,     N,      N,      N,     N),
    "plain-user":           (N,     N,      N,      N,     N),
    "pending-member-A":     (N,     N,      N,      N,     N),
    "member-A":             (N,     N,      N,      N,     N),
    "member-B":             (N,     N,      N,      N,     N),
    "referent-A":           (N,     Y,      N,      N,     N),
    "assigned-expert-A":    (Y,     Y,      N,      Y,     N),
    "regional-referent-A":  (N,     N,      N,      Y,     N),
    "task-team-member":     (N,     N,      N,      N,     N),
    "staff":                (Y,     Y,      Y,      Y,     Y),
}  # fmt: skip


def cells(table, verbs):
    return [
        pytest.param(role, board, allowed, id=f"{role}-{verbs[0] if allowed else verbs[1]}-{board}")
        for role, row in table.items()
        for board, allowed in zip(BOARDS, row, strict=True)
    ]


@pytest.fixture
def world(area_factory):
    return World(area_factory)


def _policy_user(user):
    if user is None:
        return AnonymousUser()
    return type(user).objects.get(pk=user.pk)


def test_tables_cover_every_role_and_board():
    assert set(READS) == set(MODERATES) == set(ROLES)
    for role in ROLES:
        for i, _board in enumerate(BOARDS):
            assert READS[role][i] or not MODERATES[role][i]


@pytest.mark.parametrize(("role", "board_name", "allowed"), cells(READS, ("reads", "cannot-read")))
def test_reading(world, client, login, role, board_name, allowed):
    user = ROLES[role](world)
    board = world.boards[board_name]
    topic = world.topics[board_name]
    post = topic.posts.get()
    attachment = post.attachments.get()
    subject = _policy_user(user)
    assert access.can_view_board(subject, board) is allowed
    assert access.can_view_topic(_policy_user(user), topic) is allowed
    visible = Board.objects.filter(access.visible_board_q(_policy_user(user)) or Q_ALL())
    assert (board in visible) is allowed
    topic_q = access.visible_topic_q(_policy_user(user))
    assert Topic.objects.filter(topic_q or Q_ALL()).filter(pk=topic.pk).exists() is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            access.access_topic(_policy_user(user), topic.pk)
        with pytest.raises(PermissionDenied):
            access.access_attachment(_policy_user(user), attachment.pk)

    if user is not None:
        login(user)
    denied_status = 302 if user is None else 403
    for url in (
        board.get_absolute_url(),
        topic.get_absolute_url(),
        post.get_absolute_url(),
        attachment.get_absolute_url(),
    ):
        response = client.get(url)
        if allowed:
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == denied_status, url
            if user is None:
                assert response.url.startswith("/account/login/")
    if allowed:
        assert client.get(attachment.get_absolute_url()).status_code == 200
    word = CODEWORDS[board_name]
    index = client.get(reverse("boards:index")).text
    assert (word in index) is allowed
    results = client.get(reverse("boards:search"), {"q": "Testo comune"}).text
    assert (word in results) is allowed


def Q_ALL():  # noqa: N802 - reads like the Q it stands for
    from django.db.models import Q

    return Q()


@pytest.mark.parametrize(
    ("role", "board_name", "allowed"), cells(MODERATES, ("moderates", "cannot-moderate"))
)
def test_moderating(world, client, login, role, board_name, allowed):
    user = ROLES[role](world)
    board = world.boards[board_name]
    topic = world.topics[board_name]
    assert access.can_moderate_board(_policy_user(user), board) is allowed
    if user is None:
        return
    login(user)
    response = client.post(reverse("boards:topic_moderate", args=[topic.pk]), {"azione": "pin"})
    topic.refresh_from_db()
    assert topic.pinned is allowed
    if allowed:
        assert response.status_code == 302
        assert client.get(reverse("boards:moderation")).status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize(("role", "board_name", "allowed"), cells(READS, ("posts", "cannot-post")))
def test_posting(world, client, login, role, board_name, allowed):
    user = ROLES[role](world)
    board = world.boards[board_name]
    topic = world.topics[board_name]
    can_write = allowed and user is not None
    assert access.can_post_in_board(_policy_user(user), board) is can_write
    if user is None:
        response = client.post(reverse("boards:reply", args=[topic.pk]), {"body": "Ciao"})
        assert response.status_code == 302 and "/account/login/" in response.url
        assert topic.posts.count() == 1
        return
    login(user)
    client.post(reverse("boards:reply", args=[topic.pk]), {"body": "Una risposta"})
    client.post(
        reverse("boards:topic_create", args=[board.slug]),
        {"title": "Nuova discussione di prova", "body": "Testo"},
    )
    assert topic.posts.count() == (2 if can_write else 1)
    assert board.topics.count() == (2 if can_write else 1)


def test_notifications_never_reach_who_cannot_read(world, django_capture_on_commit_callbacks):
    """Followers and mentioned people are asked about when the task runs."""
    member_b = MembershipFactory(
        ente=world.ente_b, user__first_name="Bruno", user__last_name="Bi"
    ).user
    member_a = MembershipFactory(ente=world.ente_a).user
    board_a = world.boards["board_a"]
    from forum.boards.services import board_follow, post_reply

    board_follow(board=board_a, user=member_a, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        topic = topic_start(
            board=board_a, author=world.poster, title="Segreto Rabarbaro", body="@bruno.bi guarda"
        )
        post_reply(topic=topic, author=world.poster, body="ancora @bruno.bi")
    assert not Notification.objects.filter(user=member_b).exists()
    assert Notification.objects.filter(user=member_a, kind="topic").exists()


def test_a_hidden_topic_is_for_moderators_only(world, client, login):
    board = world.boards["board_a"]
    topic = world.topics["board_a"]
    referent = ROLES["referent-A"](world)
    member = ROLES["member-A"](world)
    from forum.boards.services import topic_moderate

    topic_moderate(topic=topic, user=referent, action="hide_topic")
    login(member)
    assert client.get(topic.get_absolute_url()).status_code == 403
    assert "Rabarbaro" not in client.get(board.get_absolute_url()).text
    assert "Rabarbaro" not in client.get(reverse("boards:index")).text
    assert "Rabarbaro" not in client.get(reverse("boards:search"), {"q": "Testo comune"}).text
    login(referent)
    assert client.get(topic.get_absolute_url()).status_code == 200
    assert "Rabarbaro" in client.get(board.get_absolute_url()).text


def test_public_boards_selector_lists_only_public_boards(world):
    world.boards  # noqa: B018 - create the reserved boards too
    assert all(not b.is_reserved for b in selectors.public_boards())
