"""The newsletter in the Wagtail admin, where editors already edit pages."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from portal import access

from . import admin_views
from .models import NewsletterIssuePage, PlannedIssue, Subscriber
from .permissions import plan_policy, subscriber_policy


class PlannedIssueViewSet(ModelViewSet):
    model = PlannedIssue
    icon = "date"
    menu_label = _("Piano editoriale")
    add_to_admin_menu = False
    url_prefix = "newsletter/piano"
    url_namespace = "newsletter_plan"
    list_display = ["__str__", "owner", "deadline", "status", "issue"]
    list_filter = ["status", "owner"]
    ordering = ["month"]
    copy_view_enabled = False
    inspect_view_enabled = True


class SubscriberViewSet(ModelViewSet):
    model = Subscriber
    icon = "mail"
    menu_label = _("Iscritti")
    add_to_admin_menu = False
    url_prefix = "newsletter/iscritti"
    url_namespace = "newsletter_subscribers"
    list_display = ["email", "status", "confirmed_at", "bounce_count"]
    list_filter = ["status", "regions"]
    search_fields = ["email"]
    form_fields = ["status", "regions"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "status",
        "user",
        "consent_text",
        "consent_at",
        "consent_ip",
        "confirmed_at",
        "confirmed_ip",
        "unsubscribed_at",
        "bounce_count",
        "created_at",
    ]

    def get_add_url(self):  # subscribers sign up themselves (double opt-in)
        return None


# The admin's generic views ask these policies, which ask portal.access.
register_permission_policy(PlannedIssue, plan_policy(PlannedIssue))
register_permission_policy(Subscriber, subscriber_policy(Subscriber))

plan_viewset = PlannedIssueViewSet("newsletter_plan")
subscriber_viewset = SubscriberViewSet("newsletter_subscribers")


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [plan_viewset, subscriber_viewset]


admin_urlpatterns = [
    path("calendario/", admin_views.calendar, name="calendar"),
    path("bozza/", admin_views.draft, name="draft"),
    path("invii/", admin_views.sends_index, name="sends"),
    path("invii/<int:send_id>/", admin_views.send_detail, name="send_detail"),
    path("numero/<int:page_id>/invio/", admin_views.issue_send_panel, name="issue_send"),
    path("iscritti.csv", admin_views.export_subscribers, name="export_subscribers"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("newsletter/", include((admin_urlpatterns, "newsletter_admin")))]


class RuleMenuItem(MenuItem):
    """Shown only to the people the access policy lets in."""

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule

    def is_shown(self, request):
        return self.rule(request.user)


class NewsletterMenuItem(SubmenuMenuItem):
    def is_shown(self, request):
        return access.can_edit_newsletter(request.user)


def _menu():
    return Menu(
        items=[
            RuleMenuItem(
                _("Piano editoriale"),
                reverse("newsletter_plan:index"),
                icon_name="list-ul",
                order=100,
                rule=access.can_edit_newsletter,
            ),
            RuleMenuItem(
                _("Calendario editoriale"),
                reverse("newsletter_admin:calendar"),
                icon_name="date",
                order=200,
                rule=access.can_edit_newsletter,
            ),
            RuleMenuItem(
                _("Invii"),
                reverse("newsletter_admin:sends"),
                icon_name="mail",
                order=300,
                rule=access.can_edit_newsletter,
            ),
            RuleMenuItem(
                _("Iscritti"),
                reverse("newsletter_subscribers:index"),
                icon_name="user",
                order=400,
                rule=access.can_manage_subscribers,
            ),
        ]
    )


@hooks.register("register_admin_menu_item")
def register_menu():
    return NewsletterMenuItem(
        _("Newsletter"), _menu(), icon_name="mail", name="newsletter", order=250
    )


@hooks.register("register_page_header_buttons")
def issue_send_button(page, user, view_name, next_url=None):
    page_class = page.specific_class or type(page)
    if issubclass(page_class, NewsletterIssuePage) and access.can_edit_newsletter(user):
        yield Button(
            _("Anteprima email e invio"),
            reverse("newsletter_admin:issue_send", args=[page.pk]),
            icon_name="mail",
            priority=25,
        )
