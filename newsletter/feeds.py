"""RSS and Atom feeds of the public archive (django.contrib.syndication)."""

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from portal import access

from .models import NewsletterIssuePage

FEED_ITEMS = 20


class IssuesRssFeed(Feed):
    title = "Newsletter — Valutazione delle Performance"
    link = "/newsletter/"
    description = "I numeri della newsletter mensile del progetto Valutazione delle Performance."

    def items(self):
        return (
            access.public_pages(NewsletterIssuePage.objects.live())
            .defer_streamfields()
            .order_by("-issue_date", "-pk")[:FEED_ITEMS]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.intro or item.search_description

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at or timezone.make_aware(
            datetime.combine(item.issue_date, time(9))
        )

    def item_updateddate(self, item):
        return item.last_published_at


class IssuesAtomFeed(IssuesRssFeed):
    feed_type = Atom1Feed
    subtitle = IssuesRssFeed.description
