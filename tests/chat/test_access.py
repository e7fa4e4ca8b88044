"""Who may enter which chat room, and who moderates it.

The two tables below are the specification. Each cell is asserted against the one
access policy (`portal.access`) and over HTTP with the Django test client: the room
page, its history, its search and its transcript, and the list of rooms.

Body A lives in Campania, body B in Calabria ("the other region"); the region room is
Campania's; the task team has its own area and room; the project room is open to every
logged-in participant.
"""

from __future__ import annotations

from functools import cached_property
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from forum.chat import selectors
from forum.chat.models import ChatRoom
from forum.chat.services import message_post, project_room, room_for_area
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

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PATH = "/account/login/"
UNKNOWN_ROOM = 999_999

# One word per room that appears nowhere else on the site, so that a title (or a message)
# found in a response can only come from that room.
AREA_TITLES = {
    "room_a": "Area Mirtillo ente A",
    "room_b": "Area Rabarbaro ente B",
    "region_room": "Area Cardamomo regione Campania",
    "team_room": "Area Liquirizia task team",
}
PROJECT_TITLE = "Sala Zenzero del progetto"
CODEWORDS = {
    "room_a": "Mirtillo",
    "room_b": "Rabarbaro",
    "region_room": "Cardamomo",
    "team_room": "Liquirizia",
    "project_room": "Zenzero",
}


# --- The world every row is checked against ---------------------------------------------------


class World:
    """Two bodies in two regions, a task team, their areas and rooms, the project room.

    Everything is created on first use, so that a test pays only for what it touches.
    """

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

    def _area_room(self, name, **target):
        area = self._area_factory(title=AREA_TITLES[name], **target)
        # The area's room already exists (a signal opens it): this only fetches it.
        return room_for_area(area)

    @cached_property
    def room_a(self):
        return self._area_room("room_a", ente=self.ente_a)

    @cached_property
    def room_b(self):
        return self._area_room("room_b", ente=self.ente_b)

    @cached_property
    def region_room(self):
        return self._area_room("region_room", region=self.region_a)

    @cached_property
    def team_room(self):
        return self._area_room("team_room", task_team=self.team)

    @cached_property
    def project_room(self):
        room = project_room()
        room.title = PROJECT_TITLE
        room.save(update_fields=["title"])
        return room

    @cached_property
    def poster(self):
        """Someone who may write everywhere, to put a message in any room."""
        return StaffFactory(first_name="Sara", last_name="Scrivente")

    def room(self, name):
        return getattr(self, name)

    def all_rooms(self):
        return {name: self.room(name) for name in ROOMS}

    def user(self, role):
        """The user playing `role`, or None for the anonymous visitor."""
        return ROLES[role](self)


def title(name):
    return PROJECT_TITLE if name == "project_room" else f"Chat — {AREA_TITLES[name]}"


def _member(state=MembershipState.APPROVED, role=MembershipRole.MEMBRO):
    return lambda w: MembershipFactory(ente=w.ente_a, state=state, role=role).user


def _team_member(w, groups=()):
    user = UserFactory(groups=list(groups))
    w.team.members.add(user)
    return user


def _inactive_former_member(w):
    user = MembershipFactory(ente=w.ente_a).user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


ROLES = {
    "anonymous": lambda w: None,
    "user-without-body": lambda w: UserFactory(),
    "pending-member-A": _member(MembershipState.REQUESTED),
    "member-A": _member(),
    "referent-A": _member(role=MembershipRole.REFERENTE),
    "expert-A": lambda w: ExpertAssignmentFactory(ente=w.ente_a).expert,
    "expert-B-only": lambda w: ExpertAssignmentFactory(ente=w.ente_b).expert,
    "regional-referent-A": lambda w: RegionalRoleFactory(region=w.region_a).user,
    "regional-referent-other-region": lambda w: RegionalRoleFactory(region=w.other_region).user,
    "task-team-member": _team_member,
    # An expert (group "Esperti") working in the task team: the team room's moderator.
    "task-team-expert": lambda w: _team_member(w, groups=[access.EXPERT_GROUP]),
    "editor": lambda w: UserFactory(groups=[access.EDITOR_GROUP]),
    "project-staff": lambda w: StaffFactory(),
    "inactive-former-member-A": _inactive_former_member,
}
# Who the site treats as a visitor that has not logged in.
NOT_LOGGED_IN = {"anonymous", "inactive-former-member-A"}


