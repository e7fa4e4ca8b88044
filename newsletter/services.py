"""Writes of the newsletter: subscriptions (double opt-in, preferences, unsubscribe,
erasure) and sends (test, schedule, start, cancel). The delivery loop itself is in
`delivery.py`."""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import access
from portal.mail import absolute_url, queue_email

from .models import (
    Delivery,
    IssueSend,
    NewsletterIssuePage,
    SendStatus,
    Subscriber,
    SubscriberStatus,
)

logger = logging.getLogger(__name__)

CONSENT_TEXT = (
    "Acconsento a ricevere la newsletter mensile del progetto Valutazione delle "
    "Performance all'indirizzo indicato. L'indirizzo e le preferenze sono trattati solo "
    "per l'invio della newsletter; la newsletter non traccia aperture né clic. Posso "
    "annullare l'iscrizione in ogni momento dal collegamento presente in ogni email e "
    "chiedere la cancellazione dei miei dati dalla pagina delle preferenze."
)
# Nobody can use the form to flood an inbox or the outgoing queue.
IP_LIMIT, IP_WINDOW = 10, 3600
EMAIL_LIMIT, EMAIL_WINDOW = 3, 24 * 3600
EMAIL_MIN_INTERVAL = timedelta(minutes=10)


class RateLimited(ValidationError):
    pass


def normalize_email(value: str) -> str:
    """A clean, lower-case address, or ValidationError (in Italian)."""
    value = (value or "").strip()
    if any(ord(ch) < 32 or ch.isspace() for ch in value) or len(value) > 254:
        raise ValidationError(_("Inserisci un indirizzo email valido."), code="invalid")
    try:
        validate_email(value)
    except ValidationError as error:
        raise ValidationError(_("Inserisci un indirizzo email valido."), code="invalid") from error
    return value.lower()


def _hit(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=window)
        return 1


def _confirmation_url(key: str) -> str:
    return absolute_url(reverse("newsletter:confirm", args=[key]))


def _send_confirmation(subscriber: Subscriber) -> None:
    from django.template.loader import render_to_string

    context = {
        "confirm_url": _confirmation_url(subscriber.confirmation_key),
        "days": settings.NEWSLETTER_CONFIRMATION_DAYS,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    queue_email(
        subject=_("Conferma l'iscrizione alla newsletter"),
        to=[subscriber.email],
        text=render_to_string("newsletter/email/confirm_message.txt", context),
    )


@transaction.atomic
def subscriber_request(*, email: str, regions=(), ip: str | None) -> Subscriber | None:
    """A visitor asks to subscribe: record the consent and mail a confirmation link.

    The answer is the same whatever the address's state (no enumeration); repeated
    requests for one address or from one IP are refused before any email is sent."""
    email = normalize_email(email)
    if ip and _hit(f"newsletter-subscribe-ip:{ip}", IP_WINDOW) > IP_LIMIT:
        raise RateLimited(
            _("Troppe richieste di iscrizione da questa rete: riprova più tardi."),
            code="rate_limited",
        )
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    if subscriber is not None and subscriber.status == SubscriberStatus.ACTIVE:
        return subscriber  # already in: nothing to send, nothing to reveal
    now = timezone.now()
    recently_sent = subscriber is not None and subscriber.confirmation_sent_at
    if recently_sent and now - subscriber.confirmation_sent_at < EMAIL_MIN_INTERVAL:
        return subscriber
    if _hit(f"newsletter-subscribe-email:{email}", EMAIL_WINDOW) > EMAIL_LIMIT:
        return subscriber
    if subscriber is None:
        subscriber = Subscriber(email=email)
    subscriber.status = SubscriberStatus.PENDING
    subscriber.confirmation_key = secrets.token_urlsafe(32)
    subscriber.confirmation_sent_at = now
    subscriber.consent_text = CONSENT_TEXT
    subscriber.consent_at = now
    subscriber.consent_ip = ip
    subscriber.full_clean(exclude=["regions"])
    subscriber.save()
    subscriber.regions.set(regions)
    _send_confirmation(subscriber)
    return subscriber


def _confirmation_expired(subscriber: Subscriber) -> bool:
    sent = subscriber.confirmation_sent_at or subscriber.created_at
    return timezone.now() - sent > timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS)


