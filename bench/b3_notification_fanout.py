"""B3: one event fanned out to 10,000 people end to end through a real Celery worker, against the floor.

* fan-out: from the start of the transaction that calls notify() (outbox row with 10,000 recipient ids)
  through commit, enqueue on Redis, pickup by a running `celery worker -P solo`, the access check on the
  target, preferences, rendering per language and chunked INSERT ... ON CONFLICT DO NOTHING, until the
  outbox row says delivered.
* floor: the same 10,000 Notification rows built and bulk-inserted in one transaction in this process.

ratio = floor time / fan-out time (higher is better; goal >= 0.3). Median of three interleaved rounds;
each round's rows are deleted and the table vacuumed afterwards (not timed; autovacuum is off on the development
cluster). Each round also times its chunks from the rows' own insert stamps: a chunk late in the fan-out must cost
what one early in it did. Recipients prefer "in the app only" for the kind
used (membership.role_changed's default), so no e-mail is sent: the benchmark is about the fan-out.

Called by `python -m bench` with Django already set up on the `bench_gpc` database, or standalone:
`python -m bench.b3_notification_fanout` (prepares the same database and Redis db as `make bench`).
"""

from __future__ import annotations

import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

TARGET = 0.3
USES_SCALE_DATASET = False
RECIPIENTS = 10_000 * int(os.environ.get("BENCH_SCALE", "1") or 1)
ROUNDS = 3
MARKER = "bench:notifications:v1"
REPO = Path(__file__).resolve().parent.parent


def ensure_recipients() -> tuple[Any, list[int]]:
    """A verified company with 10,000 members (times BENCH_SCALE) (30% reading Chinese), created once per database."""
    from django.contrib.auth.models import Group
    from django.db import transaction

    from apps.accounts.models import User
    from apps.companies.models import Company, Membership, Role, VerificationStatus

    company = Company.objects.filter(name_en=MARKER).first()
    if company is not None and Membership.objects.filter(company=company).count() == RECIPIENTS:
        return company, list(Membership.objects.filter(company=company).order_by("user_id")
                             .values_list("user_id", flat=True))
    with transaction.atomic():
        if company is not None:
            Membership.objects.filter(company=company).delete()
        else:
            group = Group.objects.create(name=f"company:bench:{uuid.uuid4().hex[:8]}")
            company = Company.objects.create(group=group, name_en=MARKER, name_zh="基准测试公司", kind="biotech",
                                             country="CN", verification_status=VerificationStatus.VERIFIED)
        tag = uuid.uuid4().hex[:6]
        users = User.objects.bulk_create([
            User(email=f"b3-{index}-{tag}@bench.test", full_name=f"Bench Person {index}", password="!",  # noqa: S106 (unusable)
                 preferred_language="zh-hans" if index % 10 < 3 else "en")
            for index in range(RECIPIENTS)
        ], batch_size=2000)
        Membership.objects.bulk_create([Membership(company=company, user=user, role=Role.MEMBER) for user in users],
                                       batch_size=2000)
    return company, sorted(user.pk for user in users)


