"""The portal's production settings, with the registration-rush benchmark's URLconf: the
portal's URLs plus the minimal registration view it is compared with, so both are served
by the same server processes, middleware and database."""

from portal.settings.production import *  # noqa: F403

ROOT_URLCONF = "tests.bench.webinar_site"