# --- The specification -------------------------------------------------------------------------

Y, N = True, False
ROOMS = ("room_a", "room_b", "region_room", "team_room", "project_room")
SEES = {
    # role                             room_a room_b region team  project
    "anonymous":                      (N,     N,     N,     N,    N),
    "user-without-body":              (N,     N,     N,     N,    Y),
    "pending-member-A":               (N,     N,     N,     N,    Y),
    "member-A":                       (Y,     N,     Y,     N,    Y),
    "referent-A":                     (Y,     N,     Y,     N,    Y),
    "expert-A":                       (Y,     N,     Y,     N,    Y),
    "expert-B-only":                  (N,     Y,     N,     N,    Y),
    "regional-referent-A":            (Y,     N,     Y,     N,    Y),
    "regional-referent-other-region": (N,     Y,     N,     N,    Y),
    "task-team-member":               (N,     N,     N,     Y,    Y),
    "task-team-expert":               (N,     N,     N,     Y,    Y),
    "editor":                         (N,     N,     N,     N,    Y),
    "project-staff":                  (Y,     Y,     Y,     Y,    Y),
    "inactive-former-member-A":       (N,     N,     N,     N,    N),
}  # fmt: skip
MODERATES = {
    # Staff everywhere; in a body's room its referents and the experts assigned to it; in
    # a region's room its regional referents and the experts working in the region; in a
    # team's room and in the project room, experts.
    # role                             room_a room_b region team  project
    "anonymous":                      (N,     N,     N,     N,    N),
    "user-without-body":              (N,     N,     N,     N,    N),
    "pending-member-A":               (N,     N,     N,     N,    N),
    "member-A":                       (N,     N,     N,     N,    N),
    "referent-A":                     (Y,     N,     N,     N,    N),
    "expert-A":                       (Y,     N,     Y,     N,    Y),
    "expert-B-only":                  (N,     Y,     N,     N,    Y),
    "regional-referent-A":            (N,     N,     Y,     N,    N),
    "regional-referent-other-region": (N,     N,     N,     N,    N),
    "task-team-member":               (N,     N,     N,     N,    N),
    "task-team-expert":               (N,     N,     N,     Y,    Y),
    "editor":                         (N,     N,     N,     N,    N),
    "project-staff":                  (Y,     Y,     Y,     Y,    Y),
    "inactive-former-member-A":       (N,     N,     N,     N,    N),
}  # fmt: skip


def sees(role, room):
    return SEES[role][ROOMS.index(room)]


def moderates(role, room):
    return MODERATES[role][ROOMS.index(room)]


def cells(table, verb=("enters", "is-kept-out-of")):
    """One pytest.param per cell of `table`."""
    return [
        pytest.param(role, room, allowed, id=f"{role}-{verb[0] if allowed else verb[1]}-{room}")
        for role, row in table.items()
        for room, allowed in zip(ROOMS, row, strict=True)
    ]


def test_the_tables_cover_every_role_and_room():
    assert set(SEES) == set(MODERATES) == set(ROLES)
    assert all(len(row) == len(ROOMS) for row in (*SEES.values(), *MODERATES.values()))


def test_only_people_who_enter_a_room_moderate_it():
    for role in ROLES:
        for room in ROOMS:
            assert sees(role, room) or not moderates(role, room), (role, room)


# --- Fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def world(area_factory):
    return World(area_factory)


def policy_user(user):
    """The user as a fresh request would load it (no cached scope)."""
    if user is None:
        return AnonymousUser()
    return get_user_model().objects.get(pk=user.pk)


def policy_room(room):
    """The room as a fresh query loads it (no related objects cached)."""
    return ChatRoom.objects.get(pk=room.pk)


def visit_as(client, user):
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def room_url(room, suffix=""):
    return f"/chat/stanze/{room.pk}/{suffix}"


def assert_sent_to_login(response, path):
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == LOGIN_PATH
    assert parse_qs(location.query).get("next") == [path]


