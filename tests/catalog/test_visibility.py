"""Teaser versus confidential core, for every persona, across list, detail, search, filter and ordering."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.catalog.models import AssetStatus, RegulatoryEvent
from tests.catalog.helpers import grant_confidential, make_asset
from tests.conftest import PERSONAS
from tests.factories import CompanyFactory, UserFactory, add_member

CONFIDENTIAL_KEYS = {"inn", "name_en", "targets", "mechanism", "indications", "owner_company", "description_en"}
FULL = {"viewer", "member", "admin", "owner", "staff"}


def _results(response):
    assert response.status_code == 200, response.content
    return {row["code_name"]: row for row in response.json()["results"]}


@pytest.fixture
def catalog(world):
    published = make_asset(world.licensor, code_name="LMN-2201")
    draft = make_asset(world.licensor, status=AssetStatus.DRAFT, code_name="LMN-4010")
    return published, draft


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_list_shows_teaser_or_full_per_persona(world, catalog, persona):
    rows = _results(world.client(persona).get("/api/v1/assets/"))
    if persona == "outsider":
        assert rows == {}
        return
    assert "LMN-2201" in rows
    row = rows["LMN-2201"]
    if persona in FULL:
        assert row["access"] == "full" and set(row) >= CONFIDENTIAL_KEYS
        assert "LMN-4010" in rows
    else:
        assert row["access"] == "teaser" and not CONFIDENTIAL_KEYS & set(row)
        assert "LMN-4010" not in rows


@pytest.mark.django_db
def test_anonymous_gets_401(world, catalog):
    assert world.client("anonymous").get("/api/v1/assets/").status_code == 401


@pytest.mark.django_db
def test_detail_teaser_for_partner_full_after_grant(world, catalog):
    published, _ = catalog
    client = world.client("other_member")
    teaser = client.get(f"/api/v1/assets/{published.pk}/").json()
    assert teaser["access"] == "teaser" and "regulatory_events" not in teaser and "targets" not in teaser
    grant_confidential(world.partner, published)
    full = client.get(f"/api/v1/assets/{published.pk}/").json()
    assert full["access"] == "full" and full["targets"] == ["PD-1", "VEGF"] and full["regulatory_events"] == []
    # Moderation notes stay with the owner company and staff.
    assert "status_reason" not in full


@pytest.mark.django_db
def test_confidential_read_by_a_granted_partner_is_audited(world, catalog):
    from apps.audit.models import AuditEvent

    published, _ = catalog
    grant_confidential(world.partner, published)
    world.client("other_member").get(f"/api/v1/assets/{published.pk}/")
    assert AuditEvent.objects.filter(action="catalog.asset_confidential_viewed", actor=world.other_member).exists()
    world.client("owner").get(f"/api/v1/assets/{published.pk}/")
    assert not AuditEvent.objects.filter(action="catalog.asset_confidential_viewed", actor=world.owner).exists()


@pytest.mark.django_db
def test_grant_to_one_partner_does_not_open_the_core_to_another(world, catalog):
    published, _ = catalog
    rival = CompanyFactory(name_en="Rhine Valley Therapeutics", kind="pharma", country="DE")
    rival_member = UserFactory()
    add_member(rival, rival_member)
    grant_confidential(rival, published)
    row = _results(world.client("other_member").get("/api/v1/assets/"))["LMN-2201"]
    assert row["access"] == "teaser"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["target=PD-1", "indication=non-small cell lung cancer", "mechanism=VEGF",
                                   "inn=lumitamab", "designation=breakthrough_therapy", "agency=FDA"])
def test_confidential_filters_never_match_rows_the_caller_sees_as_teaser(world, catalog, query):
    published, _ = catalog
    RegulatoryEvent.objects.create(asset=published, agency="FDA", event_type="designation",
                                   designation="breakthrough_therapy", date="2026-01-10")
    owner_rows = _results(world.client("owner").get(f"/api/v1/assets/?{query}"))
    assert "LMN-2201" in owner_rows
    assert _results(world.client("other_member").get(f"/api/v1/assets/?{query}")) == {}
    grant_confidential(world.partner, published)
    assert "LMN-2201" in _results(world.client("other_member").get(f"/api/v1/assets/?{query}"))


@pytest.mark.django_db
def test_confidential_filter_with_a_non_matching_value_cannot_be_used_as_an_oracle(world, catalog):
    # Without a grant, a right and a wrong guess answer the same: nothing.
    right = _results(world.client("other_member").get("/api/v1/assets/?target=PD-1"))
    wrong = _results(world.client("other_member").get("/api/v1/assets/?target=KRAS"))
    assert right == wrong == {}


@pytest.mark.django_db
def test_owner_company_is_confidential_too(world, catalog):
    assert _results(world.client("other_member").get(f"/api/v1/assets/?owner_company={world.licensor.pk}")) == {}
    assert "LMN-2201" in _results(world.client("staff").get(f"/api/v1/assets/?owner_company={world.licensor.pk}"))


@pytest.mark.django_db
def test_search_reads_only_the_teaser(world, catalog):
    client = world.client("other_member")
    assert "LMN-2201" in _results(client.get("/api/v1/assets/?q=bispecific"))
    # "lumitamab" (INN) and "microenvironment" (mechanism) are in the core only.
    assert _results(client.get("/api/v1/assets/?q=lumitamab")) == {}
    assert _results(client.get("/api/v1/assets/?q=microenvironment")) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["inn", "-mechanism", "targets", "owner_company__name_en", "summary_en",
                                      "-created_at", "updated_at"])  # core fields
def test_ordering_by_hidden_or_unknown_fields_is_refused(world, catalog, ordering):
    response = world.client("other_member").get(f"/api/v1/assets/?ordering={ordering}")
    assert response.status_code == 400
    assert "ordering" in response.json()["error"]["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", ["stage", "-stage", "code_name"])
def test_ordering_by_teaser_fields(world, ordering):
    for stage, code in (("phase_1", "A-1"), ("phase_3", "B-3"), ("preclinical", "C-0")):
        make_asset(world.licensor, stage=stage, code_name=code)
    rows = list(_results(world.client("other_member").get(f"/api/v1/assets/?ordering={ordering}")))
    if ordering == "stage":
        assert rows == ["C-0", "A-1", "B-3"]
    if ordering == "-stage":
        assert rows == ["B-3", "A-1", "C-0"]
    if ordering == "code_name":
        assert rows == ["A-1", "B-3", "C-0"]


@pytest.mark.django_db
def test_list_query_count_is_constant_across_page_sizes(world):
    for index in range(30):
        asset = make_asset(world.licensor, code_name=f"Q-{index}")
        if index % 3 == 0:
            grant_confidential(world.partner, asset)
    client = world.client("other_member")
    counts = []
    for size in (10, 20, 30):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/assets/?page_size={size}")
        assert len(response.json()["results"]) == size
        counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts
    accesses = {row["access"] for row in response.json()["results"]}
    assert accesses == {"full", "teaser"}


@pytest.mark.django_db
def test_cursor_pagination_walks_every_visible_row_once(world):
    for index in range(7):
        make_asset(world.licensor, code_name=f"P-{index}")
    client = world.client("other_member")
    seen, url = [], "/api/v1/assets/?page_size=3&ordering=code_name"
    while url:
        body = client.get(url).json()
        seen.extend(row["code_name"] for row in body["results"])
        url = body["next"]
    assert seen == [f"P-{index}" for index in range(7)]


@pytest.mark.django_db
def test_a_teaser_readers_next_page_link_carries_no_core_date(world):
    """The cursor in `next` holds the last row's position; for the default order that must be a public value
    (the id), never the asset's created_at, which only readers of the core may see."""
    import base64
    from urllib.parse import parse_qs, urlparse

    assets = [make_asset(world.licensor, code_name=f"P-{index}") for index in range(3)]
    body = world.client("other_member").get("/api/v1/assets/?page_size=2").json()
    assert {row["access"] for row in body["results"]} == {"teaser"}
    cursor = parse_qs(urlparse(body["next"]).query)["cursor"][0]
    position = parse_qs(base64.b64decode(cursor + "==").decode())["p"][0]
    assert position == str(assets[1].pk)  # newest first: the second row of the page
    assert str(assets[1].created_at.year) not in position


