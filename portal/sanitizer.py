"""The one sanitizer: everything a user writes that is shown as HTML goes through here.

Built on bleach with an explicit allow-list. Links are made clickable and get
rel="nofollow noopener noreferrer"; only http(s) and mailto URLs survive. Templates may
mark as safe only what `clean_html` or `linkify_text` returned.
"""

from __future__ import annotations

from functools import partial

import bleach
from bleach.css_sanitizer import CSSSanitizer
from bleach.linkifier import Linker
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h3",
        "h4",
        "h5",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
SAFE_REL = "nofollow noopener noreferrer"

# No inline styles are allowed at all; the sanitizer still strips any that slip through.
_css = CSSSanitizer(allowed_css_properties=[])


def _safe_rel(attrs, new=False):
    href_key = (None, "href")
    href = attrs.get(href_key, "")
    if not href:
        return attrs
    attrs[(None, "rel")] = SAFE_REL
    if href.startswith(("http://", "https://")):
        attrs[(None, "target")] = "_blank"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes={**ALLOWED_ATTRIBUTES, "a": [*ALLOWED_ATTRIBUTES["a"], "target"]},
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    css_sanitizer=_css,
    filters=[
        partial(bleach.linkifier.LinkifyFilter, callbacks=[_safe_rel], skip_tags={"pre", "code"})
    ],
)
_text_linker = Linker(callbacks=[_safe_rel], skip_tags={"pre", "code"})


def clean_html(value: str | None) -> SafeString:
    """Sanitize user HTML against the allow-list and make its links safe and clickable."""
    if not value:
        return mark_safe("")  # noqa: S308 - empty string
    return mark_safe(_cleaner.clean(str(value)))  # noqa: S308 - output of the allow-list


def linkify_text(value: str | None) -> SafeString:
    """Plain text (chat, short notes): escape everything, then make URLs clickable."""
    if not value:
        return mark_safe("")  # noqa: S308 - empty string
    escaped = bleach.clean(str(value), tags=set(), attributes={}, strip=False)
    return mark_safe(_text_linker.linkify(escaped))  # noqa: S308 - escaped then linkified
