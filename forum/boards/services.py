"""Writes to the forum. Every service asks the access policy first, writes, keeps the
counts, and schedules notifications (a django_tasks task) after the commit."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal import access

from .models import (
    MAX_POST_LENGTH,
    MAX_TITLE_LENGTH,
    Attachment,
    Board,
    BoardKind,
    BoardReadState,
    EmailMode,
    ForumPreference,
    LibraryProposal,
    ModerationAction,
    ModerationLog,
    Notification,
    Post,
    PostRevision,
    Report,
    Subscription,
    Topic,
    TopicReadState,
)
from .pagecache import forum_changed
from .rendering import render_markdown
from .validators import validate_attachment

MAX_ATTACHMENTS_PER_POST = 5

RATE_LIMIT_WINDOW_SECONDS = 60


# --- Boards -----------------------------------------------------------------------------


def board_for_area(area) -> Board:
    """The area's reserved board (created with the area, see signals)."""
    board = Board.objects.filter(area=area).first()
    if board is not None:
        return board
    base = slugify(f"area-{area.slug}")[:70] or f"area-{area.pk}"
    slug = base if not Board.objects.filter(slug=base).exists() else f"{base}-{area.pk}"
    try:
        with transaction.atomic():
            return Board.objects.create(
                kind=BoardKind.AREA,
                area=area,
                slug=slug,
                title=f"Forum — {area.title}",
                description=_("Le discussioni riservate di chi partecipa a quest'area."),
            )
    except IntegrityError:
        return Board.objects.get(area=area)


# --- Checks -----------------------------------------------------------------------------


def _check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < 5:
        raise ValidationError(_("Il titolo deve avere almeno 5 caratteri."), code="short_title")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValidationError(
            _("Il titolo supera i %(max)d caratteri.") % {"max": MAX_TITLE_LENGTH},
            code="long_title",
        )
    return title


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Il messaggio è vuoto."), code="empty")
    if len(body) > MAX_POST_LENGTH:
        raise ValidationError(
            _("Il messaggio supera i %(max)d caratteri.") % {"max": MAX_POST_LENGTH},
            code="too_long",
        )
    return body


def _check_rate(user) -> None:
    key = f"forum-rate:{user.pk}"
    cache.add(key, 0, timeout=RATE_LIMIT_WINDOW_SECONDS)
    try:
        sent = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=RATE_LIMIT_WINDOW_SECONDS)
        sent = 1
    if sent > settings.PORTAL_FORUM_RATE_LIMIT_POSTS:
        raise ValidationError(
            _("Stai scrivendo troppo in fretta: attendi un minuto e riprova."),
            code="rate_limited",
        )


def _check_files(files) -> list:
    files = [f for f in (files or []) if f]
    if len(files) > MAX_ATTACHMENTS_PER_POST:
        raise ValidationError(
            _("Si possono allegare al massimo %(max)d file per messaggio.")
            % {"max": MAX_ATTACHMENTS_PER_POST},
            code="too_many_files",
        )
    for uploaded in files:
        validate_attachment(uploaded)
    return files


def _save_attachments(post: Post, user, files) -> None:
    if files:
        post.attachment_count = len(files)
        post.save(update_fields=["attachment_count"])
    for uploaded in files:
        name = uploaded.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        attachment = Attachment(post=post, name=name, size=uploaded.size, uploaded_by=user)
        attachment.file.save(name, uploaded, save=False)
        attachment.save()


# --- Topics and posts -------------------------------------------------------------------


