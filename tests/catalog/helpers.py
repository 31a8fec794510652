"""Catalog test helpers: assets built straight in the database (services are tested on their own)."""

from typing import Any

from django.utils import timezone
from guardian.shortcuts import assign_perm

from apps.catalog.models import Asset, AssetStatus, Stage
from apps.catalog.territories import WORLDWIDE_EX_GREATER_CHINA

_counter = {"n": 0}


def make_asset(company: Any, *, status: str = AssetStatus.PUBLISHED, **fields: Any) -> Asset:
    _counter["n"] += 1
    defaults: dict[str, Any] = dict(
        code_name=f"LMN-{2200 + _counter['n']}",
        modality="bispecific_antibody",
        stage=Stage.PHASE_2,
        summary_en="First-in-class PD-1xVEGF bispecific antibody for solid tumours.",
        summary_zh="用于实体瘤的首创PD-1/VEGF双特异性抗体。",
        therapeutic_areas=["oncology"],
        deal_types=["exclusive_license", "co_development"],
        territories=WORLDWIDE_EX_GREATER_CHINA.codes(),
        name_en="Tetravalent PD-1xVEGF bispecific",
        targets=["PD-1", "VEGF"],
        mechanism="Blocks PD-1 and neutralises VEGF-A in the tumour microenvironment.",
        indications=["non-small cell lung cancer"],
        inn="lumitamab",
    )
    defaults.update(fields)
    asset = Asset(owner_company=company, status=status, **defaults)
    if status == AssetStatus.PUBLISHED:
        asset.published_at = timezone.now()
    asset.save()
    return asset


def grant_confidential(company: Any, asset: Asset) -> None:
    assign_perm("catalog.view_confidential_asset", company.group, asset)
