"""Demo alliance: Lumina and Northbridge co-develop LMN-3105 (an ADC) under an executed 60/40 co-development
agreement: a steering committee with one meeting whose minutes both approved and a decision carried, a quarter of
shared costs in USD and CNY, two obligations and an open issue. Idempotent: a second run adds nothing."""

import datetime
from typing import Any

from django.utils import timezone

from apps.agreements import services as agreements
from apps.agreements.models import Agreement
from apps.alliance import services
from apps.alliance.models import Alliance, Committee, CommitteeKind
from apps.catalog.models import Asset, DealType

TITLE = "LMN-3105 co-development (United States and Europe)"


def _terms(lumina: Any, northbridge: Any) -> dict[str, Any]:
    return {
        "territory": {"include": ["US", "EU"]},
        "field_of_use": ["oncology"],
        "exclusivity": "exclusive",
        "term": {"years": 12, "description": "12 years from the first commercial sale"},
        "currency": "USD",
        "upfront": "35000000",
        "milestones": [
            {"key": "phase2_start", "kind": "development", "description": "First patient dosed in phase 2",
             "amount": "20000000", "due_date": "2027-03-31"},
        ],
        "royalty_tiers": [{"from_net_sales": "0", "to_net_sales": None, "rate": "12"}],
        "cost_sharing": [{"company": lumina.pk, "share": "60"}, {"company": northbridge.pk, "share": "40"}],
        "governance": {
            "jsc_members": [{"company": lumina.pk, "name": "Li Wei 李伟", "title": "CEO"},
                            {"company": northbridge.pk, "name": "Olivia Grant", "title": "VP Business Development"}],
            "meeting_cadence": "quarterly", "first_meeting": "2026-10-15",
        },
    }


def load(ctx: dict[str, Any]) -> None:
    companies, people = ctx.get("companies") or {}, ctx.get("people") or {}
    lumina, northbridge = companies.get("lumina"), companies.get("northbridge")
    lumina_admin, northbridge_admin = people.get("lumina_admin"), people.get("northbridge_admin")
    if not (lumina and northbridge and lumina_admin and northbridge_admin):
        return
    asset = Asset.objects.filter(owner_company=lumina, code_name="LMN-3105").first()
    if asset is None or Agreement.objects.filter(title=TITLE, licensor=lumina).exists():
        return
    agreement = agreements.agreement_create(
        actor=lumina_admin, title=TITLE, deal_type=DealType.CO_DEVELOPMENT, licensor=lumina,
        partners=[northbridge], assets=[asset], terms=_terms(lumina, northbridge))
    agreements.agreement_open(actor=lumina_admin, agreement=agreement)
    for person in (lumina_admin, northbridge_admin):
        agreement.refresh_from_db()
        version = agreement.current_version
        assert version is not None  # agreement_create always proposes version 1
        agreements.version_approve(actor=person, agreement=agreement, version_number=version.number,
                                   approved_hash=version.terms_hash)
    alliance = Alliance.objects.get(agreement=agreement)  # opened by the execution
    jsc = Committee.objects.get(alliance=alliance, kind=CommitteeKind.STEERING)

    meeting = services.meeting_schedule(
        actor=lumina_admin, committee=jsc, time_zone="Asia/Shanghai",
        starts_at=timezone.make_aware(datetime.datetime(2026, 10, 15, 1, 0), datetime.UTC),
        agenda="1. Phase 1 dose escalation read-out\n2. Phase 2 design and budget\n3. CMC scale-up")
    minutes = services.minutes_write(
        actor=lumina_admin, meeting=meeting,
        text_en="The committee reviewed the dose-escalation data (no DLT up to 6 mg/kg) and approved the phase 2 "
                "design in HER2-low breast cancer.",
        text_zh="委员会审阅了剂量递增数据（6 mg/kg 以内未见剂量限制性毒性），并批准了 HER2 低表达乳腺癌的二期设计。")
    services.minutes_approve(actor=northbridge_admin, minutes=minutes)
    decision = services.decision_propose(actor=lumina_admin, meeting=meeting, area="development",
                                         motion="Start the phase 2 study at 4.8 mg/kg in Q1 2027")
    services.decision_vote(actor=lumina_admin, decision=decision, vote="for")
    services.decision_vote(actor=northbridge_admin, decision=decision, vote="for")
    services.action_item_create(actor=lumina_admin, alliance=alliance, meeting=meeting,
                                title="Share the phase 2 statistical analysis plan", owner_company=lumina,
                                owner_name="Li Wei", due_on=datetime.date(2026, 12, 15))

    clinical = services.work_package_create(actor=lumina_admin, alliance=alliance, code="WP-P2",
                                            title="Phase 2 study (US, EU)", assigned_company=northbridge)
    cmc = services.work_package_create(actor=lumina_admin, alliance=alliance, code="WP-CMC",
                                       title="CMC scale-up", assigned_company=lumina,
                                       cost_sharing=[{"company": lumina.pk, "share": "50"},
                                                     {"company": northbridge.pk, "share": "50"}])
    services.budget_set(actor=lumina_admin, work_package=clinical, year=2026, quarter=4, currency="USD",
                        amount="4000000.00")
    services.budget_set(actor=lumina_admin, work_package=cmc, year=2026, quarter=4, currency="CNY",
                        amount="12000000.00")
    services.cost_record(actor=northbridge_admin, work_package=clinical, year=2026, quarter=4, currency="USD",
                         amount="3250000.00", description="CRO start-up and site fees")
    services.cost_record(actor=lumina_admin, work_package=cmc, year=2026, quarter=4, currency="CNY",
                         amount="9800000.00", description="Process validation batches (Suzhou)")

    services.obligation_create(actor=lumina_admin, alliance=alliance, kind="regulatory_filing",
                               title="US IND for LMN-3105 cleared by the FDA", owner_company=northbridge,
                               due_on=datetime.date(2027, 2, 28), regulatory_event="fda:ind_cleared")
    services.obligation_create(actor=northbridge_admin, alliance=alliance, kind="reporting",
                               title="Annual development report to the steering committee", owner_company=lumina,
                               due_on=datetime.date(2027, 1, 31), recurrence="annual")
    services.issue_raise(actor=northbridge_admin, alliance=alliance, title="Comparator drug supply in the EU",
                         description="The EU comparator supplier quoted 14 weeks; the plan assumed 8.",
                         severity="medium")
    ctx.setdefault("agreements", {})["lmn3105"] = agreement
