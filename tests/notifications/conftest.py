"""Fixtures for the notification tests: a real Celery worker as a subprocess, e-mails counted in files."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.companies.models import Membership, Role
from tests.polling import wait_for

REPO = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


class Worker:
    """`celery worker -P solo` on the notifications queue, talking to this test database."""

    def __init__(self, tmp_path: Path, *, broker_url: str | None = None, chunk_size: int = 1000):
        self.log_path = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        self.email_dir = tmp_path / "emails"
        self.email_dir.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            "GPC_TEST_EMAIL_DIR": str(self.email_dir),
            "NOTIFICATIONS_FANOUT_CHUNK_SIZE": str(chunk_size),
            "PYTHONPATH": str(REPO),
        }
        if broker_url:
            self.env["TEST_REDIS_URL"] = broker_url
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        before = self.log_path.read_text(errors="replace").count(" ready.") if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [CELERY, "-A", "config", "worker", "-Q", "notifications,default", "-P", "solo", "-l", "info",
             "-n", f"notif-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_for(lambda: self.log_path.read_text(errors="replace").count(" ready.") > before or self._died(),
                 timeout=60, what="the worker to be ready")
        if self._died():
            raise AssertionError(f"worker died at start:\n{self.log()}")
        return self

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, no cleanup — a machine losing power."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGQUIT)  # cold shutdown: the tests are over, no need to wait
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def emails_per_notification(self) -> Counter:
        """How many e-mails each notification id really produced, read from the files the backend wrote."""
        counts: Counter = Counter()
        for path in self.email_dir.glob("*.log"):
            counts.update(re.findall(r"^X-GPC-Notification: (\d+)$", path.read_text(errors="replace"), re.M))
        return counts

    def direct_emails(self) -> list[str]:
        return [path.read_text(errors="replace") for path in self.email_dir.glob("*.log")]


@pytest.fixture
def start_worker(tmp_path: Path, django_db_setup: Any) -> Iterator[Callable[..., Worker]]:
    import redis
    from django.conf import settings

    # A fresh queue: messages left by an earlier run (or a killed worker's unacked ones) must not leak in.
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    workers: list[Worker] = []

    def start(**options: Any) -> Worker:
        worker = Worker(tmp_path, **options)
        workers.append(worker)
        return worker.start()

    yield start
    for worker in workers:
        worker.stop()


@contextmanager
def celery_broker(url: str) -> Iterator[None]:
    """Point this process's Celery app at another broker for a while (connection pools reset)."""
    from config.celery_app import app

    previous = app.conf.broker_url
    app.conf.broker_url = url
    app._after_fork()
    try:
        yield
    finally:
        app.conf.broker_url = previous
        app._after_fork()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A private redis-server this test can stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: _pings(redis.Redis.from_url(self.url, socket_connect_timeout=0.2)), timeout=10,
                 what="redis-server")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _pings(client: Any) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


@pytest.fixture
def private_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def make_people(count: int, *, company: Any, language: str = "en", prefix: str = "p") -> list[User]:
    """Many members of `company` at once (bulk inserts: the tests are about fan-out, not sign-up)."""
    tag = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create([
        User(email=f"{prefix}{index}-{tag}@bulk.test", full_name=f"Person {index}", preferred_language=language,
             password="!")
        for index in range(count)
    ])
    Membership.objects.bulk_create([Membership(company=company, user=user, role=Role.MEMBER) for user in users])
    return users
