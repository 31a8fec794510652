"""The search writes its match once per branch of the visibility rule (Asset.view_branches): for every persona,
its answer is exactly the rule's answer — the assets `for_user(VIEW)` returns that match the text — and the
branches on their own (without the restricted queryset around them) neither add nor lose an asset."""

from urllib.parse import quote

import pytest

from apps.catalog.models import Asset, AssetStatus
from apps.catalog.search import search, search_q
from apps.companies.models import VerificationStatus
from apps.core.authz import VIEW
from tests.catalog.helpers import grant_confidential, make_asset
from tests.conftest import PERSONAS
from tests.factories import CompanyFactory, UserFactory, add_member

ADC_EN = "HER2 antibody-drug conjugate with a topoisomerase payload."
ADC_ZH = "靶向HER2的抗体偶联药物，拓扑异构酶抑制剂载荷。"
TEXTS = ["bispecific", "双特异性抗体", "LMN-3", "ADC", "抗体偶联药物", "肥胖", "HER2的抗体", "payload",
         "nothing-like-it"]


@pytest.fixture
def shelves(world):
    """Matching and non-matching assets in every status, owned by the licensor, by the partner and by an
    unverified company; a grant of the confidential core (which must not widen what search finds)."""
    unverified = CompanyFactory(verification_status=VerificationStatus.PENDING)
    world.people["unverified_member"] = UserFactory(email="member@unverified.test")
    add_member(unverified, world.people["unverified_member"])
    world.people["two_companies"] = UserFactory(email="both@example.test")
    add_member(world.partner, world.people["two_companies"])
    add_member(unverified, world.people["two_companies"])
    for index, (owner, status) in enumerate(
            (owner, status) for owner in (world.licensor, world.partner, unverified) for status in AssetStatus.values):
        make_asset(owner, status=status, code_name=f"LMN-3{index:03d}", summary_en=ADC_EN, summary_zh=ADC_ZH)
        make_asset(owner, status=status, code_name=f"BSP-{index:03d}")  # the PD-1xVEGF bispecific teaser
    make_asset(world.licensor, code_name="JP-118", summary_en="Once-weekly GLP-1/GIP dual agonist peptide.",
               summary_zh="每周一次的GLP-1/GIP双受体激动剂多肽，用于治疗肥胖。")
    grant_confidential(world.partner, Asset.objects.get(code_name="LMN-3000"))  # a licensor draft
    return world


def _personas(world):
    return [*(p for p in PERSONAS if p != "anonymous"), "unverified_member", "two_companies"]


def _rule_answer(user, text):
    return set(Asset.objects.for_user(user, VIEW).filter(search_q(text)).values_list("code_name", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("text", TEXTS)
def test_search_answer_is_the_rules_answer_for_every_persona(shelves, text):
    for persona in _personas(shelves):
        user = shelves.people[persona]
        expected = _rule_answer(user, text)
        response = shelves.client(persona).get(f"/api/v1/assets/?page_size=200&q={quote(text)}")
        assert response.status_code == 200, response.content
        assert {row["code_name"] for row in response.json()["results"]} == expected, persona
        # The branches alone, over every asset, are the rule: nothing added, nothing lost.
        alone = set(search(Asset.objects.all(), text, user).values_list("code_name", flat=True))
        assert alone == expected, persona


@pytest.mark.django_db
def test_the_branches_together_are_the_view_rule(shelves):
    for persona, indexable in ((persona, indexable) for persona in _personas(shelves) for indexable in (False, True)):
        user = shelves.people[persona]
        branches = Asset.view_branches(user, indexable=indexable)
        union = Asset.objects.all() if branches is None else Asset.objects.filter(branches.own | branches.published)
        assert set(union) == set(Asset.objects.for_user(user, VIEW)), persona


@pytest.mark.django_db
def test_people_outside_see_nothing_through_the_branches(shelves):
    from django.contrib.auth.models import AnonymousUser

    shelves.people["member"].is_active = False
    for user in (AnonymousUser(), shelves.people["member"], shelves.people["outsider"]):
        assert not search(Asset.objects.all(), "bispecific", user).exists()


@pytest.mark.django_db
def test_a_partner_finds_published_teasers_and_its_own_drafts(shelves):
    found = _rule_answer(shelves.people["other_member"], "抗体偶联药物")
    # A verified reader sees every published teaser, whoever owns it.
    published_elsewhere = set(Asset.objects.filter(status=AssetStatus.PUBLISHED, code_name__startswith="LMN-3")
                              .exclude(owner_company=shelves.partner).values_list("code_name", flat=True))
    own = set(Asset.objects.filter(owner_company=shelves.partner, code_name__startswith="LMN-3")
              .values_list("code_name", flat=True))
    assert found == published_elsewhere | own
    assert "LMN-3000" not in found  # a confidential grant on a draft does not make it searchable


@pytest.mark.django_db
def test_a_search_costs_the_queries_of_a_plain_page_and_core_dates_stay_unsortable(shelves):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = shelves.client("other_member")  # reads some listed assets as teasers only
    counts = []
    for url in ("/api/v1/assets/", "/api/v1/assets/?q=bispecific"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    assert client.get("/api/v1/assets/?q=bispecific&ordering=-created_at").status_code == 400
    assert shelves.client("staff").get("/api/v1/assets/?q=bispecific&ordering=-created_at").status_code == 200
