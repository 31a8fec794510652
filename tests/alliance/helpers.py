"""An executed co-development agreement between Lumina (licensor) and Northbridge (partner), with its alliance."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from apps.alliance import services
from apps.alliance.models import Alliance, Committee, CommitteeMeeting, VotingRule
from apps.catalog.models import DealType
from apps.companies.models import CompanyKind, Role
from tests.agreements.helpers import executed, partner_admin
from tests.factories import CompanyFactory, UserFactory, add_member


def co_development(world: Any, *, licensor_share: str = "60", partner_share: str = "40") -> Alliance:
    found = world.extra.get("alliance")
    if found is not None:
        return found
    partner_admin(world)
    agreement = executed(
        world, deal_type=DealType.CO_DEVELOPMENT, title="LMN-2201 co-development",
        cost_sharing=[{"company": world.licensor.pk, "share": licensor_share},
                      {"company": world.partner.pk, "share": partner_share}],
        governance={"jsc_members": [{"company": world.licensor.pk, "name": "Lin Wei", "title": "CMO"},
                                    {"company": world.partner.pk, "name": "Nora Northbridge", "title": "VP"}],
                    "meeting_cadence": "quarterly"})
    alliance = Alliance.objects.get(agreement=agreement)
    world.extra["alliance"] = alliance
    return alliance


def jsc(world: Any) -> Committee:
    return Committee.objects.get(alliance=co_development(world), kind="steering")


def tie_break_committee(world: Any, tie_breaker: Any = None) -> Committee:
    alliance = co_development(world)
    return services.committee_create(
        actor=world.admin, alliance=alliance, kind="development", name="Joint development committee",
        voting_rule=VotingRule.TIE_BREAK, tie_breakers={"development": (tie_breaker or world.licensor).pk},
        chair_company=world.licensor, chair_rule="rotating", chair_since_year=2026,
        members=[{"company": world.licensor.pk, "name": "Lin Wei"}, {"company": world.partner.pk, "name": "Nora"}])


def meeting(world: Any, committee: Committee | None = None, days: int = 10) -> CommitteeMeeting:
    return services.meeting_schedule(actor=world.admin, committee=committee or jsc(world),
                                     starts_at=timezone.now() + datetime.timedelta(days=days),
                                     time_zone="Asia/Shanghai", agenda="Phase 2 read-out")


def partner_viewer(world: Any) -> Any:
    user = world.extra.get("partner_viewer")
    if user is None:
        user = UserFactory(email="viewer@northbridge.test", full_name="Vic Northbridge")
        add_member(world.partner, user, Role.VIEWER)
        world.extra["partner_viewer"] = user
    return user


def third_company_member(world: Any) -> Any:
    user = world.extra.get("third")
    if user is None:
        company = CompanyFactory(name_en="Rhine Biologics", name_zh="莱茵生物", kind=CompanyKind.PHARMA, country="DE")
        user = UserFactory(email="bd@rhine.test", full_name="Rhea Rhine")
        add_member(company, user, Role.ADMIN)
        world.extra["third"] = user
    return user


def cast(world: Any) -> None:
    """The issue's personas beyond the standard eight: the partner's admin and viewer, a third company."""
    world.people["partner_admin"] = partner_admin(world)
    world.people["partner_viewer"] = partner_viewer(world)
    world.people["third_company"] = third_company_member(world)
