from django.apps import AppConfig


class EntiConfig(AppConfig):
    name = "portal.enti"
    label = "enti"
    verbose_name = "Enti e ruoli"
