"""B13: the staff console at scale. The audit log (first page, a filtered page, a search) and the company, asset,
user and grant lists and change pages, with 1,000,000 audit events and the bench companies (10,000 companies and
their groups, 100,000 assets, 10,000 people, 20,000 grants), each against the same page of a database holding
1,000 rows of each. Prints the largest p50 ratio (full scale / 1,000 rows), its page, and the largest page size.

The two databases are served by two worker processes (this module with `worker`), each a Django process on its
own database, asked for the pages alternately so drift hits both alike; each times `Client.get` in-process as a
superuser past the two-factor sign-in.

The million audit events are a real hash chain: generated in id order with `AuditEvent.compute_hash`'s own
canonical form, appended after the chain's last row under the chain's advisory lock, so `manage.py
verify_audit_chain` still checks every row of the bench database (it takes about a minute there).
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

GOAL_RATIO = 2.0
GOAL_KB = 300
ROUNDS = int(os.environ.get("B13_ROUNDS", "12"))
FULL = {"users": 10_000, "grants": 20_000, "audit": 1_000_000}
SMALL = {"companies": 1_000, "assets": 1_000, "rooms": 100, "users": 1_000, "grants": 1_000, "audit": 1_000}
MARKER_EMAIL = "bench-console-marker@bench.test"
STAFF_EMAIL = "bench-console-staff@bench.test"
# A filter and a search that fill the first page in both databases, so the pages compared show as many rows:
# events on listings (70% of the trail), and the target names starting "BX-000" (7,000 events at full scale).
FILTER = "target_type=catalog.asset"
SEARCH_TERM = "BX-000"
PAGES = ["audit-list", "audit-filtered", "audit-search", "company-list", "company-change", "asset-list",
         "asset-change", "user-list", "user-change", "grant-list", "grant-change"]


# --- data -------------------------------------------------------------------------------------------------------

def _copy_model(cursor: Any, model: Any, rows: Any, total: int, label: str, *, with_id: bool = True) -> None:
    from bench.dataset import _copy_model as copy_model

    copy_model(cursor, model, rows, total, label, with_id=with_id)


def _small_catalog(cursor: Any, *, companies: int, assets: int, rooms: int) -> None:
    """The 1,000-row database's companies (each with its group), assets and data rooms."""
    from django.contrib.auth.models import Group

    from apps.catalog.models import Asset
    from apps.companies.models import Company
    from apps.datarooms.models import DataRoom
    from bench.dataset import _next_id, _reset_sequence

    rng = random.Random(13)
    now = datetime.now(UTC)
    group_base, company_base = _next_id(cursor, "auth_group"), _next_id(cursor, "companies_company")
    asset_base, room_base = _next_id(cursor, "catalog_asset"), _next_id(cursor, "datarooms_dataroom")
    _copy_model(cursor, Group, ({"id": group_base + i, "name": f"company:bench:{i}"} for i in range(companies)),
                companies, "groups")
    _copy_model(cursor, Company, ({
        "id": company_base + i, "public_id": uuid.UUID(int=rng.getrandbits(128)),
        "kind": "pharma" if i % 3 == 0 else "biotech", "country": "US" if i % 3 == 0 else "CN",
        "name_en": f"Bench Company {i:05d}", "name_zh": f"测试公司{i}", "verification_status": "verified",
        "verified_at": now, "group_id": group_base + i, "created_at": now, "updated_at": now,
    } for i in range(companies)), companies, "companies")
    _copy_model(cursor, Asset, ({
        "id": asset_base + i, "public_id": uuid.UUID(int=rng.getrandbits(128)),
        "owner_company_id": company_base + 1 + i % (companies - 1), "code_name": f"BX-{i:06d}",
        "modality": "small_molecule", "stage": "phase_1", "stage_rank": 3, "status": "submitted",
        "created_at": now, "updated_at": now, "submitted_at": now, "name_en": f"Bench asset {i}",
        "summary_en": "Bench summary.", "summary_zh": "测试摘要。", "therapeutic_areas": ["oncology"],
        "deal_types": ["exclusive_license"], "territories": ["US"], "targets": ["PD-1"], "indications": ["obesity"],
        "mechanism": "Bench mechanism.",
    } for i in range(assets)), assets, "assets")
    _copy_model(cursor, DataRoom, ({
        "id": room_base + i, "public_id": uuid.UUID(int=rng.getrandbits(128)), "asset_id": asset_base + i,
        "owner_company_id": company_base + 1 + i % (companies - 1), "name": f"Bench room #{i:04d}",
        "created_at": now,
    } for i in range(rooms)), rooms, "rooms")
    for table in ("auth_group", "companies_company", "catalog_asset", "datarooms_dataroom"):
        _reset_sequence(cursor, table)


