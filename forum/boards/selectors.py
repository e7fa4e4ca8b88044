"""Reads of the forum, always narrowed by the access policy."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from portal import access

from .models import (
    POSTS_PER_PAGE,
    TOPICS_PER_PAGE,
    Attachment,
    Board,
    BoardKind,
    BoardReadState,
    Notification,
    Post,
    Report,
    Subscription,
    Topic,
    TopicReadState,
)

# Which public board suits which theme of the Ciclo di gestione della performance: the
# webinar app (and others) ask `board_for_theme` with one of these keys or free words.
THEME_BOARDS = {
    "obiettivi": "obiettivi-e-indicatori",
    "indicatori": "obiettivi-e-indicatori",
    "piao": "obiettivi-e-indicatori",
    "controlli": "controlli-interni",
    "controlli interni": "controlli-interni",
    "bilancio": "bilancio-e-performance",
    "peg": "bilancio-e-performance",
    "relazione": "relazione-sulla-performance",
    "rendicontazione": "relazione-sulla-performance",
    "valutazione": "relazione-sulla-performance",
    "smvp": "relazione-sulla-performance",
    "istruzione": "obiettivi-di-servizio",
    "asili": "obiettivi-di-servizio",
    "anziani": "obiettivi-di-servizio",
    "rifiuti": "obiettivi-di-servizio",
    "acqua": "obiettivi-di-servizio",
    "servizi": "obiettivi-di-servizio",
}
GENERAL_BOARD_SLUG = "confronto-tra-enti"


def public_boards():
    """Every public thematic board, in display order."""
    return Board.objects.filter(kind=BoardKind.PUBLIC).order_by("position", "title")


def board_for_theme(theme: str) -> Board | None:
    """The public board suited to a CGP theme (free words welcome), else the general one."""
    words = (theme or "").lower()
    for key, slug in THEME_BOARDS.items():
        if key in words:
            board = Board.objects.filter(kind=BoardKind.PUBLIC, slug=slug).first()
            if board is not None:
                return board
    return (
        Board.objects.filter(kind=BoardKind.PUBLIC, slug=GENERAL_BOARD_SLUG).first()
        or public_boards().first()
    )


def visible_boards(user):
    boards = Board.objects.select_related("area__ente", "last_topic")
    query = access.visible_board_q(user)
    return boards if query is None else boards.filter(query)


def boards_for_index(user) -> list[Board]:
    """Boards the user may read, with whether they hold something unread for them."""
    boards = visible_boards(user).order_by("kind", "position", "title")
    if access.scope_for(user).authenticated:
        unread_topics = annotate_unread(
            Topic.objects.filter(board=OuterRef("pk"), hidden=False), user
        ).filter(unread=True)
        boards = boards.annotate(unread=Exists(unread_topics))
    boards = list(boards)
    for board in boards:
        board.moderator = access.can_moderate_board(user, board)
        # A hidden topic's title is for moderators only.
        board.show_last_topic = board.last_topic is not None and (
            not board.last_topic.hidden or board.moderator
        )
    return boards


def annotate_unread(topics, user):
    """Add `unread` (bool) and `first_unread` (number) to a topic queryset."""
    if not access.scope_for(user).authenticated:
        return topics.annotate(
            unread=Value(False, output_field=BooleanField()),
            last_read=Value(0, output_field=IntegerField()),
        )
    read_number = TopicReadState.objects.filter(topic=OuterRef("pk"), user=user).values(
        "last_read_number"
    )[:1]
    board_read = BoardReadState.objects.filter(board=OuterRef("board"), user=user).values(
        "read_at"
    )[:1]
    return topics.annotate(
        last_read=Coalesce(Subquery(read_number, output_field=IntegerField()), Value(0)),
        board_read_at=Subquery(board_read),
    ).annotate(
        unread=Case(
            When(
                Q(last_read__lt=F("last_number"))
                & (Q(board_read_at__isnull=True) | Q(last_post_at__gt=F("board_read_at"))),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def board_topics(board: Board, user, *, expert_only: bool = False, moderator: bool = False):
    """A board's topics: pinned first, then by last activity; hidden ones for moderators."""
    topics = (
        Topic.objects.filter(board=board)
        .select_related("author", "last_post_author")
        .only(*_fields(Topic), *_person("author"), *_person("last_post_author"))
    )
    if not moderator:
        topics = topics.filter(hidden=False)
    if expert_only:
        topics = topics.filter(has_expert_answer=True)
    topics = annotate_unread(topics, user)
    return topics.order_by("-pinned", "-last_post_at", "-id")


def board_page(board: Board, user, *, page: str | None, expert_only=False, moderator=False):
    topics = board_topics(board, user, expert_only=expert_only, moderator=moderator)
    return Paginator(topics, TOPICS_PER_PAGE).get_page(page)


