from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_structure(sender, **kwargs):
    from .setup import ensure_site_structure

    ensure_site_structure()


class PagesConfig(AppConfig):
    name = "portal.pages"
    label = "pages"
    verbose_name = "Pagine del portale"

    def ready(self):
        post_migrate.connect(_ensure_structure, sender=self, dispatch_uid="paq_site_structure")
        self._connect_page_cache()

    @staticmethod
    def _connect_page_cache():
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import Page, PageViewRestriction
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from portal import pagecache

        # Anything that changes what a public page shows starts a new cache generation;
        # a restriction added or removed changes which pages are public at all.
        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(pagecache.content_changed, dispatch_uid=f"paq_page_cache_{id(signal)}")
        post_delete.connect(
            pagecache.content_changed, sender=Page, dispatch_uid="paq_page_cache_del"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                pagecache.content_changed,
                sender=PageViewRestriction,
                dispatch_uid=f"paq_page_cache_restriction_{id(signal)}",
            )
        post_save.connect(
            pagecache.content_changed,
            sender="pages.PortalSettings",
            dispatch_uid="paq_page_cache_set",
        )
