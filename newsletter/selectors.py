"""Reads of the newsletter: the editorial calendar, late items, send progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from .models import (
    Delivery,
    DeliveryStatus,
    IssueSend,
    NewsletterIndexPage,
    NewsletterIssuePage,
    PlannedArticle,
    PlannedIssue,
)
from .sources import articles_published_between, month_bounds, webinars_between


def newsletter_index() -> NewsletterIndexPage | None:
    return NewsletterIndexPage.objects.order_by("pk").first()


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class CalendarMonth:
    month: date
    plans: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    articles: list = field(default_factory=list)
    planned_articles: list = field(default_factory=list)
    webinars: list = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.plans or self.issues or self.articles or self.planned_articles or self.webinars
        )


def editorial_calendar(first_month: date, months: int = 6) -> list[CalendarMonth]:
    """Month by month: planned issues, issue pages, focus articles, webinars.
    A fixed number of queries whatever the number of rows."""
    first_month = first_month.replace(day=1)
    end_month = add_months(first_month, months)
    calendar = {
        add_months(first_month, n): CalendarMonth(add_months(first_month, n)) for n in range(months)
    }

    plans = (
        PlannedIssue.objects.filter(month__gte=first_month, month__lt=end_month)
        .select_related("owner", "issue")
        .prefetch_related(
            Prefetch("articles", queryset=PlannedArticle.objects.select_related("owner"))
        )
    )
    for plan in plans:
        calendar[plan.month.replace(day=1)].plans.append(plan)
    for article in PlannedArticle.objects.filter(
        deadline__gte=first_month, deadline__lt=end_month
    ).select_related("plan", "owner"):
        calendar[article.deadline.replace(day=1)].planned_articles.append(article)
    for issue in (
        NewsletterIssuePage.objects.filter(issue_date__gte=first_month, issue_date__lt=end_month)
        .defer_streamfields()
        .order_by("issue_date")
    ):
        calendar[issue.issue_date.replace(day=1)].issues.append(issue)
    start, _end = month_bounds(first_month)
    _start, end = month_bounds(add_months(first_month, months - 1))
    for page in articles_published_between(start, end):
        local = timezone.localtime(page.first_published_at).date().replace(day=1)
        calendar[local].articles.append(page)
    for webinar in webinars_between(first_month, end_month):
        if webinar.starts_at:
            local = timezone.localtime(webinar.starts_at).date().replace(day=1)
            if local in calendar:
                calendar[local].webinars.append(webinar)
    return list(calendar.values())


def late_plans(today: date | None = None):
    return PlannedIssue.objects.late(today).select_related("owner").order_by("deadline")


def late_articles(today: date | None = None):
    return PlannedArticle.objects.late(today).select_related("owner", "plan").order_by("deadline")


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


def sends_with_progress():
    """Every send with its counts, in one query."""
    return (
        IssueSend.objects.select_related("issue", "created_by")
        .annotate(
            sent=_count(DeliveryStatus.SENT),
            failed=_count(DeliveryStatus.FAILED),
            pending=Count(
                "deliveries",
                filter=Q(deliveries__status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]),
            ),
            uncertain=_count(DeliveryStatus.UNCERTAIN),
            skipped=_count(DeliveryStatus.SKIPPED),
        )
        .order_by("-scheduled_for")
    )


def send_progress(send: IssueSend) -> dict:
    counts = dict(
        Delivery.objects.filter(send=send)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    retrying = Delivery.objects.filter(
        send=send, status=DeliveryStatus.PENDING, attempts__gt=0
    ).count()
    total = send.recipients
    sent = counts.get(DeliveryStatus.SENT, 0)
    return {
        "recipients": total,
        "sent": sent,
        "failed": counts.get(DeliveryStatus.FAILED, 0),
        "pending": counts.get(DeliveryStatus.PENDING, 0) + counts.get(DeliveryStatus.CLAIMED, 0),
        "retrying": retrying,
        "uncertain": counts.get(DeliveryStatus.UNCERTAIN, 0),
        "skipped": counts.get(DeliveryStatus.SKIPPED, 0),
        "unsubscribes": send.unsubscribes.count(),
        "percent": round(
            100
            * (
                total
                - counts.get(DeliveryStatus.PENDING, 0)
                - counts.get(DeliveryStatus.CLAIMED, 0)
            )
            / total
        )
        if total
        else 100,
    }


def recent_failures(send: IssueSend, limit: int = 20):
    return (
        Delivery.objects.filter(send=send, status=DeliveryStatus.FAILED)
        .select_related("subscriber")
        .order_by("-pk")[:limit]
    )


def default_calendar_start() -> date:
    return add_months(timezone.localdate().replace(day=1), -1)


def month_from_param(value: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except (TypeError, ValueError):
        return None