# What pages print of a person (its __str__ is the full name, else the email): reading
# only these columns keeps a page's joins narrow.
PERSON_FIELDS = ("first_name", "last_name", "email", "job_title")
# What the policy reads of a board and its area (`access.can_view_board`,
# `can_moderate_board`) and what pages print of the board. A reserved area is a Wagtail
# page: selecting all its columns made the topic's query cost more than its page of posts.
BOARD_FIELDS = (
    "kind",
    "slug",
    "title",
    "area_id",
    "area__scope",
    "area__ente_id",
    "area__region_id",
    "area__task_team_id",
    "area__ente__region_id",
)


def _fields(model, *, exclude=()) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]


def _person(relation: str) -> list[str]:
    return [f"{relation}__{name}" for name in PERSON_FIELDS]


def topic_posts(topic: Topic, page: int) -> list[Post]:
    """Page N of a topic: the posts numbered ((N-1)·size, N·size], read through the
    (topic, number) index — no OFFSET, so every page costs the same. The Markdown source
    stays in the database: pages print the HTML rendered when the post was written. A
    page holding attachments or a recommended answer reads them with one query each."""
    start = (page - 1) * POSTS_PER_PAGE
    posts = list(
        Post.objects.filter(topic=topic, number__gt=start, number__lte=start + POSTS_PER_PAGE)
        .select_related("author")
        .only(*_fields(Post, exclude=("body",)), *_person("author"))
        .order_by("number")
    )
    # Who recommended an answer: read only when the page holds one (a second join on the
    # users table cost every page as much as the rest of its posts' query).
    recommended = [post for post in posts if post.recommended_by_id]
    if recommended:
        from django.contrib.auth import get_user_model

        people = get_user_model().objects.only(*PERSON_FIELDS)
        by_id = {p.pk: p for p in people.filter(pk__in={x.recommended_by_id for x in recommended})}
        for post in recommended:
            post.recommended_by = by_id.get(post.recommended_by_id)
    with_files = [post for post in posts if post.attachment_count]
    if with_files:
        prefetch_related_objects(
            with_files, Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
        )
    for post in posts:
        if not post.attachment_count:
            # An already-evaluated empty result: the template's loop costs nothing.
            empty = Attachment.objects.none()
            empty._result_cache = []
            empty._prefetch_done = True
            post._prefetched_objects_cache = {"attachments": empty}
    return posts


def topic_with_state(topic_id: int, user):
    """The topic with whether the user follows it (one query with the access check's)."""
    topics = Topic.objects.select_related("board__area__ente", "assigned_to", "author").only(
        *_fields(Topic),
        *(f"board__{name}" for name in BOARD_FIELDS),
        *_person("assigned_to"),
        *_person("author"),
    )
    if access.scope_for(user).authenticated:
        topics = topics.annotate(
            following=Exists(Subscription.objects.filter(topic=OuterRef("pk"), user=user)),
            # None: never opened (the first visit writes the read state).
            last_read=Subquery(
                TopicReadState.objects.filter(topic=OuterRef("pk"), user=user).values(
                    "last_read_number"
                )[:1],
                output_field=IntegerField(),
            ),
        )
    return topics.filter(pk=topic_id).first()


def search_posts(user, query: str, *, expert_only: bool = False, board: Board | None = None):
    """Posts whose text or topic title matches, among what the user may read."""
    posts = Post.objects.filter(deleted_at__isnull=True).filter(
        Q(body__icontains=query) | Q(number=1, topic__title__icontains=query)
    )
    topic_q = access.visible_topic_q(user, prefix="topic__")
    if topic_q is not None:
        posts = posts.filter(topic_q)
        moderated = [b.pk for b in visible_boards(user) if access.can_moderate_board(user, b)]
        posts = posts.filter(Q(hidden=False) | Q(topic__board_id__in=moderated))
    if expert_only:
        posts = posts.filter(topic__has_expert_answer=True)
    if board is not None:
        posts = posts.filter(topic__board=board)
    return posts.select_related("topic__board", "author").order_by("-created_at", "-id")


def notifications_for(user):
    # The post's topic and board come along: each row is asked about again on display.
    return Notification.objects.filter(user=user).select_related(
        "topic__board", "post__topic__board__area__ente", "actor"
    )


def moderated_boards(user) -> list[Board]:
    return [b for b in visible_boards(user) if access.can_moderate_board(user, b)]


def open_reports(user):
    boards = moderated_boards(user)
    return (
        Report.objects.filter(resolved_at__isnull=True, post__topic__board__in=boards)
        .select_related("post__topic__board", "post__author", "reporter")
        .order_by("-created_at")
    )


def board_with_state(slug: str, user) -> Board | None:
    """The board with whether the user follows it, in one query."""
    boards = Board.objects.select_related("area__ente").only(
        *BOARD_FIELDS, "description", "topic_count", "post_count"
    )
    if access.scope_for(user).authenticated:
        boards = boards.annotate(
            following=Exists(Subscription.objects.filter(board=OuterRef("pk"), user=user))
        )
    return boards.filter(slug=slug).first()
