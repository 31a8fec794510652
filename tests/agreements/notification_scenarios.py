"""Delivery scenarios of the agreement kinds (runner: tests/notifications/test_every_kind_is_delivered.py).

Lumina (licensor: owner, admin, member, viewer) and Northbridge (partner: other_member, and the admin of
tests/agreements/helpers.partner_admin) negotiate "LMN-2201 licence". What one party does is told to the
other party's people, not to the actor's colleagues.
"""

from __future__ import annotations

import datetime

from apps.agreements import services
from apps.agreements.models import Agreement
from tests.agreements import helpers
from tests.notifications.scenarios import Told, scenario

TITLE = "LMN-2201 licence"


def _achieved(world):
    agreement = helpers.executed(world)
    milestone = services.milestone_achieve(actor=world.member, milestone=helpers.milestone(agreement),
                                           evidence="First patient dosed")
    return agreement, milestone


@scenario("agreement.opened")
def _opened(world):
    helpers.negotiation(world)
    return Told(world.other_member, says=f"opened the negotiation of {TITLE} and proposed version 1",
                says_zh=f"开启了 {TITLE} 的谈判，并提出了第 1 版", not_told=[world.admin, world.outsider])


@scenario("agreement.updated")
def _updated(world):
    agreement = helpers.negotiation(world)
    services.agreement_update(actor=world.owner, agreement=agreement, title="LMN-2201 US licence")
    return Told(world.other_member, says="changed LMN-2201 US licence: title",
                says_zh="修改了 LMN-2201 US licence：title", not_told=[world.admin])


@scenario("agreement.version_proposed")
def _version_proposed(world):
    agreement = helpers.negotiation(world)
    services.version_propose(actor=world.admin, agreement=agreement, terms=helpers.terms(upfront="65000000"))
    return Told(world.other_member, says=f"proposed version 2 of the terms of {TITLE}",
                says_zh=f"提出了 {TITLE} 条款的第 2 版", not_told=[world.owner])


@scenario("agreement.version_approved")
def _version_approved(world):
    agreement = helpers.negotiation(world)
    helpers.approve(world, agreement, world.owner)
    return Told(world.other_member, says=f"Shanghai Lumina Biotherapeutics approved version 1 of {TITLE}",
                says_zh=f"上海流明生物 批准了 {TITLE} 的第 1 版", not_told=[world.admin])


@scenario("agreement.executed")
def _executed(world):
    helpers.executed(world)
    return Told(world.member, says=f"Every party approved version 1: {TITLE} is executed.",
                says_zh=f"各方均已批准第 1 版：{TITLE} 已签署", not_told=[world.outsider])


@scenario("agreement.amendment_executed")
def _amendment_executed(world):
    agreement = helpers.executed(world)
    services.version_propose(actor=world.other_member, agreement=agreement,
                             terms=helpers.terms(upfront="61000000"))
    helpers.approve(world, agreement, world.owner)
    helpers.approve(world, agreement, helpers.partner_admin(world))
    return Told(world.member, says=f"the amendment to {TITLE} is in force",
                says_zh=f"{TITLE} 的修订已生效", not_told=[world.outsider])


@scenario("agreement.activated")
def _activated(world):
    helpers.executed(world, effective_date="2026-01-01")
    services.agreements_activate_due(today=datetime.date(2026, 1, 1))
    return Told(world.other_member, says=f"{TITLE} reached its effective date and is now active.",
                says_zh=f"{TITLE} 已到生效日期，现已生效", not_told=[world.outsider])


@scenario("agreement.terminated")
def _terminated(world):
    agreement = helpers.executed(world)
    services.agreement_terminate(actor=world.owner, agreement=agreement, reason="Rights returned")
    return Told(world.other_member, says=f"terminated {TITLE}. Reason: Rights returned",
                says_zh=f"终止了 {TITLE}。原因：Rights returned", not_told=[world.admin])


