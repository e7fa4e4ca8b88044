"""Who sees what: every role against every kind of reserved and public object.

The tables below are the specification. Each cell is asserted twice: against the one
access policy (`portal.access`) and over HTTP with the Django test client. The last
part checks the places where reserved titles or files could leak around the policy
(search, sitemap, menus, the area index, media files, images, the Wagtail admin).

Body A lives in Campania, body B in Calabria ("the other region"); the region area is
Campania's; the task team has its own area.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection, Page

from portal import access
from portal.enti.models import MembershipRole, MembershipState
from portal.pages.models import (
    PUBLIC_COLLECTION,
    ContentPage,
    HomePage,
    PortalDocument,
    PortalImage,
    ReservedAreaIndexPage,
    ReservedContentPage,
)
from tests.factories import (
    EnteFactory,
    ExpertAssignmentFactory,
    MembershipFactory,
    RegionalRoleFactory,
    RegionFactory,
    StaffFactory,
    TaskTeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PATH = "/account/login/"


# --- The world every row is checked against ---------------------------------------------------

# One word per object that appears nowhere else on the site, so that a title found in a
# response can only come from that object.
TITLES = {
    "area_a": "Area Mirtillo ente A",
    "page_a": "Verbale Zafferano ente A",
    "doc_a": "Relazione Ginepro ente A",
    "area_b": "Area Rabarbaro ente B",
    "region_area": "Area Cardamomo regione Campania",
    "team_area": "Area Liquirizia task team",
    "public_page": "Pagina pubblica Basilico",
    "public_doc": "Guida pubblica Origano",
}
CODEWORDS = {name: title.split()[1] for name, title in TITLES.items()}


class World:
    """Two bodies in two regions, a task team, their areas, pages and documents.

    Everything is created on first use, so that a test pays only for what it touches.
    """

    def __init__(self, area_factory):
        self._area_factory = area_factory

    # Bodies, regions, teams.
    @cached_property
    def region_a(self):
        return RegionFactory(code="CAM")

    @cached_property
    def other_region(self):
        return RegionFactory(code="CAL")

    @cached_property
    def ente_a(self):
        return EnteFactory(region=self.region_a)

    @cached_property
    def ente_b(self):
        return EnteFactory(region=self.other_region)

    @cached_property
    def team(self):
        return TaskTeamFactory()

    # Reserved objects.
    @cached_property
    def area_a(self):
        return self._area_factory(ente=self.ente_a, title=TITLES["area_a"])

    @cached_property
    def page_a(self):
        page = ReservedContentPage(
            title=TITLES["page_a"], slug="verbale-zafferano", intro="Verbale della riunione."
        )
        self.area_a.add_child(instance=page)
        page.save_revision().publish()
        return ReservedContentPage.objects.get(pk=page.pk)

    @cached_property
    def doc_a(self):
        return _document(TITLES["doc_a"], "relazione-ginepro.pdf", self.area_a.collection_id)

    @cached_property
    def area_b(self):
        return self._area_factory(ente=self.ente_b, title=TITLES["area_b"])

    @cached_property
    def region_area(self):
        return self._area_factory(region=self.region_a, title=TITLES["region_area"])

    @cached_property
    def team_area(self):
        return self._area_factory(task_team=self.team, title=TITLES["team_area"])

    # Public objects.
    @cached_property
    def public_page(self):
        page = ContentPage(title=TITLES["public_page"], slug="pagina-basilico", show_in_menus=True)
        HomePage.objects.get().add_child(instance=page)
        page.save_revision().publish()
        return ContentPage.objects.get(pk=page.pk)

    @cached_property
    def public_doc(self):
        collection = Collection.objects.get(name=PUBLIC_COLLECTION)
        return _document(TITLES["public_doc"], "guida-origano.pdf", collection.pk)

    def obj(self, name):
        return getattr(self, name)

    def user(self, role):
        """The user playing `role`, or None for the anonymous visitor."""
        return ROLES[role](self)


def _document(title, filename, collection_id):
    document = PortalDocument(
        title=title, file=ContentFile(PDF, name=filename), collection_id=collection_id
    )
    document.save()
    return document


def _member(state=MembershipState.APPROVED, role=MembershipRole.MEMBRO):
    return lambda w: MembershipFactory(ente=w.ente_a, state=state, role=role).user


def _team_member(w):
    user = UserFactory()
    w.team.members.add(user)
    return user


def _inactive_former_member(w):
    user = MembershipFactory(ente=w.ente_a).user
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


ROLES = {
    "anonymous": lambda w: None,
    "user-without-body": lambda w: UserFactory(),
    "pending-member-A": _member(MembershipState.REQUESTED),
    "rejected-member-A": _member(MembershipState.REJECTED),
    "revoked-member-A": _member(MembershipState.REVOKED),
    "member-A": _member(),
    "referent-A": _member(role=MembershipRole.REFERENTE),
    "expert-A": lambda w: ExpertAssignmentFactory(ente=w.ente_a).expert,
    "expert-B-only": lambda w: ExpertAssignmentFactory(ente=w.ente_b).expert,
    "regional-referent-A": lambda w: RegionalRoleFactory(region=w.region_a).user,
    "regional-referent-other-region": lambda w: RegionalRoleFactory(region=w.other_region).user,
    "task-team-member": _team_member,
    "editor": lambda w: UserFactory(groups=[access.EDITOR_GROUP]),
    "moderator": lambda w: UserFactory(groups=[access.MODERATOR_GROUP]),
    "project-staff": lambda w: StaffFactory(),
    "superuser": lambda w: UserFactory(is_superuser=True, is_staff=True),
    "inactive-former-member-A": _inactive_former_member,
}
# Who the site treats as a visitor that has not logged in.
NOT_LOGGED_IN = {"anonymous", "inactive-former-member-A"}


# --- The specification -------------------------------------------------------------------------

Y, N = True, False
OBJECTS = (
    "area_a",
    "page_a",
    "doc_a",
    "area_b",
    "region_area",
    "team_area",
    "public_page",
    "public_doc",
)
SEES = {
    # role                             area_a page_a doc_a area_b region team  pub_pg pub_doc
    "anonymous":                      (N,     N,     N,    N,     N,     N,    Y,     Y),
    "user-without-body":              (N,     N,     N,    N,     N,     N,    Y,     Y),
    "pending-member-A":               (N,     N,     N,    N,     N,     N,    Y,     Y),
    "rejected-member-A":              (N,     N,     N,    N,     N,     N,    Y,     Y),
    "revoked-member-A":               (N,     N,     N,    N,     N,     N,    Y,     Y),
    "member-A":                       (Y,     Y,     Y,    N,     Y,     N,    Y,     Y),
    "referent-A":                     (Y,     Y,     Y,    N,     Y,     N,    Y,     Y),
    "expert-A":                       (Y,     Y,     Y,    N,     Y,     N,    Y,     Y),
    "expert-B-only":                  (N,     N,     N,    Y,     N,     N,    Y,     Y),
    "regional-referent-A":            (Y,     Y,     Y,    N,     Y,     N,    Y,     Y),
    "regional-referent-other-region": (N,     N,     N,    Y,     N,     N,    Y,     Y),
    "task-team-member":               (N,     N,     N,    N,     N,     Y,    Y,     Y),
    "editor":                         (N,     N,     N,    N,     N,     N,    Y,     Y),
    "moderator":                      (N,     N,     N,    N,     N,     N,    Y,     Y),
    "project-staff":                  (Y,     Y,     Y,    Y,     Y,     Y,    Y,     Y),
    "superuser":                      (Y,     Y,     Y,    Y,     Y,     Y,    Y,     Y),
    "inactive-former-member-A":       (N,     N,     N,    N,     N,     N,    Y,     Y),
}  # fmt: skip

AREAS = ("area_a", "area_b", "region_area", "team_area")
CONTRIBUTES = {
    # Uploading documents is for an area's owners, not for every reader.
    # role                             area_a area_b region team
    "anonymous":                      (N,     N,     N,     N),
    "user-without-body":              (N,     N,     N,     N),
    "pending-member-A":               (N,     N,     N,     N),
    "rejected-member-A":              (N,     N,     N,     N),
    "revoked-member-A":               (N,     N,     N,     N),
    "member-A":                       (N,     N,     N,     N),
    "referent-A":                     (Y,     N,     N,     N),
    "expert-A":                       (Y,     N,     N,     N),
    "expert-B-only":                  (N,     Y,     N,     N),
    "regional-referent-A":            (N,     N,     Y,     N),
    "regional-referent-other-region": (N,     N,     N,     N),
    "task-team-member":               (N,     N,     N,     Y),
    "editor":                         (N,     N,     N,     N),
    "moderator":                      (N,     N,     N,     N),
    "project-staff":                  (Y,     Y,     Y,     Y),
    "superuser":                      (Y,     Y,     Y,     Y),
    "inactive-former-member-A":       (N,     N,     N,     N),
}  # fmt: skip

PAGES = {"area_a", "page_a", "area_b", "region_area", "team_area", "public_page"}
DOCUMENTS = {"doc_a", "public_doc"}
RESERVED_PAGES = ("area_a", "page_a", "area_b", "region_area", "team_area")


def sees(role, obj):
    return SEES[role][OBJECTS.index(obj)]


def cells(table, columns, only=None, verb=("sees", "is-denied")):
    """One pytest.param per cell of `table`, restricted to the `only` columns."""
    params = []
    for role, row in table.items():
        for obj, allowed in zip(columns, row, strict=True):
            if only is None or obj in only:
                label = verb[0] if allowed else verb[1]
                params.append(pytest.param(role, obj, allowed, id=f"{role}-{label}-{obj}"))
    return params


def test_the_tables_cover_every_role():
    assert set(SEES) == set(ROLES) == set(CONTRIBUTES)


# --- Fixtures and helpers ----------------------------------------------------------------------


@pytest.fixture
def world(area_factory):
    return World(area_factory)


def policy_user(user):
    """The user as a fresh request would load it (no cached scope)."""
    if user is None:
        return AnonymousUser()
    return get_user_model().objects.get(pk=user.pk)


def visit_as(client, user):
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def assert_sent_to_login(response, path):
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == LOGIN_PATH
    assert parse_qs(location.query).get("next") == [path]


def navigation_menu(html):
    match = re.search(r'<ul class="navbar-nav">(.*?)</ul>', html, re.DOTALL)
    assert match, "top navigation menu not found"
    return match.group(1)


# --- The matrix, policy level ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "obj", "allowed"), cells(SEES, OBJECTS, only=PAGES))
def test_the_policy_lets_a_role_see_a_page_only_as_the_table_says(world, role, obj, allowed):
    page = world.obj(obj)
    user = policy_user(world.user(role))

    assert access.can_view_page(user, page) is allowed
    assert access.can_view_page(user, Page.objects.get(pk=page.pk)) is allowed
    assert access.visible_pages(user, Page.objects.filter(pk=page.pk)).exists() is allowed


@pytest.mark.parametrize(("role", "obj", "allowed"), cells(SEES, OBJECTS, only=AREAS))
def test_the_policy_lets_a_role_into_an_area_only_as_the_table_says(world, role, obj, allowed):
    area = world.obj(obj)
    user = policy_user(world.user(role))

    assert access.can_view_area(user, area) is allowed
    assert (area.pk in {a.pk for a in access.visible_areas(user)}) is allowed
    if allowed:
        assert access.access_area(user, area.pk).pk == area.pk
    else:
        with pytest.raises(PermissionDenied):
            access.access_area(user, area.pk)


@pytest.mark.parametrize(("role", "obj", "allowed"), cells(SEES, OBJECTS, only=DOCUMENTS))
def test_the_policy_lets_a_role_see_a_document_only_as_the_table_says(world, role, obj, allowed):
    document = world.obj(obj)
    user = policy_user(world.user(role))

    assert access.can_view_document(user, document) is allowed
    visible = access.visible_documents(user, PortalDocument.objects.filter(pk=document.pk))
    assert visible.exists() is allowed
    if allowed:
        assert access.access_document(user, document.pk).pk == document.pk
    else:
        with pytest.raises(PermissionDenied):
            access.access_document(user, document.pk)


@pytest.mark.parametrize(
    ("role", "obj", "allowed"),
    cells(CONTRIBUTES, AREAS, verb=("may-upload-to", "may-not-upload-to")),
)
def test_the_policy_lets_only_an_areas_owners_upload(world, role, obj, allowed):
    area = world.obj(obj)
    user = policy_user(world.user(role))

    assert access.can_contribute_to_area(user, area) is allowed


def test_unknown_areas_and_documents_look_the_same_as_forbidden_ones(world):
    user = policy_user(world.user("member-A"))

    with pytest.raises(PermissionDenied):
        access.access_area(user, 999_999)
    with pytest.raises(PermissionDenied):
        access.access_document(user, 999_999)


# --- The matrix, over HTTP ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "obj", "allowed"), cells(SEES, OBJECTS, only=PAGES))
def test_a_page_is_served_only_to_the_roles_that_may_see_it(client, world, role, obj, allowed):
    page = world.obj(obj)
    visit_as(client, world.user(role))

    response = client.get(page.url)

    if allowed:
        assert response.status_code == 200
        assert TITLES[obj] in response.content.decode()
    elif role in NOT_LOGGED_IN:
        assert_sent_to_login(response, page.url)
    else:
        assert response.status_code == 403
        assert TITLES[obj] not in response.content.decode()


@pytest.mark.parametrize(("role", "obj", "allowed"), cells(SEES, OBJECTS, only=DOCUMENTS))
def test_a_document_file_is_served_only_to_the_roles_that_may_see_it(
    client, world, role, obj, allowed
):
    """Logged-in users who may not see a document get 403; visitors who are not logged in
    are sent to the login page, as for reserved pages."""
    document = world.obj(obj)
    visit_as(client, world.user(role))

    response = client.get(document.url)

    if allowed:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    elif role in NOT_LOGGED_IN:
        assert_sent_to_login(response, document.url)
    else:
        assert response.status_code == 403
        assert PDF not in response.content


@pytest.mark.parametrize(
    ("role", "obj", "allowed"),
    cells(CONTRIBUTES, AREAS, verb=("may-upload-to", "may-not-upload-to")),
)
def test_only_an_areas_owners_can_upload_over_http(client, world, role, obj, allowed):
    area = world.obj(obj)
    visit_as(client, world.user(role))

    response = client.post(
        area.url, {"title": "Nota caricata", "file": SimpleUploadedFile("nota.pdf", PDF)}
    )

    stored = PortalDocument.objects.filter(title="Nota caricata")
    if allowed:
        assert response.status_code == 302
        assert stored.get().collection_id == area.collection_id
    else:
        if role in NOT_LOGGED_IN and response.status_code == 302:
            # The brief fixes GET only; a POST may be refused or sent to log in.
            assert_sent_to_login(response, area.url)
        else:
            assert response.status_code == 403
        assert not stored.exists()


# --- Leaks: search, sitemap, menu, area index ----------------------------------------------------


@pytest.mark.parametrize(
    ("role", "obj", "allowed"),
    cells(SEES, OBJECTS, only=RESERVED_PAGES, verb=("finds", "does-not-find")),
)
def test_site_search_lists_a_reserved_title_only_to_roles_that_may_see_it(
    client, world, role, obj, allowed
):
    page = world.obj(obj)
    visit_as(client, world.user(role))

    response = client.get("/cerca/", {"q": CODEWORDS[obj]})

    html = response.content.decode()
    assert response.status_code == 200
    assert (TITLES[obj] in html) is allowed
    assert (f'href="{page.url}"' in html) is allowed


def test_the_sitemap_never_lists_reserved_pages(client, world):
    for name in (*RESERVED_PAGES, "public_page"):
        world.obj(name)
    visit_as(client, StaffFactory())  # the sitemap is the same for everyone

    response = client.get("/sitemap.xml")

    xml = response.content.decode()
    assert response.status_code == 200
    assert "/pagina-basilico/" in xml
    assert "aree-riservate" not in xml
    for name in RESERVED_PAGES:
        assert f"{world.obj(name).slug}/" not in xml


@pytest.mark.parametrize("role", list(ROLES))
def test_the_top_menu_never_shows_reserved_titles(client, world, role):
    reserved = [world.obj(name) for name in RESERVED_PAGES]
    Page.objects.filter(pk__in=[page.pk for page in reserved]).update(show_in_menus=True)
    world.obj("public_page")
    visit_as(client, world.user(role))

    for path in ("/", "/pagina-basilico/", "/cerca/"):
        menu = navigation_menu(client.get(path).content.decode())

        assert TITLES["public_page"] in menu
        for name in RESERVED_PAGES:
            assert TITLES[name] not in menu
            assert world.obj(name).url not in menu


@pytest.mark.parametrize("role", list(ROLES))
def test_the_area_index_lists_exactly_the_areas_the_role_may_enter(client, world, role):
    for name in AREAS:
        world.obj(name)
    visit_as(client, world.user(role))

    response = client.get("/aree-riservate/")

    html = response.content.decode()
    assert response.status_code == 200
    for name in AREAS:
        assert (TITLES[name] in html) is sees(role, name), name


# --- Leaks: files and images -------------------------------------------------------------------


def test_document_files_live_outside_public_media(world, settings):
    path = world.doc_a.file.path

    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize("role", ["anonymous", "member-A", "project-staff"])
def test_document_files_are_not_reachable_under_media(client, world, role):
    document = world.doc_a
    visit_as(client, world.user(role))

    assert client.get(f"/media/{document.file.name}").status_code == 404
    assert client.get(f"/media/documents/{document.filename}").status_code == 404


def _image(collection_id):
    return PortalImage(
        title="Logo",
        file=ImageFile(get_test_image_file().file, name="logo.png"),
        collection_id=collection_id,
    )


def test_an_image_cannot_be_put_in_a_reserved_area_collection(world):
    image = _image(world.area_a.collection_id)

    with pytest.raises(ValidationError) as error:
        image.full_clean()

    assert "collection" in error.value.message_dict


def test_an_image_cannot_be_put_below_a_reserved_area_collection(world):
    sub_collection = world.area_a.collection.add_child(name="Foto della riunione")
    image = _image(sub_collection.pk)

    with pytest.raises(ValidationError) as error:
        image.full_clean()

    assert "collection" in error.value.message_dict


def test_an_image_may_be_put_in_the_public_collection(world):
    image = _image(Collection.objects.get(name=PUBLIC_COLLECTION).pk)

    image.full_clean()


# --- Leaks: the Wagtail admin ------------------------------------------------------------------

ADMIN_ROLES = ("editor", "moderator", "project-staff", "superuser")
ADMIN_SEES_RESERVED = {"editor": N, "moderator": N, "project-staff": Y, "superuser": Y}


def admin_cells(objects, verb):
    return [
        pytest.param(
            role,
            obj,
            ADMIN_SEES_RESERVED[role],
            id=f"{role}-{verb[0] if ADMIN_SEES_RESERVED[role] else verb[1]}-{obj}",
        )
        for role in ADMIN_ROLES
        for obj in objects
    ]


@pytest.mark.parametrize(
    ("role", "obj", "allowed"), admin_cells(("area_a", "page_a"), ("may-edit", "may-not-edit"))
)
def test_only_staff_can_open_a_reserved_page_in_the_admin_editor(client, world, role, obj, allowed):
    """Editors and moderators hold page permissions on the home page only: Wagtail's edit
    view refuses them with a redirect to the admin dashboard."""
    page = world.obj(obj)
    visit_as(client, world.user(role))

    response = client.get(f"/admin/pages/{page.pk}/edit/")

    if allowed:
        assert response.status_code == 200
        assert TITLES[obj] in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


@pytest.mark.parametrize(
    ("role", "obj", "allowed"),
    admin_cells(("index", "area_a"), ("sees-the-children-of", "sees-nothing-under")),
)
def test_only_staff_see_reserved_pages_in_the_admin_explorer(client, world, role, obj, allowed):
    """Editors and moderators are sent back to the home page's explorer instead."""
    world.obj("page_a")
    world.obj("area_b")
    parent = ReservedAreaIndexPage.objects.get() if obj == "index" else world.obj(obj)
    children = ("area_a", "area_b") if obj == "index" else ("page_a",)
    visit_as(client, world.user(role))

    response = client.get(f"/admin/pages/{parent.pk}/", follow=True)

    html = response.content.decode()
    assert response.status_code == 200
    if not allowed:
        # Wagtail sends them back to the part of the tree they may explore: the home page.
        assert response.redirect_chain == [(f"/admin/pages/{HomePage.objects.get().pk}/", 302)]
        assert "Aree riservate" not in html
    for name in children:
        assert (TITLES[name] in html) is allowed


@pytest.mark.parametrize(
    ("role", "obj", "allowed"),
    admin_cells(RESERVED_PAGES, ("finds", "does-not-find")),
)
def test_admin_page_search_lists_reserved_titles_only_to_staff(client, world, role, obj, allowed):
    world.obj(obj)
    visit_as(client, world.user(role))

    response = client.get("/admin/pages/search/", {"q": CODEWORDS[obj]})

    assert response.status_code == 200
    assert (TITLES[obj] in response.content.decode()) is allowed


@pytest.mark.parametrize("path", ["/admin/documents/", "/admin/documents/chooser/"])
@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_document_listings_show_reserved_documents_only_to_staff(client, world, role, path):
    world.obj("doc_a")
    world.obj("public_doc")
    visit_as(client, world.user(role))

    response = client.get(path)

    html = response.content.decode()
    assert response.status_code == 200
    assert TITLES["public_doc"] in html
    assert (TITLES["doc_a"] in html) is ADMIN_SEES_RESERVED[role]
