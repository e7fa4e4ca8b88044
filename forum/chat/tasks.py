from django_tasks import task

from .services import purge_expired_messages


@task()
def purge_expired_chat_messages() -> int:
    return purge_expired_messages()
