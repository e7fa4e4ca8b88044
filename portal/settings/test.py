"""Fast, deterministic settings for the test suite."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, SQLITE_OPTIONS

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ARTIFACTS = BASE_DIR / ".test-artifacts"
ARTIFACTS.mkdir(exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that live-server threads and the test share one database;
    # one per process so that parallel runs never meet.
    _test_db = str(ARTIFACTS / f"test-{os.getpid()}.sqlite3")
    DATABASES["default"]["NAME"] = _test_db
    DATABASES["default"]["TEST"] = {"NAME": _test_db}
    DATABASES["default"]["OPTIONS"] = dict(SQLITE_OPTIONS)
elif os.environ.get("TEST_DATABASE_NAME"):
    # Lets two PostgreSQL runs share one server without meeting in one test database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
# Each test opens what it needs: no connection outlives a test or crosses a fork.
DATABASES["default"]["CONN_MAX_AGE"] = 0
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
MEDIA_ROOT = ARTIFACTS / f"media-{os.getpid()}"
PRIVATE_MEDIA_ROOT = ARTIFACTS / f"private-{os.getpid()}"
