"""After migrate (and from the demo): the library's page under the home page, and what
experts need to publish material and curate practices. Idempotent.

The library page is created here rather than left to editors: `/biblioteca/`, the
databases' links to it and the experts' page grants all need it, and the home page's
`subpage_types` list only content pages, so editors could not add it by hand."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from portal import access

LIBRARY_TITLE = "Biblioteca metodologica"
LIBRARY_SLUG = "biblioteca"


def ensure_library(sender=None, **kwargs):
    from django.contrib.auth.management import create_permissions

    if sender is not None:
        create_permissions(sender, verbosity=0)
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
    ensure_library_index()


def ensure_library_index():
    """The one library page under the home page, with the experts' grants. None when
    there is no home page yet (a flushed database) or another page holds the slug."""
    from wagtail.models import Page

    from portal.pages.models import HomePage

    from .models import LibraryIndexPage

    if Page.get_first_root_node() is None:
        return None
    home = HomePage.objects.first()
    if home is None:
        return None
    index = LibraryIndexPage.objects.first()
    if index is None:
        if home.get_children().filter(slug=LIBRARY_SLUG).exists():
            return None  # someone else's page holds the slug: leave it alone
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
