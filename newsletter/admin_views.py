"""Editors' screens in the Wagtail admin: send panel of an issue, sends and their
progress, editorial calendar, automatic draft, subscriber export. Every view asks the
access policy first; the work is done by services."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal import access
from portal.spreadsheets import safe_cell

from . import selectors, services
from .emails import preview_issue
from .forms import DraftForm, ScheduleForm
from .models import IssueSend, NewsletterIssuePage, Subscriber, SubscriberStatus

# Spreadsheet programs run cells that start with these characters as formulas.


def _require(rule, user) -> None:
    if not rule(user):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def issue_send_panel(request, page_id: int):
    """Preview (HTML and text), test to oneself, schedule or send now."""
    _require(access.can_edit_newsletter, request.user)
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not issue.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    can_send = access.can_send_newsletter(request.user)
    schedule_form = ScheduleForm(request.POST if request.POST.get("azione") == "invia" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("azione")
        try:
            if action == "prova":
                services.issue_send_test(issue=issue, user=request.user)
                messages.success(
                    request,
                    _("Email di prova inviata a %(email)s.") % {"email": request.user.email},
                )
                return redirect("newsletter_admin:issue_send", page_id=issue.pk)
            if action == "invia":
                if not can_send:
                    raise PermissionDenied
                if schedule_form.is_valid():
                    send = services.issue_send_schedule(
                        issue=issue, user=request.user, when=schedule_form.cleaned_data["when"]
                    )
                    messages.success(
                        request,
                        _("Invio avviato.")
                        if send.scheduled_for <= timezone.now()
                        else _("Invio programmato."),
                    )
                    return redirect("newsletter_admin:send_detail", send_id=send.pk)
                status = 400
            else:
                status = 400
                messages.error(request, _("Azione non riconosciuta."))
        except ValidationError as error:
            status = 400
            for message in error.messages:
                messages.error(request, message)
    latest = issue.get_latest_revision_as_object()
    html, text = preview_issue(latest)
    workflow_state = issue.current_workflow_state
    return TemplateResponse(
        request,
        "newsletter/admin/issue_send.html",
        {
            "issue": issue,
            "preview_html": html,
            "preview_text": text,
            "can_send": can_send,
            "schedule_form": schedule_form,
            "workflow_state": workflow_state,
            "sends": issue.sends.order_by("-scheduled_for"),
        },
        status=status,
    )


def sends_index(request):
    _require(access.can_edit_newsletter, request.user)
    return TemplateResponse(
        request,
        "newsletter/admin/sends_index.html",
        {"sends": selectors.sends_with_progress()[:50]},
    )


@require_http_methods(["GET", "POST"])
def send_detail(request, send_id: int):
    _require(access.can_edit_newsletter, request.user)
    send = get_object_or_404(IssueSend.objects.select_related("issue", "created_by"), pk=send_id)
    if request.method == "POST":
        try:
            services.issue_send_cancel(send=send, user=request.user)
            messages.success(request, _("Invio annullato."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return redirect("newsletter_admin:send_detail", send_id=send.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/send_detail.html",
        {
            "send": send,
            "progress": selectors.send_progress(send),
            "failures": selectors.recent_failures(send),
            "can_send": access.can_send_newsletter(request.user),
        },
    )


def calendar(request):
    _require(access.can_edit_newsletter, request.user)
    first = selectors.month_from_param(request.GET.get("da")) or selectors.default_calendar_start()
    return TemplateResponse(
        request,
        "newsletter/admin/calendar.html",
        {
            "months": selectors.editorial_calendar(first, 6),
            "previous": selectors.add_months(first, -6),
            "next": selectors.add_months(first, 6),
            "late_plans": selectors.late_plans(),
            "late_articles": selectors.late_articles(),
            "draft_form": DraftForm(initial={"month": timezone.localdate().replace(day=1)}),
            "webinars_available": _webinars_available(),
        },
    )


def _webinars_available() -> bool:
    from .sources import webinars_available

    return webinars_available()


@require_POST
def draft(request):
    _require(access.can_edit_newsletter, request.user)
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indica il mese della bozza."))
        return redirect("newsletter_admin:calendar")
    try:
        page = services.issue_draft_from_activity(
            month=form.cleaned_data["month"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("newsletter_admin:calendar")
    messages.success(request, _("Bozza creata: completa e invia in revisione."))
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _cell(value) -> str:
    return safe_cell("" if value is None else str(value))


def export_subscribers(request):
    """Active subscribers who gave and confirmed consent, with what was agreed and when."""
    _require(access.can_manage_subscribers, request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="iscritti-newsletter-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(["email", "iscritto il", "consenso dato il", "regioni di interesse"])
    subscribers = (
        Subscriber.objects.filter(
            status=SubscriberStatus.ACTIVE, consent_at__isnull=False, confirmed_at__isnull=False
        )
        .prefetch_related("regions")
        .order_by("email")
    )
    for subscriber in subscribers.iterator(chunk_size=500):
        writer.writerow(
            [
                _cell(subscriber.email),
                timezone.localtime(subscriber.confirmed_at).isoformat(timespec="seconds"),
                timezone.localtime(subscriber.consent_at).isoformat(timespec="seconds"),
                _cell("; ".join(region.name for region in subscriber.regions.all())),
            ]
        )
    return response
