"""B12: the round list for an investor at 10,000 rounds (the authorization core's permission filter, the per-row
core flag, the investor's book) against the same list for staff (no permission filter), side by side.

Builds its own data once per bench database (USES_SCALE_DATASET = False): 400 verified biotechs raising 10,000
rounds (85% published, the rest drafts, submitted or closed), one verified investor company with one member in
the book of 300 of them (a third admitted to diligence or later), and 50 other investors with entries of their own.
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from bench._measure import client_for, count_queries, get_ok, interleaved_p50_ms, record_growth

USES_SCALE_DATASET = False
TARGET = 1.3
PATH = "/api/v1/rounds/?page_size={size}"
SCALE = int(os.environ.get("BENCH_SCALE", "1") or 1)
N_ROUNDS = 10_000 * SCALE
N_BIOTECHS = 400 * SCALE
N_OTHER_INVESTORS = 50 * SCALE  # the bench investor's own book (300 entries) does not grow with the platform
MARK = "B12 Investor"


def ensure_rounds() -> dict[str, Any]:
    """The data set, generated once (seeded, so the same every time) and found again by its investor's name."""
    from apps.accounts.models import User
    from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus
    from apps.financing.models import BookEntry, EntryStage, PassReason, Round, RoundStatus

    investor = Company.objects.filter(name_en=MARK).first()
    if investor is not None:
        return {"investor_user": User.objects.get(email="b12-investor@bench.test"),
                "staff": User.objects.get(email="b12-staff@bench.test")}
    started = time.time()
    rng = random.Random(12)
    verified = VerificationStatus.VERIFIED
    with transaction.atomic():
        groups = Group.objects.bulk_create([Group(name=f"company:b12:{n}") for n in range(N_BIOTECHS + 1
                                                                                          + N_OTHER_INVESTORS)])
        biotechs = Company.objects.bulk_create([
            Company(kind=CompanyKind.BIOTECH, country=rng.choice(["CN", "CN", "CN", "SG", "US"]),
                    name_en=f"B12 Biotech {n}", verification_status=verified, group=groups[n])
            for n in range(N_BIOTECHS)])
        investor = Company.objects.create(kind=CompanyKind.INVESTOR, country="SG", name_en=MARK,
                                          verification_status=verified, group=groups[N_BIOTECHS])
        others = Company.objects.bulk_create([
            Company(kind=CompanyKind.INVESTOR, country="US", name_en=f"B12 Other Investor {n}",
                    verification_status=verified, group=groups[N_BIOTECHS + 1 + n])
            for n in range(N_OTHER_INVESTORS)])
        person = User.objects.create_user(email="b12-investor@bench.test", password=None, full_name="B12 Investor")
        Membership.objects.create(company=investor, user=person, role=Role.MEMBER)
        person.groups.add(investor.group)
        staff = User.objects.create_user(email="b12-staff@bench.test", password=None, full_name="B12 Staff",
                                         is_staff=True)
        now = timezone.now()
        statuses = [RoundStatus.PUBLISHED] * 17 + [RoundStatus.DRAFT, RoundStatus.SUBMITTED, RoundStatus.CLOSED]
        rounds = []
        for n in range(N_ROUNDS):
            status = rng.choice(statuses)
            rounds.append(Round(
                company=rng.choice(biotechs), status=status, name_en=f"Round {n}", name_zh=f"融资轮{n}",
                stage=rng.choice(["seed", "series_a", "series_b", "series_c", "pre_ipo"]),
                instrument=rng.choice(["equity", "convertible_note", "royalty_financing"]),
                target_amount=Decimal(rng.randrange(5, 300)) * 1_000_000, currency=rng.choice(["USD", "CNY"]),
                summary_en=f"Round {n}: clinical-stage biotech raising for its lead programme.",
                use_of_proceeds_en="Phase 2 and CMC.", therapeutic_areas=[rng.choice(["oncology", "immunology"])],
                modalities=[rng.choice(["adc", "bispecific_antibody", "small_molecule"])],
                pre_money_valuation=Decimal(rng.randrange(50, 900)) * 1_000_000,
                published_at=now - timedelta(minutes=n) if status != RoundStatus.DRAFT else None,
            ))
        rounds = Round.objects.bulk_create(rounds, batch_size=2000)
        listed = [r for r in rounds if r.status in (RoundStatus.PUBLISHED, RoundStatus.CLOSED)]
        stages = [EntryStage.INTERESTED, EntryStage.INTERESTED, EntryStage.DILIGENCE, EntryStage.TERM_SHEET,
                  EntryStage.PASSED]
        entries = [BookEntry(round=r, investor=investor, stage=rng.choice(stages),
                             soft_circled_amount=Decimal(5_000_000), pass_reason="")
                   for r in rng.sample(listed, 300)]
        for entry in entries:
            if entry.stage == EntryStage.PASSED:
                entry.pass_reason = PassReason.VALUATION
        for other in others:
            entries += [BookEntry(round=r, investor=other, stage=EntryStage.DILIGENCE) for r in rng.sample(listed, 60)]
        BookEntry.objects.bulk_create(entries, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE financing_round; ANALYZE financing_bookentry; ANALYZE companies_membership; "
                       "ANALYZE companies_company")
    sys.stderr.write(f"B12 data set ready in {time.time() - started:.1f}s: {N_ROUNDS:,} rounds, "
                     f"{len(entries):,} book entries\n")
    return {"investor_user": person, "staff": staff}


def run(ctx: dict[str, Any]) -> list[str]:
    info = ensure_rounds()
    investor, staff = client_for(info["investor_user"]), client_for(info["staff"])
    queries = {size: count_queries(get_ok(investor, PATH.format(size=size))) for size in (10, 50, 200)}
    timings = interleaved_p50_ms({
        "guarded": get_ok(investor, PATH.format(size=20)),
        "unguarded": get_ok(staff, PATH.format(size=20)),
    }, runs=80)
    ratio = timings["guarded"] / timings["unguarded"]
    record_growth(ctx, "B12", timings["guarded"], f"guarded round list p50, page 20 of {N_ROUNDS:,} rounds",
                  get_ok(investor, PATH.format(size=20)))
    constant = len(set(queries.values())) == 1
    shown = str(queries[10]) if constant else "/".join(str(queries[size]) for size in (10, 50, 200))
    ok = ratio <= TARGET and constant
    return [
        f"B12 round-list ratio={ratio:.2f} queries={shown} target=<={TARGET} {'ok' if ok else 'MISSED'}",
        f"   (guarded p50 {timings['guarded']:.1f} ms, unguarded p50 {timings['unguarded']:.1f} ms, page 20; "
        f"queries at page sizes 10/50/200: {queries[10]}/{queries[50]}/{queries[200]})",
    ]