def _add_post(*, topic: Topic, author, body: str, files=()) -> Post:
    """Append a post under the topic's row lock (numbers in order, never reused)."""
    now = timezone.now()
    Topic.objects.filter(pk=topic.pk).update(
        last_number=F("last_number") + 1,
        post_count=F("post_count") + 1,
        last_post_at=now,
        last_post_author=author,
    )
    number = Topic.objects.values_list("last_number", flat=True).get(pk=topic.pk)
    post = Post.objects.create(
        topic=topic,
        number=number,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    _save_attachments(post, author, files)
    Board.objects.filter(pk=topic.board_id).update(
        post_count=F("post_count") + 1, last_post_at=now, last_topic=topic
    )
    forum_changed()
    topic.last_number = number
    topic.last_post_at = now
    topic.post_count = (topic.post_count or 0) + 1
    return post


def _follow(user, *, topic=None, board=None) -> None:
    Subscription.objects.get_or_create(user=user, topic=topic, board=board)


def _mark_read(user, topic: Topic, number: int) -> None:
    updated = TopicReadState.objects.filter(topic=topic, user=user).update(
        last_read_number=Greatest("last_read_number", number)
    )
    if not updated:
        try:
            with transaction.atomic():
                TopicReadState.objects.create(topic=topic, user=user, last_read_number=number)
        except IntegrityError:
            TopicReadState.objects.filter(topic=topic, user=user).update(
                last_read_number=Greatest("last_read_number", number)
            )


def _notify_later(post_id: int, *, new_topic: bool) -> None:
    from .tasks import notify_post

    transaction.on_commit(lambda: notify_post.enqueue(post_id=post_id, new_topic=new_topic))


@transaction.atomic
def topic_start(
    *,
    board: Board,
    author,
    title: str,
    body: str,
    assigned_to=None,
    origin_url: str = "",
    origin_label: str = "",
    files=(),
    notify: bool = True,
    rate_limit: bool = False,
) -> Topic:
    """Open a topic with its first post. `assigned_to` is the expert asked to answer
    (shown on the page and notified); `origin_url`/`origin_label` link back to where the
    question came from (e.g. a webinar). `notify=False` writes without notifying
    anyone (demo data, imports)."""
    if not access.can_post_in_board(author, board):
        raise PermissionDenied
    title = _check_title(title)
    body = _check_body(body)
    files = _check_files(files)
    if origin_url and not origin_url.startswith(("/", "https://", "http://")):
        raise ValidationError(_("Indirizzo di provenienza non valido."), code="bad_origin")
    if assigned_to is not None and not access.can_view_board(assigned_to, board):
        raise ValidationError(
            _("La persona a cui affidare la risposta non può leggere questa bacheca."),
            code="assignee_cannot_read",
        )
    if rate_limit:
        _check_rate(author)
    topic = Topic.objects.create(
        board=board,
        title=title,
        author=author,
        assigned_to=assigned_to,
        origin_url=origin_url[:500],
        origin_label=(origin_label or "")[:200],
        last_post_author=author,
    )
    post = _add_post(topic=topic, author=author, body=body, files=files)
    Board.objects.filter(pk=board.pk).update(topic_count=F("topic_count") + 1)
    _follow(author, topic=topic)
    if assigned_to is not None:
        _follow(assigned_to, topic=topic)
    _mark_read(author, topic, post.number)
    if notify:
        _notify_later(post.pk, new_topic=True)
    return topic


@transaction.atomic
def post_reply(
    *, topic: Topic, author, body: str, files=(), notify: bool = True, rate_limit: bool = False
) -> Post:
    topic = (
        Topic.objects.select_for_update(of=("self",))
        .select_related("board__area__ente")
        .get(pk=topic.pk)
    )
    if not access.can_view_topic(author, topic):
        raise PermissionDenied
    if not access.can_reply_to_topic(author, topic):
        raise ValidationError(
            _("La discussione è chiusa: non si possono aggiungere risposte."), code="locked"
        )
    body = _check_body(body)
    files = _check_files(files)
    if rate_limit:
        _check_rate(author)
    post = _add_post(topic=topic, author=author, body=body, files=files)
    _follow(author, topic=topic)
    _mark_read(author, topic, post.number)
    if notify:
        _notify_later(post.pk, new_topic=False)
    return post


@transaction.atomic
def post_edit(*, post: Post, user, body: str) -> Post:
    """Authors edit their own posts; the previous text is kept for moderators."""
    if not access.can_edit_post(user, post):
        raise PermissionDenied
    body = _check_body(body)
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=user)
    post.body = body
    post.body_html = render_markdown(body)
    post.edited_at = timezone.now()
    post.edit_count = F("edit_count") + 1
    post.save(update_fields=["body", "body_html", "edited_at", "edit_count"])
    forum_changed()
    post.refresh_from_db(fields=["edit_count"])
    return post


def topic_follow(*, topic: Topic, user, follow: bool) -> bool:
    if not access.can_view_topic(user, topic) or not access.scope_for(user).authenticated:
        raise PermissionDenied
    if follow:
        _follow(user, topic=topic)
    else:
        Subscription.objects.filter(user=user, topic=topic).delete()
    return follow


def board_follow(*, board: Board, user, follow: bool) -> bool:
    if not access.can_view_board(user, board) or not access.scope_for(user).authenticated:
        raise PermissionDenied
    if follow:
        _follow(user, board=board)
    else:
        Subscription.objects.filter(user=user, board=board).delete()
    return follow


