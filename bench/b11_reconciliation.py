"""B11: the quarterly reconciliation of an alliance with 200 work packages and 20,000 cost entries, against summing
the same entries with one grouped query (the least any reconciliation must read). The reconciliation adds the
parties, the work packages' splits, the exchange rates and the exact allocation of every cent; its query count
must not grow with the data.

Builds its own alliance once in the bench database (agreement executed through the services, then work packages
and cost entries bulk-inserted: 20,000 audited service calls would only measure the audit chain) and reuses it.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from bench._measure import count_queries, interleaved_p50_ms

USES_SCALE_DATASET = False
RATIO_TARGET = 2.0
TITLE = "B11 bench co-development"
N_PACKAGES, N_COSTS = 200, 20_000
YEAR, QUARTER = 2026, 3


def _person(email: str, company: Any, role: str) -> Any:
    from apps.accounts.models import User
    from tests.factories import add_member

    user = User.objects.create_user(email=email, password=None, full_name=email.split("@")[0])
    add_member(company, user, role)
    return user


def ensure_alliance() -> Any:
    from apps.agreements import services as agreements
    from apps.agreements.models import Agreement
    from apps.alliance.models import Alliance, CostEntry, WorkPackage
    from apps.catalog.models import Asset, DealType, Modality, Stage
    from apps.companies.models import CompanyKind, Role
    from tests.factories import CompanyFactory

    found = Alliance.objects.filter(agreement__title=TITLE).first()
    if found is not None and CostEntry.objects.filter(alliance=found).count() == N_COSTS:
        return found
    licensor = CompanyFactory(name_en="B11 Licensor Bio", kind=CompanyKind.BIOTECH, country="CN")
    partner = CompanyFactory(name_en="B11 Partner Pharma", kind=CompanyKind.PHARMA, country="US")
    tag = random.randrange(10**9)
    lic_admin = _person(f"b11-{tag}-lic@bench.test", licensor, Role.ADMIN)
    par_admin = _person(f"b11-{tag}-par@bench.test", partner, Role.ADMIN)
    asset = Asset.objects.create(owner_company=licensor, code_name=f"B11-{tag}", modality=Modality.ADC,
                                 stage=Stage.PHASE_1, status="published")
    terms = {"territory": "worldwide", "field_of_use": ["oncology"], "exclusivity": "non_exclusive",
             "currency": "USD", "upfront": "1000000",
             "cost_sharing": [{"company": licensor.pk, "share": "60"}, {"company": partner.pk, "share": "40"}]}
    agreement = agreements.agreement_create(actor=lic_admin, title=TITLE, deal_type=DealType.CO_DEVELOPMENT,
                                            licensor=licensor, partners=[partner], assets=[asset], terms=terms)
    agreements.agreement_open(actor=lic_admin, agreement=agreement)
    for person in (lic_admin, par_admin):
        agreement = Agreement.objects.get(pk=agreement.pk)
        agreements.version_approve(actor=person, agreement=agreement, version_number=agreement.current_version.number,
                                   approved_hash=agreement.current_version.terms_hash)
    alliance = Alliance.objects.get(agreement=agreement)
    rng = random.Random(11)
    packages = WorkPackage.objects.bulk_create([
        WorkPackage(alliance=alliance, code=f"WP{n:03d}", title=f"Work package {n}",
                    assigned_company=licensor if n % 2 else partner,
                    cost_sharing=[] if n % 3 else [{"company": licensor.pk, "share": "50"},
                                                   {"company": partner.pk, "share": "50"}])
        for n in range(N_PACKAGES)])
    CostEntry.objects.bulk_create([
        CostEntry(alliance=alliance, work_package=rng.choice(packages), company=rng.choice([licensor, partner]),
                  year=YEAR, quarter=rng.choice([QUARTER, QUARTER, QUARTER, 4]),
                  currency=rng.choice(["USD", "USD", "CNY", "EUR"]),
                  amount=Decimal(rng.randrange(1, 5_000_000_00)).scaleb(-2), recorded_by=lic_admin)
        for _ in range(N_COSTS)], batch_size=5000)
    return alliance


def run(ctx: dict[str, Any]) -> list[str]:
    from apps.alliance.models import CostEntry
    from apps.alliance.reconciliation import alliance_reconciliation

    alliance = ensure_alliance()

    def reconciliation() -> Any:
        return alliance_reconciliation(alliance=alliance, year=YEAR, quarter=QUARTER)

    def grouped_sum() -> Any:
        return list(CostEntry.objects.filter(alliance=alliance, year=YEAR, quarter=QUARTER)
                    .values_list("work_package_id", "company_id", "currency").annotate(total=Sum("amount"))
                    .order_by())

    times = interleaved_p50_ms({"reconciliation": reconciliation, "grouped": grouped_sum}, runs=40)
    ratio = times["reconciliation"] / times["grouped"]
    queries = count_queries(reconciliation)
    ok = ratio <= RATIO_TARGET
    return [f"B11 reconciliation ratio={ratio:.2f} queries={queries} target=<={RATIO_TARGET:g} "
            f"{'ok' if ok else 'MISSED'}",
            f"   ({N_PACKAGES} work packages, {N_COSTS:,} cost entries: reconciliation p50 "
            f"{times['reconciliation']:.1f} ms vs one grouped SUM {times['grouped']:.1f} ms)"]