def pending_by_key(key: str) -> Subscriber | None:
    """The sign-up a confirmation link belongs to, if the link is still good."""
    if not key or len(key) > 64:
        return None
    subscriber = Subscriber.objects.filter(
        confirmation_key=key, status=SubscriberStatus.PENDING
    ).first()
    if subscriber is None or _confirmation_expired(subscriber):
        return None
    return subscriber


@transaction.atomic
def subscriber_confirm(*, key: str, ip: str | None) -> Subscriber:
    subscriber = pending_by_key(key)
    if subscriber is None:
        raise ValidationError(
            _("Il collegamento di conferma non è valido, è già stato usato o è scaduto."),
            code="invalid_key",
        )
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmation_key = ""
    subscriber.confirmed_at = timezone.now()
    subscriber.confirmed_ip = ip
    subscriber.unsubscribed_at = None
    subscriber.bounce_count = 0
    subscriber.save()
    return subscriber


def subscriber_by_token(token: str) -> Subscriber | None:
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()


@transaction.atomic
def subscriber_unsubscribe(*, token: str, send_id: str | int | None = None) -> Subscriber:
    """Leave the list. Idempotent: a replayed link changes nothing more."""
    subscriber = subscriber_by_token(token)
    if subscriber is None:
        raise ValidationError(_("Il collegamento non è valido."), code="invalid_token")
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return subscriber
    was_reachable = subscriber.status in (SubscriberStatus.ACTIVE, SubscriberStatus.BOUNCING)
    subscriber.status = SubscriberStatus.UNSUBSCRIBED
    subscriber.confirmation_key = ""
    subscriber.unsubscribed_at = timezone.now()
    # Counted for the send only if that send really went to this subscriber.
    if (
        was_reachable
        and str(send_id or "").isdigit()
        and Delivery.objects.filter(send_id=int(send_id), subscriber=subscriber).exists()
    ):
        subscriber.unsubscribed_from_send_id = int(send_id)
    subscriber.save()
    return subscriber


@transaction.atomic
def subscriber_update_preferences(*, subscriber: Subscriber, regions) -> Subscriber:
    subscriber.regions.set(regions)
    return subscriber


@transaction.atomic
def subscriber_erase(*, subscriber: Subscriber) -> None:
    """GDPR erasure: the row goes; sends keep their counts without the person."""
    subscriber.delete()


@transaction.atomic
def subscribe_user(*, user, regions=(), ip: str | None) -> Subscriber:
    """A registered user subscribes from their profile. Their address was verified at
    sign-up, so the subscription is active at once (consent recorded all the same)."""
    from allauth.account.models import EmailAddress

    if not EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists():
        raise ValidationError(
            _("Conferma prima il tuo indirizzo email: poi potrai iscriverti."), code="unverified"
        )
    email = normalize_email(user.email)
    subscriber = Subscriber.objects.select_for_update().filter(Q(user=user) | Q(email=email))
    subscriber = subscriber.order_by("pk").first() or Subscriber(email=email)
    now = timezone.now()
    subscriber.email = email
    subscriber.user = user
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmation_key = ""
    subscriber.consent_text = CONSENT_TEXT
    subscriber.consent_at = now
    subscriber.consent_ip = ip
    subscriber.confirmed_at = now
    subscriber.confirmed_ip = ip
    subscriber.unsubscribed_at = None
    subscriber.bounce_count = 0
    subscriber.save()
    subscriber.regions.set(regions)
    return subscriber


def purge_expired_pending() -> int:
    """Unconfirmed sign-ups are forgotten once their link has expired."""
    limit = timezone.now() - timedelta(days=settings.NEWSLETTER_CONFIRMATION_DAYS)
    deleted, _rows = Subscriber.objects.filter(
        status=SubscriberStatus.PENDING, confirmation_sent_at__lt=limit
    ).delete()
    return deleted


