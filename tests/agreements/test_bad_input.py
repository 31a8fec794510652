"""Bad input answers one clear 4xx and writes nothing (no agreement, no version, no approval, no audit row)."""

import pytest

from apps.agreements import services
from apps.agreements.models import Agreement, AgreementApproval, AgreementVersion
from apps.audit.models import AuditEvent
from apps.notifications.models import OutboxEvent
from tests.agreements import helpers


def _counts():
    return (Agreement.objects.count(), AgreementVersion.objects.count(), AgreementApproval.objects.count(),
            AuditEvent.objects.exclude(action="access.denied").count(), OutboxEvent.objects.count())


def _create(world, **term_overrides):
    body = {"title": "LMN-2201 licence", "deal_type": term_overrides.pop("deal_type", "exclusive_license"),
            "licensor": world.licensor.pk, "partners": [world.partner.pk],
            "assets": [helpers.asset(world).pk], "terms": helpers.terms(**term_overrides)}
    return world.client("owner").post("/api/v1/agreements/", body, format="json")


def _tiers(*tiers):
    return [{"from_net_sales": lo, "to_net_sales": hi, "rate": rate} for lo, hi, rate in tiers]


BAD_TERMS = {
    "negative upfront": ({"upfront": "-5"}, "upfront"),
    "negative milestone": ({"milestones": [{"key": "m", "kind": "development", "description": "x",
                                            "amount": "-1"}]}, "milestones[0].amount"),
    "float amount": ({"upfront": 60000000.5}, "upfront"),
    "yen with cents": ({"currency": "JPY", "upfront": "100.5", "equity_investment": None, "milestones": [],
                        "royalty_tiers": []}, "upfront"),
    "milestone in another currency": ({"milestones": [{"key": "m", "kind": "development", "description": "x",
                                                       "amount": "1", "currency": "EUR"}]}, "milestones[0].currency"),
    "royalty tiers overlapping": ({"royalty_tiers": _tiers(("0", "500000000", "10"), ("400000000", None, "12"))},
                                  "royalty_tiers[1]"),
    "royalty tiers going backwards": ({"royalty_tiers": _tiers(("0", "500000000", "10"), ("500000000", "900000000",
                                                                                         "12"),
                                                               ("100000000", None, "15"))}, "royalty_tiers[2]"),
    "royalty tier ending below its start": ({"royalty_tiers": _tiers(("0", "0", "10"))}, "royalty_tiers[0]"),
    "royalty tiers with a gap": ({"royalty_tiers": _tiers(("0", "100", "10"), ("200", None, "12"))},
                                 "royalty_tiers[1]"),
    "open-ended tier before the last": ({"royalty_tiers": _tiers(("0", None, "10"), ("100", None, "12"))},
                                        "royalty_tiers[1]"),
    "royalty rate above 100": ({"royalty_tiers": _tiers(("0", None, "101"))}, "royalty_tiers"),
    "unknown territory": ({"territory": "atlantis"}, "territory"),
    "empty territory": ({"territory": {"include": ["greater_china"], "exclude": ["greater_china"]}}, "territory"),
    "exclusive licence declared non-exclusive": ({"exclusivity": "non_exclusive"}, "exclusivity"),
    "duplicate milestone keys": ({"milestones": [
        {"key": "m", "kind": "development", "description": "x", "amount": "1"},
        {"key": "m", "kind": "development", "description": "y", "amount": "2"}]}, "milestones[1].key"),
    "sales milestone without threshold": ({"milestones": [{"key": "s", "kind": "sales", "description": "x",
                                                           "amount": "1"}]}, "milestones[0].sales_threshold"),
    "unknown field in terms": ({"upfront_bonus": "1"}, "upfront_bonus"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(BAD_TERMS), ids=list(BAD_TERMS))
def test_bad_terms_are_refused_and_nothing_is_written(world, case):
    overrides, field = BAD_TERMS[case]
    helpers.asset(world)
    before = _counts()
    response = _create(world, **overrides)
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid_terms"
    assert field in str(error["fields"]["terms"]), error
    assert _counts() == before


@pytest.mark.django_db
def test_cost_sharing_must_add_up_to_100(world):
    helpers.asset(world)
    before = _counts()
    response = _create(world, deal_type="co_development", exclusivity="exclusive", cost_sharing=[
        {"company": world.licensor.pk, "share": "60"}, {"company": world.partner.pk, "share": "30"}])
    assert response.status_code == 400
    assert "100" in str(response.json()["error"]["fields"]["terms"]["cost_sharing"])
    assert _counts() == before


@pytest.mark.django_db
def test_cost_sharing_split_of_100_is_accepted(world):
    helpers.asset(world)
    response = _create(world, deal_type="co_development", cost_sharing=[
        {"company": world.licensor.pk, "share": "60"}, {"company": world.partner.pk, "share": "40"}],
        governance={"jsc_members": [{"company": world.licensor.pk, "name": "Li Wei"},
                                    {"company": world.partner.pk, "name": "Olivia Grant"}],
                    "meeting_cadence": "quarterly", "first_meeting": "2026-03-01"})
    assert response.status_code == 201, response.json()


@pytest.mark.django_db
def test_jsc_needs_members_from_each_party(world):
    helpers.asset(world)
    response = _create(world, governance={"jsc_members": [{"company": world.licensor.pk, "name": "Li Wei"}],
                                          "meeting_cadence": "quarterly"})
    assert response.status_code == 400
    assert "governance.jsc_members" in response.json()["error"]["fields"]["terms"]


@pytest.mark.django_db
def test_bad_version_proposal_writes_nothing(world):
    agreement = helpers.negotiation(world)
    before = _counts()
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/versions/",
                                          {"terms": helpers.terms(upfront="-1")}, format="json")
    assert response.status_code == 400
    assert _counts() == before


