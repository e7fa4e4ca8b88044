"""After migrate: project staff edit the self-diagnosis questionnaire in the Wagtail admin."""

from django.contrib.auth.models import Group, Permission

from portal import access


def grant_staff_permissions(sender=None, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions

    # auth's own post_migrate may run after this one: make sure the rows exist.
    if sender is not None:
        create_permissions(sender, verbosity=0)
    staff, _created = Group.objects.get_or_create(name=access.STAFF_GROUP)
    staff.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pam", content_type__model="assessmentquestion"
        )
    )
