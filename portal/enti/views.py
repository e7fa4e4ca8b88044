from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import access

from . import selectors, services
from .forms import MembershipDecisionForm, MembershipRequestForm


@login_required
def membership_request(request):
    if not request.user.profile_complete:
        messages.info(request, _("Completa il profilo prima di chiedere di aderire a un ente."))
        return redirect("accounts:profile")
    form = MembershipRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_request(
                user=request.user,
                ente=form.cleaned_data["ente"],
                motivation=form.cleaned_data["motivation"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Richiesta inviata: riceverai un'email quando il referente avrà deciso."),
            )
            return redirect("accounts:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "enti/membership_request.html", {"form": form}, status=status)


@login_required
def membership_requests(request):
    if access.manageable_ente_ids(request.user) == frozenset():
        raise PermissionDenied
    return render(
        request,
        "enti/membership_requests.html",
        {
            "pending": selectors.pending_requests_for(request.user),
            "members": selectors.members_managed_by(request.user),
        },
    )


@login_required
@require_POST
def membership_decide(request, membership_id: int):
    form = MembershipDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Decisione non valida: nessuna modifica salvata."))
        return redirect("enti:membership_requests")
    try:
        membership = services.membership_decide(
            membership_id=membership_id,
            decided_by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Richiesta di %(user)s: %(state)s.")
            % {"user": membership.user, "state": membership.get_state_display().lower()},
        )
    return redirect("enti:membership_requests")


@login_required
@require_POST
def membership_revoke(request, membership_id: int):
    try:
        membership = services.membership_revoke(
            membership_id=membership_id,
            revoked_by=request.user,
            note=request.POST.get("note", "")[:500],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Adesione di %(user)s revocata.") % {"user": membership.user})
    return redirect("enti:membership_requests")
