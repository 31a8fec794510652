"""B8: search quality on the relevance set (tests/partnering/relevance.py): 56 queries in English, Simplified and
Traditional Chinese, short Chinese words and synonyms, over 30 listings of one licensor, through the catalog's
search (apps/catalog/search.py) as a verified partner sees them. Builds its own data (idempotent)."""

from typing import Any

USES_SCALE_DATASET = False
GOAL = 0.9
MARKER = "Bench B8 relevance licensor"


def _world() -> tuple[Any, Any]:
    from django.contrib.auth.models import Group

    from apps.accounts.models import User
    from apps.companies.models import Company, CompanyKind, Membership, Role, VerificationStatus

    licensor = Company.objects.filter(name_en=MARKER).first()
    if licensor is None:
        group = Group.objects.get_or_create(name="company:bench:b8:licensor")[0]
        licensor = Company.objects.create(name_en=MARKER, name_zh="基准相关性公司", kind=CompanyKind.BIOTECH,
                                          country="CN", verification_status=VerificationStatus.VERIFIED, group=group)
    partner_company = Company.objects.filter(name_en=f"{MARKER} partner").first()
    if partner_company is None:
        group = Group.objects.get_or_create(name="company:bench:b8:partner")[0]
        partner_company = Company.objects.create(name_en=f"{MARKER} partner", kind=CompanyKind.PHARMA, country="US",
                                                 verification_status=VerificationStatus.VERIFIED, group=group)
    partner = User.objects.filter(email="b8-partner@bench.test").first()
    if partner is None:
        partner = User.objects.create_user(email="b8-partner@bench.test", password=None, full_name="B8 Partner")
        Membership.objects.create(company=partner_company, user=partner, role=Role.MEMBER)
        partner.groups.add(partner_company.group)
    return licensor, partner


def run(ctx: dict[str, Any]) -> list[str]:
    from apps.catalog.search import search
    from apps.catalog.selectors import asset_list
    from tests.partnering.relevance import QUERIES, evaluate, load

    licensor, partner = _world()
    load(licensor)
    # What the partner can see, of this licensor only: the relevance judgements cover these 30 listings (the
    # bench database may also hold the 100,000-asset scale set, which was never judged).
    visible = asset_list(partner).filter(owner_company=licensor).order_by("-created_at", "-id")

    def run_query(text: str) -> list[str]:
        return list(search(visible, text).values_list("code_name", flat=True)[:50])

    outcome = evaluate(run_query)
    ok = outcome.precision_at_10 >= GOAL and outcome.recall >= GOAL
    lines = [f"B8 search-quality precision-at-10={outcome.precision_at_10:.3f} recall={outcome.recall:.3f} "
             f"target=>={GOAL},>={GOAL} {'ok' if ok else 'MISSED'}",
             f"   ({len(QUERIES)} queries; {len(outcome.misses)} not exactly right)"]
    for query, expected, returned in outcome.misses[:10]:
        lines.append(f"   miss: {query!r} expected {sorted(expected)} returned {returned}")
    return lines