def assert_refused(response, role, path):
    """Logged-in users who may not enter get 403; visitors are sent to log in."""
    if role in NOT_LOGGED_IN:
        assert_sent_to_login(response, path)
    else:
        assert response.status_code == 403, response.status_code


def say(room, user, body, client_id):
    message, created = message_post(room=room, user=user, body=body, client_id=client_id)
    assert created
    return message


# --- The matrix, policy level ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "room", "allowed"), cells(SEES))
def test_the_policy_lets_a_role_into_a_room_only_as_the_table_says(world, role, room, allowed):
    chat_room = world.room(room)
    user = policy_user(world.user(role))

    assert access.can_view_chat_room(user, chat_room) is allowed
    assert access.can_view_chat_room(user, policy_room(chat_room)) is allowed
    if allowed:
        assert access.access_chat_room(user, chat_room.pk).pk == chat_room.pk
    else:
        with pytest.raises(PermissionDenied):
            access.access_chat_room(user, chat_room.pk)


@pytest.mark.parametrize(
    ("role", "room", "allowed"), cells(MODERATES, verb=("moderates", "does-not-moderate"))
)
def test_the_policy_lets_a_role_moderate_a_room_only_as_the_table_says(world, role, room, allowed):
    chat_room = world.room(room)
    user = policy_user(world.user(role))

    assert access.can_moderate_chat_room(user, chat_room) is allowed
    assert access.can_moderate_chat_room(user, policy_room(chat_room)) is allowed


@pytest.mark.parametrize("role", list(ROLES))
def test_the_room_filter_lists_exactly_the_rooms_the_role_may_enter(world, role):
    rooms = world.all_rooms()
    expected = {rooms[name].pk for name in ROOMS if sees(role, name)}
    user = policy_user(world.user(role))

    query = access.visible_chat_room_q(user)

    filtered = ChatRoom.objects.all() if query is None else ChatRoom.objects.filter(query)
    assert set(filtered.values_list("pk", flat=True)) == expected
    if role != "anonymous":  # rooms_for is asked only for logged-in users (the list view)
        assert {room.pk for room in selectors.rooms_for(user)} == expected


@pytest.mark.parametrize("role", list(ROLES))
def test_unknown_rooms_look_the_same_as_forbidden_ones_to_the_policy(world, role):
    user = policy_user(world.user(role))

    with pytest.raises(PermissionDenied):
        access.access_chat_room(user, UNKNOWN_ROOM)
    with pytest.raises(PermissionDenied):
        access.access_chat_room(user, "1 OR 1=1")


# --- The matrix, over HTTP ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "room", "allowed"), cells(SEES))
def test_a_room_page_is_served_only_to_the_roles_that_may_enter(client, world, role, room, allowed):
    chat_room = world.room(room)
    path = room_url(chat_room)
    visit_as(client, world.user(role))

    response = client.get(path)

    if allowed:
        assert response.status_code == 200
        assert title(room) in response.content.decode()
    else:
        assert_refused(response, role, path)
        assert CODEWORDS[room] not in response.content.decode()


@pytest.mark.parametrize(("role", "room", "allowed"), cells(SEES))
def test_a_rooms_history_is_served_only_to_the_roles_that_may_enter(
    client, world, role, room, allowed
):
    chat_room = world.room(room)
    say(chat_room, world.poster, f"Nota {CODEWORDS[room]} per la stanza", "storico-0001")
    path = room_url(chat_room, "messaggi/")
    visit_as(client, world.user(role))

    response = client.get(path)

    if allowed:
        assert response.status_code == 200
        assert [m["seq"] for m in response.json()["messages"]] == [1]
    else:
        assert_refused(response, role, path)
        assert CODEWORDS[room] not in response.content.decode()


