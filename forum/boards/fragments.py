"""The parts of posts and board rows that are the same for every reader, rendered once
per version.

A topic page shows 20 posts; most of each (author, date, the stored HTML body,
attachments) does not depend on who reads. That part is rendered by
`forum/_post.html` and kept in the cache under a key made of everything the template
prints (so any change to the post, its author's name or the topic's assigned expert
makes a new key: nothing is ever invalidated, nothing stale is ever shown) and of the
one reader-dependent choice it makes (moderators see hidden posts and the edit
history). The page itself is rendered for each request: the reader's "nuovo" badges
and action buttons are drawn around these fragments. A board's rows work the same way
(`forum/_topic_row.html`): the reader's link and "non letta" badge go between the parts.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

SPLIT_MARKER = "<!--paq-post-split-->"
LIFETIME_SECONDS = 24 * 3600
TEMPLATE = "forum/_post.html"
TOPIC_ROW_TEMPLATE = "forum/_topic_row.html"


def _person(user) -> tuple:
    if user is None:
        return ()
    return (user.pk, user.first_name, user.last_name, user.email, user.job_title)


def _key(post, *, moderator: bool, assigned_to_id) -> str:
    attachments = ()
    if post.attachment_count:
        attachments = tuple((a.pk, a.name, a.size) for a in post.attachments.all())
    printed = (
        post.pk,
        post.number,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        post.hidden,
        post.deleted_at is not None,
        post.recommended_at is not None,
        _person(post.author),
        _person(post.recommended_by),
        hashlib.sha256(post.body_html.encode()).hexdigest(),
        attachments,
        moderator and (post.hidden or post.edited_at is not None),
        post.author_id is not None and post.author_id == assigned_to_id,
        get_language(),
    )
    return "paq-forum-post:" + hashlib.sha256(repr(printed).encode()).hexdigest()


def _split(html: str) -> tuple[str, str]:
    head, tail = html.split(SPLIT_MARKER, 1)
    return head, tail


def attach(posts, *, moderator: bool, assigned_to_id) -> None:
    """Give each post `fragment_head` and `fragment_tail` (safe HTML): its shared part,
    split where the reader's own badge goes."""
    keys = {
        post.pk: _key(post, moderator=moderator, assigned_to_id=assigned_to_id) for post in posts
    }
    found = cache.get_many(list(keys.values()))
    missing = {}
    for post in posts:
        parts = found.get(keys[post.pk])
        if parts is None:
            parts = _split(
                render_to_string(
                    TEMPLATE,
                    {
                        "post": post,
                        "moderator": moderator,
                        "assigned_to_id": assigned_to_id,
                        "split_marker": mark_safe(SPLIT_MARKER),  # noqa: S308 - a constant
                    },
                )
            )
            missing[keys[post.pk]] = parts
        post.fragment_head = mark_safe(parts[0])  # noqa: S308 - rendered by our template
        post.fragment_tail = mark_safe(parts[1])  # noqa: S308
    if missing:
        cache.set_many(missing, LIFETIME_SECONDS)


def _topic_key(topic) -> str:
    printed = (
        topic.pk,
        topic.title,
        topic.pinned,
        topic.locked,
        topic.hidden,
        topic.has_expert_answer,
        _person(topic.author),
        topic.created_at.isoformat(),
        topic.post_count,
        topic.last_number,
        topic.last_post_at.isoformat(),
        _person(topic.last_post_author),
        get_language(),
    )
    return "paq-forum-topic-row:" + hashlib.sha256(repr(printed).encode()).hexdigest()


def attach_topic_rows(topics) -> None:
    """Give each topic of a board page `fragment_head`, `fragment_tail` (safe HTML) and
    `url`: its row's shared parts, split where the reader's own link goes."""
    keys = {topic.pk: _topic_key(topic) for topic in topics}
    found = cache.get_many(list(keys.values()))
    missing = {}
    for topic in topics:
        parts = found.get(keys[topic.pk])
        if parts is None:
            url = topic.get_absolute_url()
            head, tail = _split(
                render_to_string(
                    TOPIC_ROW_TEMPLATE,
                    {
                        "topic": topic,
                        "topic_url": url,
                        "split_marker": mark_safe(SPLIT_MARKER),  # noqa: S308 - a constant
                    },
                )
            )
            parts = (head, url, tail)
            missing[keys[topic.pk]] = parts
        topic.fragment_head = mark_safe(parts[0])  # noqa: S308 - rendered by our template
        topic.url = parts[1]
        topic.fragment_tail = mark_safe(parts[2])  # noqa: S308
    if missing:
        cache.set_many(missing, LIFETIME_SECONDS)
