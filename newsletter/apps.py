from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_structure(sender, **kwargs):
    from .setup import ensure_newsletter_index

    ensure_newsletter_index()


class NewsletterConfig(AppConfig):
    name = "newsletter"
    label = "newsletter"
    verbose_name = "Newsletter"

    def ready(self):
        post_migrate.connect(_ensure_structure, sender=self, dispatch_uid="paq_newsletter_index")
