"""Deal-building helpers shared by the agreements tests and the authorization matrix rows."""

from __future__ import annotations

import copy
from typing import Any

from apps.agreements import services
from apps.agreements.models import Agreement, Milestone
from apps.catalog.models import Asset, AssetStatus, DealType, Modality, Stage
from apps.companies.models import Role
from tests.factories import UserFactory, add_member

BASE_TERMS: dict[str, Any] = {
    "territory": "worldwide_ex_greater_china",
    "field_of_use": ["oncology"],
    "exclusivity": "exclusive",
    "term": {"years": 12, "description": "Until the last patent expires, at least 12 years"},
    "currency": "USD",
    "upfront": "60000000.00",
    "equity_investment": "20000000",
    "milestones": [
        {"key": "phase3_start", "kind": "development", "description": "First patient dosed in phase 3",
         "amount": "50000000", "due_date": "2027-06-30"},
        {"key": "fda_approval", "kind": "regulatory", "description": "FDA approval",
         "amount": "150000000", "regulatory_event": "fda:approved"},
        {"key": "sales_1b", "kind": "sales", "description": "Annual net sales reach USD 1 billion",
         "amount": "200000000", "sales_threshold": "1000000000"},
    ],
    "royalty_tiers": [
        {"from_net_sales": "0", "to_net_sales": "500000000", "rate": "10"},
        {"from_net_sales": "500000000", "to_net_sales": "1000000000", "rate": "12.5"},
        {"from_net_sales": "1000000000", "to_net_sales": None, "rate": "15"},
    ],
}


def terms(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_TERMS)
    data.update(overrides)
    return data


def asset(world: Any, code: str = "LMN-2201", status: str = AssetStatus.PUBLISHED) -> Asset:
    found = Asset.objects.filter(owner_company=world.licensor, code_name=code).first()
    return found or Asset.objects.create(owner_company=world.licensor, code_name=code,
                                         modality=Modality.BISPECIFIC_ANTIBODY, stage=Stage.PHASE_2, status=status)


def partner_admin(world: Any) -> Any:
    user = world.extra.get("partner_admin")
    if user is None:
        user = UserFactory(email="admin@northbridge.test", full_name="Nolan Northbridge")
        add_member(world.partner, user, Role.ADMIN)
        world.extra["partner_admin"] = user
    return user


def draft(world: Any, *, deal_type: str = DealType.EXCLUSIVE_LICENSE, the_asset: Asset | None = None,
          title: str = "LMN-2201 licence", **term_overrides: Any) -> Agreement:
    return services.agreement_create(actor=world.owner, title=title, deal_type=deal_type, licensor=world.licensor,
                                     partners=[world.partner], assets=[the_asset or asset(world)],
                                     terms=terms(**term_overrides))


def negotiation(world: Any, **kwargs: Any) -> Agreement:
    agreement = draft(world, **kwargs)
    return services.agreement_open(actor=world.owner, agreement=agreement)


def approve(world: Any, agreement: Agreement, user: Any) -> None:
    agreement.refresh_from_db()
    version = agreement.current_version
    services.version_approve(actor=user, agreement=agreement, version_number=version.number,
                             approved_hash=version.terms_hash)


def executed(world: Any, **kwargs: Any) -> Agreement:
    agreement = negotiation(world, **kwargs)
    approve(world, agreement, world.owner)
    approve(world, agreement, partner_admin(world))
    agreement.refresh_from_db()
    return agreement


def milestone(agreement: Agreement, key: str = "phase3_start") -> Milestone:
    return Milestone.objects.get(agreement=agreement, key=key)
