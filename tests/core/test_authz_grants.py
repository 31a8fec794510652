"""The two shapes of the guardian grant rule (apps/core/authz.py guardian_grant_q) give the same answer.

The set shape filters lists; the per-row shape flags the rows of a page (the catalog's `confidential_visible`).
A grant that one shape honoured and the other did not would show a partner the confidential core in one place
and the teaser in another, so every persona is walked over every kind of grant and near miss."""

import pytest
from guardian.shortcuts import assign_perm

from apps.catalog.models import Asset, AssetStatus
from apps.core.authz import guardian_grant_q
from apps.datarooms import access
from apps.datarooms.models import DataRoom
from tests.catalog.helpers import make_asset
from tests.catalog.test_visibility import CONFIDENTIAL_KEYS


def _granted(model, user, action, *, per_row):
    return set(model.objects.filter(guardian_grant_q(model, user, action, per_row=per_row))
               .values_list("pk", flat=True))


@pytest.fixture
def assets(world):
    made = {name: make_asset(world.licensor, status=AssetStatus.PUBLISHED, code_name=f"LMN-{number}")
            for number, name in enumerate(["to_company", "to_person", "other_permission", "plain"], start=3100)}
    assign_perm("catalog.view_confidential_asset", world.partner.group, made["to_company"])
    assign_perm("catalog.view_confidential_asset", world.outsider, made["to_person"])
    # A near miss: another permission on the same asset grants nothing here.
    assign_perm("catalog.change_asset", world.partner.group, made["other_permission"])
    return made


@pytest.mark.django_db
class TestBothShapesAgree:
    def test_for_every_persona_over_every_kind_of_grant(self, world, assets):
        for persona, user in world.people.items():
            if user is None:
                continue
            by_set = _granted(Asset, user, "view_confidential", per_row=False)
            by_row = _granted(Asset, user, "view_confidential", per_row=True)
            assert by_set == by_row, persona
        assert _granted(Asset, world.other_member, "view_confidential", per_row=True) == {assets["to_company"].pk}
        assert _granted(Asset, world.outsider, "view_confidential", per_row=True) == {assets["to_person"].pk}

    def test_a_grant_on_another_model_with_the_same_id_grants_nothing(self, world, assets):
        room = DataRoom.objects.create(asset=assets["plain"], owner_company=world.licensor, name="Room")
        assign_perm("datarooms.manage_dataroom", world.outsider, room)
        for per_row in (False, True):
            assert _granted(DataRoom, world.outsider, access.MANAGE, per_row=per_row) == {room.pk}
            assert room.pk not in _granted(Asset, world.outsider, "view_confidential", per_row=per_row) - {
                assets["to_person"].pk}

    def test_the_per_row_shape_works_inside_a_subquery(self, world, assets):
        # The outer column is compiled with the query's own alias, so the probe stays right when nested.
        inner = Asset.objects.filter(guardian_grant_q(Asset, world.other_member, "view_confidential", per_row=True))
        assert set(Asset.objects.filter(pk__in=inner.values("pk")).values_list("pk", flat=True)) == {
            assets["to_company"].pk}


@pytest.mark.django_db
def test_the_partner_reads_the_core_of_the_granted_asset_only(world, assets):
    rows = {row["code_name"]: row for row in world.client("other_member").get("/api/v1/assets/?page_size=50")
            .json()["results"]}
    assert set(rows["LMN-3100"]) >= CONFIDENTIAL_KEYS  # granted to the partner's company
    for teaser in ("LMN-3101", "LMN-3102", "LMN-3103"):  # granted to someone else, another permission, nothing
        assert not CONFIDENTIAL_KEYS & set(rows[teaser]), teaser
