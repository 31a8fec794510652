"""Whatever the API answers, it accepts back unchanged.

For every operation that writes a resource in place (every PATCH and PUT of /api/schema/): read the resource,
send back what was read (the fields the operation's request schema names), read it again: the answer is 200 and
the two readings are equal. A new PATCH or PUT without a case here fails the suite. The terms of an agreement
version are the same: sent back unchanged they are the same terms (409 no_change), never refused as invalid.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from apps.catalog import services as catalog_services
from apps.catalog.models import AssetStatus
from apps.companies.models import Membership
from apps.notifications.kinds import all_kinds
from tests.agreements.helpers import draft, negotiation
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db

# Changed by the write itself, not part of what was sent: the time, and for a preference that it was chosen (sending
# the default delivery back makes it the person's own choice, which is what `is_default` reports).
MOVING = {"updated_at", "is_default"}


def _draft_asset(world: Any) -> Any:
    return catalog_services.asset_create(
        actor=world.admin, owner_company=world.licensor, code_name="LMN-3105", modality="adc", stage="phase_1",
        summary_en="HER2 ADC with a topoisomerase I payload", territories="worldwide_ex_greater_china",
        therapeutic_areas=["oncology"], deal_types=["exclusive_license"])


def _interest_profile(world: Any) -> Any:
    return catalog_services.interest_profile_save(
        actor=world.other_member, company=world.partner, therapeutic_areas=["oncology"], modalities=["adc"],
        stage_min="phase_1", stage_max="phase_3", territories=["us", "eu"], deal_types=["exclusive_license"])


def _alliance_meeting(world: Any) -> Any:
    from tests.alliance.helpers import meeting

    return meeting(world)


def _alliance_minutes(world: Any) -> Any:
    from apps.alliance import services

    return services.minutes_write(actor=world.admin, meeting=_alliance_meeting(world), text_en="Agreed the plan.",
                                  text_zh="同意计划。")


def _action_item(world: Any) -> Any:
    import datetime

    from apps.alliance import services
    from tests.alliance.helpers import co_development

    return services.action_item_create(actor=world.admin, alliance=co_development(world), title="Send the SAP",
                                       owner_company=world.partner, due_on=datetime.date(2027, 1, 15))


def _provider_helpers() -> Any:
    from tests.providers import helpers

    return helpers


def _partnering() -> Any:
    from tests.partnering import helpers

    return helpers


def _matrix(app: str, name: str) -> Any:
    """The object an app's authorization-matrix row builds (and the extra personas it adds to the world)."""
    import importlib

    return getattr(importlib.import_module(f"tests.{app}.matrix"), name)


# operation -> (persona, the path's parameters for the world)
CASES: dict[str, tuple[str, Any]] = {
    "PATCH /api/v1/me/": ("member", lambda world: {}),
    "PATCH /api/v1/companies/{id}/": ("owner", lambda world: {"id": world.licensor.pk}),
    "PATCH /api/v1/memberships/{id}/": (
        "owner", lambda world: {"id": Membership.objects.get(user=world.member, company=world.licensor).pk}),
    "PATCH /api/v1/assets/{id}/": ("admin", lambda world: {"id": _draft_asset(world).pk}),
    "PATCH /api/v1/interest-profiles/{id}/": ("other_member", lambda world: {"id": _interest_profile(world).pk}),
    "PATCH /api/v1/datarooms/{id}/": ("admin", lambda world: {"id": build_room(world, grant="download").room.pk}),
    "PATCH /api/v1/dataroom-folders/{id}/": (
        "admin", lambda world: {"id": build_room(world, grant="download").genomics.pk}),
    "PATCH /api/v1/dataroom-documents/{id}/": (
        "admin", lambda world: {"id": build_room(world, grant="download").csr.pk}),
    "PATCH /api/v1/dataroom-grants/{id}/": (
        "admin", lambda world: {"id": build_room(world, grant="download").grant.pk}),
    "PATCH /api/v1/agreements/{id}/": ("owner", lambda world: {"id": draft(world).pk}),
    "PATCH /api/v1/alliance-meetings/{id}/": ("admin", lambda world: {"id": _alliance_meeting(world).pk}),
    "PATCH /api/v1/alliance-minutes/{id}/": ("admin", lambda world: {"id": _alliance_minutes(world).pk}),
    "PATCH /api/v1/alliance-action-items/{id}/": ("member", lambda world: {"id": _action_item(world).pk}),
    "PATCH /api/v1/providers/{id}/": (
        "invited_provider", lambda world: {"id": _provider_helpers().providers(world)["invited_provider"].pk}),
    "PATCH /api/v1/service-requests/{id}/": (
        "admin", lambda world: {"id": _provider_helpers().rfp(world, terms=True).pk}),
    "PATCH /api/v1/calls/{id}/": ("other_member", lambda world: {"id": _partnering().make_call(world).pk}),
    "PATCH /api/v1/meetings/{id}/": (  # only a confirmed meeting is updated
        "other_member", lambda world: {"id": _partnering().make_meeting(world, status="confirmed").pk}),
    "PATCH /api/v1/evaluation-criteria/{id}/": (
        "other_member", lambda world: {"id": _partnering().northbridge_criteria(world).first().pk}),
    "PATCH /api/v1/rounds/{id}/": ("admin", lambda world: _matrix("financing", "_round")(world)),
    "PATCH /api/v1/investor-profiles/{id}/": (
        "book_investor", lambda world: _matrix("financing", "_cedar_profile")(world)),
    "PATCH /api/v1/intelligence/deals/{id}/": ("staff", lambda world: _matrix("intelligence", "_deal")(world)),
    "PATCH /api/v1/intelligence/market-figures/{id}/": (
        "staff", lambda world: _matrix("intelligence", "_figure")(world)),
    "PATCH /api/v1/intelligence/phase-transitions/{id}/": (
        "staff", lambda world: _matrix("intelligence", "_transition")(world)),
    "PUT /api/v1/notification-preferences/{kind}/": (
        "member", lambda world: {"kind": next(kind.code for kind in all_kinds() if kind.in_app)}),
}


