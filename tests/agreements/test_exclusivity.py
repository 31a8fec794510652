"""Exclusivity: two licences over one asset may not collide in field and territory when one is exclusive.

Property-based (hypothesis) on random territories and fields, first on the pure rule, then end to end through
execution (409 naming the countries and the agreement), plus a race of two concurrent executions."""

import threading

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from apps.agreements import selectors, services
from apps.agreements.models import AgreementApproval, AgreementStatus
from apps.agreements.terms import ALL_FIELDS
from apps.catalog.territories import REGIONS, Territory
from apps.core.errors import Conflict
from tests.agreements import helpers
from tests.conftest import build_world

# A small pool makes overlaps and near-misses frequent.
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "JP", "KR", "CN", "HK", "MO", "TW", "SG", "BR", "AU"]
REGION_CODES = ["greater_china", "eu", "north_america", "asean", "japan", "worldwide_ex_greater_china"]
FIELDS = ["oncology", "autoimmune", "metabolic", "ophthalmology"]

tokens = st.lists(st.sampled_from(COUNTRIES + REGION_CODES), min_size=1, max_size=4)
territory_specs = st.builds(lambda inc, exc: {"include": inc, "exclude": exc}, tokens,
                            st.lists(st.sampled_from(COUNTRIES + REGION_CODES), max_size=2)).filter(
    lambda spec: bool(Territory.parse(spec)))
field_sets = st.one_of(st.just([ALL_FIELDS]), st.lists(st.sampled_from(FIELDS), min_size=1, max_size=3,
                                                       unique=True))


def expected_overlap(a, b):
    """The rule, restated as plainly as possible: the model the implementation is checked against."""
    (excl_a, fields_a, spec_a), (excl_b, fields_b, spec_b) = a, b
    if not excl_a and not excl_b:
        return set()
    fields_meet = ALL_FIELDS in fields_a or ALL_FIELDS in fields_b or any(f in fields_b for f in fields_a)
    if not fields_meet:
        return set()

    def countries(spec):
        result = set()
        for token in spec["include"]:
            result |= set(REGIONS[token].countries) if token in REGIONS else {token}
        for token in spec["exclude"]:
            result -= set(REGIONS[token].countries) if token in REGIONS else {token}
        return result

    return countries(spec_a) & countries(spec_b)


licences = st.tuples(st.booleans(), field_sets, territory_specs)


@settings(max_examples=400, deadline=None)
@given(licences, licences)
def test_overlap_rule_matches_the_plain_model(a, b):
    overlap = selectors.exclusivity_overlap(
        exclusive=a[0], fields=a[1], countries=Territory.parse(a[2]),
        other_exclusive=b[0], other_fields=b[1], other_countries=Territory.parse(b[2]))
    assert set(overlap) == expected_overlap(a, b)
    # Symmetric: which one came first does not matter.
    assert overlap == selectors.exclusivity_overlap(
        exclusive=b[0], fields=b[1], countries=Territory.parse(b[2]),
        other_exclusive=a[0], other_fields=a[1], other_countries=Territory.parse(a[2]))


def _licence_terms(exclusive, fields, spec):
    return helpers.terms(exclusivity="exclusive" if exclusive else "non_exclusive", field_of_use=fields,
                         territory=spec, milestones=[], royalty_tiers=[])


class ExecutionRefusesOverlapsTest(HypothesisTestCase):
    """End to end: the second execution over the same asset is refused exactly when the rule says so."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(licences, licences)
    def test_second_execution(self, first, second):
        world = build_world()
        admin = helpers.partner_admin(world)
        deal = lambda licence, title: helpers.negotiation(  # noqa: E731
            world, title=title, deal_type="exclusive_license" if licence[0] else "non_exclusive_license",
            **_licence_terms(*licence))
        a = deal(first, "First licence")
        helpers.approve(world, a, world.owner)
        helpers.approve(world, a, admin)
        b = deal(second, "Second licence")
        helpers.approve(world, b, world.owner)
        expected = expected_overlap(first, second)
        approvals_before = AgreementApproval.objects.count()
        if expected:
            with pytest.raises(Conflict) as refused:
                helpers.approve(world, b, admin)
            assert refused.value.code == "exclusivity_conflict"
            assert refused.value.fields["territory"] == sorted(expected)
            assert "First licence" in str(refused.value.message)
            b.refresh_from_db()
            assert b.status == AgreementStatus.NEGOTIATION
        else:
            helpers.approve(world, b, admin)
            b.refresh_from_db()
            assert b.status == AgreementStatus.EXECUTED
            assert AgreementApproval.objects.count() == approvals_before + 1


@pytest.mark.django_db
def test_refusal_names_the_countries_and_the_agreement_over_the_api(world):
    admin = helpers.partner_admin(world)
    first = helpers.executed(world, title="Northbridge US licence", territory="us")
    assert first.status == AgreementStatus.EXECUTED
    second = helpers.negotiation(world, title="Worldwide licence", territory={"include": ["worldwide"]})
    helpers.approve(world, second, world.owner)
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin)
    version = second.current_version
    response = client.post(f"/api/v1/agreements/{second.pk}/approve/",
                           {"version": version.number, "terms_hash": version.terms_hash}, format="json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "exclusivity_conflict"
    assert error["fields"]["territory"] == ["US"]
    assert "Northbridge US licence" in error["message"] and "(US)" in error["message"]
    assert AgreementApproval.objects.filter(agreement=second, company=world.partner).count() == 0


@pytest.mark.django_db
def test_disjoint_fields_may_share_a_territory(world):
    helpers.executed(world, title="Oncology", field_of_use=["oncology"])
    other = helpers.executed(world, title="Autoimmune", field_of_use=["autoimmune"])
    assert other.status == AgreementStatus.EXECUTED


@pytest.mark.django_db
def test_terminated_agreements_free_the_territory(world):
    first = helpers.executed(world, title="First")
    services.agreement_terminate(actor=world.owner, agreement=first, reason="Returned rights")
    second = helpers.executed(world, title="Second")
    assert second.status == AgreementStatus.EXECUTED


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_executions_cannot_both_pass():
    """Both agreements wait for their partner's approval; two threads approve at once. The asset row lock
    serializes them: exactly one executes, the other gets the conflict."""
    world = build_world()
    admin = helpers.partner_admin(world)
    a = helpers.negotiation(world, title="A")
    b = helpers.negotiation(world, title="B")
    for agreement in (a, b):
        helpers.approve(world, agreement, world.owner)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def execute(agreement):
        try:
            barrier.wait(timeout=10)
            helpers.approve(world, agreement, admin)
            results[agreement.title] = "executed"
        except Conflict as exc:
            results[agreement.title] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=execute, args=(agreement,)) for agreement in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["exclusivity_conflict", "executed"], results
    statuses = sorted([a.__class__.objects.get(pk=a.pk).status, b.__class__.objects.get(pk=b.pk).status])
    assert statuses == [AgreementStatus.EXECUTED, AgreementStatus.NEGOTIATION]
