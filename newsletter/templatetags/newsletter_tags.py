from django import template
from wagtail.rich_text import expand_db_html

from portal.sanitizer import clean_html

register = template.Library()


@register.filter
def issue_richtext(value):
    """Rich text of an issue block on the web: expanded, then through the one sanitizer
    (a block's HTML may come from an import or the API, not only from the editor)."""
    return clean_html(expand_db_html(getattr(value, "source", value) or ""))
