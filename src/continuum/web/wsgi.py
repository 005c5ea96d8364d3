"""The WSGI application granian serves. It refuses to start when a system check fails (a malformed access policy)."""

import os

from django.core import checks
from django.core.management.base import SystemCheckError
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "continuum.web.settings")
application = get_wsgi_application()

_problems = [message for message in checks.run_checks(tags=["continuum"]) if message.is_serious()]
if _problems:
    raise SystemCheckError("The service cannot start:\n" + "\n".join(str(p) for p in _problems))
