"""Settings shared by every profile; values come from the environment with safe defaults.

The embedded default (SQLite, in-memory channel layer, local-memory cache, console
email) needs no service; DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and WebSockets through ASGI.
    "daphne",
    "portal.accounts",
    "portal.enti",
    "portal.pages",
    "portal.demo",
    "portal.pam",
    "portal.library",
    "forum.chat",
    "forum.boards",
    "webinar",
    "newsletter",
    "bootstrap_italia_template",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.RequireMFAMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: it answers anonymous page views from the cache once everything above agreed.
    "portal.pagecache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.pages.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite answers concurrent writers with "database is locked" unless it runs in WAL
# mode, takes the write lock at BEGIN (IMMEDIATE) and waits for it (timeout).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
    ),
}

DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
# Keep connections: chat consumers reach the database through a worker thread on every
# action, and opening a connection (plus SQLite's PRAGMAs) each time costs more than the
# query itself.
DATABASES["default"]["CONN_MAX_AGE"] = int(env("CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- ASGI: how many HTTP requests one process runs at once --------------------------
# SQLite writes one transaction at a time: fewer threads waiting on it work faster.
PORTAL_ASGI_MAX_CONCURRENT_REQUESTS = int(
    env(
        "PORTAL_ASGI_MAX_CONCURRENT_REQUESTS",
        # PostgreSQL: each running request holds a connection; two workers at 32 stay
        # well under the server's default 100 clients.
        "16" if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "32",
    )
)

# --- Redis: channel layer and shared cache --------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "forum.chat.layers.ResilientRedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "paq",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background work: the Django tasks API --------------------------------------------
# The demo runs tasks at once; production enqueues them in the database and runs
# `manage.py db_worker` beside the web processes.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Webinars ------------------------------------------------------------------------
# Reminders before each session: (name, minutes before the start), farthest first.
WEBINAR_REMINDERS = [("giorno", 24 * 60), ("ora", 60)]

# --- Accounts (django-allauth) --------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "portal.accounts.validators.ItalianMinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "signup": "portal.accounts.forms.PortalSignupForm",
    "login": "portal.accounts.forms.PortalLoginForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Mail scanners prefetch links: a GET must never confirm an address.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Valutazione delle Performance] "
ACCOUNT_SIGNUP_REDIRECT_URL = "accounts:profile"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Valutazione delle Performance"
# Staff, editors and experts must have a second factor before using the portal.
PORTAL_REQUIRE_MFA = env_bool("PORTAL_REQUIRE_MFA", False)

# --- Chat ---------------------------------------------------------------------------------
# A flood gets a clear refusal: at most this many messages per user in the window.
PORTAL_CHAT_RATE_LIMIT_MESSAGES = int(env("PORTAL_CHAT_RATE_LIMIT_MESSAGES", "8"))
PORTAL_CHAT_RATE_LIMIT_SECONDS = int(env("PORTAL_CHAT_RATE_LIMIT_SECONDS", "10"))

# --- Forum --------------------------------------------------------------------------------
# Attachments to forum posts (types: WAGTAILDOCS_EXTENSIONS); posts per user per minute.
PORTAL_FORUM_ATTACHMENT_MAX_BYTES = int(env("PORTAL_FORUM_ATTACHMENT_MAX_BYTES", "10485760"))
PORTAL_FORUM_RATE_LIMIT_POSTS = int(env("PORTAL_FORUM_RATE_LIMIT_POSTS", "10"))

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Valutazione delle Performance"
PORTAL_BASE_URL = env("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "/account/login/"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAILIMAGES_IMAGE_MODEL = "pages.PortalImage"
WAGTAILDOCS_DOCUMENT_MODEL = "pages.PortalDocument"
# Documents always go through Wagtail's serve view, where the access policy is asked.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "xls",
    "ods",
    "pptx",
    "odp",
    "csv",
    "txt",
    "zip",
]
# Shared-password privacy stores the password in clear: only login/group restrictions.
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAILDOCS_PRIVATE_DOCUMENT_OPTIONS = {"password": False}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Library and unified search: Italian stemming where the backend has it (PostgreSQL
# full-text); the SQLite FTS5 backend has no configuration and ignores the option.
WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "italian"
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("it", "Italiano"), ("en", "English")]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "it"
LANGUAGES = [("it", _("Italiano"))]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Documents live outside MEDIA_ROOT: no web server serves them directly.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PORTAL_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", "Valutazione delle Performance <noreply@paq.example.it>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Newsletter -------------------------------------------------------------------------
NEWSLETTER_FROM_EMAIL = env(
    "NEWSLETTER_FROM_EMAIL", "Newsletter Valutazione delle Performance <newsletter@paq.example.it>"
)
NEWSLETTER_REPLY_TO = env("NEWSLETTER_REPLY_TO", "redazione@paq.example.it")
# Background workers that share one send (each claims its own batches of recipients).
NEWSLETTER_WORKERS = int(env("NEWSLETTER_WORKERS", "2"))
NEWSLETTER_BATCH_SIZE = int(env("NEWSLETTER_BATCH_SIZE", "100"))
# A claimed batch whose worker has not been heard of for this long is taken back.
NEWSLETTER_CLAIM_LEASE_SECONDS = int(env("NEWSLETTER_CLAIM_LEASE_SECONDS", "300"))
NEWSLETTER_MAX_ATTEMPTS = int(env("NEWSLETTER_MAX_ATTEMPTS", "5"))
NEWSLETTER_BOUNCE_THRESHOLD = int(env("NEWSLETTER_BOUNCE_THRESHOLD", "3"))
NEWSLETTER_CONFIRMATION_DAYS = int(env("NEWSLETTER_CONFIRMATION_DAYS", "7"))
# Delivery marks commit without waiting for the disk on PostgreSQL (see newsletter/delivery.py).
NEWSLETTER_ASYNC_COMMIT = env_bool("NEWSLETTER_ASYNC_COMMIT", True)

# --- Security defaults shared by all profiles -----------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
