"""The baseline view of the registration-rush benchmark: the least a correct
registration view can do in this portal. Logged-in POST only (the same middleware:
session, CSRF, authentication); one transaction with one conditional UPDATE on the
session's seat counter and one INSERT of the registration, unique per person, a
duplicate rolling the whole transaction back (the seat with it). No body cap, no
waitlist order beyond the INSERT, no notice, no email task, no page lookup.

This module is also the URLconf of `tests.bench.webinar_settings`: the baseline view's
URL, then the portal's.
"""

from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.urls import urlpatterns as portal_urlpatterns
from webinar.models import Registration, RegistrationStatus, SessionSeats


@login_required
@require_POST
def register(request, session_id):
    now = timezone.now()
    try:
        with transaction.atomic():
            confirmed = bool(
                SessionSeats.objects.filter(session_id=session_id, taken__lt=F("capacity")).update(
                    taken=F("taken") + 1
                )
            )
            Registration.objects.create(
                session_id=session_id,
                user=request.user,
                status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED,
                requested_at=now,
                confirmed_at=now if confirmed else None,
                holds_seat=confirmed,
            )
    except IntegrityError:
        pass  # already registered: nothing changed
    return HttpResponseRedirect(f"/webinar/{session_id}/")


urlpatterns = [
    path("__baseline__/iscrizione/<int:session_id>/", register),
    *portal_urlpatterns,
]
