from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import access
from portal.enti.selectors import memberships_of, pending_requests_for
from portal.pages.selectors import areas_for

from .forms import ProfileForm


@login_required
def dashboard(request):
    can_decide = access.manageable_ente_ids(request.user) != frozenset()
    return render(
        request,
        "accounts/dashboard.html",
        {
            "memberships": memberships_of(request.user),
            "areas": areas_for(request.user),
            "pending_count": pending_requests_for(request.user).count() if can_decide else 0,
            "can_decide": can_decide,
        },
    )


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Profilo aggiornato."))
            return redirect("accounts:dashboard")
        return render(request, "accounts/profile.html", {"form": form}, status=400)
    return render(request, "accounts/profile.html", {"form": form})
