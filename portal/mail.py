"""Outgoing email always goes through the Django tasks API, after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task


@task()
def send_email(*, subject: str, to: list[str], text: str, html: str | None = None) -> int:
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def absolute_url(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL}{path}"


def queue_email(*, subject: str, to: list[str], text: str, html: str | None = None) -> None:
    # Subjects never carry newlines (header injection); bodies are rendered templates.
    subject = " ".join(subject.splitlines())
    transaction.on_commit(
        lambda: send_email.enqueue(subject=subject, to=list(to), text=text, html=html)
    )


def queue_templated_email(*, template: str, to: list[str], context: dict) -> None:
    """Render `<template>_subject.txt` and `<template>_message.txt` and queue them."""
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    text = render_to_string(f"{template}_message.txt", context)
    queue_email(subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", to=to, text=text)
