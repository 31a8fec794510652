"""The test suite: real PostgreSQL and Redis (the Makefile checks they are reachable first); the fuzzer also runs on
the embedded SQLite default (TEST_DATABASE_URL=sqlite://...)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env, server_side_binding

DATABASES["default"] = env.db("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/postgres")
DATABASES["default"]["CONN_MAX_AGE"] = 0
# As production binds and prepares (base.py), so does the suite: a query PostgreSQL cannot type without its
# values fails here first. The benchmarks measure the same way: Django's test client keeps the connection (and
# its prepared statements) from request to request, as a web thread does for CONN_MAX_AGE.
server_side_binding(DATABASES["default"])
# Each concurrent run (a developer's, CI's, a benchmark's) can pick its own database and Redis db.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_gpc")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default's path, for the runs that check it (make test / make fuzz run the fuzzer on SQLite
    # too): a database file made just for that run, under var/.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / f"{DATABASES['default']['TEST']['NAME']}.sqlite3")}

# Redis dbs: broker at base + 2n, cache at base + 2n + 1, n = the pytest-xdist worker number, so parallel
# workers (and a second developer's run with another TEST_REDIS_DB_BASE) never share a queue or a cache.
_worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
_redis_base = env.int("TEST_REDIS_DB_BASE", default=1) + 2 * _worker
# A developer running several suites at once can also give each its own Redis server.
_redis_server = env("TEST_REDIS_SERVER", default="127.0.0.1:6379")
REDIS_URL = env("TEST_REDIS_URL", default=f"redis://{_redis_server}/{_redis_base}")
CELERY_BROKER_URL = REDIS_URL
# Tests that need a worker start a real one; everything else sees tasks queued, not run inline.
CELERY_TASK_ALWAYS_EAGER = False
# The cache (throttles, axes) gets its own Redis db: tests flush it between cases without touching the broker.
CACHES = {"default": {"BACKEND": "apps.core.cache.RedisCache",
                      "LOCATION": env("TEST_CACHE_URL", default=f"redis://{_redis_server}/{_redis_base + 1}")}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PRIVATE_STORAGE_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT)}},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_STORAGE_ROOT)}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEBUG = False
# Issue 18: a document's scan runs in the upload's transaction, as if a worker had finished it at once (tests that
# need a scan pending or a real worker turn this off).
DATAROOMS_SCAN_INLINE = True
