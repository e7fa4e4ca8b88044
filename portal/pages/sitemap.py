from django.contrib.auth.models import AnonymousUser
from wagtail.contrib.sitemaps import Sitemap

from portal import access


class PublicSitemap(Sitemap):
    """Only what an anonymous visitor may see (Wagtail's `.public()` plus the policy)."""

    def items(self):
        return access.visible_pages(AnonymousUser(), super().items())
