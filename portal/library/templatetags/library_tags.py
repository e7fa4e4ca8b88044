import re
from urllib.parse import urlencode

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

MAX_TERMS = 8


@register.simple_tag
def page_query(query_items, number) -> str:
    """The query string of another results page, keeping the filters."""
    return "?" + urlencode([*query_items, ("pagina", str(number))])


@register.filter
def highlight(text, query) -> str:
    """Wrap the searched words in <mark>, escaping everything else. Written by hand: the
    database search backend returns no highlights. The terms are regex-escaped and the
    text is escaped piece by piece, so a query is never read as a pattern nor as HTML."""
    text = str(text or "")
    terms = [term for term in str(query or "").split() if len(term) >= 3][:MAX_TERMS]
    if not terms:
        return escape(text)
    # Italian words: match the stem (drop the last letter) so "indicatori" finds "indicatore".
    stems = sorted({re.escape(t[:-1] if len(t) > 4 else t) for t in terms}, key=len, reverse=True)
    pattern = re.compile("|".join(stems), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


@register.filter
def excerpt(text, query, size: int = 240) -> str:
    """A window of the text around the first searched word (plain text, not escaped)."""
    text = " ".join(str(text or "").split())
    lowered = text.lower()
    position = -1
    for term in str(query or "").lower().split():
        if len(term) >= 3:
            position = lowered.find(term[:-1] if len(term) > 4 else term)
            if position >= 0:
                break
    start = max(0, position - size // 3) if position >= 0 else 0
    snippet = text[start : start + size]
    return ("…" if start else "") + snippet + ("…" if start + size < len(text) else "")


@register.filter
def file_passage(text, query) -> str:
    """The passage of a file's text around the searched words, or "" when the file does
    not say them (the result matched by its name or type instead)."""
    text = str(text or "")
    terms = [term for term in str(query or "").lower().split() if len(term) >= 3]
    lowered = text.lower()
    if not any((term[:-1] if len(term) > 4 else term) in lowered for term in terms):
        return ""
    return excerpt(text, query)
