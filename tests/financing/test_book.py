"""The book: interest, the stage machine and its guards, amounts in the round's currency, audit, the book view."""

from decimal import Decimal

import pytest

from apps.agreements.models import ExchangeRate
from apps.audit.models import AuditEvent
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.financing import services
from apps.financing.models import BookEntry, EntryStage, Round, RoundStatus
from tests.financing.helpers import entry, financing_world, make_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw(world):
    financing_world(world)
    return world


def _actions(entry_):
    return list(AuditEvent.objects.filter(target_type="financing.bookentry", target_id=str(entry_.pk))
                .order_by("id").values_list("action", flat=True))


def test_full_path_interested_to_closed(fw):
    round_ = fw.extra["round"]
    new = services.interest_express(actor=fw.investor, round=round_, message="Keen on the phase 3 plan.")
    assert new.stage == EntryStage.INTERESTED and new.investor == fw.extra["matching"]
    services.entry_soft_circle(actor=fw.investor, entry=new, amount="8000000.00")
    services.entry_advance(actor=fw.admin, entry=new, stage=EntryStage.DILIGENCE)
    services.entry_advance(actor=fw.member, entry=new, stage=EntryStage.TERM_SHEET)
    services.entry_advance(actor=fw.investor, entry=new, stage=EntryStage.COMMITTED, committed_amount="9000000")
    services.entry_advance(actor=fw.owner, entry=new, stage=EntryStage.CLOSED)
    new.refresh_from_db()
    assert new.stage == EntryStage.CLOSED and new.committed_amount == Decimal("9000000.00")
    assert new.soft_circled_amount == Decimal("8000000.00")
    assert _actions(new) == ["financing.interest_expressed", "financing.entry_soft_circled"] + [
        "financing.entry_advanced"] * 4


@pytest.mark.parametrize(("stage", "mover"), [
    (EntryStage.DILIGENCE, "book_investor"),  # the investor cannot admit itself
    (EntryStage.TERM_SHEET, "book_investor"),
    (EntryStage.COMMITTED, "admin"),  # the biotech cannot commit for the investor
])
def test_each_step_belongs_to_one_side(fw, stage, mover):
    cedar = fw.extra["cedar_entry"]
    cedar.stage = {EntryStage.DILIGENCE: EntryStage.INTERESTED, EntryStage.TERM_SHEET: EntryStage.DILIGENCE,
                   EntryStage.COMMITTED: EntryStage.TERM_SHEET}[stage]
    cedar.save()
    with pytest.raises(PermissionRefused):
        services.entry_advance(actor=fw.people[mover], entry=cedar, stage=stage, committed_amount="1"
                               if stage == EntryStage.COMMITTED else None)
    cedar.refresh_from_db()
    assert cedar.stage != stage


def test_stages_cannot_be_skipped(fw):
    cedar = fw.extra["cedar_entry"]  # at diligence
    with pytest.raises(Conflict) as error:
        services.entry_advance(actor=fw.admin, entry=cedar, stage=EntryStage.CLOSED)
    assert error.value.code == "invalid_transition"


def test_committing_needs_an_amount_in_the_round_currency(fw):
    cedar = fw.extra["cedar_entry"]
    cedar.stage = EntryStage.TERM_SHEET
    cedar.save()
    with pytest.raises(ValidationFailed):
        services.entry_advance(actor=fw.book_investor, entry=cedar, stage=EntryStage.COMMITTED)
    jpy = make_round(fw.licensor, currency="JPY", target_amount=Decimal("9000000000"))
    yen = entry(jpy, fw.extra["cedar"], EntryStage.TERM_SHEET)
    with pytest.raises(ValidationFailed) as error:
        services.entry_advance(actor=fw.book_investor, entry=yen, stage=EntryStage.COMMITTED,
                               committed_amount="100.5")
    assert error.value.code == "invalid_amount"


def test_passing_records_a_structured_reason_and_ends_the_entry(fw):
    cedar = fw.extra["cedar_entry"]
    services.entry_pass(actor=fw.book_investor, entry=cedar, reason="valuation", note="Above our range.")
    cedar.refresh_from_db()
    assert (cedar.stage, cedar.pass_reason, cedar.passed_from) == (EntryStage.PASSED, "valuation",
                                                                   EntryStage.DILIGENCE)
    with pytest.raises(Conflict):
        services.entry_advance(actor=fw.admin, entry=cedar, stage=EntryStage.TERM_SHEET)
    with pytest.raises(Conflict):
        services.entry_pass(actor=fw.book_investor, entry=cedar, reason="timing")
    with pytest.raises(ValidationFailed):
        services.entry_pass(actor=fw.other_book_investor, entry=fw.extra["jadeite_entry"], reason="bored")


def test_the_biotech_reads_the_pass_reason_in_its_own_language(fw):
    services.entry_pass(actor=fw.book_investor, entry=fw.extra["cedar_entry"], reason="ticket_size")
    url = f"/api/v1/book-entries/{fw.extra['cedar_entry'].pk}/"
    assert fw.client("admin", "zh-hans").get(url).json()["pass_reason_label"] == "本轮不符合我们的单笔投资规模"
    assert fw.client("book_investor", "en").get(url).json()["pass_reason_label"] == (
        "The round does not fit our ticket size")


def test_interest_twice_is_a_conflict_and_only_investors_enter(fw):
    with pytest.raises(Conflict):
        services.interest_express(actor=fw.book_investor, round=fw.extra["round"])
    with pytest.raises(PermissionRefused):
        services.interest_express(actor=fw.admin, round=fw.extra["round"])