@pytest.fixture(scope="module")
def schema():
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def _writes_in_place(schema: dict) -> list[str]:
    return sorted(f"{method.upper()} {path}" for path, items in schema["paths"].items()
                  for method in items if method in ("patch", "put"))


def _read_path(path: str) -> str:
    # A preference is read from the list: its PUT path has no GET.
    return "/api/v1/notification-preferences/" if path.startswith("/api/v1/notification-preferences/") else path


def _request_fields(schema: dict, operation: dict) -> set[str]:
    content = operation["requestBody"]["content"]
    ref = next(iter(content.values()))["schema"]["$ref"]
    return set(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"])


def test_every_write_in_place_has_a_round_trip_case(schema):
    assert _writes_in_place(schema) == sorted(CASES)


@pytest.mark.parametrize("operation", sorted(CASES))
def test_what_is_read_is_accepted_back_unchanged(operation, world, schema):
    method, template = operation.split(" ", 1)
    persona, params = CASES[operation]
    path = template.format(**params(world))
    client = world.client(persona)

    def read() -> dict:
        answer = client.get(_read_path(path))
        assert answer.status_code == 200, answer.content
        body = answer.json()
        if isinstance(body, list):  # the preferences list
            body = next(item for item in body if path.rstrip("/").endswith(item["kind"]))
        return body

    before = read()
    fields = _request_fields(schema, schema["paths"][template][method.lower()])
    request_schema = schema["components"]["schemas"][
        next(iter(schema["paths"][template][method.lower()]["requestBody"]["content"].values()))["schema"]["$ref"]
        .rsplit("/", 1)[-1]]["properties"]
    # A related object is read as {"id", ...} and written as its id: the one translation a client makes.
    sent = {name: value["id"] if isinstance(value, dict) and request_schema[name].get("type") == "integer" else value
            for name, value in before.items() if name in fields}
    assert sent, f"{operation}: nothing of what is read can be written"
    answer = getattr(client, method.lower())(path, sent, format="json")
    assert answer.status_code == 200, (operation, sent, answer.content)
    after = read()
    assert {k: v for k, v in after.items() if k not in MOVING} == {k: v for k, v in before.items() if k not in MOVING}


def test_agreement_terms_read_are_accepted_back_as_the_same_terms(world):
    """The terms GET answers (canonical: governance null, plain decimal rates) are valid input, and the same."""
    agreement = negotiation(world)
    client = world.client("owner")
    terms = client.get(f"/api/v1/agreements/{agreement.pk}/").json()["terms"]
    assert terms["governance"] is None
    assert [tier["rate"] for tier in terms["royalty_tiers"]] == ["10", "12.5", "15"]
    answer = client.post(f"/api/v1/agreements/{agreement.pk}/versions/", {"terms": terms}, format="json")
    assert answer.status_code == 409, answer.content
    assert answer.json()["error"]["code"] == "no_change"


def test_rates_are_plain_decimals_in_terms_and_in_the_diff(world):
    from tests.agreements.helpers import terms as make_terms

    agreement = negotiation(world)
    client = world.client("owner")
    tiers = make_terms()["royalty_tiers"]
    tiers[0] = {**tiers[0], "rate": "20"}
    answer = client.post(f"/api/v1/agreements/{agreement.pk}/versions/",
                         {"terms": make_terms(royalty_tiers=tiers)}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["terms"]["royalty_tiers"][0]["rate"] == "20"
    changes = {change["field"]: change for change in client.get(f"/api/v1/agreements/{agreement.pk}/diff/").json()[
        "changes"]}
    tiers = changes["royalty_tiers"]
    assert (tiers["before"][0]["rate"], tiers["after"][0]["rate"]) == ("10", "20"), tiers


def test_asset_round_trip_case_is_a_draft(world):
    # The case above writes a draft: a published listing is not edited in place (409 not_editable).
    assert _draft_asset(world).status == AssetStatus.DRAFT
