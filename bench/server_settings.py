"""Settings of the LOAD benchmark's gunicorn: the test settings (bench database, Redis db 15/14) with the one
production behaviour they switch off on purpose: persistent database connections (production.py keeps them
60 s). Without it every request of the load test would pay a new PostgreSQL backend, which production never
does."""

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, env

DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
