# gunicorn for GPC. Sync workers stream downloads chunk by chunk; long PDF stamps need a generous timeout.
#
# Sizing (see platform/RUNBOOK.md, "Sizing"): 2 x cores + 1 processes of 4 threads each. A request spends much of
# its time waiting on PostgreSQL and Redis, so threads overlap that wait; processes use the cores (the GIL).
# Each thread keeps one persistent database connection (CONN_MAX_AGE = 60 s), so one web process holds up to
# `workers x threads` connections: 20 on 2 cores. PostgreSQL's max_connections must cover every web process,
# every Celery process (one each) and migrations/cron with room to spare.
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# Recycle workers to bound memory growth, rarely enough that a busy server (200 users make about 100 requests a
# second) does not restart a process every minute: a fresh process pays Django's imports and new connections.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The master loads the application, the URLconf and the search dictionaries once (`when_ready`) and forks every
# worker from it: a worker starts warm instead of spending 1-2 s of CPU on imports and dictionaries on cores that
# serve requests (at start, and whenever max_requests recycles one), and the processes share those pages. Deploys
# start new processes (RUNBOOK "Deploy"), so nothing relies on reloading code into running workers.
preload_app = True


def when_ready(server):
    """In the master, after the application is loaded and before the first worker is forked."""
    from django.db import connections
    from django.urls import get_resolver

    from apps.core.search import warm_up

    warm_up()
    # Django imports the URLconf, and with it every view module (the charts' matplotlib among them), on a process's
    # first request: about half a second of CPU per worker, paid here once instead.
    get_resolver().url_patterns  # noqa: B018 (evaluated for its import)
    # No worker may inherit an open database connection: a socket shared by processes would mix their queries.
    connections.close_all()
