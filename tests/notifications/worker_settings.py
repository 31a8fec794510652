"""Settings for the Celery worker the notification tests start: the test settings, plus e-mails written to
files (so the test can count what a killed and restarted worker really sent) and small fan-out chunks
(so a kill can land between chunks)."""

import os

from config.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ.get("GPC_TEST_EMAIL_DIR", "/tmp/gpc-test-emails")
NOTIFICATIONS_FANOUT_CHUNK_SIZE = int(os.environ.get("NOTIFICATIONS_FANOUT_CHUNK_SIZE", "1000"))
