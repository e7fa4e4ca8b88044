from django.apps import AppConfig


class WebinarConfig(AppConfig):
    name = "webinar"
    label = "webinar"
    verbose_name = "Webinar"
