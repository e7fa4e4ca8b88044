"""The one access policy of the portal.

Every "may this user see / post to / manage X" question is answered here: views,
Wagtail's page and document serving, the admin, search and (later) consumers and
exports call these functions; nothing else decides access.

Reserved areas are Wagtail pages (`ReservedAreaPage`) tied to a body, a region or a
task team; everything below an area in the page tree, and every document in the
area's collection, is as visible as the area itself.

Who sees an area:
- body area: approved members of the body, experts assigned to it, the regional
  referents/secretariat of its region, project staff;
- region area: the region's referents/secretariat, approved members of bodies of the
  region, experts assigned to a body of the region, project staff;
- task team area: the team's members, project staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr

if TYPE_CHECKING:
    from portal.enti.models import Ente
    from portal.pages.models import ReservedAreaPage

STAFF_GROUP = "Staff di progetto"
EXPERT_GROUP = "Esperti"
EDITOR_GROUP = "Editors"
MODERATOR_GROUP = "Moderators"

_SCOPE_CACHE_ATTR = "_paq_access_scope"
_AREAS_CACHE_ATTR = "_paq_access_areas"


@dataclass(frozen=True)
class Scope:
    """What a user is entitled to, read once per request and user."""

    authenticated: bool = False
    staff: bool = False
    expert: bool = False
    editor: bool = False
    member_of: frozenset[int] = frozenset()
    referent_of: frozenset[int] = frozenset()
    expert_for: frozenset[int] = frozenset()
    regional_roles: frozenset[int] = frozenset()
    ente_regions: frozenset[int] = frozenset()
    teams: frozenset[int] = frozenset()

    def sees_ente(self, ente_id: int, region_id: int) -> bool:
        return (
            self.staff
            or ente_id in self.member_of
            or ente_id in self.expert_for
            or region_id in self.regional_roles
        )

    def sees_region(self, region_id: int) -> bool:
        return self.staff or region_id in self.regional_roles or region_id in self.ente_regions

    def sees_team(self, team_id: int) -> bool:
        return self.staff or team_id in self.teams


ANONYMOUS_SCOPE = Scope()


_ANY_USER = -7_000_001  # stands for the user's id in the entitlement query compiled once
_entitlement_sql: dict[str, tuple[str, tuple]] = {}


def _entitlement_query(user_id):
    from django.contrib.auth.models import Group
    from django.db.models import CharField, IntegerField, Value

    from portal.enti.models import ExpertAssignment, Membership, RegionalRole, TaskTeam

    def kind(name):
        return Value(name, output_field=CharField())

    no_id = Value(None, output_field=IntegerField())
    no_label = Value("", output_field=CharField())
    memberships = (
        Membership.objects.approved()
        .filter(user_id=user_id)
        .order_by()
        .values_list(kind("member"), "ente_id", "ente__region_id", "role")
    )
    return memberships.union(
        ExpertAssignment.objects.filter(expert_id=user_id)
        .order_by()
        .values_list(kind("expert"), "ente_id", "ente__region_id", no_label),
        RegionalRole.objects.filter(user_id=user_id)
        .order_by()
        .values_list(kind("region"), "region_id", no_id, no_label),
        TaskTeam.objects.filter(members=user_id)
        .order_by()
        .values_list(kind("team"), "id", no_id, no_label),
        Group.objects.filter(user=user_id)
        .order_by()
        .values_list(kind("group"), no_id, no_id, "name"),
        all=True,
    )


def _entitlement_rows(user) -> list[tuple]:
    """Everything the scope is made of, in one query: rows of (kind, id, region id,
    label). It runs on every logged-in request in production (the MFA check), and
    building five querysets cost more than running them: the SQL is compiled once per
    process and database, with a stand-in id that becomes this user's parameter."""
    from django.db import connection

    compiled = _entitlement_sql.get(connection.vendor)
    if compiled is None:
        compiled = _entitlement_query(_ANY_USER).query.sql_with_params()
        _entitlement_sql[connection.vendor] = compiled
    sql, params = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk if p == _ANY_USER else p for p in params])
        return cursor.fetchall()


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS_SCOPE
    cached = getattr(user, _SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from portal.enti.models import MembershipRole

    groups, member_of, referent_of, expert_for = set(), set(), set(), set()
    regional_roles, ente_regions, teams = set(), set(), set()
    for kind, object_id, region_id, label in _entitlement_rows(user):
        if kind == "group":
            groups.add(label)
        elif kind == "member":
            member_of.add(object_id)
            ente_regions.add(region_id)
            if label == MembershipRole.REFERENTE:
                referent_of.add(object_id)
        elif kind == "expert":
            expert_for.add(object_id)
            ente_regions.add(region_id)
        elif kind == "region":
            regional_roles.add(object_id)
        elif kind == "team":
            teams.add(object_id)
    scope = Scope(
        authenticated=True,
        staff=user.is_superuser or STAFF_GROUP in groups,
        expert=EXPERT_GROUP in groups or bool(expert_for),
        editor=EDITOR_GROUP in groups or MODERATOR_GROUP in groups,
        member_of=frozenset(member_of),
        referent_of=frozenset(referent_of),
        expert_for=frozenset(expert_for),
        regional_roles=frozenset(regional_roles),
        ente_regions=frozenset(ente_regions),
        teams=frozenset(teams),
    )
    setattr(user, _SCOPE_CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop what was read for this user (after a membership or role changes)."""
    for attr in (_SCOPE_CACHE_ATTR, _AREAS_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


# --- Roles ---------------------------------------------------------------------------------


def requires_mfa(user) -> bool:
    """Staff, editors and experts hold keys to other people's data: they need MFA."""
    scope = scope_for(user)
    return scope.staff or scope.editor or scope.expert or user.is_staff


# --- Bodies ------------------------------------------------------------------------------------


def can_manage_ente_members(user, ente: Ente) -> bool:
    """Approve or reject join requests, revoke members."""
    scope = scope_for(user)
    return scope.staff or ente.pk in scope.referent_of


def manageable_ente_ids(user) -> frozenset[int] | None:
    """Bodies whose members the user manages; None means every body (staff)."""
    scope = scope_for(user)
    return None if scope.staff else scope.referent_of


# --- Reserved areas ---------------------------------------------------------------------------


def can_view_area(user, area: ReservedAreaPage) -> bool:
    scope = scope_for(user)
    if scope.staff:
        return True
    if not scope.authenticated:
        return False
    from portal.pages.models import AreaScope

    if area.scope == AreaScope.ENTE:
        return area.ente_id is not None and scope.sees_ente(area.ente_id, area.ente.region_id)
    if area.scope == AreaScope.REGION:
        return area.region_id is not None and scope.sees_region(area.region_id)
    if area.scope == AreaScope.TEAM:
        return area.task_team_id is not None and scope.sees_team(area.task_team_id)
    return False


def can_contribute_to_area(user, area: ReservedAreaPage) -> bool:
    """Upload documents to the area: its owners, not every reader."""
    scope = scope_for(user)
    if scope.staff:
        return True
    if not can_view_area(user, area):
        return False
    from portal.pages.models import AreaScope

    if area.scope == AreaScope.ENTE:
        return area.ente_id in scope.referent_of or area.ente_id in scope.expert_for
    if area.scope == AreaScope.REGION:
        return area.region_id in scope.regional_roles
    return area.scope == AreaScope.TEAM


def visible_area_q(user) -> Q | None:
    """The same rule as `can_view_area`, as a filter on ReservedAreaPage (None: every area)."""
    scope = scope_for(user)
    if scope.staff:
        return None
    if not scope.authenticated:
        return Q(pk__in=[])
    from portal.pages.models import AreaScope

    return (
        Q(scope=AreaScope.ENTE)
        & (
            Q(ente_id__in=scope.member_of | scope.expert_for)
            | Q(ente__region_id__in=scope.regional_roles)
        )
        | Q(scope=AreaScope.REGION, region_id__in=scope.regional_roles | scope.ente_regions)
        | Q(scope=AreaScope.TEAM, task_team_id__in=scope.teams)
    )


def visible_areas(user) -> list[ReservedAreaPage]:
    """The areas the user may enter, read once per request and user."""
    query = visible_area_q(user)
    if query is not None and not scope_for(user).authenticated:
        return []
    cached = getattr(user, _AREAS_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from portal.pages.models import ReservedAreaPage

    areas = ReservedAreaPage.objects.select_related("ente", "collection").only(
        "id",
        "path",
        "depth",
        "title",
        "scope",
        "ente_id",
        "ente__region_id",
        "region_id",
        "task_team_id",
        "collection_id",
        "collection__path",
    )
    areas = list(areas if query is None else areas.filter(query))
    setattr(user, _AREAS_CACHE_ATTR, areas)
    return areas


def _any_path_startswith(field: str, paths) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def area_for_page(page) -> ReservedAreaPage | None:
    """The reserved area a page belongs to (the page itself, or its nearest area ancestor)."""
    from portal.pages.models import ReservedAreaPage, ReservedTreeMixin

    # Only reserved page types may live in the reserved tree (their parent and subpage
    # types say so), so any other page is public without asking the database.
    page_class = page.specific_class or type(page)
    if not issubclass(page_class, ReservedTreeMixin):
        return None

    steplen = page.steplen
    prefixes = [page.path[:i] for i in range(steplen, len(page.path) + 1, steplen)]
    return (
        ReservedAreaPage.objects.select_related("ente")
        .filter(path__in=prefixes)
        .order_by("-depth")
        .first()
    )


def can_view_page(user, page) -> bool:
    area = area_for_page(page)
    return area is None or can_view_area(user, area)


def hidden_pages_q(user) -> Q | None:
    """A filter matching the reserved pages the user may not see (None: nothing hidden).
    Everything below the reserved-area index is hidden except the areas the user may
    enter and their subpages."""
    if scope_for(user).staff:
        return None
    from portal.pages.models import ReservedAreaIndexPage

    index = ReservedAreaIndexPage.objects.only("path").first()
    if index is None:
        return None
    below_index = Q(path__startswith=index.path) & ~Q(path=index.path)
    allowed = [area.path for area in visible_areas(user)]
    return below_index & ~_any_path_startswith("path", allowed) if allowed else below_index


def visible_pages(user, queryset):
    """Narrow any Page queryset (listings, menus, search, API) to what the user may see."""
    hidden = hidden_pages_q(user)
    return queryset if hidden is None else queryset.exclude(hidden)


def public_pages(queryset):
    """Wagtail's `.public()`: the pages with no view restriction on themselves or an
    ancestor. Wagtail's own loads a Page for every restriction to build its filter (one
    per reserved area here, tens of milliseconds a request); this asks the database in
    the same query: is any restricted page's path a prefix of this page's path?"""
    from wagtail.models import PageViewRestriction

    restricted_ancestor = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return queryset.exclude(Exists(restricted_ancestor))


def access_area(user, area_id: int) -> ReservedAreaPage:
    """The area, or PermissionDenied; unknown ids look the same as forbidden ones."""
    from portal.pages.models import ReservedAreaPage

    area = ReservedAreaPage.objects.select_related("ente").filter(pk=area_id).first()
    if area is None or not can_view_area(user, area):
        raise PermissionDenied
    return area


# --- Documents and images ----------------------------------------------------------------------


def area_for_collection(collection_id: int | None) -> ReservedAreaPage | None:
    if collection_id is None:
        return None
    from wagtail.models import Collection

    collection = Collection.objects.filter(pk=collection_id).only("path").first()
    if collection is None:
        return None
    ancestor_ids = set(
        Collection.objects.filter(
            path__in=[
                collection.path[:i]
                for i in range(collection.steplen, len(collection.path) + 1, collection.steplen)
            ]
        ).values_list("id", flat=True)
    )
    from portal.pages.models import ReservedAreaPage

    return (
        ReservedAreaPage.objects.select_related("ente")
        .filter(collection_id__in=ancestor_ids)
        .first()
    )


def _under_reserved_root(collection_id: int | None) -> bool:
    if collection_id is None:
        return False
    from wagtail.models import Collection

    from portal.pages.models import RESERVED_COLLECTIONS_ROOT

    collection = Collection.objects.filter(pk=collection_id).only("path", "depth").first()
    if collection is None or collection.depth < 2:
        return False
    root = Collection.objects.filter(path=collection.path[: 2 * collection.steplen]).first()
    return root is not None and root.name == RESERVED_COLLECTIONS_ROOT


def is_reserved_collection(collection_id: int | None) -> bool:
    return _under_reserved_root(collection_id)


def can_view_document(user, document) -> bool:
    """Documents outside "Aree riservate" are public; inside, an area's documents follow
    the area, a webinar session's follow its live page, and anything else is staff's."""
    if not _under_reserved_root(document.collection_id):
        return True
    area = area_for_collection(document.collection_id)
    if area is not None:
        return can_view_area(user, area)
    session = session_for_collection(document.collection_id)
    if session is not None:
        return can_enter_live_session(user, session)
    return scope_for(user).staff


def visible_documents(user, queryset):
    """Narrow a document queryset: reserved collections only of the areas the user sees."""
    if scope_for(user).staff:
        return queryset
    from wagtail.models import Collection

    from portal.pages.models import RESERVED_COLLECTIONS_ROOT

    reserved_root = Collection.objects.filter(depth=2, name=RESERVED_COLLECTIONS_ROOT).first()
    if reserved_root is None:
        return queryset
    reserved = Q(collection__path__startswith=reserved_root.path)
    allowed = [area.collection.path for area in visible_areas(user) if area.collection_id]
    allowed += live_session_collection_paths(user)
    if allowed:
        reserved &= ~_any_path_startswith("collection__path", allowed)
    return queryset.exclude(reserved)


def access_document(user, document_id: int):
    from wagtail.documents import get_document_model

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None or not can_view_document(user, document):
        raise PermissionDenied
    return document


# --- Chat rooms -------------------------------------------------------------------------------
# A room is as visible as what it belongs to: an area room follows its area; the
# project-wide room is open to every logged-in participant.


def can_view_chat_room(user, room) -> bool:
    from forum.chat.models import RoomKind

    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if room.kind == RoomKind.PROJECT:
        return True
    if room.kind == RoomKind.WEBINAR:
        session = getattr(room, "webinar_session", None)
        return session is not None and can_enter_live_session(user, session)
    return room.area_id is not None and can_view_area(user, room.area)


def can_moderate_chat_room(user, room) -> bool:
    """Delete any message, mute people, export the transcript, set retention: staff,
    experts following the room's bodies, and the room's referents."""
    from forum.chat.models import RoomKind

    scope = scope_for(user)
    if scope.staff:
        return True
    if not can_view_chat_room(user, room):
        return False
    if room.kind == RoomKind.PROJECT:
        return scope.expert
    if room.kind == RoomKind.WEBINAR:
        return can_lead_session(user, room.webinar_session)
    from portal.pages.models import AreaScope

    area = room.area
    if area.scope == AreaScope.ENTE:
        return area.ente_id in scope.referent_of or area.ente_id in scope.expert_for
    if area.scope == AreaScope.REGION:
        return area.region_id in scope.regional_roles or (
            scope.expert and area.region_id in scope.ente_regions
        )
    return scope.expert


def visible_chat_room_q(user) -> Q | None:
    """Rooms the user may enter, as a filter (None: every room)."""
    from forum.chat.models import RoomKind

    scope = scope_for(user)
    if scope.staff:
        return None
    if not scope.authenticated:
        return Q(pk__in=[])
    # visible_area_q is never None here: only staff see every area.
    area_ids = [area.pk for area in visible_areas(user)]
    return (
        Q(kind=RoomKind.PROJECT)
        | Q(kind=RoomKind.AREA, area__in=area_ids)
        | (Q(kind=RoomKind.WEBINAR) & live_session_room_q(user))
    )


def access_chat_room(user, room_id):
    """The room, or PermissionDenied; unknown ids look the same as forbidden ones."""
    from forum.chat.models import ChatRoom

    room = (
        ChatRoom.objects.select_related("area__ente").filter(pk=room_id).first()
        if str(room_id).isdigit()
        else None
    )
    if room is None or not can_view_chat_room(user, room):
        raise PermissionDenied
    return room


# --- Forum boards ----------------------------------------------------------------------
# A public board is read by everyone and written by every logged-in participant; an
# area's board is as visible as its area. A topic hidden by a moderator, and any hidden
# post, is seen only by the board's moderators. Moderators: staff; experts on public
# boards; on an area board the same people who moderate the area's chat room.


def can_view_board(user, board) -> bool:
    from forum.boards.models import BoardKind

    if board.kind == BoardKind.PUBLIC:
        return True
    return board.area_id is not None and can_view_area(user, board.area)


def can_post_in_board(user, board) -> bool:
    return scope_for(user).authenticated and can_view_board(user, board)


def can_moderate_board(user, board) -> bool:
    from forum.boards.models import BoardKind

    scope = scope_for(user)
    if scope.staff:
        return True
    if not scope.authenticated or not can_view_board(user, board):
        return False
    if board.kind == BoardKind.PUBLIC:
        return scope.expert
    from portal.pages.models import AreaScope

    area = board.area
    if area.scope == AreaScope.ENTE:
        return area.ente_id in scope.referent_of or area.ente_id in scope.expert_for
    if area.scope == AreaScope.REGION:
        return area.region_id in scope.regional_roles or (
            scope.expert and area.region_id in scope.ente_regions
        )
    return scope.expert


def can_recommend_answer(user, board) -> bool:
    """Experts (and staff) mark a reply as the recommended answer."""
    scope = scope_for(user)
    return (scope.staff or scope.expert) and can_view_board(user, board)


def can_promote_topic(user, board) -> bool:
    """Editors propose a public thread for the methodology library."""
    from forum.boards.models import BoardKind

    scope = scope_for(user)
    return (scope.staff or scope.editor) and board.kind == BoardKind.PUBLIC


def visible_board_q(user) -> Q | None:
    """Boards the user may read, as a filter on Board (None: every board)."""
    from forum.boards.models import BoardKind

    scope = scope_for(user)
    if scope.staff:
        return None
    if not scope.authenticated:
        return Q(kind=BoardKind.PUBLIC)
    area_ids = [area.pk for area in visible_areas(user)]
    return Q(kind=BoardKind.PUBLIC) | Q(kind=BoardKind.AREA, area_id__in=area_ids)


def visible_topic_q(user, prefix: str = "") -> Q | None:
    """Topics the user may read (as a filter on Topic, or on Post with prefix="topic__"):
    those of readable boards, hidden ones only where the user moderates."""
    board_q = visible_board_q(user)
    if board_q is None:
        return None
    from forum.boards.models import Board

    boards = Board.objects.filter(board_q).select_related("area__ente")
    readable, moderated = [], []
    for board in boards:
        readable.append(board.pk)
        if can_moderate_board(user, board):
            moderated.append(board.pk)
    return Q(**{f"{prefix}board_id__in": readable}) & (
        Q(**{f"{prefix}hidden": False}) | Q(**{f"{prefix}board_id__in": moderated})
    )


def can_view_topic(user, topic) -> bool:
    if not can_view_board(user, topic.board):
        return False
    return not topic.hidden or can_moderate_board(user, topic.board)


def can_reply_to_topic(user, topic) -> bool:
    if not can_post_in_board(user, topic.board) or not can_view_topic(user, topic):
        return False
    return not topic.locked or can_moderate_board(user, topic.board)


def can_view_post(user, post) -> bool:
    """Hidden posts are shown (as such) only to moderators; others see a placeholder."""
    if not can_view_topic(user, post.topic):
        return False
    return not post.hidden or can_moderate_board(user, post.topic.board)


def can_edit_post(user, post, *, may_reply: bool | None = None) -> bool:
    """The author, on a post neither hidden nor deleted, while they may reply to its
    topic. `may_reply`: `can_reply_to_topic` already asked for the post's topic (a page
    of posts asks once, not once per post)."""
    if not (
        scope_for(user).authenticated
        and post.author_id == user.pk
        and not post.is_deleted
        and not post.hidden
    ):
        return False
    return can_reply_to_topic(user, post.topic) if may_reply is None else may_reply


def access_board(user, slug: str):
    """The board, or PermissionDenied; unknown slugs look the same as forbidden ones."""
    from forum.boards.models import Board

    board = Board.objects.select_related("area__ente").filter(slug=slug).first()
    if board is None or not can_view_board(user, board):
        raise PermissionDenied
    return board


def access_topic(user, topic_id):
    from forum.boards.models import Topic

    topic = (
        Topic.objects.select_related("board__area__ente").filter(pk=topic_id).first()
        if str(topic_id).isdigit()
        else None
    )
    if topic is None or not can_view_topic(user, topic):
        raise PermissionDenied
    return topic


def access_post(user, post_id):
    from forum.boards.models import Post

    post = (
        Post.objects.select_related("topic__board__area__ente", "author").filter(pk=post_id).first()
        if str(post_id).isdigit()
        else None
    )
    if post is None or not can_view_post(user, post):
        raise PermissionDenied
    return post


def access_attachment(user, attachment_id):
    """An attachment is as visible as its post (of a reserved board: as its area)."""
    from forum.boards.models import Attachment

    attachment = (
        Attachment.objects.select_related("post__topic__board__area__ente")
        .filter(pk=attachment_id)
        .first()
        if str(attachment_id).isdigit()
        else None
    )
    if attachment is None or attachment.post.is_deleted or not can_view_post(user, attachment.post):
        raise PermissionDenied
    return attachment


# --- Webinars --------------------------------------------------------------------------

# The programme is public. The live page, the meeting link and the material reserved to
# registrants are for confirmed registrants, speakers and organisers. Organisers are
# project staff and the regional referents/secretariats, who see the registrations of
# their region's bodies only.


def is_webinar_organiser(user) -> bool:
    scope = scope_for(user)
    return scope.staff or bool(scope.regional_roles)


def is_webinar_speaker(user, session) -> bool:
    if not scope_for(user).authenticated:
        return False
    return any(speaker.pk == user.pk for speaker in session.speaker_users)


def can_enter_live_session(user, session) -> bool:
    from webinar.models import Registration, RegistrationStatus

    scope = scope_for(user)
    if not scope.authenticated:
        return False
    if scope.staff or is_webinar_speaker(user, session) or is_webinar_organiser(user):
        return True
    return Registration.objects.filter(
        session=session, user=user, status=RegistrationStatus.CONFIRMED
    ).exists()


def can_lead_session(user, session) -> bool:
    """Answer and hide questions, share material, send the open questions to the forum."""
    return scope_for(user).staff or is_webinar_speaker(user, session)


def webinar_report_regions(user) -> frozenset[int] | None:
    """Regions whose registrations the user may see in organisers' reports (None: all)."""
    scope = scope_for(user)
    if scope.staff:
        return None
    return scope.regional_roles


def can_view_webinar_report(user) -> bool:
    return is_webinar_organiser(user)


def live_session_room_q(user) -> Q:
    """Webinar chat rooms the user may enter, as a filter on chat rooms."""
    from webinar.models import WebinarSessionPage

    sessions = WebinarSessionPage.objects.filter(live_sessions_q(user)).values("chat_room_id")
    return Q(pk__in=sessions)


def session_for_collection(collection_id: int | None):
    from webinar.models import WebinarSessionPage

    if collection_id is None:
        return None
    return WebinarSessionPage.objects.filter(material_collection_id=collection_id).first()


def live_sessions_q(user) -> Q:
    """Sessions whose live page the user may enter, as a filter on sessions."""
    from webinar.models import Registration, RegistrationStatus, SessionSpeaker

    scope = scope_for(user)
    if not scope.authenticated:
        return Q(pk__in=[])
    if scope.staff or is_webinar_organiser(user):
        return Q()
    registered = Registration.objects.filter(user=user, status=RegistrationStatus.CONFIRMED).values(
        "session_id"
    )
    speaking = SessionSpeaker.objects.filter(user=user).values("session_id")
    return Q(pk__in=registered) | Q(pk__in=speaking)


def live_session_collection_paths(user) -> list[str]:
    """Collection paths of the registrant-only material the user may download."""
    from webinar.models import WebinarSessionPage

    return list(
        WebinarSessionPage.objects.filter(
            live_sessions_q(user), material_collection__isnull=False
        ).values_list("material_collection__path", flat=True)
    )


def access_live_session(user, session_id):
    """The live session, or PermissionDenied; unknown ids look the same as forbidden."""
    from webinar.models import WebinarSessionPage

    session = (
        WebinarSessionPage.objects.live().filter(pk=session_id).first()
        if str(session_id).isdigit()
        else None
    )
    if session is None or not can_enter_live_session(user, session):
        raise PermissionDenied
    return session


# --- Newsletter --------------------------------------------------------------------------
# Editors and moderators plan, compose, preview and test issues; only those who approve
# content (moderators) and project staff send to subscribers; subscribers' personal data
# (lists, exports, erasure) is for project staff alone.

_MODERATOR_CACHE_ATTR = "_paq_newsletter_moderator"


def _is_moderator(user) -> bool:
    cached = getattr(user, _MODERATOR_CACHE_ATTR, None)
    if cached is None:
        cached = user.groups.filter(name=MODERATOR_GROUP).exists()
        setattr(user, _MODERATOR_CACHE_ATTR, cached)
    return cached


def can_edit_newsletter(user) -> bool:
    """Editorial plan, calendar, automatic drafts, email preview, test sends."""
    scope = scope_for(user)
    return scope.staff or scope.editor


def can_send_newsletter(user) -> bool:
    """Schedule or send an issue to every subscriber, cancel a scheduled send."""
    scope = scope_for(user)
    return scope.staff or (scope.editor and _is_moderator(user))


def can_manage_subscribers(user) -> bool:
    """See, change, export and erase subscribers."""
    return scope_for(user).staff


# --- Improvement plans (PAM) -----------------------------------------------------------
# A body's PAM (self-diagnoses, plans and everything under them, its CGP calendar and
# files) is seen by whoever sees the body: its approved members, its assigned experts,
# its region's referents/secretariat and staff. Members (and staff) edit; the body's
# referent also manages the calendar documents; assigned experts (and staff) review.
# Unknown and forbidden ids get the same PermissionDenied.


def can_view_pam(user, ente) -> bool:
    return ente is not None and scope_for(user).sees_ente(ente.pk, ente.region_id)


def can_edit_pam(user, ente) -> bool:
    scope = scope_for(user)
    return ente is not None and (scope.staff or ente.pk in scope.member_of)


def can_manage_pam(user, ente) -> bool:
    scope = scope_for(user)
    return ente is not None and (scope.staff or ente.pk in scope.referent_of)


def can_review_pam(user, ente) -> bool:
    scope = scope_for(user)
    return ente is not None and (scope.staff or ente.pk in scope.expert_for)


def visible_pam_ente_q(user, prefix: str = "") -> Q | None:
    """`can_view_pam` as a filter on Ente (prefix e.g. "ente__" or "plan__ente__");
    None: every body."""
    scope = scope_for(user)
    if scope.staff:
        return None
    if not scope.authenticated:
        return Q(pk__in=[])
    ids = scope.member_of | scope.expert_for
    return Q(**{f"{prefix}pk__in": ids}) | Q(**{f"{prefix}region_id__in": scope.regional_roles})


def visible_pam(user, queryset, prefix: str = ""):
    query = visible_pam_ente_q(user, prefix)
    return queryset if query is None else queryset.filter(query)


def sees_any_pam(user) -> bool:
    scope = scope_for(user)
    return scope.staff or bool(scope.member_of or scope.expert_for or scope.regional_roles)


def _access_pam_row(user, model, pk, ente_path: str):
    if not str(pk).isdigit():
        raise PermissionDenied
    row = model.objects.select_related(ente_path).filter(pk=pk).first()
    ente = row
    for attr in ente_path.split("__") if row is not None else ():
        ente = getattr(ente, attr)
    if row is None or not can_view_pam(user, ente):
        raise PermissionDenied
    return row


def access_pam_ente(user, ente_id):
    from portal.enti.models import Ente

    if not str(ente_id).isdigit():
        raise PermissionDenied
    ente = Ente.objects.select_related("region").filter(pk=ente_id).first()
    if not can_view_pam(user, ente):
        raise PermissionDenied
    return ente


def access_pam_plan(user, plan_id):
    from portal.pam.models import ImprovementPlan

    return _access_pam_row(user, ImprovementPlan, plan_id, "ente")


def access_pam_assessment(user, assessment_id):
    from portal.pam.models import SelfAssessment

    return _access_pam_row(user, SelfAssessment, assessment_id, "ente")


def access_pam_milestone(user, milestone_id):
    from portal.pam.models import Milestone

    return _access_pam_row(user, Milestone, milestone_id, "plan__ente")


def access_pam_indicator(user, indicator_id):
    from portal.pam.models import Indicator

    return _access_pam_row(user, Indicator, indicator_id, "plan__ente")


def access_pam_document(user, document_id):
    from portal.pam.models import CycleDocument

    return _access_pam_row(user, CycleDocument, document_id, "ente")


# --- Library and databases ---------------------------------------------------------------
# Library material is public or reserved to the project's participants (members of a body,
# experts, regional referents/secretariats, task teams, editors, staff). Reserved material
# never appears to anyone else: not in lists, facet counts, search, the API, exports or
# downloads. The bodies' performance documents database shows only what a body made
# public: documents it marked "pubblicato" (published in «Amministrazione trasparente»),
# and adopted or validated documents for which it gave the public link. Good practices are
# public once published by the experts who curate them.


def is_project_participant(user) -> bool:
    scope = scope_for(user)
    return scope.authenticated and (
        scope.staff
        or scope.expert
        or scope.editor
        or bool(scope.member_of or scope.regional_roles or scope.teams)
    )


def can_view_library_item(user, item) -> bool:
    from portal.library.models import Audience

    return item.audience == Audience.PUBLIC or is_project_participant(user)


def visible_library_items(user, queryset):
    """Narrow a LibraryItemPage queryset to what the user may see."""
    from portal.library.models import Audience

    if is_project_participant(user):
        return queryset
    return queryset.filter(audience=Audience.PUBLIC)


def hidden_library_pages_q(user) -> Q | None:
    """A filter on Page matching the library items the user may not see (None: none)."""
    if is_project_participant(user):
        return None
    from portal.library.models import Audience, LibraryItemPage

    return Q(id__in=LibraryItemPage.objects.exclude(audience=Audience.PUBLIC).values("pk"))


def can_download_library_document(user, item, document) -> bool:
    """A file listed on an item: as visible as the item, and never a document of a
    reserved area that an editor attached by mistake."""
    if not can_view_library_item(user, item):
        return False
    from wagtail.models import Collection

    from portal.library.models import RESERVED_LIBRARY_COLLECTION

    collection = Collection.objects.filter(pk=document.collection_id).only("name").first()
    if collection is not None and collection.name == RESERVED_LIBRARY_COLLECTION:
        return True
    return can_view_document(user, document)


def access_library_document(user, item_id, document_id):
    """(item, document) for a download, or PermissionDenied; unknown ids look forbidden."""
    from portal.library.models import LibraryItemDocument

    if not str(item_id).isdigit() or not str(document_id).isdigit():
        raise PermissionDenied
    row = (
        LibraryItemDocument.objects.select_related("page", "document")
        .filter(page_id=item_id, document_id=document_id, page__live=True)
        .first()
    )
    if row is None or not can_download_library_document(user, row.page, row.document):
        raise PermissionDenied
    return row.page, row.document


def public_cycle_document_q(prefix: str = "") -> Q:
    """The bodies' documents that the body made public, as a filter on CycleDocument."""
    from portal.pam.models import DocumentStatus

    return Q(**{f"{prefix}status": DocumentStatus.PUBLISHED}) | (
        Q(**{f"{prefix}status__in": [DocumentStatus.ADOPTED, DocumentStatus.VALIDATED]})
        & ~Q(**{f"{prefix}link": ""})
    )


def public_cycle_documents(queryset):
    return queryset.filter(public_cycle_document_q())


def access_public_cycle_document(user, document_id):
    from portal.pam.models import CycleDocument

    if not str(document_id).isdigit() or len(str(document_id)) > 18:
        raise PermissionDenied
    document = public_cycle_documents(
        CycleDocument.objects.select_related("ente__region").filter(pk=document_id)
    ).first()
    if document is None:
        raise PermissionDenied
    return document


def visible_practices(user, queryset):
    """Published practices for everyone (curators edit drafts in the Wagtail admin)."""
    return queryset.filter(published=True)


def access_practice(user, slug):
    from portal.library.models import GoodPractice

    practice = visible_practices(
        user, GoodPractice.objects.select_related("ente__region").filter(slug=str(slug)[:80])
    ).first()
    if practice is None:
        raise PermissionDenied
    return practice


def can_curate_practices(user) -> bool:
    scope = scope_for(user)
    return scope.staff or scope.expert


def can_view_page_feedback(user) -> bool:
    """The editors' report of "was this page useful?" answers."""
    scope = scope_for(user)
    return scope.staff or scope.editor
