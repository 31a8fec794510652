"""Delivery scenarios of the financing kinds (runner: tests/notifications/test_every_kind_is_delivered.py).

Each drives the real service as a real person of the financing world (tests/financing/helpers.py): Lumina raises
a Series B; Cedar Lane (book_investor) is in its book at diligence, Jadeite (other_book_investor) committed,
Harbor Peak (investor) matches the round's thesis, Alpine (nonmatching_investor) does not.
"""

from __future__ import annotations

from apps.financing import services
from apps.financing.models import EntryStage, RoundStatus
from tests.financing.helpers import financing_world, make_round
from tests.notifications.scenarios import Told, scenario


def _cedar(world, stage):
    entry = financing_world(world)["cedar_entry"]
    entry.stage = stage
    if stage in (EntryStage.COMMITTED, EntryStage.CLOSED):
        entry.committed_amount = 7000000
    entry.save()
    return entry


@scenario("financing.round_submitted")
def _round_submitted(world):
    financing_world(world)
    services.round_submit(actor=world.member, round=make_round(world.licensor, status=RoundStatus.DRAFT,
                                                               name_en="Series C"))
    return Told(world.staff, says="Round Series C submitted for review", says_zh="已提交审核",
                not_told=[world.investor, world.owner])


@scenario("financing.round_published")
def _round_published(world):
    financing_world(world)
    round_ = make_round(world.licensor, status=RoundStatus.SUBMITTED, name_en="Series C")
    services.round_publish(actor=world.staff, round=round_, note="Complete.")
    return Told(world.admin, says="Series C is published", says_zh="已发布",
                not_told=[world.viewer, world.investor])


@scenario("financing.round_changes_requested")
def _round_changes_requested(world):
    financing_world(world)
    round_ = make_round(world.licensor, status=RoundStatus.SUBMITTED, name_en="Series C")
    services.round_request_changes(actor=world.staff, round=round_, reason="Add the use of proceeds in Chinese.")
    return Told(world.member, says="back for changes: Add the use of proceeds in Chinese.",
                says_zh="退回修改：Add the use of proceeds in Chinese.", not_told=[world.viewer, world.investor])


@scenario("financing.round_matched")
def _round_matched(world):
    financing_world(world)
    round_ = make_round(world.licensor, status=RoundStatus.SUBMITTED, name_en="Series C")
    services.round_publish(actor=world.staff, round=round_)
    return Told(world.investor, says="matches your investment thesis", says_zh="与您的投资主题相符",
                not_told=[world.nonmatching_investor, world.other_member, world.other_biotech])


@scenario("financing.interest_expressed")
def _interest_expressed(world):
    extra = financing_world(world)
    services.interest_express(actor=world.investor, round=extra["round"], message="Keen on the phase 3.")
    return Told(world.admin, says="Harbor Peak Ventures is interested in", says_zh="感兴趣",
                not_told=[world.book_investor, world.other_book_investor, world.viewer])


@scenario("financing.entry_diligence")
def _entry_diligence(world):
    services.entry_advance(actor=world.admin, entry=_cedar(world, EntryStage.INTERESTED), stage=EntryStage.DILIGENCE)
    return Told(world.book_investor, says="admitted you to diligence", says_zh="已准许您对",
                not_told=[world.other_book_investor, world.investor, world.owner])


@scenario("financing.entry_term_sheet")
def _entry_term_sheet(world):
    services.entry_advance(actor=world.admin, entry=_cedar(world, EntryStage.DILIGENCE), stage=EntryStage.TERM_SHEET)
    return Told(world.book_investor, says="term sheet stage", says_zh="投资条款书阶段",
                not_told=[world.other_book_investor, world.investor])


@scenario("financing.entry_committed")
def _entry_committed(world):
    entry = _cedar(world, EntryStage.TERM_SHEET)
    services.entry_advance(actor=world.book_investor, entry=entry, stage=EntryStage.COMMITTED,
                           committed_amount="7500000.00")
    return Told(world.owner, says="committed 7500000.00 USD", says_zh="7500000.00 USD",
                not_told=[world.other_book_investor, world.investor, world.viewer])


@scenario("financing.entry_closed")
def _entry_closed(world):
    services.entry_advance(actor=world.owner, entry=_cedar(world, EntryStage.COMMITTED), stage=EntryStage.CLOSED)
    return Told(world.book_investor, says="investment in", says_zh="已交割",
                not_told=[world.other_book_investor, world.investor])


@scenario("financing.entry_passed")
def _entry_passed(world):
    entry = _cedar(world, EntryStage.DILIGENCE)
    services.entry_pass(actor=world.book_investor, entry=entry, reason="valuation", note="Above our range.")
    return Told(world.admin, says="Reason: Valuation above what we can support",
                says_zh="原因：估值高于我们能接受的水平",
                not_told=[world.other_book_investor, world.investor, world.viewer])


@scenario("financing.entry_soft_circled")
def _entry_soft_circled(world):
    entry = _cedar(world, EntryStage.DILIGENCE)
    services.entry_soft_circle(actor=world.book_investor, entry=entry, amount="6000000")
    return Told(world.member, says="soft-circled 6000000.00 USD", says_zh="意向金额 6000000.00 USD",
                not_told=[world.other_book_investor, world.investor])


@scenario("financing.lead_named")
def _lead_named(world):
    extra = financing_world(world)
    services.round_name_lead(actor=world.admin, round=extra["round"], investor=extra["cedar"])
    return Told(world.book_investor, says="lead investor of", says_zh="领投方",
                not_told=[world.other_book_investor, world.investor])