class _Worker:
    def __init__(self) -> None:
        self.log = Path(tempfile.mkdtemp(prefix="gpc-b3-")) / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        celery = str(Path(sys.executable).with_name("celery"))
        self.process = subprocess.Popen(
            [celery, "-A", "config", "worker", "-Q", "notifications", "-P", "solo", "-l", "info",
             "-n", f"b3-{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO, env=env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while " ready." not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"B3 worker did not start:\n{self.log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def _wait_delivered(event_id: int, timeout: float = 240) -> None:
    from apps.notifications.models import EventStatus, OutboxEvent

    deadline = time.monotonic() + timeout
    while True:
        status = OutboxEvent.objects.filter(pk=event_id).values_list("status", flat=True).first()
        if status == EventStatus.DONE:
            return
        if status == EventStatus.FAILED or time.monotonic() > deadline:
            raise RuntimeError(f"B3 fan-out of event {event_id} ended {status}")
        time.sleep(0.005)


def _fan_out(company: Any, recipient_ids: list[int]) -> tuple[float, int]:
    from django.db import transaction

    from apps.notifications.services import notify

    started = time.perf_counter()
    with transaction.atomic():
        event = notify(kind="membership.role_changed", recipients=recipient_ids, target=company,
                       context={"company": company.name_en, "company_zh": company.name_zh, "role": "member",
                                "previous_role": "viewer"})
    _wait_delivered(event.pk)
    return time.perf_counter() - started, event.pk


def _lost_and_duplicated(event_id: int, recipient_ids: list[int]) -> tuple[int, int]:
    """Recipients without their notification, and notifications beyond one per recipient (SQL, not counts)."""
    from apps.notifications.models import Notification

    delivered = list(Notification.objects.filter(event_id=event_id).values_list("recipient_id", flat=True))
    return len(set(recipient_ids) - set(delivered)), len(delivered) - len(set(delivered))


def _chunk_profile(event_id: int) -> tuple[float, float]:
    """Median time of one chunk early and late in the fan-out (ms): the first and the last tenth of the chunks.
    Each row's created_at is stamped when its chunk's INSERT is compiled, so the time from one chunk's stamp to
    the next one's is a whole cycle: that chunk's insert and commit, then the next chunk's reads and rendering."""
    from apps.notifications.delivery import chunk_size
    from apps.notifications.models import Notification

    size = chunk_size()
    rows = sorted(Notification.objects.filter(event_id=event_id).values_list("recipient_id", "created_at"))
    starts = [min(created for _pk, created in rows[index:index + size]) for index in range(0, len(rows), size)]
    cycles = [(later - earlier).total_seconds() * 1000 for earlier, later in itertools.pairwise(starts)]
    if not cycles:
        return 0.0, 0.0
    tenth = max(1, len(cycles) // 10)
    return statistics.median(cycles[:tenth]), statistics.median(cycles[-tenth:])


def _floor(company: Any, recipient_ids: list[int], template: Any) -> tuple[float, int]:
    """The same rows, built and inserted in one transaction with one bulk insert."""
    from django.db import transaction

    from apps.notifications.models import Notification, OutboxEvent

    event = OutboxEvent.objects.create(kind="membership.role_changed", recipient_ids=[], status="done")
    started = time.perf_counter()
    with transaction.atomic():
        Notification.objects.bulk_create([
            Notification(event_id=event.pk, recipient_id=pk, kind=template.kind, target_type_id=template.target_type_id,
                         target_id=template.target_id, title=template.title, body=template.body, url=template.url,
                         language=template.language, email_status=template.email_status)
            for pk in recipient_ids
        ])
    return time.perf_counter() - started, event.pk


def _forget(event_id: int) -> None:
    from apps.notifications.models import Notification, OutboxEvent

    Notification.objects.filter(event_id=event_id).delete()
    OutboxEvent.objects.filter(pk=event_id).delete()
    _vacuum("notifications_notification", "notifications_outboxevent")


def _vacuum(*tables: str) -> None:
    """VACUUM ANALYZE, as autovacuum does in production (it is off on the development cluster). Without it every
    round inserts into a table holding the dead rows of all earlier rounds (200,000 more per round at 10x), and
    the recipient tables, made by one bulk insert, have no statistics at all. Not timed."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')


def run(ctx: dict[str, Any]) -> list[str]:
    from apps.notifications.delivery import chunk_size
    from apps.notifications.models import Notification

    company, recipient_ids = ensure_recipients()
    _vacuum("accounts_user", "companies_membership", "notifications_notificationpreference",
            "notifications_notification", "notifications_outboxevent")
    worker = _Worker()
    worker.start()
    try:
        # Warm-up: imports, connections, templates and translations loaded in the worker.
        _elapsed, warm_id = _fan_out(company, recipient_ids[:50])
        _forget(warm_id)
        fan_outs, floors, profiles = [], [], []
        for _round in range(ROUNDS):
            elapsed, event_id = _fan_out(company, recipient_ids)
            lost, duplicated = _lost_and_duplicated(event_id, recipient_ids)
            if lost or duplicated:
                raise RuntimeError(f"B3 lost {lost} and duplicated {duplicated} of {RECIPIENTS} recipients")
            template = Notification.objects.filter(event_id=event_id).first()
            fan_outs.append(elapsed)
            profiles.append(_chunk_profile(event_id))
            _forget(event_id)
            elapsed, floor_event = _floor(company, recipient_ids, template)
            floors.append(elapsed)
            _forget(floor_event)
    finally:
        worker.stop()
    fan_out, floor = statistics.median(fan_outs), statistics.median(floors)
    ratio = floor / fan_out
    early, late = (statistics.median(values) for values in zip(*profiles, strict=True))
    ctx["b3"] = {"fan_out_s": fan_out, "floor_s": floor, "ratio": ratio, "chunk_early_ms": early,
                 "chunk_late_ms": late}
    from bench._measure import record_growth

    record_growth(ctx, "B3", fan_out * 1000, f"fan-out to {RECIPIENTS:,} people, median of {ROUNDS}",
                  note="0 recipients lost, 0 duplicated in every round")
    return [
        f"B3 notification-fanout ratio={ratio:.2f} target=>={TARGET} {'ok' if ratio >= TARGET else 'MISSED'}",
        f"   (fan-out of one event to {RECIPIENTS:,} people through a real worker: median {fan_out * 1000:.0f} ms; "
        f"floor, one bulk insert of the same rows: median {floor * 1000:.0f} ms; {ROUNDS} rounds; every round "
        f"checked: no recipient lost or duplicated)",
        f"   (one chunk of {chunk_size():,}, insert to insert: {early:.0f} ms in the first tenth of the fan-out, "
        f"{late:.0f} ms in the last tenth (x{late / early if early else 0:.2f}); medians over the rounds)",
    ]


if __name__ == "__main__":
    from bench.__main__ import _prepare_environment

    _prepare_environment()
    for line in run({}):
        print(line, flush=True)