def topic_read(*, topic: Topic, user, number: int, last_read: int | None) -> None:
    """Remember how far the user has read. `last_read` is what the page already knows
    (None: never read), so a page re-read writes nothing and a first read one row."""
    if not access.scope_for(user).authenticated:
        return
    number = min(number, topic.last_number)
    if last_read is None:
        TopicReadState.objects.bulk_create(
            [TopicReadState(topic=topic, user=user, last_read_number=number)],
            ignore_conflicts=True,
        )
    elif number > last_read:
        _mark_read(user, topic, number)


def board_mark_read(*, board: Board, user) -> None:
    if not access.can_view_board(user, board) or not access.scope_for(user).authenticated:
        raise PermissionDenied
    BoardReadState.objects.update_or_create(
        board=board, user=user, defaults={"read_at": timezone.now()}
    )


# --- Notifications ----------------------------------------------------------------------


def preference_for(user) -> ForumPreference:
    preference, _created = ForumPreference.objects.get_or_create(user=user)
    return preference


def preference_set(*, user, email_mode: str) -> ForumPreference:
    if email_mode not in EmailMode.values:
        raise ValidationError(_("Scelta non valida."), code="bad_mode")
    preference = preference_for(user)
    preference.email_mode = email_mode
    preference.save(update_fields=["email_mode"])
    return preference


def notifications_mark_read(*, user, ids=None) -> int:
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(read_at=timezone.now())


def topic_unsubscribe(*, user, topic_id: int) -> None:
    """From the email's one-click link: the token proved who asks."""
    Subscription.objects.filter(user=user, topic_id=topic_id).delete()


# --- Expert answers and editors ---------------------------------------------------------


@transaction.atomic
def post_recommend(*, post: Post, user, recommended: bool, notify: bool = True) -> Post:
    board = post.topic.board
    if not access.can_view_post(user, post) or not access.can_recommend_answer(user, board):
        raise PermissionDenied
    if post.number == 1:
        raise ValidationError(
            _("Si può consigliare una risposta, non la domanda iniziale."), code="first_post"
        )
    if post.is_deleted or post.hidden:
        raise ValidationError(_("Il messaggio non è visibile."), code="not_visible")
    post.recommended_at = timezone.now() if recommended else None
    post.recommended_by = user if recommended else None
    post.save(update_fields=["recommended_at", "recommended_by"])
    has_answer = post.topic.posts.filter(
        recommended_at__isnull=False, hidden=False, deleted_at__isnull=True
    ).exists()
    Topic.objects.filter(pk=post.topic_id).update(has_expert_answer=has_answer)
    post.topic.has_expert_answer = has_answer
    _log(
        user,
        ModerationAction.RECOMMEND if recommended else ModerationAction.UNRECOMMEND,
        post.topic,
        post=post,
    )
    if notify and recommended and post.author_id and post.author_id != user.pk:
        from .tasks import notify_recommended

        transaction.on_commit(lambda: notify_recommended.enqueue(post_id=post.pk, actor_id=user.pk))
    return post


def topic_promote(*, topic: Topic, user, note: str = "") -> LibraryProposal:
    if not access.can_view_topic(user, topic) or not access.can_promote_topic(user, topic.board):
        raise PermissionDenied
    proposal, created = LibraryProposal.objects.get_or_create(
        topic=topic, defaults={"proposed_by": user, "note": (note or "")[:300]}
    )
    if created:
        _log(user, ModerationAction.PROMOTE, topic, detail=proposal.note)
    return proposal


# --- Moderation -------------------------------------------------------------------------


def _log(actor, action, topic: Topic, *, post=None, detail: str = "", board=None) -> None:
    """Record a moderation action (every one of them changes what pages show)."""
    forum_changed()
    ModerationLog.objects.create(
        actor=actor,
        action=action,
        board=board or topic.board,
        topic=topic,
        post=post,
        topic_title=topic.title,
        detail=detail[:300],
    )


def _require_moderator(user, board) -> None:
    if not access.can_moderate_board(user, board):
        raise PermissionDenied


TOPIC_FLAGS = {
    ModerationAction.PIN: ("pinned", True),
    ModerationAction.UNPIN: ("pinned", False),
    ModerationAction.LOCK: ("locked", True),
    ModerationAction.UNLOCK: ("locked", False),
    ModerationAction.HIDE_TOPIC: ("hidden", True),
    ModerationAction.SHOW_TOPIC: ("hidden", False),
}


@transaction.atomic
def topic_moderate(*, topic: Topic, user, action: str) -> Topic:
    _require_moderator(user, topic.board)
    if action not in TOPIC_FLAGS:
        raise ValidationError(_("Azione non valida."), code="bad_action")
    field, value = TOPIC_FLAGS[action]
    setattr(topic, field, value)
    topic.save(update_fields=[field])
    _log(user, action, topic)
    return topic


