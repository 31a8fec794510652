"""B7: provider search with filters over 10,000 provider profiles, as a biotech member (authorization rule on
every row) against the same query as staff (no authorization filter), the first cursor page of each; query counts at
page sizes 10/50/200; and the comparison of 50 proposals of one request, which must answer in a constant number of
queries. The number of matches is counted by following `next` (the list answers no count).

Builds its own data (USES_SCALE_DATASET = False): 10,000 service-provider companies with profiles (one in ten
not verified, so the rule has rows to drop), a verified biotech with one member, staff, and one request with 50
proposals in four currencies. A second run reuses the data."""

from __future__ import annotations

import os
import random
from datetime import timedelta
from decimal import Decimal
from typing import Any

from bench._measure import client_for, count_queries, get_ok, interleaved_p50_ms, record_growth

USES_SCALE_DATASET = False
TARGET = 1.3
PROVIDERS = 10_000 * int(os.environ.get("BENCH_SCALE", "1") or 1)
PROPOSALS = 50
PATH = "/api/v1/providers/?q=regulatory&category=us_agent&jurisdiction=us&page_size={size}"
MARK = "B7 Provider"

WORDS = ["regulatory", "strategy", "clinical", "operations", "manufacturing", "pharmacovigilance", "counsel",
         "translation", "market", "access", "oncology", "biologics", "submissions", "inspection", "quality"]
REGIONS = [["us"], ["eu"], ["us", "eu"], ["japan"], ["asean"], ["latam"], ["mena"], ["uk"], ["greater_china"]]
CATEGORIES = ["us_agent", "eu_legal_representative", "nmpa_agent", "regulatory_strategy", "clinical_cro",
              "cmc_cdmo", "pharmacovigilance", "ip_counsel", "market_access", "medical_translation"]


def _dataset() -> dict[str, Any]:
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.catalog.territories import Territory
    from apps.companies.models import Company, CompanyKind, Membership, Role
    from apps.providers.models import ProviderProfile, ProviderRecord, copy_company_names

    # Bench users never sign in (the benchmark force-authenticates): unusable passwords.
    biotech = Company.objects.filter(name_en="B7 Biotech").first()
    if biotech is None:
        biotech = Company.objects.create(name_en="B7 Biotech", kind=CompanyKind.BIOTECH, country="CN",
                                         verification_status="verified", group=Group.objects.create(name="b7:biotech"))
    member = User.objects.filter(email="member@b7.bench").first() or User.objects.create_user(
        email="member@b7.bench", password=None, full_name="B7 Member")
    Membership.objects.get_or_create(company=biotech, user=member, defaults={"role": Role.ADMIN})
    member.groups.add(biotech.group)
    staff = User.objects.filter(email="staff@b7.bench").first() or User.objects.create_user(
        email="staff@b7.bench", password=None, full_name="B7 Staff", is_staff=True)
    existing = ProviderProfile.objects.filter(company__name_en__startswith=MARK).count()
    if existing < PROVIDERS:
        rng = random.Random(7)
        with transaction.atomic():
            groups = Group.objects.bulk_create([Group(name=f"b7:provider:{i}") for i in range(existing, PROVIDERS)])
            companies = Company.objects.bulk_create([
                Company(name_en=f"{MARK} {i:05d}", name_zh=f"基准服务商{i:05d}", kind=CompanyKind.SERVICE_PROVIDER,
                        country=rng.choice(["US", "DE", "CN", "JP", "SG"]), group=group,
                        verification_status="pending" if i % 10 == 0 else "verified", verified_at=timezone.now())
                for i, group in zip(range(existing, PROVIDERS), groups, strict=True)])
            profiles = []
            for company in companies:
                words = rng.sample(WORDS, 5)
                profiles.append(ProviderProfile(
                    company=company, headline_en=" ".join(words[:3]).capitalize(),
                    headline_zh="法规注册服务" if "regulatory" in words else "临床运营服务",
                    description_en=" ".join(words), description_zh="为中国生物技术公司出海提供支持",
                    categories=sorted(rng.sample(CATEGORIES, rng.randint(1, 3))),
                    jurisdictions=Territory.parse(rng.choice(REGIONS)).codes(),
                    agencies=sorted(rng.sample(["FDA", "EMA", "NMPA", "PMDA", "MHRA"], 2)),
                    therapeutic_areas=["oncology"], modalities=["adc"], languages=["en", "zh"],
                    price_min=Decimal(rng.randint(10, 200) * 1000), price_max=Decimal(500_000), price_currency="USD"))
            for profile, company in zip(profiles, companies, strict=True):
                copy_company_names(profile, company)  # what save() does; bulk_create does not call it
            ProviderProfile.objects.bulk_create(profiles, batch_size=1000)
            ProviderRecord.objects.bulk_create([
                ProviderRecord(provider=p, record_type="gcp_inspection", agency="FDA", date=timezone.now().date())
                for p in profiles[::3]], batch_size=1000)
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE providers_providerprofile")
            cursor.execute("ANALYZE providers_providerrecord")  # else a page's records are read by a full scan
            cursor.execute("ANALYZE companies_company")
    return {"member": member, "staff": staff, "biotech": biotech}


