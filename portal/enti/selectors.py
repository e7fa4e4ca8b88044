from portal import access

from .models import Membership


def pending_requests_for(user):
    """Join requests the user may decide (their bodies as referent, every body for staff)."""
    ente_ids = access.manageable_ente_ids(user)
    requests = Membership.objects.pending().select_related("user", "ente__region")
    if ente_ids is not None:
        requests = requests.filter(ente_id__in=ente_ids)
    return requests.order_by("requested_at")


def members_managed_by(user):
    ente_ids = access.manageable_ente_ids(user)
    members = Membership.objects.approved().select_related("user", "ente")
    if ente_ids is not None:
        members = members.filter(ente_id__in=ente_ids)
    return members.order_by("ente__name", "user__last_name")


def memberships_of(user):
    return Membership.objects.filter(user=user).select_related("ente__region", "decided_by")