@pytest.mark.django_db
def test_suspended_partner_loses_the_catalog_at_once(world, catalog):
    world.partner.verification_status = "suspended"
    world.partner.save()
    assert _results(world.client("other_member").get("/api/v1/assets/")) == {}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
@pytest.mark.parametrize("granted", [False, True])
def test_detail_search_filter_and_ordering_agree_per_persona(world, catalog, persona, granted):
    published, _ = catalog
    if granted:
        grant_confidential(world.partner, published)
    client = world.client(persona)
    sees_core = persona in FULL or (persona == "other_member" and granted)
    detail = client.get(f"/api/v1/assets/{published.pk}/")
    if persona == "outsider":
        assert detail.status_code == 404
        return
    assert detail.json()["access"] == ("full" if sees_core else "teaser")
    for query in ("q=bispecific", "q=双特异性抗体", "area=oncology", "ordering=-stage", "territory=eu"):
        row = _results(client.get(f"/api/v1/assets/?{query}"))["LMN-2201"]
        assert row["access"] == ("full" if sees_core else "teaser"), query
        assert bool(CONFIDENTIAL_KEYS & set(row)) == sees_core, query
    core_match = _results(client.get("/api/v1/assets/?target=VEGF"))
    assert ("LMN-2201" in core_match) == sees_core
