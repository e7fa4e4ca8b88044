"""Notifications and emails run as background tasks (Django tasks API).

Each recipient is asked about afresh (the access policy, at the time the task runs):
someone who lost access to a board in between gets nothing, not even a title.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from portal import access

from .models import (
    EmailMode,
    ForumPreference,
    Notification,
    NotificationKind,
    Post,
    Subscription,
)
from .rendering import mentioned_handles

UNSUBSCRIBE_SALT = "forum-topic-unsubscribe"


def unsubscribe_token(user_id: int, topic_id: int) -> str:
    return signing.dumps({"u": user_id, "t": topic_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=60 * 60 * 24 * 365)
        return int(data["u"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def _mentioned_users(post: Post):
    User = get_user_model()
    users = []
    for handle in mentioned_handles(post.body):
        first, _dot, last = handle.partition(".")
        users.extend(
            User.objects.filter(
                is_active=True,
                first_name__iexact=first.replace("-", " "),
                last_name__iexact=last.replace("-", " "),
            )
        )
    return users


def _recipients(post: Post, new_topic: bool) -> dict[int, tuple]:
    """user id -> (user, kind): the strongest reason wins (assigned > mention > follow)."""
    topic = post.topic
    wanted: dict[int, tuple] = {}
    followers = Subscription.objects.filter(topic=topic).select_related("user")
    if new_topic:
        followers = Subscription.objects.filter(board=topic.board).select_related("user")
    kind = NotificationKind.NEW_TOPIC if new_topic else NotificationKind.REPLY
    for subscription in followers:
        wanted[subscription.user_id] = (subscription.user, kind)
    for user in _mentioned_users(post):
        wanted[user.pk] = (user, NotificationKind.MENTION)
    if new_topic and topic.assigned_to_id:
        wanted[topic.assigned_to_id] = (topic.assigned_to, NotificationKind.ASSIGNED)
    wanted.pop(post.author_id, None)
    return {
        user_id: (user, kind)
        for user_id, (user, kind) in wanted.items()
        if user.is_active and access.can_view_post(user, post)
    }


def _create_notifications(post: Post, recipients: dict[int, tuple]) -> list[Notification]:
    created = []
    for user, kind in recipients.values():
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user, kind=kind, topic=post.topic, post=post, actor=post.author
                    )
                )
        except IntegrityError:
            continue  # the task ran twice for this post: notified once
    return created


def _email_mode(user) -> str:
    preference = ForumPreference.objects.filter(user=user).first()
    return preference.email_mode if preference else EmailMode.IMMEDIATE


def _send(user, *, subject: str, template: str, context: dict, topic_id: int | None) -> None:
    context = {**context, "user": user}
    headers = {}
    if topic_id is not None:
        unsubscribe_url = _absolute(
            reverse("boards:unsubscribe", kwargs={"token": unsubscribe_token(user.pk, topic_id)})
        )
        context["unsubscribe_url"] = unsubscribe_url
        # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL.
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    context["preferences_url"] = _absolute(reverse("boards:notifications"))
    text = render_to_string(f"forum/email/{template}.txt", context)
    subject = " ".join(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}".splitlines())
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers=headers,
    )
    message.send()


def _email_now(notifications: list[Notification], post: Post) -> int:
    sent = 0
    for notification in notifications:
        user = notification.user
        if _email_mode(user) != EmailMode.IMMEDIATE:
            continue
        _send(
            user,
            subject=f"{notification.get_kind_display()}: {post.topic.title}",
            template="notification",
            context={
                "notification": notification,
                "post": post,
                "topic": post.topic,
                "post_url": _absolute(post.get_absolute_url()),
            },
            topic_id=post.topic_id,
        )
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


@task()
def notify_post(*, post_id: int, new_topic: bool = False) -> int:
    """On-site notifications for a new post, and an email to those who want one now."""
    post = (
        Post.objects.select_related("topic__board__area__ente", "topic__assigned_to", "author")
        .filter(pk=post_id)
        .first()
    )
    if post is None or post.is_deleted:
        return 0
    notifications = _create_notifications(post, _recipients(post, new_topic))
    return _email_now(notifications, post)


@task()
def notify_recommended(*, post_id: int, actor_id: int) -> int:
    post = (
        Post.objects.select_related("topic__board__area__ente", "author").filter(pk=post_id).first()
    )
    if post is None or post.author is None or not access.can_view_post(post.author, post):
        return 0
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=post.author,
                kind=NotificationKind.RECOMMENDED,
                topic=post.topic,
                post=post,
                actor_id=actor_id,
            )
    except IntegrityError:
        return 0
    return _email_now([notification], post)


@task()
def send_forum_digests() -> int:
    """One email per person in digest mode with what arrived since the last one.
    Run it daily (cron: `manage.py forum_digest`, or a scheduled task)."""
    sent = 0
    now = timezone.now()
    preferences = ForumPreference.objects.filter(email_mode=EmailMode.DAILY).select_related("user")
    for preference in preferences:
        user = preference.user
        pending = list(
            Notification.objects.filter(user=user, emailed_at__isnull=True, read_at__isnull=True)
            .select_related("topic__board__area__ente", "post", "actor")
            .order_by("created_at")[:200]
        )
        # Asked again now: access may have changed since the notification was made.
        visible = [n for n in pending if user.is_active and access.can_view_post(user, n.post)]
        if visible:
            topics = {}
            for notification in visible:
                topics.setdefault(notification.topic_id, []).append(notification)
            _send(
                user,
                subject=f"Riepilogo del forum: {len(visible)} novità",
                template="digest",
                context={
                    "groups": [
                        {
                            "topic": items[0].topic,
                            "items": items,
                            "url": _absolute(items[-1].post.get_absolute_url()),
                            "unsubscribe_url": _absolute(
                                reverse(
                                    "boards:unsubscribe",
                                    kwargs={"token": unsubscribe_token(user.pk, topic_id)},
                                )
                            ),
                        }
                        for topic_id, items in topics.items()
                    ],
                },
                topic_id=None,
            )
            sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
        ForumPreference.objects.filter(pk=preference.pk).update(last_digest_at=now)
    return sent
