"""Private evaluations: weighted totals and spread; visible to the evaluating company alone, staff included,
proven by a stateful test over random sequences of acts by every persona."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from apps.catalog.models import AssetStatus
from apps.partnering.models import Evaluation, EvaluationScore
from apps.partnering.services import evaluation_create, evaluation_score
from tests.catalog.helpers import make_asset
from tests.conftest import build_world
from tests.factories import UserFactory, add_member
from tests.partnering.helpers import add_people, northbridge_criteria

pytestmark = pytest.mark.django_db


def test_weighted_total_and_spread_over_the_team(people):
    colleague = UserFactory(email="second@northbridge.test")
    add_member(people.partner, colleague, "member")
    criteria = list(northbridge_criteria(people))  # weights 0.25, 0.20, 0.25, 0.10, 0.20
    asset = make_asset(people.licensor, status=AssetStatus.PUBLISHED)
    evaluation = evaluation_create(actor=people.other_member, asset=asset)
    evaluation_score(actor=people.other_member, evaluation=evaluation,
                     scores=[{"criterion": c.pk, "score": s} for c, s in zip(criteria, [8, 6, 7, 5, 9], strict=True)])
    evaluation_score(actor=colleague, evaluation=evaluation,
                     scores=[{"criterion": c.pk, "score": 4} for c in criteria])
    summary = people.client("other_member").get(f"/api/v1/evaluations/{evaluation.pk}/").json()["summary"]
    # Nora: 0.25*8 + 0.20*6 + 0.25*7 + 0.10*5 + 0.20*9 = 7.25 (weights sum to 1); colleague: 4.00.
    assert summary["member_totals"] == {str(people.other_member.pk): "7.25", str(colleague.pk): "4.00"}
    assert summary["weighted_total"] == "5.63" and summary["spread"] == "3.25"
    assert summary["criteria"][str(criteria[0].pk)] == {"mean": "6.00", "spread": "4.00"}


def test_a_partner_edits_a_weight_and_the_total_follows(people):
    criteria = list(northbridge_criteria(people))
    asset = make_asset(people.licensor, status=AssetStatus.PUBLISHED)
    evaluation = evaluation_create(actor=people.other_member, asset=asset)
    evaluation_score(actor=people.other_member, evaluation=evaluation,
                     scores=[{"criterion": criteria[0].pk, "score": 10}, {"criterion": criteria[1].pk, "score": 0}])
    client = people.client("other_member")
    assert client.patch(f"/api/v1/evaluation-criteria/{criteria[1].pk}/", {"weight": "0"},
                        format="json").status_code == 200
    assert client.get(f"/api/v1/evaluations/{evaluation.pk}/").json()["summary"]["weighted_total"] == "10.00"


def test_a_new_criterion_and_an_evaluation_say_what_they_need(people):
    client = people.client("other_member")
    # A new criterion needs its code, English name and weight, and the refusal names each of them.
    empty = client.post("/api/v1/evaluation-criteria/", {}, format="json")
    assert empty.status_code == 400 and set(empty.json()["error"]["fields"]) == {"code", "name_en", "weight"}
    # An evaluation is of an asset or of a submission: neither is refused with its own code.
    neither = client.post("/api/v1/evaluations/", {}, format="json")
    assert neither.status_code == 400 and neither.json()["error"]["code"] == "asset_or_submission"
    assert not Evaluation.objects.exists()


def test_a_score_out_of_range_is_refused_and_nothing_is_written(people):
    criteria = list(northbridge_criteria(people))
    evaluation = evaluation_create(actor=people.other_member, asset=make_asset(people.licensor))
    response = people.client("other_member").post(f"/api/v1/evaluations/{evaluation.pk}/scores/",
                                                  {"scores": [{"criterion": criteria[0].pk, "score": "11"}]},
                                                  format="json")
    assert response.status_code == 400
    assert not EvaluationScore.objects.exists()


def test_staff_see_counts_and_nothing_else(people):
    evaluation = evaluation_create(actor=people.other_member, asset=make_asset(people.licensor))
    staff = people.client("staff")
    assert staff.get("/api/v1/evaluations/").json()["results"] == []
    assert staff.get(f"/api/v1/evaluations/{evaluation.pk}/").status_code == 404
    assert staff.get("/api/v1/evaluations/counts/").json() == {"evaluations": 1, "evaluating_companies": 1,
                                                              "scores": 0}


def test_another_partners_criterion_reads_as_missing_when_scoring(people):
    """Scoring with Rhine's criterion id answers like an id that does not exist."""
    evaluation = evaluation_create(actor=people.other_member, asset=make_asset(people.licensor))
    northbridge_criteria(people)
    from apps.partnering.services import criteria_ensure_defaults

    criteria_ensure_defaults(people.extra["rhine"])
    rhine = people.extra["rhine"].evaluation_criteria.first()
    client = people.client("other_member")
    foreign = client.post(f"/api/v1/evaluations/{evaluation.pk}/scores/",
                          {"scores": [{"criterion": rhine.pk, "score": "5"}]}, format="json")
    missing = client.post(f"/api/v1/evaluations/{evaluation.pk}/scores/",
                          {"scores": [{"criterion": 99_999_999, "score": "5"}]}, format="json")
    assert foreign.status_code == missing.status_code
    assert foreign.json()["error"]["code"] == missing.json()["error"]["code"]


