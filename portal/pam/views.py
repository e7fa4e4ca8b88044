"""PAM pages: thin views. Each asks `portal.access` first, then calls one service or
selector. Unknown and forbidden ids both end in PermissionDenied (403)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import access

from . import charts, exports, selectors, services
from .forms import (
    AssessmentForm,
    DocumentForm,
    IndicatorForm,
    MeasurementForm,
    MilestoneForm,
    PlanForm,
    PracticeForm,
    ReportForm,
    ResourceForm,
    ReviewForm,
)
from .models import (
    ActionResource,
    AssessmentQuestion,
    CycleDocument,
    ExpertReview,
    GoodPracticeProposal,
    ImprovementPlan,
    Indicator,
    Measurement,
    Milestone,
    MonitoringReport,
    SelfAssessment,
)

BOARD_PAGE_SIZE = 50


def _posted(request):
    """The submitted data, even when empty (an empty form is bad input, not a GET)."""
    return request.POST if request.method == "POST" else None


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _form_errors_to_messages(request, error: ValidationError, form) -> None:
    """A rule checked by a service after the form: show it on the form, save nothing."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _render_form(request, *, form, title, back_url, ente, plan=None, intro="", multipart=False):
    return render(
        request,
        "pam/form.html",
        {
            "form": form,
            "title": title,
            "back_url": back_url,
            "ente": ente,
            "plan": plan,
            "intro": intro,
            "multipart": multipart,
        },
        status=400 if form.is_bound else 200,
    )


# --- boards --------------------------------------------------------------------------------


