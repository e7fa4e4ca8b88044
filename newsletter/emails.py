"""The issue as an email: HTML for mail clients (tables, inline styles), plain text,
headers for one-click unsubscribe (RFC 8058), one message per recipient.

An issue is rendered once per send; each recipient's links are filled into the
rendered text by replacing two markers, so 5,000 messages cost one template render.
"""

from __future__ import annotations

import html as html_lib
import re
from email.utils import make_msgid
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from wagtail.rich_text import expand_db_html

from portal import access
from portal.mail import absolute_url
from portal.sanitizer import clean_html

from .sources import upcoming_webinars

UNSUBSCRIBE_MARK = "%%PAQ-DISISCRIZIONE%%"
PREFERENCES_MARK = "%%PAQ-PREFERENZE%%"

_RELATIVE_HREF = re.compile(r'href="/(?!/)')
_LINK = re.compile(r'<a\s[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S | re.I)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|ul|ol|blockquote|tr|table)>", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_LIST_ITEM = re.compile(r"<li[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n{3,}")


def absolutize(html: str) -> str:
    """Mail clients have no base URL: every site-relative link gets the portal's origin."""
    return _RELATIVE_HREF.sub(f'href="{settings.PORTAL_BASE_URL}/', html)


def email_rich_text(value) -> str:
    """Rich text of a block, for an email: internal links expanded, absolute, sanitized."""
    source = getattr(value, "source", value) or ""
    return clean_html(absolutize(expand_db_html(source)))


def html_to_text(fragment: str) -> str:
    """Plain-text rendering of sanitized HTML: links become "text (url)"."""
    text = _LINK.sub(lambda m: f"{m.group(2)} ({html_lib.unescape(m.group(1))})", fragment)
    text = _LIST_ITEM.sub("- ", text)
    text = _BREAK.sub("\n", text)
    text = _BLOCK_END.sub("\n\n", text)
    text = html_lib.unescape(_TAG.sub("", text))
    lines = [line.strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _block_items(issue) -> list[dict]:
    """Each block of the issue reduced to what both email templates print."""
    items = []
    for block in issue.body:
        value = block.value
        kind = block.block_type
        item = {"type": kind}
        if kind in ("editorial", "news", "from_bodies"):
            body = email_rich_text(value["text"])
            item.update(
                title=_one_line(value["title"]),
                html=body,
                text=html_to_text(body),
                signature=_one_line(value.get("signature", "")),
                ente=_one_line(value.get("ente", "")),
            )
            page = value.get("page")
            item["url"] = (page.specific.full_url if page else "") or value.get("url") or ""
        elif kind == "focus_article":
            page = value["page"]
            if page is None or not page.live:
                continue
            page = page.specific
            item.update(
                title=_one_line(page.title),
                summary=(value.get("summary") or getattr(page, "intro", "") or "").strip(),
                url=page.full_url or absolute_url(page.url),
            )
        elif kind == "upcoming_webinars":
            webinars = upcoming_webinars(limit=value["limit"])
            if not webinars:
                continue
            item.update(
                title=_one_line(value["title"]),
                webinars=[
                    {
                        "title": _one_line(w.title),
                        "starts_at": w.starts_at,
                        "url": w.url if w.url.startswith("http") else absolute_url(w.url or "/"),
                    }
                    for w in webinars
                ],
            )
        elif kind == "documents":
            documents = [
                d
                for d in value["documents"]
                if d is not None and not access.is_reserved_collection(d.collection_id)
            ]
            if not documents:
                continue
            item.update(
                title=_one_line(value["title"]),
                documents=[
                    {"title": _one_line(d.title), "url": absolute_url(d.url)} for d in documents
                ],
            )
        else:
            continue
        items.append(item)
    return items


def render_issue(issue) -> tuple[str, str, str]:
    """(subject, html, text) of an issue, with the personal links still as markers."""
    context = {
        "issue": issue,
        "subject": issue.email_subject,
        "preheader": _one_line(issue.preheader),
        "intro": issue.intro,
        "items": _block_items(issue),
        "web_url": issue.full_url or absolute_url(issue.url or "/"),
        "archive_url": absolute_url("/newsletter/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
        "preferences_url": PREFERENCES_MARK,
    }
    html = render_to_string("newsletter/email/issue.html", context)
    text = render_to_string("newsletter/email/issue.txt", context)
    return issue.email_subject, html, text


def personal_links(subscriber, send_id: int | None = None) -> tuple[str, str]:
    return personal_links_for(subscriber.token, send_id)


@lru_cache(maxsize=1)
def _link_patterns(base_url: str) -> tuple[str, str]:
    # Resolved once: reversing two URLs per recipient would cost more than the SMTP send.
    return (
        base_url + reverse("newsletter:unsubscribe", args=["PAQTOKENX"]),
        base_url + reverse("newsletter:preferences", args=["PAQTOKENX"]),
    )


def personal_links_for(token: str, send_id: int | None = None) -> tuple[str, str]:
    unsubscribe, preferences = _link_patterns(settings.PORTAL_BASE_URL)
    unsubscribe = unsubscribe.replace("PAQTOKENX", token)
    if send_id is not None:
        unsubscribe += f"?invio={send_id}"
    return unsubscribe, preferences.replace("PAQTOKENX", token)


def fill_links(content: str, *, unsubscribe: str, preferences: str, is_html: bool) -> str:
    if is_html:
        unsubscribe, preferences = escape(unsubscribe), escape(preferences)
    return content.replace(UNSUBSCRIBE_MARK, unsubscribe).replace(PREFERENCES_MARK, preferences)


def preview_issue(issue) -> tuple[str, str]:
    """What an editor previews: the email with inert personal links."""
    _subject, html, text = render_issue(issue)
    example = absolute_url("/newsletter/preferenze/esempio/")
    return (
        fill_links(html, unsubscribe=example, preferences=example, is_html=True),
        fill_links(text, unsubscribe=example, preferences=example, is_html=False),
    )


def _domain() -> str:
    return settings.NEWSLETTER_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "localhost"


def build_message(
    *,
    subject: str,
    html: str,
    text: str,
    to: str,
    unsubscribe: str,
    preferences: str,
    message_id: str | None = None,
    connection=None,
) -> EmailMultiAlternatives:
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Newsletter {settings.WAGTAIL_SITE_NAME} <newsletter.{_domain()}>",
        "Message-ID": message_id or make_msgid(domain=_domain()),
        "Precedence": "bulk",
        "Auto-Submitted": "auto-generated",
    }
    message = EmailMultiAlternatives(
        subject=_one_line(subject),
        body=fill_links(text, unsubscribe=unsubscribe, preferences=preferences, is_html=False),
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[to],
        reply_to=[settings.NEWSLETTER_REPLY_TO] if settings.NEWSLETTER_REPLY_TO else None,
        headers=headers,
        connection=connection,
    )
    message.attach_alternative(
        fill_links(html, unsubscribe=unsubscribe, preferences=preferences, is_html=True),
        "text/html",
    )
    return message


def delivery_message_id(send_id: int, delivery_id: int) -> str:
    """Stable per delivery: the same recipient and send always carry the same id."""
    return f"<newsletter-{send_id}-{delivery_id}@{_domain()}>"


# --- One message, many recipients -------------------------------------------------------------
_RECIPIENT_MARK = "paq-destinatario@destinatario.invalid"
_UNSUBSCRIBE_URL_MARK = "PAQXDISISCRIZIONEX"
_PREFERENCES_URL_MARK = "PAQXPREFERENZEX"
_MESSAGE_ID_MARK = "PAQXMESSAGEIDX"
_UNSAFE = frozenset("\r\n<>\"'& ")


class PreparedMessage:
    """The send's message turned into bytes once; each recipient's copy is four byte
    replacements instead of a MIME build (which costs more than the SMTP exchange).

    Only used when it is provably equivalent: the markers must survive encoding intact
    (bodies in 8-bit, not quoted-printable) and every personal value must be plain ASCII
    with nothing to escape; otherwise `render` returns None and the caller builds the
    message the ordinary way."""

    def __init__(self, *, subject: str, html: str, text: str):
        from django.core.mail.message import sanitize_address

        message = build_message(
            subject=subject,
            html=html,
            text=text,
            to=_RECIPIENT_MARK,
            unsubscribe=_UNSUBSCRIBE_URL_MARK,
            preferences=_PREFERENCES_URL_MARK,
            message_id=f"<{_MESSAGE_ID_MARK}>",
        )
        self.envelope_from = sanitize_address(message.from_email, message.encoding or "utf-8")
        self.payload = message.message().as_bytes(linesep="\r\n")
        expected = {
            _RECIPIENT_MARK: 1,
            _UNSUBSCRIBE_URL_MARK: 1 + text.count(UNSUBSCRIBE_MARK) + html.count(UNSUBSCRIBE_MARK),
            _PREFERENCES_URL_MARK: text.count(PREFERENCES_MARK) + html.count(PREFERENCES_MARK),
            _MESSAGE_ID_MARK: 1,
        }
        self.usable = all(
            self.payload.count(mark.encode()) == count for mark, count in expected.items()
        )

    @staticmethod
    def _plain(value: str) -> bool:
        return value.isascii() and not (_UNSAFE & set(value))

    def render(
        self, *, to: str, unsubscribe: str, preferences: str, message_id: str
    ) -> bytes | None:
        inner_id = message_id.strip("<>")
        if not self.usable or not all(
            self._plain(v) for v in (to, unsubscribe, preferences, inner_id)
        ):
            return None
        return (
            self.payload.replace(_RECIPIENT_MARK.encode(), to.encode())
            .replace(_UNSUBSCRIBE_URL_MARK.encode(), unsubscribe.encode())
            .replace(_PREFERENCES_URL_MARK.encode(), preferences.encode())
            .replace(_MESSAGE_ID_MARK.encode(), inner_id.encode())
        )
