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
