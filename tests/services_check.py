"""Before the suite: PostgreSQL and Redis must answer on 127.0.0.1, or we say how to start them."""

import os
import sys

import psycopg
import redis

PG = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_REDIS_URL", f"redis://{os.environ.get('TEST_REDIS_SERVER', '127.0.0.1:6379')}/1")

problems = []
try:
    psycopg.connect(PG.replace("postgres://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:
    problems.append(
        f"PostgreSQL is not reachable at {PG} ({exc.__class__.__name__}).\n"
        "  Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
    )
try:
    redis.Redis.from_url(REDIS, socket_connect_timeout=3).ping()
except Exception as exc:
    problems.append(
        f"Redis is not reachable at {REDIS} ({exc.__class__.__name__}).\n"
        '  Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no'
    )
if problems:
    print("make test needs real services:\n" + "\n".join(problems), file=sys.stderr)
    sys.exit(2)
print("services: PostgreSQL and Redis reachable")
