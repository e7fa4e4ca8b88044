"""The page tree, collections, groups and workflow every installation needs.

Runs after `migrate` (see apps.py) and is idempotent: production gets the same
structure as the demo, without any demo account or content.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
)

from portal import access

from .models import (
    PUBLIC_COLLECTION,
    RESERVED_AREAS_SLUG,
    RESERVED_COLLECTIONS_ROOT,
    HomePage,
    ReservedAreaIndexPage,
)

HOME_TITLE = "Valutazione delle Performance"
STAFF_MODEL_PERMISSIONS = {
    "enti": ["ente", "region", "taskteam", "membership", "expertassignment", "regionalrole"],
}


@transaction.atomic
def ensure_site_structure() -> HomePage | None:
    root = Page.get_first_root_node()
    if root is None:
        # A flushed database (e.g. between live-server tests) has no tree to build on;
        # the next migrate recreates Wagtail's root.
        return None
    home = HomePage.objects.first()
    if home is None:
        # Wagtail's placeholder "Welcome" page holds the slug we want: replace it.
        welcome = Page.objects.filter(depth=2, content_type__model="page", slug="home").first()
        if welcome is not None:
            Page.objects.filter(pk=welcome.pk).update(slug="wagtail-welcome")
        home = root.add_child(instance=HomePage(title=HOME_TITLE, slug="home"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=HOME_TITLE,
            )
        else:
            site.root_page = home
            site.site_name = HOME_TITLE
            site.save()
        if welcome is not None:
            welcome.delete()
    if not ReservedAreaIndexPage.objects.exists():
        root.refresh_from_db()
        root.add_child(
            instance=ReservedAreaIndexPage(title="Aree riservate", slug=RESERVED_AREAS_SLUG)
        )
    _keep_editors_out_of_reserved_areas(root, home)
    _ensure_collections()
    _ensure_groups()
    return home


def _keep_editors_out_of_reserved_areas(root, home) -> None:
    """Wagtail grants its editors and moderators every page from the root; move those
    grants (and the moderation workflow) to the home page, away from reserved areas."""
    for grant in GroupPagePermission.objects.filter(page=root).exclude(
        group__name=access.STAFF_GROUP
    ):
        GroupPagePermission.objects.get_or_create(
            group=grant.group, page=home, permission=grant.permission
        )
        grant.delete()
    workflow = Workflow.objects.filter(active=True).order_by("pk").first()
    if workflow is not None:
        WorkflowPage.objects.filter(page=root).delete()
        WorkflowPage.objects.get_or_create(page=home, defaults={"workflow": workflow})


def _ensure_collections() -> None:
    root = Collection.get_first_root_node()
    names = set(root.get_children().values_list("name", flat=True))
    for name in (PUBLIC_COLLECTION, RESERVED_COLLECTIONS_ROOT):
        if name not in names:
            root.refresh_from_db()
            root.add_child(name=name)
    public = root.get_children().get(name=PUBLIC_COLLECTION)
    for grant in GroupCollectionPermission.objects.filter(collection=root).exclude(
        group__name=access.STAFF_GROUP
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=grant.group, collection=public, permission=grant.permission
        )
        grant.delete()


def _ensure_groups() -> None:
    staff, _created = Group.objects.get_or_create(name=access.STAFF_GROUP)
    Group.objects.get_or_create(name=access.EXPERT_GROUP)
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    staff.permissions.add(admin_access)
    for app_label, models in STAFF_MODEL_PERMISSIONS.items():
        staff.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )
    root_page = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page", "delete_page", "lock_page"):
        GroupPagePermission.objects.get_or_create(
            group=staff,
            page=root_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    # Wagtail checks document and image permissions against its own base models.
    root_collection = Collection.get_first_root_node()
    for permission in Permission.objects.filter(
        content_type__app_label__in=["wagtaildocs", "wagtailimages"],
        codename__in=[
            f"{action}_{model}"
            for action in ("add", "change", "choose", "delete")
            for model in ("document", "image")
        ],
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=staff, collection=root_collection, permission=permission
        )