def test_no_interest_in_an_unpublished_round(fw):
    draft = make_round(fw.licensor, status=RoundStatus.DRAFT)
    from apps.core.errors import NotFound

    with pytest.raises(NotFound):
        services.interest_express(actor=fw.investor, round=draft)


def test_soft_circle_only_before_committing(fw):
    with pytest.raises(Conflict):
        services.entry_soft_circle(actor=fw.other_book_investor, entry=fw.extra["jadeite_entry"], amount="1.00")


def test_floats_are_refused_in_the_api(fw):
    response = fw.client("book_investor").post(f"/api/v1/book-entries/{fw.extra['cedar_entry'].pk}/soft-circle/",
                                               {"amount": 1000000.5}, format="json")
    assert response.status_code == 400
    assert BookEntry.objects.get(pk=fw.extra["cedar_entry"].pk).soft_circled_amount == Decimal("5000000.00")


def test_book_view_sums_by_stage_in_round_currency_and_usd(fw):
    cny = make_round(fw.licensor, currency="CNY", target_amount=Decimal("500000000.00"))
    entry(cny, fw.extra["cedar"], EntryStage.DILIGENCE, soft_circled_amount=Decimal("30000000.00"))
    entry(cny, fw.extra["jadeite"], EntryStage.COMMITTED, committed_amount=Decimal("100000000.01"))
    entry(cny, fw.extra["matching"], EntryStage.CLOSED, committed_amount=Decimal("50000000.00"))
    ExchangeRate.objects.create(currency="CNY", usd_per_unit=Decimal("0.13800000"), valid_on="2026-01-01")
    body = fw.client("viewer").get(f"/api/v1/rounds/{cny.pk}/book/").json()
    assert body["committed"] == {"amount": "150000000.01", "currency": "CNY"}
    assert body["committed_usd"]["amount"] == "20700000.00"  # 150000000.01 x 0.138 = 20700000.0014 -> .00
    assert body["committed_usd"]["rate_date"] == "2026-01-01"
    assert body["soft_circled"] == {"amount": "30000000.00", "currency": "CNY"}
    assert body["committed_percent_of_target"] == "30.0"
    by_stage = {row["stage"]: row for row in body["by_stage"]}
    assert by_stage["committed"]["entries"] == 1 and by_stage["closed"]["committed"]["amount"] == "50000000.00"
    assert {e["investor"]["name_en"] for e in body["entries"]} == {"Cedar Lane Capital", "Jadeite Growth Fund",
                                                                   "Harbor Peak Ventures"}


def test_book_view_without_a_rate_says_so(fw):
    cny = make_round(fw.licensor, currency="EUR", target_amount=Decimal("1000000.00"))
    body = fw.client("admin").get(f"/api/v1/rounds/{cny.pk}/book/").json()
    assert body["target_usd"]["missing_rate"] is True and body["target_usd"]["amount"] is None


def test_lead_must_be_in_the_book_and_not_passed(fw):
    round_ = fw.extra["round"]
    with pytest.raises(ValidationFailed):
        services.round_name_lead(actor=fw.admin, round=round_, investor=fw.extra["alpine"])
    services.round_name_lead(actor=fw.admin, round=round_, investor=fw.extra["jadeite"])
    assert Round.objects.get(pk=round_.pk).lead_investor == fw.extra["jadeite"]
    services.entry_pass(actor=fw.other_book_investor, entry=fw.extra["jadeite_entry"], reason="timing")
    assert Round.objects.get(pk=round_.pk).lead_investor is None


def test_lead_with_an_unknown_id_answers_like_one_outside_the_book(fw):
    url = f"/api/v1/rounds/{fw.extra['round'].pk}/lead/"
    missing = fw.client("admin").post(url, {"investor": 987654321}, format="json")
    outside = fw.client("admin").post(url, {"investor": fw.extra["alpine"].pk}, format="json")
    assert missing.status_code == outside.status_code == 400
    assert missing.json() == outside.json()


def test_round_create_validates_and_audits(fw):
    round_ = services.round_create(actor=fw.member, name_en="Series C", stage="series_c", instrument="equity",
                                   target_amount="150000000", currency="USD")
    assert round_.status == RoundStatus.DRAFT and round_.target_amount == Decimal("150000000.00")
    assert AuditEvent.objects.filter(action="financing.round_created", target_id=str(round_.pk)).exists()
    with pytest.raises(ValidationFailed):
        services.round_create(actor=fw.member, name_en="Bad", stage="series_c", instrument="equity",
                              target_amount="0", currency="USD")
    with pytest.raises(PermissionRefused):
        services.round_create(actor=fw.book_investor, name_en="Not mine", stage="seed", instrument="equity",
                              target_amount="1000000", currency="USD")


def test_a_round_funds_only_its_own_companys_assets(fw):
    from tests.catalog.helpers import make_asset

    other_asset = make_asset(fw.extra["other_biotech"])
    response = fw.client("admin").patch(f"/api/v1/rounds/{fw.extra['round'].pk}/", {"assets": [other_asset.pk]},
                                        format="json")
    missing = fw.client("admin").patch(f"/api/v1/rounds/{fw.extra['round'].pk}/", {"assets": [99999999]},
                                       format="json")
    assert response.status_code == missing.status_code == 400 and response.json() == missing.json()