@scenario("agreement.expired")
def _expired(world):
    helpers.executed(world, effective_date="2026-01-01")
    services.agreements_activate_due(today=datetime.date(2026, 1, 1))
    services.agreements_expire_due(today=datetime.date(2038, 1, 1))
    return Told(world.member, says=f"The term of {TITLE} ended.", says_zh=f"{TITLE} 的期限已届满",
                not_told=[world.outsider])


@scenario("agreement.milestone_achieved")
def _milestone_achieved(world):
    _achieved(world)
    return Told(helpers.partner_admin(world), says="as achieved. Please confirm or dispute it.",
                says_zh="标记为已达成。请确认或提出异议", not_told=[world.admin])


@scenario("agreement.milestone_event")
def _milestone_event(world):
    helpers.executed(world)
    services.milestones_on_regulatory_event(asset_id=helpers.asset(world).pk, event_kind="fda:approved",
                                            event_label="FDA approval", asset_label="LMN-2201")
    return Told(world.other_member, says="A regulatory event (FDA approval) was recorded on LMN-2201",
                says_zh="LMN-2201 记录了一项监管事件（FDA approval）", not_told=[world.outsider])


@scenario("agreement.milestone_confirmed")
def _milestone_confirmed(world):
    _agreement, milestone = _achieved(world)
    services.milestone_confirm(actor=helpers.partner_admin(world), milestone=milestone)
    return Told(world.member, says="Northbridge Pharma confirmed the milestone \"First patient dosed in phase 3\"",
                says_zh=f"北桥制药 确认了 {TITLE} 的里程碑", not_told=[world.other_member])


@scenario("agreement.milestone_disputed")
def _milestone_disputed(world):
    _agreement, milestone = _achieved(world)
    services.milestone_dispute(actor=helpers.partner_admin(world), milestone=milestone, reason="Dosed in phase 2b")
    return Told(world.admin, says="Reason: Dosed in phase 2b", says_zh="提出异议。原因：Dosed in phase 2b",
                not_told=[world.other_member])


@scenario("agreement.milestone_invoiced")
def _milestone_invoiced(world):
    _agreement, milestone = _achieved(world)
    services.milestone_confirm(actor=helpers.partner_admin(world), milestone=milestone)
    services.milestone_invoice(actor=world.owner, milestone=milestone, reference="INV-7")
    return Told(world.other_member, says="Shanghai Lumina Biotherapeutics invoiced the milestone",
                says_zh="上海流明生物 已为", not_told=[world.member])


@scenario("agreement.milestone_paid")
def _milestone_paid(world):
    _agreement, milestone = _achieved(world)
    partner_admin = helpers.partner_admin(world)
    services.milestone_confirm(actor=partner_admin, milestone=milestone)
    services.milestone_invoice(actor=world.owner, milestone=milestone, reference="INV-7")
    services.milestone_pay(actor=partner_admin, milestone=milestone, reference="WIRE-9")
    return Told(world.member, says="Northbridge Pharma recorded the payment of the milestone",
                says_zh=f"北桥制药 登记了 {TITLE} 里程碑", not_told=[world.other_member])


@scenario("agreement.milestone_due_soon")
def _milestone_due_soon(world):
    agreement = helpers.executed(world)
    milestone = helpers.milestone(agreement)
    services.milestone_remind_due(milestone_id=milestone.pk, due_on=milestone.due_on)
    return Told(world.other_member, says=f"is due on {milestone.due_on.isoformat()}",
                says_zh=f"将于 {milestone.due_on.isoformat()} 到期", not_told=[world.outsider])


@scenario("agreement.jsc_meeting_soon")
def _jsc_meeting_soon(world):
    agreement = helpers.executed(world)
    Agreement.objects.filter(pk=agreement.pk).update(next_jsc_meeting_on=datetime.date(2027, 3, 4))
    services.agreement_remind_jsc(agreement_id=agreement.pk, meeting_on=datetime.date(2027, 3, 4))
    return Told(world.member, says=f"The joint steering committee of {TITLE} meets on 2027-03-04.",
                says_zh=f"{TITLE} 的联合指导委员会将于 2027-03-04 开会", not_told=[world.outsider])
