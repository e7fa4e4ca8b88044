from django import template
from wagtail.log_actions import registry

register = template.Library()


@register.filter
def log_label(entry) -> str:
    """The readable label of an audit-log action (registered in wagtail_hooks)."""
    return str(registry.get_action_label(entry.action))


@register.filter
def user_text(value):
    """Text people wrote (analyses, reports, comments): escaped by the one sanitizer,
    links made clickable, line breaks kept."""
    from django.utils.html import linebreaks

    from portal.sanitizer import linkify_text

    return linebreaks(linkify_text(value))


@register.simple_tag
def pam_entry(user) -> dict:
    """What the personal area offers of the PAM: the board, and the user's own bodies."""
    from portal import access
    from portal.enti.models import Ente

    scope = access.scope_for(user)
    return {
        "board": access.sees_any_pam(user),
        "own": list(Ente.objects.filter(pk__in=scope.member_of).order_by("name"))
        if scope.member_of
        else [],
    }