# --- Sends ------------------------------------------------------------------------------------


def _check_sendable(issue: NewsletterIssuePage) -> None:
    if not issue.live:
        raise ValidationError(
            _("Il numero non è pubblicato: va prima approvato e pubblicato."), code="not_live"
        )
    if issue.has_unpublished_changes:
        raise ValidationError(
            _(
                "Il numero ha modifiche non ancora approvate: completa la revisione prima "
                "dell'invio."
            ),
            code="unpublished_changes",
        )


def issue_send_test(*, issue: NewsletterIssuePage, user) -> None:
    """The editor receives the issue as subscribers will (latest draft, marked as test)."""
    if not access.can_edit_newsletter(user):
        raise PermissionDenied
    if not user.email:
        raise ValidationError(_("Il tuo profilo non ha un indirizzo email."), code="no_email")
    from .tasks import send_test_issue

    issue = issue.get_latest_revision_as_object()
    from .emails import render_issue

    subject, html, text = render_issue(issue)
    transaction.on_commit(
        lambda: send_test_issue.enqueue(
            subject=f"[PROVA] {subject}", html=html, text=text, to=user.email
        )
    )


@transaction.atomic
def issue_send_schedule(
    *, issue: NewsletterIssuePage, user, when: datetime | None = None
) -> IssueSend:
    """Schedule the send (now when `when` is empty). One live send per issue."""
    if not access.can_send_newsletter(user):
        raise PermissionDenied
    issue = NewsletterIssuePage.objects.select_for_update().get(pk=issue.pk)
    _check_sendable(issue)
    now = timezone.now()
    when = when or now
    if when < now - timedelta(minutes=1):
        raise ValidationError(_("La data di invio è già passata."), code="past")
    if IssueSend.objects.filter(issue=issue).exclude(status=SendStatus.CANCELLED).exists():
        raise ValidationError(
            _("Questo numero è già stato inviato o programmato."), code="already_sent"
        )
    try:
        with transaction.atomic():
            send = IssueSend.objects.create(
                issue=issue, scheduled_for=when, created_by=user, status=SendStatus.SCHEDULED
            )
    except IntegrityError as error:
        raise ValidationError(
            _("Questo numero è già stato inviato o programmato."), code="already_sent"
        ) from error
    from .tasks import start_send, task_backend_defers

    if when <= now:
        transaction.on_commit(lambda: start_send.enqueue(send.pk))
    elif task_backend_defers():
        transaction.on_commit(lambda: start_send.using(run_after=when).enqueue(send.pk))
    # Otherwise `manage.py newsletter_dispatch` (cron) starts it when it falls due.
    return send


@transaction.atomic
def issue_send_cancel(*, send: IssueSend, user) -> IssueSend:
    if not access.can_send_newsletter(user):
        raise PermissionDenied
    updated = IssueSend.objects.filter(pk=send.pk, status=SendStatus.SCHEDULED).update(
        status=SendStatus.CANCELLED
    )
    if not updated:
        raise ValidationError(
            _("L'invio è già partito: non si può più annullare."), code="already_started"
        )
    send.refresh_from_db()
    return send


def send_start(send_id: int) -> bool:
    """Snapshot the issue, write one delivery row per recipient, hand over to workers.
    Only the first caller moves a scheduled send on; later calls do nothing."""
    from .emails import render_issue

    with transaction.atomic():
        send = IssueSend.objects.select_for_update().filter(pk=send_id).first()
        if send is None or send.status != SendStatus.SCHEDULED:
            return False
        if send.scheduled_for > timezone.now():
            return False
        issue = send.issue.specific
        try:
            _check_sendable(issue)
        except ValidationError as error:
            logger.warning("newsletter send %s not started: %s", send.pk, error.messages)
            send.status = SendStatus.CANCELLED
            send.save(update_fields=["status"])
            return False
        send.subject, send.html, send.text = render_issue(issue)
        send.status = SendStatus.SENDING
        send.started_at = timezone.now()
        recipients = Subscriber.objects.filter(status=SubscriberStatus.ACTIVE).values_list(
            "pk", flat=True
        )
        rows = [Delivery(send=send, subscriber_id=pk) for pk in recipients.iterator()]
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        send.recipients = len(rows)
        send.save()
    from .tasks import enqueue_workers

    enqueue_workers(send.pk)
    return True