@login_required
@require_GET
def board(request):
    _require(access.sees_any_pam(request.user))
    scope = access.scope_for(request.user)
    bodies = Paginator(selectors.board_bodies(request.user), BOARD_PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "pam/board.html",
        {
            "bodies": bodies,
            "lists": selectors.board_lists(request.user),
            "summary": selectors.project_summary(request.user),
            "is_staff": scope.staff,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def ente_home(request, ente_id: int):
    ente = access.access_pam_ente(request.user, ente_id)
    overview = selectors.ente_overview(ente)
    assessment = overview["assessment"]
    year = timezone.localdate().year
    return render(
        request,
        "pam/ente.html",
        {
            "ente": ente,
            "overview": overview,
            "profile": charts.profile(
                assessment.scores, overview["previous"].scores if overview["previous"] else None
            )
            if assessment
            else None,
            "can_edit": access.can_edit_pam(request.user, ente),
            "year": year,
            "documents": list(
                CycleDocument.objects.filter(ente=ente, year=year).order_by("due_date", "kind")
            ),
            "today": timezone.localdate(),
        },
    )


# --- self-diagnosis ---------------------------------------------------------------------------


@login_required
def assessment_new(request, ente_id: int):
    ente = access.access_pam_ente(request.user, ente_id)
    _require(access.can_edit_pam(request.user, ente))
    questions = list(AssessmentQuestion.objects.active())
    form = AssessmentForm(_posted(request), questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_complete(
                ente=ente, user=request.user, answers=form.answers()
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Autodiagnosi registrata."))
            return redirect("pam:assessment", assessment_id=assessment.pk)
    return render(
        request,
        "pam/assessment_form.html",
        {"ente": ente, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def assessment_detail(request, assessment_id: int):
    assessment = access.access_pam_assessment(request.user, assessment_id)
    detail = selectors.assessment_detail(assessment)
    previous = detail["previous"]
    return render(
        request,
        "pam/assessment.html",
        {
            "ente": assessment.ente,
            "assessment": assessment,
            "detail": detail,
            "profile": charts.profile(assessment.scores, previous.scores if previous else None),
            "can_edit": access.can_edit_pam(request.user, assessment.ente),
        },
    )


# --- plans ------------------------------------------------------------------------------------


@login_required
def plan_new(request, ente_id: int):
    ente = access.access_pam_ente(request.user, ente_id)
    _require(access.can_edit_pam(request.user, ente))
    plan = ImprovementPlan(ente=ente)
    initial = {}
    gap = request.GET.get("lacuna", "")
    if gap.isdigit():
        question = AssessmentQuestion.objects.filter(pk=gap).first()
        if question is not None:
            initial = {"source_question": question.pk, "phase": question.phase}
    form = PlanForm(_posted(request), instance=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        plan.source_assessment = (
            SelfAssessment.objects.filter(ente=ente).order_by("-completed_at").first()
            if plan.source_question_id
            else None
        )
        try:
            services.plan_create(plan=plan, user=request.user)
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, _("Piano creato. Aggiungi azioni e indicatori."))
            return redirect("pam:plan", plan_id=plan.pk)
    return _render_form(
        request,
        form=form,
        title=_("Nuovo piano di miglioramento"),
        back_url=reverse("pam:ente", args=[ente.pk]),
        ente=ente,
    )


@login_required
@require_GET
def plan_detail(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    detail = selectors.plan_detail(plan, request.user)
    today = timezone.localdate()
    for indicator in detail["indicators"]:
        indicator.chart = charts.trend(indicator, plan)
    return render(
        request,
        "pam/plan.html",
        {
            "plan": plan,
            "ente": plan.ente,
            "detail": detail,
            "timeline": charts.timeline(plan, detail["milestones"], today),
            "can_edit": access.can_edit_pam(request.user, plan.ente),
            "can_review": access.can_review_pam(request.user, plan.ente),
            "can_manage": access.can_manage_pam(request.user, plan.ente),
            "review_form": ReviewForm(plan=plan),
            "today": today,
        },
    )


@login_required
def plan_edit(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    _require(access.can_edit_pam(request.user, plan.ente))
    before = services.snapshot(plan, services.PLAN_FIELDS)
    form = PlanForm(_posted(request), instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, before=before, user=request.user)
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, _("Piano aggiornato."))
            return redirect("pam:plan", plan_id=plan.pk)
    return _render_form(
        request,
        form=form,
        title=_("Modifica il piano"),
        back_url=reverse("pam:plan", args=[plan.pk]),
        ente=plan.ente,
        plan=plan,
    )


@login_required
@require_GET
def plan_history(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    entries = Paginator(selectors.plan_history(plan), 50).get_page(request.GET.get("pagina"))
    return render(
        request, "pam/history.html", {"plan": plan, "ente": plan.ente, "entries": entries}
    )


@login_required
@require_GET
def plan_pdf(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    detail = selectors.plan_detail(plan)
    response = exports.plan_pdf_response(plan, detail)
    return response


# --- milestones, indicators, measurements, reports, reviews -------------------------------


def _child_form(request, *, plan, form, service, title, success, **service_kwargs):
    if request.method == "POST" and form.is_valid():
        try:
            service(user=request.user, **service_kwargs)
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, success)
            return redirect("pam:plan", plan_id=plan.pk)
    return _render_form(
        request,
        form=form,
        title=title,
        back_url=reverse("pam:plan", args=[plan.pk]),
        ente=plan.ente,
        plan=plan,
    )


@login_required
def milestone_new(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    _require(access.can_edit_pam(request.user, plan.ente))
    milestone = Milestone(plan=plan)
    form = MilestoneForm(_posted(request), instance=milestone)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.milestone_save,
        milestone=milestone,
        before=None,
        title=_("Nuova azione"),
        success=_("Azione aggiunta."),
    )


@login_required
def milestone_edit(request, milestone_id: int):
    milestone = access.access_pam_milestone(request.user, milestone_id)
    plan = milestone.plan
    _require(access.can_edit_pam(request.user, plan.ente))
    before = services.snapshot(milestone, services.MILESTONE_FIELDS)
    form = MilestoneForm(_posted(request), instance=milestone)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.milestone_save,
        milestone=milestone,
        before=before,
        title=_("Aggiorna l'azione «%(title)s»") % {"title": milestone.title},
        success=_("Azione aggiornata."),
    )


@login_required
def indicator_new(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    _require(access.can_edit_pam(request.user, plan.ente))
    indicator = Indicator(plan=plan)
    form = IndicatorForm(_posted(request), instance=indicator)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.indicator_save,
        indicator=indicator,
        before=None,
        title=_("Nuovo indicatore"),
        success=_("Indicatore aggiunto."),
    )


@login_required
def indicator_edit(request, indicator_id: int):
    indicator = access.access_pam_indicator(request.user, indicator_id)
    plan = indicator.plan
    _require(access.can_edit_pam(request.user, plan.ente))
    before = services.snapshot(indicator, services.INDICATOR_FIELDS)
    form = IndicatorForm(_posted(request), instance=indicator)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.indicator_save,
        indicator=indicator,
        before=before,
        title=_("Modifica l'indicatore «%(name)s»") % {"name": indicator.name},
        success=_("Indicatore aggiornato."),
    )


@login_required
def measurement_new(request, indicator_id: int):
    indicator = access.access_pam_indicator(request.user, indicator_id)
    plan = indicator.plan
    _require(access.can_edit_pam(request.user, plan.ente))
    measurement = Measurement(indicator=indicator)
    form = MeasurementForm(_posted(request), instance=measurement)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.measurement_record,
        measurement=measurement,
        title=_("Nuova misurazione di «%(name)s» (%(unit)s)")
        % {"name": indicator.name, "unit": indicator.get_unit_display()},
        success=_("Misurazione registrata."),
    )


@login_required
def report_new(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    _require(access.can_edit_pam(request.user, plan.ente))
    report = MonitoringReport(plan=plan)
    today = timezone.localdate()
    initial = {}
    if datetime.date(today.year, 6, 30) <= today and plan.contains(
        datetime.date(today.year, 6, 30)
    ):
        initial = {"checkpoint": "30_giugno", "reference_date": datetime.date(today.year, 6, 30)}
    form = ReportForm(_posted(request), instance=report, initial=initial)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.report_create,
        report=report,
        title=_("Nuovo report di monitoraggio"),
        success=_("Report di monitoraggio registrato."),
    )


@login_required
def review_new(request, plan_id: int):
    plan = access.access_pam_plan(request.user, plan_id)
    _require(access.can_review_pam(request.user, plan.ente))
    review = ExpertReview(plan=plan)
    form = ReviewForm(_posted(request), instance=review, plan=plan)
    return _child_form(
        request,
        plan=plan,
        form=form,
        service=services.review_create,
        review=review,
        title=_("Commento dell'esperto"),
        success=_("Commento pubblicato."),
    )


# --- CGP calendar -----------------------------------------------------------------------------


@login_required
@require_GET
def calendar(request, ente_id: int, year: int):
    ente = access.access_pam_ente(request.user, ente_id)
    if not 2000 <= year <= 2100:
        raise Http404
    documents = list(
        CycleDocument.objects.filter(ente=ente, year=year)
        .select_related("updated_by")
        .order_by("due_date", "kind")
    )
    return render(
        request,
        "pam/calendar.html",
        {
            "ente": ente,
            "year": year,
            "documents": documents,
            "can_manage": access.can_manage_pam(request.user, ente),
            "history": list(selectors.document_history(ente, year)[:20]),
            "today": timezone.localdate(),
        },
    )


@login_required
def calendar_create(request, ente_id: int, year: int):
    ente = access.access_pam_ente(request.user, ente_id)
    _require(access.can_manage_pam(request.user, ente) and request.method == "POST")
    current = timezone.localdate().year
    if year not in (current - 1, current, current + 1):
        messages.error(
            request,
            _(
                "Si può preparare il calendario solo dell'anno in corso, "
                "del precedente o del successivo."
            ),
        )
    else:
        created = services.calendar_ensure(ente=ente, year=year)
        messages.success(
            request, _("Calendario preparato: %(n)s scadenze aggiunte.") % {"n": created}
        )
    return redirect("pam:calendar", ente_id=ente.pk, year=year)


@login_required
def document_edit(request, document_id: int):
    document = access.access_pam_document(request.user, document_id)
    _require(access.can_manage_pam(request.user, document.ente))
    before = services.snapshot(document, services.DOCUMENT_FIELDS)
    form = DocumentForm(_posted(request), request.FILES or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=document,
                before=before,
                user=request.user,
                new_file=form.cleaned_data.get("upload"),
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, _("Documento aggiornato."))
            return redirect("pam:calendar", ente_id=document.ente_id, year=document.year)
    return _render_form(
        request,
        form=form,
        title=str(document),
        back_url=reverse("pam:calendar", args=[document.ente_id, document.year]),
        ente=document.ente,
        multipart=True,
    )


@login_required
@require_GET
def document_file(request, document_id: int):
    document = access.access_pam_document(request.user, document_id)
    if not document.file:
        raise Http404
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- exports ---------------------------------------------------------------------------------


@login_required
@require_GET
def export_csv(request):
    _require(access.sees_any_pam(request.user))
    return exports.plans_csv_response(selectors.export_plan_rows(request.user))


@login_required
@require_GET
def export_xlsx(request):
    _require(access.sees_any_pam(request.user))
    return exports.plans_xlsx_response(
        selectors.export_plan_rows(request.user), selectors.board_bodies(request.user)
    )


# --- what supports an action, good practices -------------------------------------------------


@login_required
def resource_new(request, milestone_id: int):
    milestone = access.access_pam_milestone(request.user, milestone_id)
    plan = milestone.plan
    _require(access.can_edit_pam(request.user, plan.ente))
    form = ResourceForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_add(milestone=milestone, user=request.user, **form.target())
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(request, _("Supporto collegato all'azione."))
            return redirect(f"{reverse('pam:plan', args=[plan.pk])}#azione-{milestone.pk}")
    return _render_form(
        request,
        form=form,
        title=_("Collega un supporto all'azione «%(title)s»") % {"title": milestone.title},
        intro=_(
            "Un webinar seguito, un materiale metodologico o una discussione del forum che "
            "sostiene questa azione. Scegline uno."
        ),
        back_url=reverse("pam:plan", args=[plan.pk]),
        ente=plan.ente,
        plan=plan,
    )


@login_required
@require_POST
def resource_delete(request, resource_id: int):
    if not str(resource_id).isdigit():
        raise PermissionDenied
    resource = (
        ActionResource.objects.select_related("milestone__plan__ente", "page", "topic")
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise PermissionDenied
    plan = access.access_pam_plan(request.user, resource.milestone.plan_id)
    services.resource_remove(resource=resource, user=request.user)
    messages.success(request, _("Supporto scollegato."))
    return redirect("pam:plan", plan_id=plan.pk)


@login_required
def practice_new(request, milestone_id: int):
    milestone = access.access_pam_milestone(request.user, milestone_id)
    plan = milestone.plan
    _require(access.can_edit_pam(request.user, plan.ente))
    form = PracticeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_propose(
                milestone=milestone, user=request.user, summary=form.cleaned_data["summary"]
            )
        except ValidationError as error:
            _form_errors_to_messages(request, error, form)
        else:
            messages.success(
                request,
                _("Proposta registrata: ora serve il consenso del referente dell'ente."),
            )
            return redirect(f"{reverse('pam:plan', args=[plan.pk])}#azione-{milestone.pk}")
    return _render_form(
        request,
        form=form,
        title=_("Proponi «%(title)s» come buona pratica") % {"title": milestone.title},
        intro=_(
            "Con il consenso dell'ente (dato dal referente) e l'approvazione dell'esperto, "
            "l'azione entra tra le buone pratiche del progetto."
        ),
        back_url=reverse("pam:plan", args=[plan.pk]),
        ente=plan.ente,
        plan=plan,
    )


def _access_proposal(user, proposal_id):
    if not str(proposal_id).isdigit():
        raise PermissionDenied
    proposal = (
        GoodPracticeProposal.objects.select_related("milestone__plan__ente")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise PermissionDenied
    access.access_pam_plan(user, proposal.milestone.plan_id)
    return proposal


@login_required
@require_POST
def practice_consent(request, proposal_id: int):
    proposal = _access_proposal(request.user, proposal_id)
    try:
        services.practice_consent(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Consenso dell'ente registrato."))
    return redirect("pam:plan", plan_id=proposal.milestone.plan_id)


@login_required
@require_POST
def practice_decide(request, proposal_id: int):
    proposal = _access_proposal(request.user, proposal_id)
    decision = request.POST.get("decisione")
    if decision not in ("approva", "respingi"):
        messages.error(request, _("Decisione non valida."))
        return redirect("pam:plan", plan_id=proposal.milestone.plan_id)
    try:
        services.practice_decide(
            proposal=proposal,
            user=request.user,
            approve=decision == "approva",
            note=request.POST.get("motivazione", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decisione registrata."))
    return redirect("pam:plan", plan_id=proposal.milestone.plan_id)


@login_required
@require_GET
def practices(request):
    _require(access.sees_any_pam(request.user))
    page = Paginator(selectors.approved_practices(request.user), 30).get_page(
        request.GET.get("pagina")
    )
    return render(request, "pam/practices.html", {"practices": page})