def _matches(client: Any) -> tuple[int, int]:
    """Rows and pages of the whole search, following `next` as the answer gives it (page size 200)."""
    url, rows, pages = PATH.format(size=200), 0, 0
    while url:
        body = get_ok(client, url)().json()
        rows, pages, url = rows + len(body["results"]), pages + 1, body["next"]
    return rows, pages


def _request_with_proposals(info: dict[str, Any]) -> Any:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.companies.models import Company, CompanyKind, Membership, Role
    from apps.providers import services
    from apps.providers.models import ServiceRequest

    title = "B7 comparison request"
    request = ServiceRequest.objects.filter(title=title).first()
    if request is not None and request.proposals.count() >= PROPOSALS:
        return request
    bidders = []
    for i in range(PROPOSALS):
        company = Company.objects.filter(name_en=f"B7 Bidder {i}").first() or Company.objects.create(
            name_en=f"B7 Bidder {i}", kind=CompanyKind.SERVICE_PROVIDER, country="US", verification_status="verified",
            group=Group.objects.create(name=f"b7:bidder:{i}"))
        person = User.objects.filter(email=f"bidder{i}@b7.bench").first() or User.objects.create_user(
            email=f"bidder{i}@b7.bench", password=None, full_name=f"B7 Bidder {i}")
        Membership.objects.get_or_create(company=company, user=person, defaults={"role": Role.ADMIN})
        person.groups.add(company.group)
        bidders.append((company, person))
    request = services.request_create(
        actor=info["member"], company=info["biotech"], title=title, category="us_agent", jurisdictions=["us"],
        scope_en="US Agent", deadline=timezone.now() + timedelta(days=30), visibility="invited",
        providers=[company for company, _person in bidders])
    currencies = ["USD", "EUR", "CNY", "JPY"]
    for i, (_company, person) in enumerate(bidders):
        currency = currencies[i % 4]
        services.proposal_submit(actor=person, request=request, pricing_model="fixed",
                                 amount=str(1_000_000 + i) if currency == "JPY" else f"{50_000 + i}.00",
                                 currency=currency, timeline="12 months",
                                 milestones=[{"title": "All", "amount": str(1_000_000 + i) if currency == "JPY"
                                              else f"{50_000 + i}.00"}])
    return request


def run(ctx: dict[str, Any]) -> list[str]:
    info = _dataset()
    member, staff = client_for(info["member"]), client_for(info["staff"])
    queries = {size: count_queries(get_ok(member, PATH.format(size=size))) for size in (10, 50, 200)}
    timings = interleaved_p50_ms({
        "guarded": get_ok(member, PATH.format(size=20)),
        "unguarded": get_ok(staff, PATH.format(size=20)),
    }, runs=60)
    found, pages = _matches(member)
    ratio = timings["guarded"] / timings["unguarded"]
    record_growth(ctx, "B7", timings["guarded"], f"guarded search p50, page 20 of {PROVIDERS:,} providers",
                  get_ok(member, PATH.format(size=20)))
    constant = len(set(queries.values())) == 1
    request = _request_with_proposals(info)
    compare = get_ok(member, f"/api/v1/service-requests/{request.pk}/compare/")
    rows = len(compare().json()["proposals"])
    compare_queries = count_queries(compare)
    shown = str(queries[10]) if constant else "/".join(str(queries[size]) for size in (10, 50, 200))
    ok = ratio <= TARGET and constant and rows == PROPOSALS
    return [
        f"B7 provider-search ratio={ratio:.2f} queries={shown} compare-queries={compare_queries} "
        f"target=<={TARGET} {'ok' if ok else 'MISSED'}",
        f"   (guarded p50 {timings['guarded']:.1f} ms, unguarded p50 {timings['unguarded']:.1f} ms, page 20 of "
        f"{found} matches ({pages} pages of 200 through `next`) among {PROVIDERS} providers; "
        f"queries at page sizes 10/50/200: "
        f"{queries[10]}/{queries[50]}/{queries[200]}; compare of {rows} proposals in {compare_queries} queries)",
    ]
