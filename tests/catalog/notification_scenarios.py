"""Delivery scenarios of the catalog kinds (runner: tests/notifications/test_every_kind_is_delivered.py)."""

from __future__ import annotations

from apps.catalog import services
from apps.catalog.models import AssetStatus, InterestProfile
from apps.catalog.territories import Territory
from tests.catalog.helpers import make_asset
from tests.notifications.scenarios import Told, scenario


@scenario("catalog.asset_submitted")
def _asset_submitted(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT)
    services.asset_submit(actor=world.member, asset=asset)
    return Told(world.staff, says=f"Shanghai Lumina Biotherapeutics submitted {asset.code_name} for moderation",
                says_zh=f"已提交 {asset.code_name} 等待审核", not_told=[world.other_member, world.outsider])


@scenario("catalog.asset_published")
def _asset_published(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_publish(actor=world.staff, asset=asset)
    return Told(world.member, says=f"Your listing {asset.code_name} is now visible to verified companies",
                says_zh=f"您的资产条目 {asset.code_name} 现已对已认证公司可见", not_told=[world.other_member])


@scenario("catalog.asset_changes_requested")
def _asset_changes_requested(world):
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_request_changes(actor=world.staff, asset=asset, reason="Add the phase 1 ORR.")
    return Told(world.admin, says="back for changes: Add the phase 1 ORR.",
                says_zh=f"审核人员退回了 {asset.code_name}，要求修改：Add the phase 1 ORR.",
                not_told=[world.other_member])


@scenario("catalog.asset_archived")
def _asset_archived(world):
    asset = make_asset(world.licensor)
    services.asset_archive(actor=world.owner, asset=asset, reason="Out-licensed elsewhere.")
    return Told(world.member, says=f"The listing {asset.code_name} was archived",
                says_zh=f"资产条目 {asset.code_name} 已归档", not_told=[world.owner, world.other_member])


@scenario("catalog.interest_expressed")
def _interest_expressed(world):
    asset = make_asset(world.licensor)
    services.interest_express(actor=world.other_member, asset=asset, message="Keen on US rights.")
    return Told(world.admin, says="Northbridge Pharma expressed interest in",
                says_zh="北桥制药 表达了对", not_told=[world.viewer, world.other_member])


@scenario("catalog.asset_matched")
def _asset_matched(world):
    InterestProfile.objects.create(company=world.partner, therapeutic_areas=["oncology"],
                                   modalities=["bispecific_antibody"], stage_min="phase_1", stage_max="phase_3",
                                   territories=Territory.parse("us").codes(), deal_types=["exclusive_license"])
    asset = make_asset(world.licensor, status=AssetStatus.SUBMITTED)
    services.asset_publish(actor=world.staff, asset=asset)
    return Told(world.other_member, says="was just published and matches your company's interest profile",
                says_zh="刚刚发布，符合贵公司的兴趣档案", not_told=[world.owner])