@pytest.mark.django_db
def test_approving_a_stale_version_is_refused(world):
    agreement = helpers.negotiation(world)
    v1 = agreement.current_version
    services.version_propose(actor=world.admin, agreement=agreement, terms=helpers.terms(upfront="65000000"))
    before = _counts()
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/approve/",
                                          {"version": v1.number, "terms_hash": v1.terms_hash}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "stale_version"
    assert "version 2" in response.json()["error"]["message"]
    assert _counts() == before


@pytest.mark.django_db
def test_approving_with_a_hash_of_other_terms_is_refused(world):
    agreement = helpers.negotiation(world)
    before = _counts()
    response = world.client("owner").post(f"/api/v1/agreements/{agreement.pk}/approve/",
                                          {"version": 1, "terms_hash": "0" * 64}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "stale_terms"
    assert _counts() == before


@pytest.mark.django_db
def test_non_signatory_approving_is_refused(world):
    agreement = helpers.negotiation(world)
    version = agreement.current_version
    before = _counts()
    for persona in ("member", "viewer", "other_member", "staff"):
        response = world.client(persona).post(f"/api/v1/agreements/{agreement.pk}/approve/",
                                              {"version": 1, "terms_hash": version.terms_hash}, format="json")
        assert response.status_code == 403, persona
        assert "owner or admin" in response.json()["error"]["message"]
    assert _counts() == before


@pytest.mark.django_db
def test_assets_of_another_company_cannot_be_licensed(world):
    from apps.catalog.models import Asset

    other = Asset.objects.create(owner_company=world.partner, code_name="NB-1", modality="peptide", stage="phase_1",
                                 status="published")
    body = {"title": "x", "deal_type": "exclusive_license", "licensor": world.licensor.pk,
            "partners": [world.partner.pk], "assets": [other.pk], "terms": helpers.terms()}
    before = _counts()
    response = world.client("owner").post("/api/v1/agreements/", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "asset_not_licensors"
    assert _counts() == before
