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
