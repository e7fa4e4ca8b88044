"""Thin views: they read the request, ask the policy and call services or selectors."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from forum.chat.views import room_context as chat_room_context
from portal import access, pagecache
from portal.spreadsheets import safe_cell

from . import ics, selectors, services
from .forms import MaterialShareForm, QuestionForm, SatisfactionForm
from .models import Registration, WebinarSessionPage


def _public_session(session_id) -> WebinarSessionPage:
    session = access.public_pages(WebinarSessionPage.objects.live()).filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def _public_session_for_registration(session_id) -> WebinarSessionPage:
    """The same page, kept in the cache per content generation (a publish, move,
    deletion or new restriction replaces it; a registration does not): in a
    registration rush reading the page was a third of each request's work. Used by
    registering and cancelling only: editors change a session by publishing it, and a
    change made with a bare queryset update is seen within the cache lifetime."""
    key = f"paq-webinar-session:{pagecache.content_generation()}:{int(session_id)}"
    session = cache.get(key)
    if session is None:
        session = _public_session(session_id)
        cache.set(key, session, pagecache.LIFETIME_SECONDS)
    return session


def _back(request, session, fallback=None):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(fallback or session.url)


def _first_error(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Programme feeds -------------------------------------------------------------------


@require_GET
def programme_ics(request):
    sessions = selectors.public_sessions().order_by("starts_at")
    response = HttpResponse(ics.programme_calendar(sessions), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="webinar-paq.ics"'
    return response


@require_GET
def session_ics(request, session_id):
    session = _public_session(session_id)
    response = HttpResponse(ics.session_calendar(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{slugify(session.title)[:60]}.ics"'
    return response


# --- Registration ----------------------------------------------------------------------


@login_required
@require_POST
def register(request, session_id):
    session = _public_session_for_registration(session_id)
    try:
        registration, changed = services.register(session, request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
        return _back(request, session)
    if not changed:
        messages.info(request, "Eri già iscritto/a a questo webinar: nulla è cambiato.")
    elif registration.holds_seat:
        messages.success(
            request,
            "Iscrizione confermata. Ti abbiamo inviato una email con l'evento da aggiungere "
            "al calendario.",
        )
    else:
        messages.warning(
            request,
            "Il webinar è al completo: sei in lista d'attesa. Se si libera un posto ti "
            "iscriviamo automaticamente e ti avvisiamo per email.",
        )
    return _back(request, session)


@login_required
@require_POST
def cancel(request, session_id):
    session = _public_session_for_registration(session_id)
    registration = Registration.objects.filter(session=session, user=request.user).first()
    if registration is None or not services.cancel(registration):
        messages.info(request, "Non risultavi iscritto/a: nulla è cambiato.")
    else:
        messages.success(request, "La tua iscrizione è stata annullata.")
    return _back(request, session)


@login_required
def my_webinars(request):
    registrations = list(selectors.my_registrations(request.user))
    now = timezone.now()
    return render(
        request,
        "webinar/my_webinars.html",
        {
            "upcoming": [r for r in registrations if not r.session.is_past(now)],
            "past": [r for r in registrations if r.session.is_past(now)],
        },
    )


# --- Live session ----------------------------------------------------------------------


def _live_session(request, session_id) -> WebinarSessionPage:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return access.access_live_session(request.user, session_id)


@login_required
def live(request, session_id):
    session = _live_session(request, session_id)
    leads = access.can_lead_session(request.user, session)
    return render(
        request,
        "webinar/live.html",
        {
            "session": session,
            "page": session,
            "state": selectors.live_state(session),
            # Own ids: the chat panel on the same page has a "body" field of its own, and
            # two id_body would tie the question's label to the chat's textarea.
            "question_form": QuestionForm(auto_id="question_%s"),
            "material_form": (
                MaterialShareForm(
                    documents=selectors.shareable_documents(session), auto_id="material_%s"
                )
                if leads
                else None
            ),
            "leads": leads,
            "is_live": session.is_live(),
            "is_past": session.is_past(),
            **(chat_room_context(request, session.chat_room) if session.chat_room else {}),
        },
    )


@login_required
@require_GET
def live_state(request, session_id):
    session = _live_session(request, session_id)
    return JsonResponse({"type": "state", **selectors.live_state(session)})


def _live_action(request, session, action, success: str):
    try:
        action()
    except ValidationError as error:
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": _first_error(error)}, status=400)
        messages.error(request, _first_error(error))
    else:
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"ok": True})
        messages.success(request, success)
    return redirect("webinar:live", session_id=session.pk)


@login_required
@require_POST
def ask(request, session_id):
    session = _live_session(request, session_id)
    form = QuestionForm(request.POST)
    if not form.is_valid():
        message = " ".join(form.errors["body"])
        if request.headers.get("Accept") == "application/json":
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
        return redirect("webinar:live", session_id=session.pk)
    return _live_action(
        request,
        session,
        lambda: services.question_ask(session, request.user, form.cleaned_data["body"]),
        "Domanda inviata ai relatori.",
    )


@login_required
@require_POST
def vote(request, session_id, question_id):
    session = _live_session(request, session_id)
    return _live_action(
        request,
        session,
        lambda: services.question_vote(session, request.user, question_id),
        "Voto registrato.",
    )


@login_required
@require_POST
def answered(request, session_id, question_id):
    session = _live_session(request, session_id)
    value = request.POST.get("answered", "1") == "1"
    return _live_action(
        request,
        session,
        lambda: services.question_mark_answered(session, request.user, question_id, value),
        "Domanda aggiornata.",
    )


@login_required
@require_POST
def hide(request, session_id, question_id):
    session = _live_session(request, session_id)
    return _live_action(
        request,
        session,
        lambda: services.question_hide(session, request.user, question_id),
        "Domanda nascosta.",
    )


@login_required
@require_POST
def share(request, session_id):
    session = _live_session(request, session_id)
    if not access.can_lead_session(request.user, session):
        raise PermissionDenied
    form = MaterialShareForm(request.POST, documents=selectors.shareable_documents(session))
    if not form.is_valid():
        message = " ".join(error for errors in form.errors.values() for error in errors)
        messages.error(request, message)
        return redirect("webinar:live", session_id=session.pk)
    return _live_action(
        request,
        session,
        lambda: services.material_share(session, request.user, **form.cleaned_data),
        "Materiale mostrato a tutti i partecipanti.",
    )


@login_required
@require_POST
def questions_to_forum(request, session_id):
    session = _live_session(request, session_id)
    try:
        moved = services.open_questions_to_forum(session, request.user)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        if moved:
            messages.success(
                request, f"{moved} domande senza risposta sono ora discussioni nel forum."
            )
        else:
            messages.info(request, "Non ci sono domande senza risposta da portare nel forum.")
    return redirect("webinar:live", session_id=session.pk)


# --- After the session -----------------------------------------------------------------


@login_required
def questionnaire(request, session_id):
    session = _public_session(session_id)
    if not selectors.may_answer_questionnaire(session, request.user):
        raise PermissionDenied
    already = session.satisfaction.filter(user=request.user).exists()
    form = SatisfactionForm(request.POST or None)
    if request.method == "POST" and not already and form.is_valid():
        try:
            services.questionnaire_submit(session, request.user, form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _first_error(error))
        else:
            messages.success(request, "Grazie: il questionario è stato registrato.")
        return redirect(session.url)
    return render(
        request,
        "webinar/questionnaire.html",
        {"session": session, "page": session, "form": form, "already": already},
    )


@login_required
@require_GET
def certificate(request, session_id):
    from .certificates import certificate_pdf

    session = _public_session(session_id)
    facts = selectors.certificate_for(session, request.user)
    if facts is None:
        raise PermissionDenied
    response = HttpResponse(
        certificate_pdf(session, request.user, facts), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="attestato-{slugify(session.title)[:50]}.pdf"'
    )
    return response


# --- Organisers ------------------------------------------------------------------------


def _report_session(request, session_id):
    if not access.can_view_webinar_report(request.user):
        raise PermissionDenied
    session = WebinarSessionPage.objects.filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


@login_required
def report(request, session_id):
    session = _report_session(request, session_id)
    return render(
        request,
        "webinar/report.html",
        {
            "session": session,
            "page": session,
            "report": selectors.session_report(session, request.user),
            "is_past": session.is_past(),
        },
    )


@login_required
@require_GET
def report_export(request, session_id, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    session = _report_session(request, session_id)
    table = selectors.report_table(selectors.session_report(session, request.user))
    filename = f"iscritti-{slugify(session.title)[:50]}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(selectors.REPORT_COLUMNS)
        writer.writerows([_spreadsheet_safe(row) for row in table])
        # A BOM so that spreadsheet programs read the accents right.
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Iscritti"
    sheet.append(selectors.REPORT_COLUMNS)
    for row in table:
        sheet.append(_spreadsheet_safe(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _spreadsheet_safe(row):
    return [safe_cell(value) for value in row]


@login_required
@require_POST
def follow_up(request, session_id):
    session = _report_session(request, session_id)
    if not access.scope_for(request.user).staff:
        raise PermissionDenied  # it writes to every registrant, of every region
    try:
        queued = services.send_follow_up(session)
    except ValidationError as error:
        messages.error(request, _first_error(error))
    else:
        messages.success(
            request,
            f"Messaggio di follow-up in invio a {queued} partecipanti"
            if queued
            else "Il follow-up era già stato inviato a tutti: nulla è cambiato.",
        )
    return redirect("webinar:report", session_id=session.pk)
