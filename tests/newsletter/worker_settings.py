"""Settings of the real `db_worker` processes started by the PostgreSQL worker test:
the test database, the database tasks backend and SMTP to the test's sink."""

import os

import dj_database_url

from portal.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=0)}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["NEWSLETTER_SMTP_PORT"])
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "20"))
NEWSLETTER_CLAIM_LEASE_SECONDS = int(os.environ.get("NEWSLETTER_CLAIM_LEASE_SECONDS", "300"))
