"""LOAD: simulated partners through the real journey against gunicorn, PostgreSQL, Redis and a Celery worker.

1. Seed (idempotent, reused across runs): `manage.py load_demo`, a licensor with two published listings, one
   data room with a CDA and 8 small PDFs, and as many partner accounts as the largest count in GPC_LOAD_USERS
   (default "50,200"), each a member of
   its own verified partner company that holds a download grant to the room and has no pending request for
   the second listing's room.
2. Start a Celery worker (all queues) and gunicorn (platform/gunicorn.conf.py as production sizes it, unless
   GPC_LOAD_WORKERS / GPC_LOAD_THREADS say otherwise; 127.0.0.1 on a free port,
   config.settings.test on the bench database, Redis db 15 broker / 14 cache; the server through
   bench/server_settings.py, which only keeps database connections open as production does).
3. For each count in GPC_LOAD_USERS, against the same server: run `locust -f bench/locustfile.py --headless`
   with that many users (spawn rate a tenth of them per second, at least 10) for GPC_LOAD_SECONDS (default
   180): sign in (JWT), browse, search, request access (and withdraw), view or download a watermarked PDF, ask
   a question, read the inbox.
4. Stop locust, gunicorn and the worker; print per count
   `LOAD users=<n> requests=<n> errors=<n> p50-ms=<x> p95-ms=<y> target=errors=0 ok|MISSED`, the counts after
   the first with `p95-vs-<first>=<ratio>` and the goal p95 <= 4x the first's.

Throttles: the bench server runs with raised rates (THROTTLE_LOGIN, THROTTLE_ACCESS_REQUEST, THROTTLE_DOWNLOAD)
because every simulated user signs in from 127.0.0.1 (the login limit is per IP) and the journey repeats for
minutes; the limits themselves are covered by tests/. The output says so.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MARKER = "bench:load:v1"
PASSWORD = "Load-bench-2026!"  # noqa: S105 (fictional accounts in the bench database only)
DOCUMENTS = 8
THROTTLES = {"THROTTLE_LOGIN": "100000/min", "THROTTLE_ACCESS_REQUEST": "100000/hour",
             "THROTTLE_DOWNLOAD": "100000/min"}


P95_GROWTH = 4.0  # 200 users against 50: p95 at most four times as long


def _settings() -> tuple[list[int], int]:
    counts = [int(part) for part in os.environ.get("GPC_LOAD_USERS", "50,200").split(",") if part.strip()]
    return counts, int(os.environ.get("GPC_LOAD_SECONDS", "180"))


# --- seed ------------------------------------------------------------------------------------------------------


def _pdf(title: str, pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for i in range(pages):
        c.setFont("Helvetica", 12)
        c.drawString(72, 760, f"{title} - page {i + 1}")
        for line in range(30):
            c.drawString(72, 730 - line * 20, f"Cohort {line % 4 + 1}: dose level {line % 3 + 1}, "
                                              f"best overall response per RECIST 1.1 (fictional).")
        c.showPage()
    c.save()
    return buf.getvalue()


def _licensor() -> tuple[Any, Any]:
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.companies.models import Company, Membership, Role, VerificationStatus

    company = Company.objects.filter(name_en=MARKER).first()
    if company is None:
        company = Company.objects.create(group=Group.objects.create(name=f"company:{MARKER}:licensor"),
                                         name_en=MARKER, name_zh="负载测试许可方", kind="biotech", country="CN",
                                         verification_status=VerificationStatus.VERIFIED)
    admin = User.objects.filter(email="load-licensor@bench.test").first()
    if admin is None:
        admin = User.objects.create_user(email="load-licensor@bench.test", password=PASSWORD,
                                         full_name="Load Licensor Admin")
    if not Membership.objects.filter(company=company, user=admin).exists():
        Membership.objects.create(company=company, user=admin, role=Role.ADMIN)
        admin.groups.add(company.group)
    return company, admin


def _listing(company: Any, code: str) -> Any:
    from django.utils import timezone

    from apps.catalog.models import Asset, AssetStatus

    asset = Asset.objects.filter(owner_company=company, code_name=code).first()
    if asset is None:
        asset = Asset.objects.create(owner_company=company, code_name=code, modality="bispecific_antibody",
                                     stage="phase_2", status=AssetStatus.PUBLISHED, published_at=timezone.now(),
                                     summary_en="PD-1 x VEGF bispecific antibody with phase 2 data in NSCLC.",
                                     summary_zh="PD-1/VEGF双特异性抗体，非小细胞肺癌二期数据。")
    return asset


def _room(admin: Any, asset: Any, *, documents: bool) -> Any:
    from apps.datarooms import services
    from apps.datarooms.models import DataRoom

    room = DataRoom.objects.filter(asset=asset).first()
    if room is not None:
        return room
    room = services.room_create(actor=admin, asset=asset, name=f"{asset.code_name} due diligence")
    services.cda_publish(actor=admin, room=room, text_en="The recipient keeps this data room confidential.",
                         text_zh="接收方应对本数据室内容保密。")
    if documents:
        clinical = services.folder_create(actor=admin, room=room, name="Clinical")
        cmc = services.folder_create(actor=admin, room=room, name="CMC")
        for i in range(DOCUMENTS):
            name = f"Study report {i + 1}.pdf"
            services.document_upload(actor=admin, folder=clinical if i % 2 == 0 else cmc,
                                     f=io.BytesIO(_pdf(name[:-4], 4)), filename=name)
    return room


def _restore_missing_files(admin: Any, room: Any) -> None:
    """The database outlives the files (`make clean` empties var/): a document whose stored bytes are gone
    gets a new version, so the journey never asks for a file that is not there."""
    from django.core.files.storage import storages

    from apps.datarooms import services
    from apps.datarooms.models import Document

    storage = storages["private"]
    for document in Document.objects.filter(room=room).select_related("current_version"):
        version = document.current_version
        if version is None or not storage.exists(version.storage_name):
            services.document_version_upload(actor=admin, document=document, f=io.BytesIO(_pdf(document.name, 4)),
                                             filename=document.name)


def _partners(count: int) -> list[tuple[Any, Any]]:
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.companies.models import Company, Membership, Role, VerificationStatus

    partners = []
    for i in range(count):
        name = f"{MARKER} partner {i:03d}"
        company = Company.objects.filter(name_en=name).first()
        if company is None:
            company = Company.objects.create(group=Group.objects.create(name=f"company:{MARKER}:{i:03d}"),
                                             name_en=name, name_zh=f"负载测试合作方{i}", kind="pharma", country="US",
                                             verification_status=VerificationStatus.VERIFIED)
        email = f"load-{i:03d}@bench.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=PASSWORD, full_name=f"Load Partner {i}")
        if not Membership.objects.filter(company=company, user=user).exists():
            Membership.objects.create(company=company, user=user, role=Role.MEMBER)
            user.groups.add(company.group)
        partners.append((company, user))
    return partners


def seed(users: int) -> dict[str, Any]:
    """Demo data plus the load world; returns the locust config."""
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from apps.datarooms import services
    from apps.datarooms.models import AccessGrant, AccessRequest, AccessRequestStatus, Document
    from bench.dataset import CHINESE_QUERY, ENGLISH_QUERY

    call_command("load_demo", stdout=io.StringIO())
    with transaction.atomic():
        licensor, admin = _licensor()
        room = _room(admin, _listing(licensor, "LOAD-A"), documents=True)
        request_room = _room(admin, _listing(licensor, "LOAD-B"), documents=False)
        _restore_missing_files(admin, room)
        partners = _partners(users)
        now = timezone.now()
        for company, _user in partners:
            if not AccessGrant.objects.filter(room=room, company=company, revoked_at__isnull=True,
                                              expires_at__gt=now + timedelta(hours=1)).exists():
                services.grant_create(actor=admin, room=room, company=company, level="download", scope="room",
                                      expires_at=now + timedelta(days=30))
        # A request left pending by an interrupted run would make the first POST a 409.
        AccessRequest.objects.filter(room=request_room, company__in=[c for c, _u in partners],
                                     status=AccessRequestStatus.PENDING).update(status=AccessRequestStatus.WITHDRAWN)
    room.refresh_from_db()
    return {
        "accounts": [[user.email, PASSWORD] for _company, user in partners],
        "room": room.pk,
        "cda_version": room.current_cda.version,
        "documents": list(Document.objects.filter(room=room).order_by("id").values_list("id", flat=True)),
        "request_asset": request_room.asset_id,
        "queries": ["bispecific", "antibody lung cancer", "双特异性抗体", ENGLISH_QUERY, CHINESE_QUERY],
    }


# --- processes -------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "DJANGO_SETTINGS_MODULE": "config.settings.test",
            **THROTTLES, **extra}


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


class _Process:
    def __init__(self, label: str, args: list[str], env: dict[str, str], workdir: Path) -> None:
        self.label, self.log = label, workdir / f"{label}.log"
        self.process = subprocess.Popen(args, cwd=REPO, env=env, stdout=self.log.open("wb"),
                                        stderr=subprocess.STDOUT, start_new_session=True)

    def tail(self, chars: int = 2000) -> str:
        return self.log.read_text(errors="replace")[-chars:]

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 30) -> None:
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_for(check: Any, process: _Process, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if not process.alive() or time.monotonic() > deadline:
            raise RuntimeError(f"LOAD: {what} did not start:\n{process.tail()}")
        time.sleep(0.2)


def _children(process: _Process) -> list[Any]:
    import psutil

    try:
        return psutil.Process(process.process.pid).children()
    except psutil.Error:
        return []


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own 127.0.0.1 server)
            return response.status == 200
    except OSError:
        return False


def _stats(prefix: Path) -> dict[str, Any]:
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures: list[str] = []
    failures_path = Path(f"{prefix}_failures.csv")
    if failures_path.exists():
        with failures_path.open(newline="", encoding="utf-8") as fh:
            failures = [f"{row['Occurrences']}x {row['Method']} {row['Name']}: {row['Error'][:160]}"
                        for row in csv.DictReader(fh)]
    return {"requests": int(total["Request Count"]), "errors": int(total["Failure Count"]),
            "p50": float(total["50%"] or 0), "p95": float(total["95%"] or 0), "rps": float(total["Requests/s"] or 0),
            "names": {row["Name"]: int(row["Request Count"]) for row in rows if row["Name"] != "Aggregated"},
            "failures": failures}


def _locust(users: int, seconds: int, port: int, config_path: Path, prefix: Path) -> dict[str, Any]:
    locust = subprocess.run(
        [_bin("locust"), "-f", str(REPO / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(max(10, users // 10)), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--csv",
         str(prefix), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
        cwd=REPO, env=_env(GPC_LOAD_CONFIG=str(config_path)), capture_output=True, text=True,
        timeout=seconds + 180, check=False)
    Path(f"{prefix}-locust.log").write_text(locust.stdout + locust.stderr)
    if not Path(f"{prefix}_stats.csv").exists():
        raise RuntimeError(f"LOAD: locust wrote no statistics:\n{(locust.stdout + locust.stderr)[-2000:]}")
    return _stats(prefix)


class _CpuMeter:
    """Where the machine's CPU goes during a run: the server (gunicorn and its workers), PostgreSQL backends of the
    bench database, locust, the Celery worker, anything else, and idle. Sampled every half second in a thread
    (a process that ends between two samples loses at most that half second). Read per count with `since()`."""

    def __init__(self, server: _Process, worker: _Process, database: str) -> None:
        import threading

        self.roots = {"server": server.process.pid, "worker": worker.process.pid}
        self.database = database
        self.seen: dict[tuple[int, float], tuple[str, float]] = {}
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _category(self, process: Any, families: dict[int, str]) -> str:
        if process.pid in families:
            return families[process.pid]
        command = " ".join(process.cmdline())
        if command.startswith("postgres:") and f" {self.database} " in command:
            return "database"
        if "locust" in command and "bench/locustfile.py" in command:
            return "locust"
        return "other"

    def _sample(self) -> None:
        import psutil

        families: dict[int, str] = {}
        for name, pid in self.roots.items():
            try:
                root = psutil.Process(pid)
                for member in [root, *root.children(recursive=True)]:
                    families[member.pid] = name
            except psutil.Error:
                continue
        for process in psutil.process_iter():
            try:
                times = process.cpu_times()
                key = (process.pid, process.create_time())
                category = self.seen[key][0] if key in self.seen else self._category(process, families)
                self.seen[key] = (category, times.user + times.system)
            except psutil.Error:
                continue

    def _run(self) -> None:
        while not self.stopping.wait(0.5):
            self._sample()

    def snapshot(self) -> dict[str, float]:
        import psutil

        self._sample()
        totals: dict[str, float] = {}
        for category, seconds in self.seen.values():
            totals[category] = totals.get(category, 0.0) + seconds
        times = psutil.cpu_times()
        totals["idle"] = times.idle + getattr(times, "iowait", 0.0)
        return totals

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)


def _cpu_line(before: dict[str, float], after: dict[str, float], requests: int, seconds: int) -> str:
    spent = {name: after.get(name, 0.0) - before.get(name, 0.0)
             for name in ("server", "database", "locust", "worker", "other", "idle")}
    shares = ", ".join(f"{name} {value:.1f} s" for name, value in spent.items())
    per_request = 1000 * (spent["server"] + spent["database"]) / requests if requests else 0.0
    return (f"   (CPU during the run, {os.cpu_count()} cores x {seconds} s: {shares}; the server and PostgreSQL "
            f"together {per_request:.1f} ms of CPU per request)")


def _gunicorn_shape(sizing: dict[str, str]) -> dict[str, int]:
    """Workers and threads as platform/gunicorn.conf.py resolves them in the server's environment."""
    import runpy

    saved = dict(os.environ)
    os.environ.update({f"GUNICORN_{key}": value for key, value in sizing.items()})
    try:
        conf = runpy.run_path(str(REPO / "platform" / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {"workers": int(conf["workers"]), "threads": int(conf["threads"])}


def _drain(first_event: int) -> tuple[int, int, int]:
    """Let the worker finish what the journey queued; (delivered, failed, still waiting) events."""
    from apps.notifications.models import EventStatus, OutboxEvent

    finished = [EventStatus.DONE, EventStatus.FAILED]
    deadline = time.monotonic() + 60
    while (OutboxEvent.objects.filter(id__gt=first_event).exclude(status__in=finished).exists()
           and time.monotonic() < deadline):
        time.sleep(0.5)
    events = OutboxEvent.objects.filter(id__gt=first_event)
    return (events.filter(status=EventStatus.DONE).count(), events.filter(status=EventStatus.FAILED).count(),
            events.exclude(status__in=finished).count())


def run(ctx: dict[str, Any]) -> list[str]:
    """One server, sized once (platform/gunicorn.conf.py's defaults unless GPC_LOAD_WORKERS/THREADS say
    otherwise), then each user count in turn (GPC_LOAD_USERS, default "50,200"); a count after the first is
    also compared with the first: p95 at most P95_GROWTH times the first's."""
    from django.db import connections

    from apps.notifications.models import OutboxEvent

    counts, seconds = _settings()
    workdir = Path(tempfile.mkdtemp(prefix="gpc-load-"))
    config = seed(max(counts))
    config_path = workdir / "load-config.json"
    first_event = OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    connections.close_all()  # the server processes own the database from here on

    port = _free_port()
    worker = server = None
    sizing = {key: os.environ[f"GPC_LOAD_{key}"] for key in ("WORKERS", "THREADS") if f"GPC_LOAD_{key}" in os.environ}
    shape = _gunicorn_shape(sizing)
    results: list[tuple[int, dict[str, Any]]] = []
    try:
        worker = _Process("worker", [
            _bin("celery"), "-A", "config", "worker", "-Q", "default,notifications,documents", "-P", "prefork",
            "-c", "1", "-l", "info", "-n", f"load-{uuid.uuid4().hex[:6]}@%h", "--without-gossip",
            "--without-mingle", "--without-heartbeat"], _env(), workdir)
        _wait_for(lambda: " ready." in worker.tail(100_000), worker, "the Celery worker")
        server = _Process("gunicorn", [
            _bin("gunicorn"), "-c", str(REPO / "platform" / "gunicorn.conf.py"), "config.wsgi:application"],
            _env(DJANGO_SETTINGS_MODULE="bench.server_settings", GUNICORN_BIND=f"127.0.0.1:{port}",
                 **{f"GUNICORN_{key}": value for key, value in sizing.items()}), workdir)
        _wait_for(lambda: _healthy(f"http://127.0.0.1:{port}/healthz"), server, "gunicorn")
        # Every worker forked (and warm, platform/gunicorn.conf.py preloads) before the first user arrives: a worker
        # still starting would take CPU from the run and count in its figures.
        _wait_for(lambda: len(_children(server)) >= shape["workers"], server, "every gunicorn worker")
        meter = _CpuMeter(server, worker, connections["default"].settings_dict["NAME"])
        for users in counts:
            config_path.write_text(json.dumps({**config, "accounts": config["accounts"][:users]}))
            before = meter.snapshot()
            stats = _locust(users, seconds, port, config_path, workdir / f"load-{users}")
            stats["cpu"] = _cpu_line(before, meter.snapshot(), stats["requests"], seconds)
            results.append((users, stats))
        meter.stop()
        delivered, failed, waiting = _drain(first_event)
        server_errors = sum(1 for line in server.log.read_text(errors="replace").splitlines() if '" 5' in line)
    finally:
        if server is not None:
            server.stop()
        if worker is not None:
            worker.stop()
    lines: list[str] = []
    base_p95 = results[0][1]["p95"]
    for index, (users, stats) in enumerate(results):
        ok = stats["errors"] == 0 and failed == 0
        growth = ""
        if index:
            ratio = stats["p95"] / base_p95 if base_p95 else float("inf")
            ok = ok and ratio <= P95_GROWTH
            growth = f" p95-vs-{results[0][0]}={ratio:.1f}"
        target = "errors=0" + (f",p95<={P95_GROWTH:g}x" if index else "")
        lines += [
            f"LOAD users={users} requests={stats['requests']} errors={stats['errors']} p50-ms={stats['p50']:.0f} "
            f"p95-ms={stats['p95']:.0f}{growth} target={target} {'ok' if ok else 'MISSED'}",
            f"   ({seconds} s, {stats['rps']:.1f} req/s through gunicorn ({shape['workers']} workers x "
            f"{shape['threads']} threads, as many persistent database connections) on 127.0.0.1)",
            stats["cpu"],
        ]
        lines += [f"   error: {failure}" for failure in stats["failures"][:10]]
    ctx["load"] = {"runs": {users: stats for users, stats in results}, "seconds": seconds, "events": delivered,
                   "workdir": str(workdir)}
    lines.append(f"   (Celery worker delivered {delivered} notification events ({failed} failed, {waiting} still "
                 f"queued); {server_errors} 5xx in the access log; throttles raised for the bench server "
                 f"({', '.join(THROTTLES)}): every user signs in from one IP; logs in {workdir})")
    return lines


if __name__ == "__main__":
    from bench.__main__ import _prepare_environment

    _prepare_environment()
    for line in run({}):
        print(line, flush=True)
