from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PamConfig(AppConfig):
    name = "portal.pam"
    label = "pam"
    verbose_name = "Piani di miglioramento (PAM)"

    def ready(self):
        from . import setup

        post_migrate.connect(setup.grant_staff_permissions, sender=self)
