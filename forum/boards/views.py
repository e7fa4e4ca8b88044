"""Forum pages. Each view asks the access policy first (access_board/topic/post/
attachment), then calls one selector or service."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal import access

from . import fragments, selectors, services
from .forms import (
    EditForm,
    MoveForm,
    PreferenceForm,
    PromoteForm,
    ReplyForm,
    ReportForm,
    SearchForm,
    TopicForm,
)
from .models import (
    POSTS_PER_PAGE,
    LibraryProposal,
    ModerationAction,
    ModerationLog,
    Post,
    Report,
)
from .pagecache import cached_for_visitors
from .rendering import mention_handle, quote_markdown
from .tasks import read_unsubscribe_token


def _deny(request):
    """Visitors who have not logged in are sent to log in; others are refused (403)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _errors(request, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


def _page_number(value, last: int) -> int:
    if value == "ultima":
        return last
    if value and str(value).isdigit() and len(str(value)) < 9:
        return min(max(int(value), 1), last)
    return 1


# --- Browsing ---------------------------------------------------------------------------


@cached_for_visitors
def board_index(request):
    boards = selectors.boards_for_index(request.user)
    return render(
        request,
        "forum/board_index.html",
        {
            "public_boards": [b for b in boards if not b.is_reserved],
            "reserved_boards": [b for b in boards if b.is_reserved],
        },
    )


@cached_for_visitors
def board_detail(request, slug: str):
    board = selectors.board_with_state(slug, request.user)
    if board is None or not access.can_view_board(request.user, board):
        return _deny(request)
    moderator = access.can_moderate_board(request.user, board)
    expert_only = request.GET.get("risposta_esperto") == "1"
    page = selectors.board_page(
        board,
        request.user,
        page=request.GET.get("pagina"),
        expert_only=expert_only,
        moderator=moderator,
    )
    topics = list(page.object_list)
    for topic in topics:
        topic.first_unread_page = topic.last_read // POSTS_PER_PAGE + 1
    fragments.attach_topic_rows(topics)
    return render(
        request,
        "forum/board_detail.html",
        {
            "board": board,
            "page_obj": page,
            "topics": topics,
            "expert_only": expert_only,
            "moderator": moderator,
            "can_post": access.can_post_in_board(request.user, board),
            "following": getattr(board, "following", False),
        },
    )


def _url_for_pk(name: str):
    """A builder of `name`'s URL for any pk, from one reverse (a page of 20 posts would
    otherwise reverse the same route 20 times)."""
    sentinel = "2147483647"
    head, tail = reverse(name, kwargs={"pk": int(sentinel)}).split(sentinel, 1)
    return lambda pk: f"{head}{pk}{tail}"


def _post_actions(user, posts, *, topic, can_reply, can_recommend, moderator) -> None:
    """The buttons under each post for this reader, from the policy's answers for the
    topic, asked once per page."""
    quote = reverse("boards:reply", kwargs={"pk": topic.pk}) + "?cita="
    edit, report = _url_for_pk("boards:post_edit"), _url_for_pk("boards:post_report")
    recommend, moderate = _url_for_pk("boards:post_recommend"), _url_for_pk("boards:post_moderate")
    for post in posts:
        if post.is_deleted:
            continue
        number = str(post.number)
        visible = not post.hidden
        post.actions = {
            "number": number,
            "quote": quote + number if can_reply and visible else "",
            "edit": edit(post.pk) if access.can_edit_post(user, post, may_reply=can_reply) else "",
            "recommend": recommend(post.pk)
            if can_recommend and post.number > 1 and visible
            else "",
            "report": report(post.pk) if post.author_id != user.pk else "",
            "moderate": moderate(post.pk) if moderator else "",
        }


@cached_for_visitors
def topic_detail(request, pk: int):
    topic = selectors.topic_with_state(pk, request.user)
    if topic is None or not access.can_view_topic(request.user, topic):
        return _deny(request)
    page = _page_number(request.GET.get("pagina"), topic.page_count)
    posts = selectors.topic_posts(topic, page)
    board = topic.board
    moderator = access.can_moderate_board(request.user, board)
    if posts:
        services.topic_read(
            topic=topic,
            user=request.user,
            number=posts[-1].number,
            last_read=getattr(topic, "last_read", None),
        )
    last_read = getattr(topic, "last_read", None)
    for post in posts:
        # Set for every reader: a name the template misses costs three caught exceptions.
        post.is_new = last_read is not None and (
            post.number > last_read and post.author_id != request.user.pk
        )
        post.actions = None
    fragments.attach(posts, moderator=moderator, assigned_to_id=topic.assigned_to_id)
    can_reply = access.can_reply_to_topic(request.user, topic)
    can_recommend = access.can_recommend_answer(request.user, board)
    if request.user.is_authenticated:
        _post_actions(
            request.user,
            posts,
            topic=topic,
            can_reply=can_reply,
            can_recommend=can_recommend,
            moderator=moderator,
        )
    can_promote = access.can_promote_topic(request.user, board)
    extra = {}
    if moderator:
        extra["topic_actions"] = [
            (ModerationAction.UNPIN, _("Togli dall'evidenza"))
            if topic.pinned
            else (ModerationAction.PIN, _("Metti in evidenza")),
            (ModerationAction.UNLOCK, _("Riapri"))
            if topic.locked
            else (ModerationAction.LOCK, _("Chiudi")),
            (ModerationAction.SHOW_TOPIC, _("Rendi visibile"))
            if topic.hidden
            else (ModerationAction.HIDE_TOPIC, _("Nascondi")),
        ]
        extra["move_form"] = MoveForm(
            boards=[b for b in selectors.moderated_boards(request.user) if b.pk != board.pk]
        )
    if can_promote:
        extra["proposal"] = LibraryProposal.objects.filter(topic=topic).first()
    return render(
        request,
        "forum/topic_detail.html",
        {
            **extra,
            "board": board,
            "topic": topic,
            "posts": posts,
            "page": page,
            "pages": Paginator(range(topic.last_number or 1), POSTS_PER_PAGE).get_page(page),
            "moderator": moderator,
            "can_reply": can_reply,
            "can_recommend": can_recommend,
            "can_promote": can_promote,
            "reply_form": ReplyForm() if can_reply else None,
        },
    )


def post_redirect(request, pk: int):
    """A post's permanent address: the page of its topic that shows it."""
    try:
        post = access.access_post(request.user, pk)
    except PermissionDenied:
        return _deny(request)
    url = reverse("boards:topic", kwargs={"pk": post.topic_id})
    return redirect(f"{url}?pagina={post.page_number}#messaggio-{post.number}")


# --- Writing ----------------------------------------------------------------------------


@login_required
def topic_create(request, slug: str):
    board = access.access_board(request.user, slug)
    if not access.can_post_in_board(request.user, board):
        raise PermissionDenied
    form = TopicForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_start(
                board=board,
                author=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["files"],
                rate_limit=True,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Discussione aperta."))
            return redirect(topic)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "forum/topic_form.html",
        {"board": board, "form": form, "handle": mention_handle(request.user)},
        status=status,
    )


@login_required
def topic_reply(request, pk: int):
    topic = access.access_topic(request.user, pk)
    if request.method == "POST":
        form = ReplyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                post = services.post_reply(
                    topic=topic,
                    author=request.user,
                    body=form.cleaned_data["body"],
                    files=form.cleaned_data["files"],
                    rate_limit=True,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Risposta pubblicata."))
                return redirect(post)
    else:
        initial = {}
        quoted = request.GET.get("cita")
        if quoted and quoted.isdigit() and len(quoted) < 9:
            post = (
                Post.objects.filter(topic=topic, number=int(quoted), hidden=False)
                .select_related("author")
                .first()
            )
            if post is not None and not post.is_deleted:
                initial["body"] = quote_markdown(str(post.author or _("Utente")), post.body)
        form = ReplyForm(initial=initial)
    if not access.can_reply_to_topic(request.user, topic):
        messages.error(request, _("La discussione è chiusa: non si possono aggiungere risposte."))
        return redirect(topic)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "forum/reply_form.html",
        {
            "board": topic.board,
            "topic": topic,
            "form": form,
            "handle": mention_handle(request.user),
        },
        status=status,
    )


@login_required
def post_edit(request, pk: int):
    post = access.access_post(request.user, pk)
    if not access.can_edit_post(request.user, post):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.post_edit(post=post, user=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Messaggio modificato."))
            return redirect(post)
    return render(
        request,
        "forum/edit_form.html",
        {"board": post.topic.board, "topic": post.topic, "post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def post_history(request, pk: int):
    post = access.access_post(request.user, pk)
    if not access.can_moderate_board(request.user, post.topic.board):
        raise PermissionDenied
    return render(
        request,
        "forum/post_history.html",
        {
            "board": post.topic.board,
            "topic": post.topic,
            "post": post,
            "revisions": post.revisions.select_related("edited_by"),
        },
    )


# --- Following, notifications -----------------------------------------------------------


@login_required
@require_POST
def topic_follow(request, pk: int):
    topic = access.access_topic(request.user, pk)
    follow = request.POST.get("segui") == "1"
    services.topic_follow(topic=topic, user=request.user, follow=follow)
    messages.success(
        request,
        _("Segui la discussione: riceverai le nuove risposte.")
        if follow
        else _("Non segui più la discussione."),
    )
    return redirect(topic)


@login_required
@require_POST
def board_follow(request, slug: str):
    board = access.access_board(request.user, slug)
    follow = request.POST.get("segui") == "1"
    services.board_follow(board=board, user=request.user, follow=follow)
    messages.success(
        request,
        _("Segui la bacheca: riceverai le nuove discussioni.")
        if follow
        else _("Non segui più la bacheca."),
    )
    return redirect(board)


@login_required
@require_POST
def board_mark_read(request, slug: str):
    board = access.access_board(request.user, slug)
    services.board_mark_read(board=board, user=request.user)
    messages.success(request, _("Tutte le discussioni della bacheca sono segnate come lette."))
    return redirect(board)


@login_required
def notifications(request):
    if request.method == "POST":
        if "email_mode" in request.POST:
            form = PreferenceForm(request.POST)
            if form.is_valid():
                services.preference_set(
                    user=request.user, email_mode=form.cleaned_data["email_mode"]
                )
                messages.success(request, _("Preferenze salvate."))
            else:
                messages.error(request, _("Scelta non valida."))
        else:
            count = services.notifications_mark_read(user=request.user)
            messages.success(request, _("%(n)d notifiche segnate come lette.") % {"n": count})
        return redirect("boards:notifications")
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("pagina")
    )
    preference = services.preference_for(request.user)
    # Listed notifications are asked about again: access may have changed since.
    items = [n for n in page.object_list if access.can_view_post(request.user, n.post)]
    return render(
        request,
        "forum/notifications.html",
        {
            "page_obj": page,
            "items": items,
            "form": PreferenceForm(initial={"email_mode": preference.email_mode}),
            "following": request.user.forum_subscriptions.select_related(
                "topic__board__area__ente", "board__area__ente"
            ).order_by("-created_at")[:100],
        },
    )


@login_required
@require_POST
def notification_open(request, pk: int):
    notification = request.user.forum_notifications.filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.notifications_mark_read(user=request.user, ids=[notification.pk])
    return redirect("boards:post", pk=notification.post_id)


@csrf_exempt
def unsubscribe(request, token: str):
    """The email's link. GET only asks (mail scanners open links); POST unsubscribes,
    including the RFC 8058 one-click POST a mail client sends without a session."""
    decoded = read_unsubscribe_token(token)
    if decoded is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    user_id, topic_id = decoded
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "forum/unsubscribe.html", {"invalid": True}, status=400)
    topic = None
    from .models import Topic

    candidate = Topic.objects.select_related("board__area__ente").filter(pk=topic_id).first()
    if candidate is not None and access.can_view_topic(user, candidate):
        topic = candidate
    if request.method == "POST":
        services.topic_unsubscribe(user=user, topic_id=topic_id)
        return render(request, "forum/unsubscribe.html", {"done": True, "topic": topic})
    return render(request, "forum/unsubscribe.html", {"topic": topic, "token": token})


# --- Expert answers, reports, moderation ------------------------------------------------


@login_required
@require_POST
def post_recommend(request, pk: int):
    post = access.access_post(request.user, pk)
    recommended = request.POST.get("consigliata") == "1"
    try:
        services.post_recommend(post=post, user=request.user, recommended=recommended)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("Risposta segnata come consigliata dall'esperto.")
            if recommended
            else _("La risposta non è più segnata come consigliata."),
        )
    return redirect(post)


@login_required
def post_report(request, pk: int):
    post = access.access_post(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(post=post, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Segnalazione inviata ai moderatori. Grazie."))
            return redirect(post)
    return render(
        request,
        "forum/report_form.html",
        {"board": post.topic.board, "topic": post.topic, "post": post, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def topic_moderate(request, pk: int):
    topic = access.access_topic(request.user, pk)
    if not access.can_moderate_board(request.user, topic.board):
        raise PermissionDenied
    action = request.POST.get("azione", "")
    try:
        if action == ModerationAction.DELETE_TOPIC:
            board = topic.board
            services.topic_delete(topic=topic, user=request.user)
            messages.success(request, _("Discussione eliminata."))
            return redirect(board)
        if action == ModerationAction.MOVE:
            boards = selectors.moderated_boards(request.user)
            form = MoveForm(request.POST, boards=boards)
            if not form.is_valid():
                raise ValidationError(_("Scegli una bacheca che moderi."))
            target = next(b for b in boards if b.slug == form.cleaned_data["board"])
            services.topic_move(topic=topic, user=request.user, target=target)
            messages.success(request, _("Discussione spostata in «%(b)s».") % {"b": target})
            return redirect(topic)
        services.topic_moderate(topic=topic, user=request.user, action=action)
        messages.success(
            request, _("Fatto: discussione %(a)s.") % {"a": ModerationAction(action).label}
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect(topic)


@login_required
@require_POST
def post_moderate(request, pk: int):
    post = access.access_post(request.user, pk)
    if not access.can_moderate_board(request.user, post.topic.board):
        raise PermissionDenied
    action = request.POST.get("azione", "")
    try:
        services.post_moderate(
            post=post, user=request.user, action=action, reason=request.POST.get("motivo", "")
        )
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Fatto: %(a)s.") % {"a": ModerationAction(action).label})
    return redirect(post)


@login_required
@require_POST
def topic_promote(request, pk: int):
    topic = access.access_topic(request.user, pk)
    if not access.can_promote_topic(request.user, topic.board):
        raise PermissionDenied
    form = PromoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.topic_promote(topic=topic, user=request.user, note=note)
    messages.success(
        request, _("Discussione proposta alla redazione per la biblioteca metodologica.")
    )
    return redirect(topic)


@login_required
def library_proposals(request):
    """What editors proposed for the methodology library, each linking back."""
    scope = access.scope_for(request.user)
    if not (scope.staff or scope.editor):
        raise PermissionDenied
    proposals = Paginator(
        LibraryProposal.objects.select_related("topic__board", "proposed_by").order_by(
            "-created_at"
        ),
        30,
    ).get_page(request.GET.get("pagina"))
    return render(request, "forum/library_proposals.html", {"page_obj": proposals})


@login_required
def moderation(request):
    boards = selectors.moderated_boards(request.user)
    if not boards:
        raise PermissionDenied
    reports = Paginator(selectors.open_reports(request.user), 30).get_page(
        request.GET.get("pagina")
    )
    log = (
        ModerationLog.objects.filter(board__in=boards)
        .select_related("actor", "board", "topic", "post")
        .order_by("-created_at", "-id")[:100]
    )
    return render(
        request,
        "forum/moderation.html",
        {"reports": reports, "log": log, "boards": boards},
    )


@login_required
@require_POST
def report_resolve(request, pk: int):
    report = Report.objects.select_related("post__topic__board__area__ente").filter(pk=pk).first()
    if report is None or not access.can_moderate_board(request.user, report.post.topic.board):
        raise PermissionDenied
    services.report_resolve(report=report, user=request.user, note=request.POST.get("nota", ""))
    messages.success(request, _("Segnalazione chiusa."))
    return redirect("boards:moderation")


# --- Attachments and search -------------------------------------------------------------


def attachment(request, pk: int, name: str):
    try:
        item = access.access_attachment(request.user, pk)
    except PermissionDenied:
        return _deny(request)
    if name != item.name:
        raise Http404
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=item.name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def search(request):
    form = SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        results = selectors.search_posts(
            request.user, form.cleaned_data["q"], expert_only=form.cleaned_data["esperto"]
        )
        page = Paginator(results, 20).get_page(request.GET.get("pagina"))
    return render(request, "forum/search.html", {"form": form, "page_obj": page})