@transaction.atomic
def topic_delete(*, topic: Topic, user, reason: str = "") -> None:
    board = topic.board
    _require_moderator(user, board)
    _log(user, ModerationAction.DELETE_TOPIC, topic, detail=reason)
    posts = topic.post_count
    for attachment in Attachment.objects.filter(post__topic=topic):
        attachment.file.delete(save=False)
    topic.delete()
    Board.objects.filter(pk=board.pk).update(
        topic_count=Greatest(F("topic_count") - 1, 0),
        post_count=Greatest(F("post_count") - posts, 0),
    )
    _refresh_last_activity(board)


def _refresh_last_activity(board: Board) -> None:
    last = board.topics.order_by("-last_post_at", "-id").only("pk", "last_post_at").first()
    Board.objects.filter(pk=board.pk).update(
        last_topic=last, last_post_at=last.last_post_at if last else None
    )


@transaction.atomic
def topic_move(*, topic: Topic, user, target: Board) -> Topic:
    source = topic.board
    _require_moderator(user, source)
    _require_moderator(user, target)
    if target.pk == source.pk:
        raise ValidationError(_("La discussione è già in questa bacheca."), code="same_board")
    topic.board = target
    topic.save(update_fields=["board"])
    Board.objects.filter(pk=source.pk).update(
        topic_count=Greatest(F("topic_count") - 1, 0),
        post_count=Greatest(F("post_count") - topic.post_count, 0),
    )
    Board.objects.filter(pk=target.pk).update(
        topic_count=F("topic_count") + 1, post_count=F("post_count") + topic.post_count
    )
    _refresh_last_activity(source)
    _refresh_last_activity(target)
    # Followers who cannot read the new board stop receiving news of it.
    for subscription in Subscription.objects.filter(topic=topic).select_related("user"):
        if not access.can_view_board(subscription.user, target):
            subscription.delete()
    _log(user, ModerationAction.MOVE, topic, detail=f"{source.title} → {target.title}")
    _log(
        user, ModerationAction.MOVE, topic, detail=f"{source.title} → {target.title}", board=source
    )
    return topic


@transaction.atomic
def post_moderate(*, post: Post, user, action: str, reason: str = "") -> Post:
    _require_moderator(user, post.topic.board)
    if action == ModerationAction.HIDE_POST:
        post.hidden = True
        post.save(update_fields=["hidden"])
    elif action == ModerationAction.SHOW_POST:
        post.hidden = False
        post.save(update_fields=["hidden"])
    elif action == ModerationAction.DELETE_POST:
        if post.number == 1:
            raise ValidationError(
                _("Il primo messaggio non si elimina da solo: elimina la discussione."),
                code="first_post",
            )
        # The row stays (numbers have no gaps: pages are number ranges); the text goes.
        for attachment in post.attachments.all():
            attachment.file.delete(save=False)
            attachment.delete()
        post.attachment_count = 0
        post.revisions.all().delete()
        post.deleted_at = timezone.now()
        post.body = ""
        post.body_html = ""
        post.recommended_at = None
        post.save(
            update_fields=["deleted_at", "body", "body_html", "recommended_at", "attachment_count"]
        )
    else:
        raise ValidationError(_("Azione non valida."), code="bad_action")
    has_answer = post.topic.posts.filter(
        recommended_at__isnull=False, hidden=False, deleted_at__isnull=True
    ).exists()
    Topic.objects.filter(pk=post.topic_id).update(has_expert_answer=has_answer)
    _log(user, action, post.topic, post=post, detail=reason)
    return post


def report_file(*, post: Post, user, reason: str) -> Report:
    if not access.scope_for(user).authenticated or not access.can_view_post(user, post):
        raise PermissionDenied
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(_("Spiega in poche parole il motivo (almeno 5 caratteri)."))
    if len(reason) > 1000:
        raise ValidationError(_("Il motivo supera i 1000 caratteri."))
    if Report.objects.filter(post=post, reporter=user, resolved_at__isnull=True).exists():
        raise ValidationError(_("Hai già segnalato questo messaggio: i moderatori lo vedranno."))
    return Report.objects.create(post=post, reporter=user, reason=reason)


@transaction.atomic
def report_resolve(*, report: Report, user, note: str = "") -> Report:
    _require_moderator(user, report.post.topic.board)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.resolved_by = user
        report.save(update_fields=["resolved_at", "resolved_by"])
        _log(
            user,
            ModerationAction.RESOLVE_REPORT,
            report.post.topic,
            post=report.post,
            detail=note or report.reason[:200],
        )
    return report