def _people_grants_audit(cursor: Any, *, users: int, grants: int, audit: int) -> None:
    """People (one member per company, in its group), grants over the data rooms, and the audit chain."""
    from apps.accounts.models import User
    from apps.audit.models import GENESIS_HASH, chain_hash
    from apps.audit.registry import all_actions
    from apps.audit.services import _CHAIN_LOCK_KEY
    from apps.companies.models import Membership
    from apps.datarooms.models import AccessGrant
    from bench.dataset import _next_id, _reset_sequence

    rng = random.Random(1313)
    now = datetime.now(UTC).replace(microsecond=0)
    cursor.execute("SELECT id, group_id FROM companies_company WHERE name_en LIKE 'Bench Company %%' ORDER BY id")
    companies = cursor.fetchall()
    cursor.execute("SELECT id, code_name FROM catalog_asset WHERE code_name LIKE 'BX-%%' ORDER BY id LIMIT 200000")
    assets = cursor.fetchall()
    cursor.execute("SELECT id, owner_company_id FROM datarooms_dataroom ORDER BY id LIMIT 5000")
    rooms = cursor.fetchall()
    user_base = _next_id(cursor, "accounts_user")
    _copy_model(cursor, User, ({
        "id": user_base + i, "password": "!", "email": f"console-bench-{i:05d}@bench.test",
        "full_name": f"Bench Person {i:05d}", "date_joined": now,
    } for i in range(users)), users, "people")
    _copy_model(cursor, Membership, ({
        "company_id": companies[i % len(companies)][0], "user_id": user_base + i, "role": "member",
        "created_at": now,
    } for i in range(users)), users, "memberships", with_id=False)
    _copy_model(cursor, User.groups.through, ({
        "user_id": user_base + i, "group_id": companies[i % len(companies)][1],
    } for i in range(users)), users, "user groups", with_id=False)
    _copy_model(cursor, AccessGrant, ({
        "room_id": rooms[i % len(rooms)][0], "company_id": companies[(i * 7) % len(companies)][0],
        "level": "view", "scope": "room", "expires_at": now + timedelta(days=30 - i % 60),
        "revoked_at": now if i % 10 == 0 else None, "granted_by_id": user_base, "created_at": now,
    } for i in range(grants)), grants, "grants", with_id=False)
    for table in ("accounts_user",):
        _reset_sequence(cursor, table)

    # The audit chain, continued from its last row under the lock every append takes.
    codes = sorted(all_actions())
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    cursor.execute("SELECT hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
    row = cursor.fetchone()
    prev = row[0] if row else GENESIS_HASH
    start = now - timedelta(seconds=audit * 30)
    columns = ["created_at", "actor_id", "actor_company_id", "action", "target_type", "target_id", "target_repr",
               "ip_address", "user_agent", "details", "prev_hash", "hash"]

    def events() -> Any:
        nonlocal prev
        for i in range(audit):
            person = rng.randrange(users)
            company_id = companies[person % len(companies)][0]
            created = start + timedelta(seconds=i * 30)
            kind = rng.random()
            if kind < 0.7:
                asset_id, code_name = assets[rng.randrange(len(assets))]
                target = ("catalog.asset", str(asset_id), code_name)
            else:
                target = ("companies.company", str(company_id), f"Bench Company {company_id:05d}")
            details = {"reason": "bench"} if i % 5 == 0 else {}
            payload = {"created_at": created.isoformat(), "actor": user_base + person, "actor_company": company_id,
                       "action": codes[rng.randrange(len(codes))], "target_type": target[0],
                       "target_id": target[1], "target_repr": target[2], "ip": None, "user_agent": "",
                       "details": details}
            digest = chain_hash(prev, payload)
            yield (created, payload["actor"], company_id, payload["action"], target[0], target[1], target[2], None,
                   "", json.dumps(details), prev, digest)
            prev = digest

    started = time.time()
    with cursor.copy(f"COPY audit_auditevent ({', '.join(columns)}) FROM STDIN") as copy:
        for index, values in enumerate(events(), 1):
            copy.write_row(values)
            if index % 100_000 == 0:
                sys.stderr.write(f"\r  audit events {index:>9,}/{audit:,} {time.time() - started:5.1f}s")
    sys.stderr.write("\n")


def ensure_data(*, small: bool) -> None:
    """Idempotent: the marker person is created last, in the same transaction as everything else."""
    from django.db import connection, transaction

    from apps.accounts.models import User

    if User.objects.filter(email=MARKER_EMAIL).exists():
        return
    started = time.time()
    sizes = SMALL if small else FULL
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        if small:
            _small_catalog(cursor, companies=SMALL["companies"], assets=SMALL["assets"], rooms=SMALL["rooms"])
        _people_grants_audit(cursor, users=sizes["users"], grants=sizes["grants"], audit=sizes["audit"])
        User.objects.create_user(email=MARKER_EMAIL, password=None, full_name="Bench console marker")
    with connection.cursor() as cursor:
        for table in ("audit_auditevent", "accounts_user", "companies_membership", "accounts_user_groups",
                      "datarooms_accessgrant", "companies_company", "catalog_asset", "auth_group"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    scale = "1,000 rows" if small else "full scale"
    sys.stderr.write(f"  console data set ({scale}) in {time.time() - started:.0f}s\n")


def _staff() -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts.models import User

    user = User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_superuser(
        email=STAFF_EMAIL, password=None, full_name="Bench Console Staff")
    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="bench", confirmed=True)
    return user, device


# --- the worker: one Django process per database ----------------------------------------------------------------

def _urls() -> dict[str, str]:
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.catalog.models import Asset
    from apps.companies.models import Company
    from apps.datarooms.models import AccessGrant

    company = Company.objects.filter(name_en__startswith="Bench Company").order_by("id")[5]
    asset = Asset.objects.filter(code_name__startswith="BX-").order_by("id")[5]
    person = User.objects.filter(email__startswith="console-bench-").order_by("id")[5]
    grant = AccessGrant.objects.order_by("id")[5]
    audit = reverse("admin:audit_auditevent_changelist")
    return {
        "audit-list": audit,
        "audit-filtered": f"{audit}?{FILTER}",
        "audit-search": f"{audit}?q={SEARCH_TERM}",
        "company-list": reverse("admin:companies_company_changelist"),
        "company-change": reverse("admin:companies_company_change", args=[company.pk]),
        "asset-list": reverse("admin:catalog_asset_changelist"),
        "asset-change": reverse("admin:catalog_asset_change", args=[asset.pk]),
        "user-list": reverse("admin:accounts_user_changelist"),
        "user-change": reverse("admin:accounts_user_change", args=[person.pk]),
        "grant-list": reverse("admin:datarooms_accessgrant_changelist"),
        "grant-change": reverse("admin:datarooms_accessgrant_change", args=[grant.pk]),
    }


def worker(small: bool) -> None:
    """Reads a page name per line from stdin, answers `<ms> <bytes>` (or `error <text>`)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    if small:
        call_command("migrate", verbosity=0, interactive=False)
        ensure_data(small=True)
    user, device = _staff()
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    urls = _urls()
    print("ready", flush=True)
    for line in sys.stdin:
        page = line.strip()
        if not page:
            continue
        try:
            started = time.perf_counter()
            response = client.get(urls[page])
            body = response.content
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                print(f"error {page} answered {response.status_code}", flush=True)
                continue
            print(f"{elapsed:.2f} {len(body)}", flush=True)
        except Exception as exc:  # reported to the coordinator, which prints MISSED
            print(f"error {page} {type(exc).__name__}: {str(exc)[:200]}", flush=True)


class _Worker:
    def __init__(self, database: str, *, small: bool):
        env = {**os.environ, "TEST_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
               "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.b13_console_scale", "worker", "small" if small else "full"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)
        ready = self.process.stdout.readline().strip() if self.process.stdout else ""
        if ready != "ready":
            raise RuntimeError(f"B13 worker for {database} did not start: {ready!r}")

    def get(self, page: str) -> tuple[float, int]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(page + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            raise RuntimeError(answer or f"worker died on {page}")
        ms, size = answer.split()
        return float(ms), int(size)

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


def _create_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run(ctx: dict[str, Any]) -> list[str]:
    from django.db import connection

    ensure_data(small=False)
    _staff()
    big_name = connection.settings_dict["NAME"]
    small_name = f"{big_name}_b13_small"
    _create_database(small_name)
    connection.close()  # the workers hold their own connections
    big, small = _Worker(big_name, small=False), _Worker(small_name, small=True)
    try:
        samples: dict[str, dict[str, list[float]]] = {page: {"full": [], "small": []} for page in PAGES}
        sizes: dict[str, int] = {}
        for page in PAGES:  # warm up: plans, caches, estimates
            big.get(page), small.get(page)
        for _round in range(ROUNDS):
            for page in PAGES:
                ms, size = big.get(page)
                samples[page]["full"].append(ms)
                sizes[page] = max(sizes.get(page, 0), size)
                samples[page]["small"].append(small.get(page)[0])
    finally:
        big.close()
        small.close()
    p50 = {page: (statistics.median(s["full"]), statistics.median(s["small"])) for page, s in samples.items()}
    ratios = {page: full / max(small_ms, 0.01) for page, (full, small_ms) in p50.items()}
    worst = max(ratios, key=lambda page: ratios[page])
    max_kb = max(sizes.values()) / 1024
    ok = ratios[worst] <= GOAL_RATIO and max_kb <= GOAL_KB
    detail = ", ".join(f"{page} {p50[page][0]:.0f}/{p50[page][1]:.0f} ms {sizes[page] / 1024:.0f} KB"
                       for page in PAGES)
    return [
        f"B13 console-scale worst-ratio={ratios[worst]:.2f} worst-page={worst} max-kb={max_kb:.0f} "
        f"target=ratio<={GOAL_RATIO:g},kb<={GOAL_KB} {'ok' if ok else 'MISSED'}",
        f"   (p50 full/1,000-row ms and full-scale size, {ROUNDS} alternating rounds: {detail})",
    ]


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "worker":
    worker(small=sys.argv[2] == "small")