def start_due_sends() -> int:
    """Start every scheduled send whose time has come (the cron path)."""
    due = IssueSend.objects.filter(
        status=SendStatus.SCHEDULED, scheduled_for__lte=timezone.now()
    ).values_list("pk", flat=True)
    return sum(send_start(pk) for pk in list(due))


# --- Automatic draft ----------------------------------------------------------------------------

MAX_DRAFT_ARTICLES = 6


def issue_draft_from_activity(*, month, user) -> NewsletterIssuePage:
    """A draft issue for the month, filled from what happened on the portal: focus
    articles published, planned articles already online, public documents added,
    upcoming webinars (when the webinar programme exists). The editor cuts and completes."""
    from django.utils.formats import date_format
    from django.utils.text import slugify

    from .models import PlannedIssue
    from .selectors import newsletter_index
    from .sources import (
        articles_published_between,
        month_bounds,
        public_documents_between,
        webinars_available,
        webinars_between,
    )

    if not access.can_edit_newsletter(user):
        raise PermissionDenied
    index = newsletter_index()
    if index is None:
        raise ValidationError(_("Manca la pagina dell'archivio della newsletter."), code="no_index")
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    month = month.replace(day=1)
    start, end = month_bounds(month)
    plan = PlannedIssue.objects.filter(month=month).prefetch_related("articles__page").first()
    label = date_format(month, "F Y")

    body = []
    if plan is not None:
        body.append(
            (
                "editorial",
                {
                    "title": "Editoriale",
                    "text": f"<p>{escape_html(plan.theme)}</p>",
                    "signature": "La redazione",
                },
            )
        )
    pages = []
    if plan is not None:
        pages += [a.page for a in plan.articles.all() if a.page_id and a.page.live]
    pages += list(articles_published_between(start, end)[: MAX_DRAFT_ARTICLES * 2])
    seen = set()
    for page in pages:
        if page.pk in seen or access.area_for_page(page) is not None:
            continue
        seen.add(page.pk)
        if page.specific_class.__name__ == "ContentPage":
            body.append(("focus_article", {"page": page, "summary": ""}))
        if len(seen) >= MAX_DRAFT_ARTICLES:
            break
    for webinar in webinars_between(month, end.date()):
        if webinar.has_recording:
            body.append(
                (
                    "news",
                    {
                        "title": f"Registrazione disponibile: {webinar.title}"[:160],
                        "text": "<p>La registrazione del webinar è disponibile sul portale.</p>",
                        "page": None,
                        "url": webinar.url
                        if webinar.url.startswith("http")
                        else absolute_url(webinar.url or "/"),
                    },
                )
            )
    if webinars_available():
        body.append(("upcoming_webinars", {"title": "Prossimi webinar", "limit": 3}))
    documents = public_documents_between(start, end)[:10]
    if documents:
        body.append(("documents", {"title": "Nuovi documenti", "documents": documents}))

    base_slug = slugify(f"{label}") or f"{month:%Y-%m}"
    slug, n = base_slug, 2
    while index.get_children().filter(slug=slug).exists():
        slug, n = f"{base_slug}-{n}", n + 1
    page = NewsletterIssuePage(
        title=f"Newsletter — {label}",
        slug=slug,
        issue_date=month,
        subject=(f"Newsletter {label}" + (f": {plan.theme}" if plan else ""))[:150],
        intro=(plan.theme if plan else ""),
        live=False,
        owner=user,
    )
    page.body = body
    index.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    if plan is not None and plan.issue_id is None:
        PlannedIssue.objects.filter(pk=plan.pk).update(issue=page)
    return page


def escape_html(value: str) -> str:
    from django.utils.html import escape

    return str(escape(value))
