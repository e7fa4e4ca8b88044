"""After migrate (and from the demo): the library's page under the home page, and what
experts need to publish material and curate practices. Idempotent."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from portal import access

LIBRARY_TITLE = "Biblioteca metodologica"
LIBRARY_SLUG = "biblioteca"


def ensure_library(sender=None, **kwargs):
    from django.contrib.auth.management import create_permissions

    if sender is not None:
        create_permissions(sender, verbosity=0)
    from .models import LibraryIndexPage

    staff, _created = Group.objects.get_or_create(name=access.STAFF_GROUP)
    experts, _created = Group.objects.get_or_create(name=access.EXPERT_GROUP)
    practice_perms = Permission.objects.filter(
        content_type__app_label="library", content_type__model="goodpractice"
    )
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group in (staff, experts):
        group.permissions.add(*practice_perms, *admin_access)
    index = LibraryIndexPage.objects.first()
    if index is not None:
        _grant_experts(experts, index)


def ensure_library_index():
    """The library page under the home page (the demo calls this; in production editors
    add it in the admin, where it may exist once), with the experts' grants."""
    from portal.pages.models import HomePage

    from .models import LibraryIndexPage

    home = HomePage.objects.first()
    if home is None:
        return None
    index = LibraryIndexPage.objects.first()
    if index is None:
        index = LibraryIndexPage(
            title=LIBRARY_TITLE,
            slug=LIBRARY_SLUG,
            intro=(
                "Guide, modelli, presentazioni dei webinar, esempi e check-list del progetto, "
                "per ogni fase del ciclo di gestione della performance."
            ),
            show_in_menus=True,
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    experts, _created = Group.objects.get_or_create(name=access.EXPERT_GROUP)
    _grant_experts(experts, index)
    return index


def _grant_experts(experts, index) -> None:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    from portal.pages.models import PUBLIC_COLLECTION

    # Experts write material; the moderation workflow on the home page decides publishing.
    for codename in ("add_page", "change_page"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(
                group=experts, page=index, permission=permission
            )
    public = Collection.objects.filter(depth=2, name=PUBLIC_COLLECTION).first()
    if public is not None:
        for codename in ("add_document", "choose_document"):
            permission = Permission.objects.filter(
                content_type__app_label="wagtaildocs", codename=codename
            ).first()
            if permission is not None:
                GroupCollectionPermission.objects.get_or_create(
                    group=experts, collection=public, permission=permission
                )
