"""Admin: experts curate good practices; editors read the "was this page useful?" report
and the library proposals from the forum and the approved practices from the PAMs."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from portal import access

from .models import GoodPractice, LibraryItemPage, PageFeedback


class GoodPracticeViewSet(ModelViewSet):
    model = GoodPractice
    icon = "pick"
    menu_label = _("Buone pratiche")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "ente", "area", "year", "published"]
    list_filter = ["published", "area", "cgp_phase"]
    search_fields = ["title", "problem", "solution"]
    exclude_form_fields = ["curated_by"]


@hooks.register("register_admin_viewset")
def register_practice_viewset():
    return GoodPracticeViewSet("buone_pratiche")


def feedback_report(request):
    if not access.can_view_page_feedback(request.user):
        raise PermissionDenied
    rows = (
        PageFeedback.objects.values("page_id", "page__title", "page__url_path")
        .annotate(
            yes=Count("pk", filter=Q(useful=True)),
            no=Count("pk", filter=Q(useful=False)),
            last=Max("created_at"),
        )
        .order_by("-last")[:200]
    )
    comments = PageFeedback.objects.exclude(comment="").select_related("page")[:50]
    return render(
        request, "library/admin/feedback_report.html", {"rows": rows, "comments": comments}
    )


def proposals_report(request):
    if not access.can_view_page_feedback(request.user) and not access.can_curate_practices(
        request.user
    ):
        raise PermissionDenied
    from forum.boards.models import LibraryProposal
    from portal.pam.models import GoodPracticeProposal, PracticeStatus

    linked_topics = set(
        LibraryItemPage.objects.filter(source_topic__isnull=False).values_list(
            "source_topic_id", flat=True
        )
    )
    forum = LibraryProposal.objects.select_related("topic__board", "proposed_by").order_by(
        "-created_at"
    )[:100]
    practices = (
        GoodPracticeProposal.objects.filter(status=PracticeStatus.APPROVED)
        .select_related("milestone__plan__ente", "library_practice")
        .order_by("-decided_at")[:100]
    )
    return render(
        request,
        "library/admin/proposals_report.html",
        {"forum": forum, "linked_topics": linked_topics, "practices": practices},
    )


@hooks.register("register_admin_urls")
def register_library_admin_urls():
    return [
        path("biblioteca/valutazioni/", feedback_report, name="library_feedback_report"),
        path("biblioteca/proposte/", proposals_report, name="library_proposals_report"),
    ]


class _PolicyMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        self.check = check
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register("register_reports_menu_item")
def register_feedback_menu_item():
    return _PolicyMenuItem(
        _("Valutazioni delle pagine"),
        reverse("library_feedback_report"),
        icon_name="help",
        order=900,
        check=access.can_view_page_feedback,
    )


@hooks.register("register_reports_menu_item")
def register_proposals_menu_item():
    return _PolicyMenuItem(
        _("Proposte per biblioteca e buone pratiche"),
        reverse("library_proposals_report"),
        icon_name="doc-full",
        order=910,
        check=lambda user: access.can_view_page_feedback(user) or access.can_curate_practices(user),
    )
