"""Writes about bodies and memberships. Views call these; they never touch rows directly."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access
from portal.mail import absolute_url, queue_templated_email

from .models import Ente, Membership, MembershipRole, MembershipState


def membership_request(*, user, ente: Ente, motivation: str = "") -> Membership:
    """Ask to join a body. One open or approved membership per person and body."""
    if Membership.objects.filter(
        user=user, ente=ente, state__in=[MembershipState.REQUESTED, MembershipState.APPROVED]
    ).exists():
        raise ValidationError(_("Hai già una richiesta in corso o fai già parte di questo ente."))
    membership = Membership(user=user, ente=ente, motivation=motivation.strip())
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as exc:  # a double submit raced the check above
        raise ValidationError(
            _("Hai già una richiesta in corso o fai già parte di questo ente.")
        ) from exc
    deciders = _deciders_of(ente)
    if deciders:
        queue_templated_email(
            template="enti/email/membership_requested",
            to=deciders,
            context={
                "membership": membership,
                "decide_url": absolute_url(reverse("enti:membership_requests")),
            },
        )
    return membership


def _deciders_of(ente: Ente) -> list[str]:
    referents = list(
        Membership.objects.approved()
        .filter(ente=ente, role=MembershipRole.REFERENTE, user__is_active=True)
        .values_list("user__email", flat=True)
    )
    if referents:
        return referents
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name=access.STAFF_GROUP, is_active=True)
        .values_list("email", flat=True)
    )


def membership_decide(
    *, membership_id: int, decided_by, approve: bool, note: str = ""
) -> Membership:
    """Approve or reject a pending request; only the body's referent or staff may."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("ente", "user")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or not access.can_manage_ente_members(decided_by, membership.ente):
            raise PermissionDenied
        if membership.state != MembershipState.REQUESTED:
            raise ValidationError(_("Questa richiesta è già stata decisa."))
        membership.state = MembershipState.APPROVED if approve else MembershipState.REJECTED
        membership.decided_by = decided_by
        membership.decided_at = timezone.now()
        membership.decision_note = note.strip()[:500]
        membership.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    queue_templated_email(
        template="enti/email/membership_decided",
        to=[membership.user.email],
        context={
            "membership": membership,
            "dashboard_url": absolute_url(reverse("accounts:dashboard")),
        },
    )
    access.forget_scope(membership.user)
    return membership


def membership_revoke(*, membership_id: int, revoked_by, note: str = "") -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("ente")
            .filter(pk=membership_id)
            .first()
        )
        if membership is None or not access.can_manage_ente_members(revoked_by, membership.ente):
            raise PermissionDenied
        if membership.state != MembershipState.APPROVED:
            raise ValidationError(_("Si può revocare solo un'adesione approvata."))
        if membership.user_id == revoked_by.pk:
            raise ValidationError(_("Non puoi revocare la tua stessa adesione."))
        membership.state = MembershipState.REVOKED
        membership.decided_by = revoked_by
        membership.decided_at = timezone.now()
        membership.decision_note = note.strip()[:500]
        membership.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    return membership
