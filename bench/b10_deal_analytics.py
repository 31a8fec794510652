"""B10: the deal-analytics breakdown (year x area, with counts, sums, medians and quartiles of upfront and total in
USD, sums per deal currency, the overall row and the k-anonymous platform block) over 100,000 deal records, against
a plain COUNT(*) grouped the same way: the same records, read through the same reader's restricted queryset, in the
same groups (the stored year column and the area), counted however PostgreSQL plans it best (a parallel hash
aggregate). Same process, same database, measured alternately, after VACUUM ANALYZE (see settle()).

Builds its own data (USES_SCALE_DATASET = False): 100,000 public deal records written with bulk_create once per
database and reused (fictional references "b10-*"; amounts from a fixed seed)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import Count

from bench._measure import count_queries, interleaved_p50_ms

USES_SCALE_DATASET = False
N_DEALS = 100_000
RATIO_TARGET = 3.0
AREAS = ["oncology", "immunology", "metabolic", "cardiovascular", "neurology", "rare_disease", "ophthalmology"]
MODALITIES = ["small_molecule", "monoclonal_antibody", "bispecific_antibody", "adc", "cell_therapy", "peptide"]
STAGES = ["preclinical", "phase_1", "phase_2", "phase_3"]
COUNTRIES = ["CN", "CN", "CN", "US", "KR", "JP", "DE"]


def ensure_deals() -> int:
    from apps.intelligence.models import DealRecord, DealSource

    existing = DealRecord.objects.filter(reference__startswith="b10-").count()
    if existing >= N_DEALS:
        return existing
    DealRecord.objects.filter(reference__startswith="b10-").delete()
    rng = random.Random(10)
    batch = []
    for index in range(N_DEALS):
        upfront = Decimal(rng.randrange(1, 1500)) * 1_000_000
        total = upfront + Decimal(rng.randrange(0, 9000)) * 1_000_000
        disclosed_total = rng.random() > 0.15
        announced = datetime.date(2015 + index % 11, 1 + index % 12, 1 + index % 28)
        batch.append(DealRecord(
            reference=f"b10-{index}", source_kind=DealSource.PUBLIC, announced_on=announced,
            licensor_name_en=f"Bench Licensor {index % 997}", licensor_country=rng.choice(COUNTRIES),
            licensee_name_en=f"Bench Licensee {index % 991}", licensee_country="US",
            asset_name=f"B10-{index}", modality=rng.choice(MODALITIES), therapeutic_area=rng.choice(AREAS),
            stage=rng.choice(STAGES), stage_rank=3, deal_type="exclusive_license", territory="worldwide",
            currency="USD",
            upfront=upfront, total_value=total if disclosed_total else None, upfront_usd=upfront,
            total_value_usd=total if disclosed_total else None, usd_rate=Decimal(1),
            source_url=f"https://bench.example.test/{index}", source_read_on=datetime.date(2026, 11, 30)))
        if len(batch) == 5000:
            DealRecord.objects.bulk_create(batch)
            batch = []
    if batch:
        DealRecord.objects.bulk_create(batch)
    return DealRecord.objects.filter(reference__startswith="b10-").count()


def settle() -> None:
    """VACUUM ANALYZE the table, as autovacuum would in production (it is off on the development cluster): without
    statistics the planner guesses 18 rows and sorts both contenders on disk, which measures the guess, not the
    queries; without a visibility map no index-only scan is possible."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE intelligence_dealrecord")


def run(ctx: dict[str, Any]) -> list[str]:
    from apps.accounts.models import User
    from apps.intelligence import selectors

    count = ensure_deals()
    settle()
    staff, _ = User.objects.get_or_create(email="b10-staff@bench.test",
                                          defaults={"full_name": "B10 Staff", "is_staff": True})
    spec = selectors.parse_analytics_params({"group_by": "year,area"})

    def analytics() -> Any:
        return selectors.deal_analytics(staff, spec)

    def plain() -> Any:
        # Like with like: the same reader's restricted queryset (the same rows, through the same rule) and the
        # same groups (the same stored year column), counted with COUNT(*) however PostgreSQL likes best.
        return list(selectors.public_deals_for(staff).values("announced_year", "therapeutic_area")
                    .annotate(n=Count("*")).order_by("announced_year", "therapeutic_area"))

    result = analytics()
    assert result["overall"]["count"] >= count and len(result["groups"]) == 11 * len(AREAS)
    assert sum(group["count"] for group in result["groups"]) == sum(row["n"] for row in plain())
    queries = count_queries(analytics)
    timings = interleaved_p50_ms({"analytics": analytics, "plain": plain}, runs=15, warmup=2)
    ratio = timings["analytics"] / timings["plain"]
    ok = ratio <= RATIO_TARGET
    return [f"B10 deal-analytics ratio={ratio:.2f} queries={queries} target=<={RATIO_TARGET} "
            f"{'ok' if ok else 'MISSED'} (analytics {timings['analytics']:.1f} ms, plain grouped count "
            f"{timings['plain']:.1f} ms, {count:,} deal records)"]
