"""Markdown in, safe HTML out: mistune with HTML escaped, then the one sanitizer.
Mentions (@nome.cognome) are found here too, so the renderer and the notifier agree."""

from __future__ import annotations

import re

import mistune
from django.utils.safestring import SafeString

from portal.sanitizer import clean_html

# escape=True: raw HTML typed by the user is shown as text, never passed through.
_markdown = mistune.create_markdown(
    escape=True, hard_wrap=True, plugins=["strikethrough", "table", "url"]
)

MENTION = re.compile(r"(?<![\w@.])@([^\W\d_][\w'-]*\.[^\W\d_][\w'-]*)", re.UNICODE)
MAX_MENTIONS = 10


def render_markdown(text: str) -> SafeString:
    return clean_html(_markdown(text or ""))


def mention_handle(user) -> str:
    """The handle others type to mention a person: @nome.cognome (spaces become -)."""
    first = "-".join((user.first_name or "").lower().split())
    last = "-".join((user.last_name or "").lower().split())
    return f"{first}.{last}" if first and last else ""


def mentioned_handles(text: str) -> list[str]:
    """Handles mentioned outside code and quotes, each once, at most MAX_MENTIONS."""
    lines = []
    in_fence = False
    for line in (text or "").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence or line.lstrip().startswith(">"):
            continue
        lines.append(re.sub(r"`[^`]*`", "", line))
    seen: list[str] = []
    for match in MENTION.finditer("\n".join(lines)):
        handle = match.group(1).lower().rstrip(".")
        if handle not in seen:
            seen.append(handle)
    return seen[:MAX_MENTIONS]


def quote_markdown(author_name: str, body: str) -> str:
    quoted = "\n".join(f"> {line}" if line else ">" for line in body.strip().splitlines())
    return f"> **{author_name}** ha scritto:\n{quoted}\n\n"
