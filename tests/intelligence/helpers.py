"""Deal-intelligence test helpers: public records, platform deals, an agreement under negotiation."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from apps.agreements.models import Agreement
from apps.catalog.models import Asset, AssetStatus, Modality, Stage
from apps.companies.models import Role
from apps.intelligence import services
from apps.intelligence.models import DealRecord, DealSource
from tests.agreements import helpers as agreement_helpers
from tests.factories import CompanyFactory, UserFactory, add_member

_counter = itertools.count(1)


def public_deal(**overrides: Any) -> DealRecord:
    n = next(_counter)
    data: dict[str, Any] = dict(
        reference=f"test-deal-{n}", source_kind=DealSource.PUBLIC, announced_on=datetime.date(2024, 3, 1),
        licensor_name_en=f"Licensor {n}", licensor_country="CN", licensee_name_en=f"Licensee {n}",
        licensee_country="US", asset_name=f"ASSET-{n}", modality=Modality.BISPECIFIC_ANTIBODY,
        therapeutic_area="oncology", stage=Stage.PHASE_2, deal_type="exclusive_license",
        territory="worldwide_ex_greater_china", currency="USD", upfront=Decimal("100000000"),
        milestones_total=Decimal("900000000"), source_url=f"https://news.example.test/deal-{n}",
        source_read_on=datetime.date(2026, 11, 30))
    data.update(overrides)
    deal = DealRecord(**data)
    deal.save()
    return deal


def licensor_asset(world: Any, code: str = "LMN-2201", areas: list[str] | None = None,
                   stage: str = Stage.PHASE_2) -> Asset:
    asset = Asset.objects.filter(owner_company=world.licensor, code_name=code).first()
    if asset is None:
        asset = Asset.objects.create(owner_company=world.licensor, code_name=code,
                                     modality=Modality.BISPECIFIC_ANTIBODY, stage=stage,
                                     status=AssetStatus.PUBLISHED, therapeutic_areas=areas or ["oncology"])
    return asset


def negotiation(world: Any, **term_overrides: Any) -> Agreement:
    return agreement_helpers.negotiation(world, the_asset=licensor_asset(world), **term_overrides)


def platform_deal(upfront: str, *, area: str = "oncology", year: int = 2025, released: bool = True,
                  modality: str = Modality.ADC, licensor_country: str = "CN") -> DealRecord:
    """A contributed platform deal between two fresh fictional companies (their own executed agreement)."""
    n = next(_counter)
    licensor = CompanyFactory(name_en=f"Platform Licensor {n}", country=licensor_country)
    partner = CompanyFactory(name_en=f"Platform Partner {n}", country="US")
    owner = UserFactory(email=f"owner{n}@platform-licensor.test")
    add_member(licensor, owner, Role.OWNER)
    partner_owner = UserFactory(email=f"owner{n}@platform-partner.test")
    add_member(partner, partner_owner, Role.OWNER)
    asset = Asset.objects.create(owner_company=licensor, code_name=f"PLT-{n}", modality=modality,
                                 stage=Stage.PHASE_1, status=AssetStatus.PUBLISHED, therapeutic_areas=[area])
    from apps.agreements import services as agreement_services

    agreement = agreement_services.agreement_create(
        actor=owner, title=f"Platform licence {n}", deal_type="exclusive_license", licensor=licensor,
        partners=[partner], assets=[asset], terms=agreement_helpers.terms(upfront=upfront))
    agreement = agreement_services.agreement_open(actor=owner, agreement=agreement)
    for signer in (owner, partner_owner):
        agreement.refresh_from_db()
        version = agreement.current_version
        agreement_services.version_approve(actor=signer, agreement=agreement, version_number=version.number,
                                           approved_hash=version.terms_hash)
    agreement.refresh_from_db()
    Agreement.objects.filter(pk=agreement.pk).update(executed_at=datetime.datetime(year, 6, 1,
                                                                                   tzinfo=datetime.UTC))
    agreement.refresh_from_db()
    services.contribution_consent(actor=owner, agreement=agreement)
    services.contribution_consent(actor=partner_owner, agreement=agreement)
    deal = DealRecord.objects.get(agreement=agreement)
    if not released:
        DealRecord.objects.filter(pk=deal.pk).update(released_at=None)
    deal.refresh_from_db()
    deal.owner = owner  # type: ignore[attr-defined]
    return deal


def quick_platform_deal(upfront: str, *, area: str = "oncology", year: int = 2025, released: bool = True
                        ) -> DealRecord:
    """A released platform deal written straight to the tables (the statistics only read its fields). Tests that
    exercise consent and parties use platform_deal(), which walks the real agreement."""
    n = next(_counter)
    licensor = CompanyFactory(name_en=f"Quick Licensor {n}", country="CN")
    partner = CompanyFactory(name_en=f"Quick Partner {n}", country="US")
    creator = UserFactory(email=f"creator{n}@quick.test")
    agreement = Agreement.objects.create(title=f"Quick licence {n}", deal_type="exclusive_license", licensor=licensor,
                                         status="executed", created_by=creator, created_by_company=licensor)
    from apps.agreements.models import AgreementParty

    AgreementParty.objects.create(agreement=agreement, company=licensor, role="licensor")
    AgreementParty.objects.create(agreement=agreement, company=partner, role="partner")
    deal = DealRecord(reference=f"platform-quick-{n}", source_kind=DealSource.PLATFORM, agreement=agreement,
                      announced_on=datetime.date(year, 6, 1), licensor_name_en=licensor.name_en,
                      licensor_country="CN", licensee_name_en=partner.name_en, licensee_country="US",
                      asset_name=f"QCK-{n}", modality=Modality.ADC, therapeutic_area=area, stage=Stage.PHASE_1,
                      deal_type="exclusive_license", territory="worldwide", currency="USD",
                      upfront=Decimal(upfront), milestones_total=Decimal("500000000"),
                      released_at=datetime.datetime(year, 7, 1, tzinfo=datetime.UTC) if released else None)
    deal.save()
    return deal
