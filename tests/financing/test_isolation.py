"""Isolation: an investor never learns who else is in a book or what they put in, unless the biotech names a lead
publicly; the core only for admitted investors; contact details only for companies the investor engaged with."""

import json

import pytest

from apps.financing import services
from apps.financing.models import EntryStage
from tests.financing.helpers import financing_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    financing_world(world)
    return world


def _everything_an_investor_reads(world, persona):
    """Every financing page the persona can open, as one text."""
    client = world.client(persona)
    round_id = world.extra["round"].pk
    pages = [client.get("/api/v1/rounds/"), client.get(f"/api/v1/rounds/{round_id}/"),
             client.get("/api/v1/book-entries/"), client.get("/api/v1/rounds/recommended/"),
             client.get(f"/api/v1/book-entries/?round={round_id}"), client.get("/api/v1/investor-profiles/")]
    return json.dumps([page.json() for page in pages], ensure_ascii=False)


def test_an_investor_in_the_book_sees_only_its_own_entry(fw):
    text = _everything_an_investor_reads(fw, "book_investor")
    assert "Cedar Lane Capital" in text and "5000000.00" in text
    assert "Jadeite Growth Fund" not in text and "12000000.00" not in text and "10000000.00" not in text


def test_other_investors_learn_nothing_of_the_book(fw):
    for persona in ("investor", "nonmatching_investor", "other_book_investor"):
        text = _everything_an_investor_reads(fw, persona)
        assert "Cedar Lane Capital" not in text and "5000000.00" not in text, persona


def test_the_book_view_is_the_biotechs_alone(fw):
    url = f"/api/v1/rounds/{fw.extra['round'].pk}/book/"
    assert fw.client("book_investor").get(url).status_code == 403
    body = fw.client("viewer").get(url).json()
    assert body["committed"]["amount"] == "12000000.00"


def test_a_named_lead_is_the_one_name_investors_learn_and_its_amount_stays_private(fw):
    round_ = fw.extra["round"]
    services.round_name_lead(actor=fw.admin, round=round_, investor=fw.extra["jadeite"])
    text = _everything_an_investor_reads(fw, "investor")
    assert "Jadeite Growth Fund" in text
    assert "12000000.00" not in text and "Cedar Lane Capital" not in text


def test_the_core_only_for_admitted_investors_and_gone_after_passing(fw):
    url = f"/api/v1/rounds/{fw.extra['round'].pk}/"
    admitted = fw.client("book_investor").get(url).json()
    assert admitted["access"] == "full" and admitted["pre_money_valuation"] == "420000000.00"
    teaser = fw.client("investor").get(url).json()
    assert teaser["access"] == "teaser" and "pre_money_valuation" not in teaser
    assert "cap_table_summary" not in teaser and "Founders 38%" not in json.dumps(teaser)
    services.entry_pass(actor=fw.book_investor, entry=fw.extra["cedar_entry"], reason="diligence_findings")
    after = fw.client("book_investor").get(url).json()
    assert after["access"] == "teaser" and "pre_money_valuation" not in after


def test_an_interested_investor_is_not_yet_admitted(fw):
    entry = services.interest_express(actor=fw.investor, round=fw.extra["round"])
    assert fw.client("investor").get(f"/api/v1/rounds/{fw.extra['round'].pk}/").json()["access"] == "teaser"
    services.entry_advance(actor=fw.admin, entry=entry, stage=EntryStage.DILIGENCE)
    assert fw.client("investor").get(f"/api/v1/rounds/{fw.extra['round'].pk}/").json()["access"] == "full"


def test_contacts_only_for_companies_the_investor_engaged_with(fw):
    cedar_profile = fw.extra["cedar"].investor_profile.pk
    url = f"/api/v1/investor-profiles/{cedar_profile}/"
    engaged = fw.client("member").get(url).json()  # Cedar is in Lumina's book
    assert engaged["contact_visible"] and engaged["contact_email"] == "partner@cedar.test"
    stranger = fw.client("other_biotech").get(url).json()
    assert stranger["contact_visible"] is False and "contact_email" not in stranger
    assert "partner@cedar.test" not in json.dumps(fw.client("other_biotech").get("/api/v1/investor-profiles/").json())
    alpine = fw.client("member").get(f"/api/v1/investor-profiles/{fw.extra['alpine'].investor_profile.pk}/").json()
    assert alpine["contact_visible"] is False


def test_rounds_are_not_for_pharma_partners_or_other_biotechs(fw):
    for persona in ("other_member", "other_biotech", "outsider"):
        assert fw.client(persona).get("/api/v1/rounds/").json()["results"] == [], persona


def test_a_filter_on_another_round_answers_like_a_missing_one(fw):
    client = fw.client("investor")
    assert client.get(f"/api/v1/book-entries/?round={fw.extra['round'].pk}").json() == client.get(
        "/api/v1/book-entries/?round=99999999").json()


def test_a_suspended_investor_loses_the_core_and_the_teaser_at_once(fw):
    from apps.companies.models import VerificationStatus

    url = f"/api/v1/rounds/{fw.extra['round'].pk}/"
    assert fw.client("book_investor").get(url).json()["access"] == "full"
    fw.extra["cedar"].verification_status = VerificationStatus.SUSPENDED
    fw.extra["cedar"].save()
    assert fw.client("book_investor").get(url).status_code == 404
    # Its own entry stays its own to read: the record of what it did is not taken from it.
    assert fw.client("book_investor").get(f"/api/v1/book-entries/{fw.extra['cedar_entry'].pk}/").status_code == 200
