"""When someone's memberships or roles change, their open chat sockets re-check access.
(The decision stays in `portal.access`; this only rings the doorbell.)"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from portal.enti.models import ExpertAssignment, Membership, RegionalRole, TaskTeam
from portal.pages.models import ReservedAreaPage

from .events import notify_access_changed


def _later(user_id):
    if user_id:
        transaction.on_commit(lambda: notify_access_changed(user_id))


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
@receiver(post_save, sender=ExpertAssignment)
@receiver(post_delete, sender=ExpertAssignment)
def _membership_changed(sender, instance, **kwargs):
    _later(getattr(instance, "user_id", None) or getattr(instance, "expert_id", None))


@receiver(post_save, sender=RegionalRole)
@receiver(post_delete, sender=RegionalRole)
def _regional_role_changed(sender, instance, **kwargs):
    _later(instance.user_id)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _user_changed(sender, instance, created, **kwargs):
    if not created and not instance.is_active:
        _later(instance.pk)


@receiver(m2m_changed, sender=TaskTeam.members.through)
def _team_members_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in ("post_remove", "post_clear"):
        return
    if reverse:
        _later(instance.pk)
    else:
        for user_id in pk_set or []:
            _later(user_id)


@receiver(post_save, sender=ReservedAreaPage)
def _area_gets_a_room(sender, instance, created, raw=False, **kwargs):
    """Every reserved area has its chat room from the start."""
    if created and not raw:
        from .services import room_for_area

        room_for_area(instance)