@pytest.mark.parametrize(("role", "room", "allowed"), cells(SEES))
def test_search_never_shows_messages_of_a_room_the_role_may_not_enter(
    client, world, role, room, allowed
):
    chat_room = world.room(room)
    say(chat_room, world.poster, f"Nota {CODEWORDS[room]} sugli indicatori", "cerca-0001")
    path = room_url(chat_room, "cerca/")
    visit_as(client, world.user(role))

    response = client.get(path, {"q": "indicatori"})

    if allowed:
        assert response.status_code == 200
        assert f"Nota {CODEWORDS[room]} sugli indicatori" in response.content.decode()
    else:
        assert_refused(response, role, f"{path}?q=indicatori")
        assert CODEWORDS[room] not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "room", "allowed"),
    cells(MODERATES, verb=("downloads-the-transcript-of", "may-not-download-the-transcript-of")),
)
def test_only_moderators_download_a_rooms_transcript(client, world, role, room, allowed):
    chat_room = world.room(room)
    say(chat_room, world.poster, f"Nota {CODEWORDS[room]} da esportare", "trascr-0001")
    path = room_url(chat_room, "trascrizione.csv")
    visit_as(client, world.user(role))

    response = client.get(path)

    if allowed:
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert CODEWORDS[room] in b"".join(response.streaming_content).decode()
    else:
        # Viewers who do not moderate are refused too, not only outsiders.
        assert_refused(response, role, path)
        assert not response.streaming
        assert CODEWORDS[room] not in response.content.decode()


@pytest.mark.parametrize("role", list(ROLES))
def test_the_rooms_list_shows_exactly_the_rooms_the_role_may_enter(client, world, role):
    rooms = world.all_rooms()
    visit_as(client, world.user(role))

    response = client.get("/chat/")

    if role in NOT_LOGGED_IN:
        assert_sent_to_login(response, "/chat/")
        return
    html = response.content.decode()
    assert response.status_code == 200
    for name in ROOMS:
        assert (title(name) in html) is sees(role, name), name
        assert (f'href="{room_url(rooms[name])}"' in html) is sees(role, name), name


def test_searching_a_room_finds_only_that_rooms_messages(client, world):
    rooms = world.all_rooms()
    for name, chat_room in rooms.items():
        say(chat_room, world.poster, f"Nota {CODEWORDS[name]} sugli indicatori", "cerca-0001")
    visit_as(client, world.user("project-staff"))  # staff may enter every room

    for name, chat_room in rooms.items():
        response = client.get(room_url(chat_room, "cerca/"), {"q": "indicatori"})

        html = response.content.decode()
        assert response.status_code == 200
        assert "1 messaggi trovati" in html
        for other in ROOMS:
            found = f"Nota {CODEWORDS[other]} sugli indicatori" in html
            assert found is (other == name), (name, other)


# --- Unknown rooms and areas -------------------------------------------------------------------

ROOM_ENDPOINTS = [
    pytest.param("get", "", id="room-page"),
    pytest.param("get", "messaggi/", id="history"),
    pytest.param("get", "cerca/?q=indicatori", id="search"),
    pytest.param("get", "trascrizione.csv", id="transcript"),
    pytest.param("post", "invia/", id="post-message"),
    pytest.param("post", "conservazione/", id="retention"),
]


@pytest.mark.parametrize(("method", "suffix"), ROOM_ENDPOINTS)
def test_unknown_rooms_answer_like_forbidden_ones_over_http(client, world, method, suffix):
    """Same status and no hint either way: room ids cannot be probed."""
    forbidden = world.room("room_b")
    visit_as(client, world.user("member-A"))
    data = {"body": "Ciao", "client_id": "probe-0001", "days": "30"} if method == "post" else {}

    unknown = getattr(client, method)(f"/chat/stanze/{UNKNOWN_ROOM}/{suffix}", data)
    refused = getattr(client, method)(f"/chat/stanze/{forbidden.pk}/{suffix}", data)

    assert unknown.status_code == refused.status_code == 403
    assert forbidden.messages.count() == 0
    forbidden.refresh_from_db()
    assert forbidden.retention_days is None


def test_unknown_areas_answer_like_forbidden_ones_over_the_area_shortcut(client, world):
    forbidden_area = world.room("room_b").area
    visit_as(client, world.user("member-A"))

    assert client.get(f"/chat/area/{UNKNOWN_ROOM}/").status_code == 403
    assert client.get(f"/chat/area/{forbidden_area.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["anonymous", "inactive-former-member-A"])
def test_visitors_who_are_not_logged_in_are_sent_to_log_in_even_for_unknown_rooms(
    client, world, role
):
    visit_as(client, world.user(role))
    path = f"/chat/stanze/{UNKNOWN_ROOM}/"

    assert_sent_to_login(client.get(path), path)
