from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "forum.boards"
    label = "boards"
    verbose_name = "Forum"

    def ready(self):
        from . import signals  # noqa: F401 - every reserved area gets its board
