"""Settings for the test suite: the real settings, with a test secret and plain static storage."""

import os
import tempfile

os.environ.setdefault("CONTINUUM_SECRET_KEY", "test-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("CONTINUUM_HTTPS", "false")
# Most tests sign in with force_login; tests/web/test_two_factor.py turns codes back on.
os.environ.setdefault("CONTINUUM_REQUIRE_2FA", "false")
# The browser tests run Playwright's sync API (an event loop) in this process; Django's ORM would
# otherwise refuse to run in the same thread afterwards. The served site runs in its own process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("CONTINUUM_VAR_DIR", tempfile.mkdtemp(prefix="continuum-test-var-"))

from continuum.web.settings import *  # noqa: E402,F403

# Hashed static names need collectstatic; Django tests render templates without it.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (WhiteNoise warns when it is missing)
