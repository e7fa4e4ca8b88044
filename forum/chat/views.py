import csv
import re
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import access

from . import selectors, services
from .events import message_payload
from .forms import MessageForm, RetentionForm, SearchForm

MAX_SEQ = 2**63 - 1


@login_required
def room_list(request):
    rooms = selectors.rooms_for(request.user).order_by("kind", "title")
    return render(request, "chat/room_list.html", {"rooms": rooms})


@login_required
def project_room(request):
    return redirect("chat:room", room_id=services.project_room().pk)


@login_required
def area_room(request, area_id: int):
    area = access.access_area(request.user, area_id)
    return redirect("chat:room", room_id=services.room_for_area(area).pk)


@login_required
def room(request, room_id: int):
    chat_room = access.access_chat_room(request.user, room_id)
    return render(request, "chat/room.html", room_context(request, chat_room))


def room_context(request, chat_room) -> dict:
    """What the chat panel needs (templates/chat/_panel.html and _config.html); the
    live webinar page embeds the same panel."""
    history, more = selectors.messages_before(chat_room.pk, None)
    return {
        "room": chat_room,
        "history": history,
        "first_seq": history[0].seq if history else None,
        "more": more,
        "last_seq": history[-1].seq if history else 0,
        "online": selectors.online_users(chat_room.pk),
        "form": MessageForm(initial={"client_id": uuid.uuid4().hex}),
        "moderator": access.can_moderate_chat_room(request.user, chat_room),
        "retention_form": RetentionForm(initial={"days": chat_room.retention_days}),
        "search_form": SearchForm(),
    }


@login_required
@require_POST
def post_message(request, room_id: int):
    """The same send without JavaScript: post, then back to the room."""
    chat_room = access.access_chat_room(request.user, room_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("body", []) or [_("Messaggio non valido.")]:
            messages.error(request, error)
        return redirect("chat:room", room_id=chat_room.pk)
    try:
        services.message_post(
            room=chat_room,
            user=request.user,
            body=form.cleaned_data["body"],
            client_id=form.cleaned_data["client_id"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{chat_room_url(chat_room)}#messaggi-fine")


def chat_room_url(chat_room) -> str:
    from django.urls import reverse

    return reverse("chat:room", kwargs={"room_id": chat_room.pk})


@login_required
@require_GET
def history(request, room_id: int):
    """Older messages, page by page, as JSON (the client scrolls back with this)."""
    chat_room = access.access_chat_room(request.user, room_id)
    before = request.GET.get("prima")
    if before is not None and not re.fullmatch(r"[0-9]{1,40}", before):
        return JsonResponse({"error": _("Parametro 'prima' non valido.")}, status=400)
    cursor = min(int(before), MAX_SEQ) if before else None
    page, more = selectors.messages_before(chat_room.pk, cursor)
    return JsonResponse({"messages": [message_payload(m) for m in page], "more": more})


@login_required
@require_GET
def search(request, room_id: int):
    chat_room = access.access_chat_room(request.user, room_id)
    form = SearchForm(request.GET)
    results = (
        selectors.messages_matching(chat_room.pk, form.cleaned_data["q"])
        if (form.is_valid())
        else []
    )
    return render(
        request, "chat/search.html", {"room": chat_room, "form": form, "results": results}
    )


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def transcript(request, room_id: int):
    """The room's record (e.g. a webinar's chat) as CSV, for moderators."""
    chat_room = access.access_chat_room(request.user, room_id)
    if not access.can_moderate_chat_room(request.user, chat_room):
        raise PermissionDenied
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(
            ["numero", "data e ora", "autore", "testo", "modificato", "eliminato"]
        )
        messages_qs = (
            chat_room.messages.select_related("author").order_by("seq").iterator(chunk_size=500)
        )
        for message in messages_qs:
            yield writer.writerow(
                [
                    message.seq,
                    timezone.localtime(message.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                    _neutralise_formula(str(message.author)) if message.author else "",
                    _neutralise_formula(message.body),
                    "sì" if message.edited_at else "",
                    "sì" if message.deleted_at else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chat-{chat_room.pk}.csv"'
    return response


def _neutralise_formula(text: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
@require_POST
def retention(request, room_id: int):
    chat_room = access.access_chat_room(request.user, room_id)
    if not access.can_moderate_chat_room(request.user, chat_room):
        raise Http404
    form = RetentionForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("days", []):
            messages.error(request, error)
        return redirect("chat:room", room_id=chat_room.pk)
    services.retention_set(room=chat_room, user=request.user, days=form.cleaned_data["days"])
    messages.success(request, _("Regola di conservazione aggiornata."))
    return redirect("chat:room", room_id=chat_room.pk)
