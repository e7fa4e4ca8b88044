from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LibraryConfig(AppConfig):
    name = "portal.library"
    label = "library"
    verbose_name = "Biblioteca metodologica e banche dati"

    def ready(self):
        from . import setup, signals  # noqa: F401 - signals connects the receivers

        post_migrate.connect(setup.ensure_library, sender=self)