PERSONAS = ("other_member", "second_partner", "another_biotech", "owner", "member", "viewer", "staff", "outsider")
EVALUATORS = ("other_member", "second_partner", "another_biotech")


@pytest.mark.django_db(transaction=False)
class EvaluationIsolation(RuleBasedStateMachine):
    """Random sequences of evaluating, scoring and reading by every persona. After every step, each persona's
    list, each detail and each score read holds exactly its own company's evaluations; staff hold none."""

    def __init__(self):
        super().__init__()
        # Each example runs in its own savepoint, rolled back in teardown: the world's people are re-created.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.world = add_people(build_world())
        self.assets = [make_asset(self.world.licensor, status=AssetStatus.PUBLISHED) for _ in range(3)]
        self.mine: dict[str, set[int]] = {persona: set() for persona in PERSONAS}

    def _company_of(self, persona):
        return {"other_member": self.world.partner, "second_partner": self.world.extra["rhine"],
                "another_biotech": self.world.extra["jade"]}.get(persona)

    @rule(persona=st.sampled_from(EVALUATORS), index=st.integers(0, 2))
    def evaluate(self, persona, index):
        response = self.world.client(persona).post("/api/v1/evaluations/", {"asset": self.assets[index].pk},
                                                   format="json")
        assert response.status_code in (201, 409)
        if response.status_code == 201:
            self.mine[persona].add(response.json()["id"])

    @rule(persona=st.sampled_from(EVALUATORS), score=st.integers(0, 10))
    def score(self, persona, score):
        if not self.mine[persona]:
            return
        evaluation_id = min(self.mine[persona])
        criteria = self.world.client(persona).get("/api/v1/evaluation-criteria/").json()["results"]
        response = self.world.client(persona).post(f"/api/v1/evaluations/{evaluation_id}/scores/",
                                                   {"scores": [{"criterion": criteria[0]["id"], "score": score}]},
                                                   format="json")
        assert response.status_code == 200

    @rule(persona=st.sampled_from(PERSONAS), evaluator=st.sampled_from(EVALUATORS))
    def peek(self, persona, evaluator):
        """Anyone reading any evaluation: only the evaluating company's members get it."""
        for evaluation_id in self.mine[evaluator]:
            status = self.world.client(persona).get(f"/api/v1/evaluations/{evaluation_id}/").status_code
            same_company = self._company_of(persona) is not None and self._company_of(persona) == \
                self._company_of(evaluator)
            assert status == (200 if same_company else 404), (persona, evaluator, status)

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @invariant()
    def lists_hold_only_ones_own(self):
        for persona in PERSONAS:
            listed = {row["id"] for row in self.world.client(persona).get("/api/v1/evaluations/").json()["results"]}
            assert listed == self.mine[persona], persona
        assert Evaluation.objects.count() == sum(len(ids) for ids in self.mine.values())


def test_evaluations_stay_with_the_evaluating_company_whatever_happens(db):
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(EvaluationIsolation, settings=settings(
        max_examples=6, stateful_step_count=8, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))


def test_scores_are_decimals():
    assert isinstance(EvaluationScore._meta.get_field("score").to_python("7.5"), Decimal)
