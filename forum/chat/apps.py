from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "forum.chat"
    label = "chat"
    verbose_name = "Chat"

    def ready(self):
        from . import signals  # noqa: F401 - connects the access-change notifications
