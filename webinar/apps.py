from django.apps import AppConfig


class WebinarConfig(AppConfig):
    name = "webinar"
    label = "webinar"
    verbose_name = "Webinar"

    def ready(self):
        from . import signals  # noqa: F401 - chat room and change notices on publish
