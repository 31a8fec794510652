"""The financing world: Lumina (the standard licensor) raises a Series B; four investors and another biotech.

Personas added to `world.people` (beyond the standard eight):

* investor: Harbor Peak Ventures, whose thesis matches the round, not in its book;
* book_investor: Cedar Lane Capital, in the book at diligence, 5,000,000 USD soft-circled;
* other_book_investor: Jadeite Growth Fund, in the book, committed 12,000,000 USD;
* nonmatching_investor: Alpine Neuro Fund, whose thesis is neurology only;
* other_biotech: Suzhou Harbor Bio, a verified biotech that raises its own rounds.

Everything is built straight in the database (services are tested on their own).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from apps.companies.models import CompanyKind, Role
from apps.financing.models import BookEntry, EntryStage, InvestorProfile, Round, RoundStatus
from tests.factories import CompanyFactory, UserFactory, add_member

_counter = {"n": 0}


def investor(name: str, *, person: str, role: str = Role.MEMBER, language: str = "en", **thesis: Any) -> tuple:
    company = CompanyFactory(name_en=name, name_zh=f"{name}（中文）", kind=CompanyKind.INVESTOR, country="US")
    user = UserFactory(email=f"{person}@{name.split()[0].lower()}.test", full_name=f"{name} {person}",
                       preferred_language=language)
    add_member(company, user, role)
    defaults: dict[str, Any] = dict(thesis_en=f"{name} backs clinical-stage biotechs.",
                                    thesis_zh="投资临床阶段生物技术公司。", contact_name=f"{name} partner",
                                    contact_email=f"partner@{name.split()[0].lower()}.test",
                                    contact_phone="+1 555 0100")
    defaults.update(thesis)
    InvestorProfile.objects.create(company=company, **defaults)
    return company, user


def make_round(company: Any, *, status: str = RoundStatus.PUBLISHED, **fields: Any) -> Round:
    _counter["n"] += 1
    defaults: dict[str, Any] = dict(
        name_en=f"Series B {_counter['n']}", name_zh=f"B轮融资{_counter['n']}", stage="series_b",
        instrument="equity", target_amount=Decimal("80000000.00"), currency="USD",
        summary_en="Series B to take a PD-1xVEGF bispecific through global phase 3.",
        summary_zh="B轮融资，推进PD-1/VEGF双抗全球三期研究。",
        use_of_proceeds_en="Global phase 3 and CMC scale-up.", use_of_proceeds_zh="全球三期及CMC放大。",
        therapeutic_areas=["oncology"], modalities=["bispecific_antibody"],
        pre_money_valuation=Decimal("420000000.00"), cap_table_summary="Founders 38%, Series A investors 41%.",
        financial_statements="Cash 61m USD at 30 June; burn 4.1m USD a month.",
    )
    defaults.update(fields)
    round_ = Round(company=company, status=status, **defaults)
    if status in (RoundStatus.PUBLISHED, RoundStatus.CLOSED):
        round_.published_at = timezone.now()
    round_.save()
    return round_


def entry(round_: Round, company: Any, stage: str = EntryStage.INTERESTED, **fields: Any) -> BookEntry:
    return BookEntry.objects.create(round=round_, investor=company, stage=stage, **fields)


def financing_world(world: Any, *, round_status: str = RoundStatus.PUBLISHED) -> dict[str, Any]:
    """Add the investors, the other biotech and Lumina's round (with two book entries) to `world`."""
    if "round" in world.extra:
        return world.extra
    matching, world.people["investor"] = investor(
        "Harbor Peak Ventures", person="hana", therapeutic_areas=["oncology"], round_stages=["series_b"],
        geographies=["CN"])
    cedar, world.people["book_investor"] = investor(
        "Cedar Lane Capital", person="carl", therapeutic_areas=["oncology"], round_stages=["series_a", "series_b"])
    jadeite, world.people["other_book_investor"] = investor(
        "Jadeite Growth Fund", person="jade", therapeutic_areas=["oncology"])
    alpine, world.people["nonmatching_investor"] = investor(
        "Alpine Neuro Fund", person="alma", therapeutic_areas=["neurology"], round_stages=["seed"])
    other_biotech = CompanyFactory(name_en="Suzhou Harbor Bio", name_zh="苏州港湾生物", kind=CompanyKind.BIOTECH)
    world.people["other_biotech"] = UserFactory(email="ceo@suzhouharbor.test", full_name="Sun Harbor")
    add_member(other_biotech, world.people["other_biotech"], Role.ADMIN)
    round_ = make_round(world.licensor, status=round_status)
    cedar_entry = entry(round_, cedar, EntryStage.DILIGENCE, soft_circled_amount=Decimal("5000000.00"))
    jadeite_entry = entry(round_, jadeite, EntryStage.COMMITTED, soft_circled_amount=Decimal("10000000.00"),
                          committed_amount=Decimal("12000000.00"))
    world.extra.update(round=round_, matching=matching, cedar=cedar, jadeite=jadeite, alpine=alpine,
                       other_biotech=other_biotech, cedar_entry=cedar_entry, jadeite_entry=jadeite_entry)
    return world.extra
