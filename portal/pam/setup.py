"""After migrate: project staff edit the self-diagnosis questionnaire in the Wagtail admin."""

from django.contrib.auth.models import Group, Permission

from portal import access


def grant_staff_permissions(sender=None, **kwargs) -> None:
    staff, _created = Group.objects.get_or_create(name=access.STAFF_GROUP)
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pam", content_type__model="assessmentquestion"
        )
    )
