"""Delivery scenarios of the alliance's notification kinds (tests/notifications/scenarios.py)."""

import datetime

from django.utils import timezone

from apps.alliance import services
from tests.agreements.helpers import partner_admin
from tests.alliance.helpers import co_development, meeting
from tests.notifications.scenarios import Told, scenario


@scenario("alliance.meeting_scheduled")
def _(world):
    meeting(world)  # scheduled by Lumina's admin
    return Told(world.other_member, says="was scheduled for", says_zh="会议已安排在", not_told=[world.owner])


@scenario("alliance.minutes_to_approve")
def _(world):
    services.minutes_write(actor=world.admin, meeting=meeting(world), text_en="Agreed the phase 3 design.")
    return Told(world.other_member, says="awaits your party's approval", says_zh="等待您方批准",
                not_told=[world.owner])


@scenario("alliance.minutes_approved")
def _(world):
    minutes = services.minutes_write(actor=world.admin, meeting=meeting(world), text_en="Agreed.")
    services.minutes_approve(actor=partner_admin(world), minutes=minutes)
    return Told(world.owner, says="they are final", says_zh="该纪要已定稿")


@scenario("alliance.vote_requested")
def _(world):
    services.decision_propose(actor=world.admin, meeting=meeting(world), area="development", motion="Start phase 3")
    return Told(world.other_member, says="Record your party's vote", says_zh="请记录您方的投票",
                not_told=[world.owner])


@scenario("alliance.decision_taken")
def _(world):
    decision = services.decision_propose(actor=world.admin, meeting=meeting(world), area="budget",
                                         motion="Approve the 2027 budget")
    services.decision_vote(actor=world.admin, decision=decision, vote="for")
    services.decision_vote(actor=partner_admin(world), decision=decision, vote="for")
    return Told(world.owner, says="Outcome: Carried", says_zh="结果：通过")


@scenario("alliance.action_item_due")
def _(world):
    due = timezone.localdate() + datetime.timedelta(days=3)
    item = services.action_item_create(actor=world.admin, alliance=co_development(world), title="Send the SAP",
                                       owner_company=world.partner, due_on=due)
    services.action_item_remind(item_id=item.pk, due_on=due)
    return Told(world.other_member, says="is due on", says_zh="到期", not_told=[world.owner])


@scenario("alliance.obligation_due")
def _(world):
    due = timezone.localdate() + datetime.timedelta(days=20)
    obligation = services.obligation_create(actor=world.admin, alliance=co_development(world), kind="reporting",
                                            title="Annual report", owner_company=world.licensor, due_on=due)
    services.obligation_remind(obligation_id=obligation.pk, due_on=due)
    return Told(world.other_member, says="is due on", says_zh="将于")


@scenario("alliance.obligation_overdue")
def _(world):
    past = timezone.localdate() - datetime.timedelta(days=2)
    obligation = services.obligation_create(actor=world.admin, alliance=co_development(world), kind="diligence",
                                            title="Start phase 3 in the US", owner_company=world.licensor,
                                            due_on=past)
    services.obligation_mark_overdue(obligation_id=obligation.pk, today=timezone.localdate())
    # Raised to the parties' owners and admins, not to every member.
    return Told(partner_admin(world), says="has not met the obligation", says_zh="未履行",
                not_told=[world.other_member, world.member, world.viewer])


@scenario("alliance.obligation_fulfilled")
def _(world):
    obligation = services.obligation_create(actor=world.admin, alliance=co_development(world), kind="reporting",
                                            title="Annual report", owner_company=world.licensor,
                                            due_on=timezone.localdate() + datetime.timedelta(days=60))
    services.obligation_fulfil(actor=world.admin, obligation=obligation, evidence="Report sent on 1 March")
    return Told(world.other_member, says="recorded as fulfilled", says_zh="已记录为已履行", not_told=[world.owner])


@scenario("alliance.issue_raised")
def _(world):
    services.issue_raise(actor=world.admin, alliance=co_development(world), title="CMC delay",
                         description="Batch release slipped", severity="high")
    return Told(world.other_member, says="of High severity", says_zh="严重程度为“高”", not_told=[world.owner])


@scenario("alliance.issue_escalated")
def _(world):
    issue = services.issue_raise(actor=world.admin, alliance=co_development(world), title="CMC delay",
                                 description="Batch release slipped", severity="high")
    services.issue_escalate(actor=partner_admin(world), issue=issue, note="No agreement in the JSC")
    return Told(world.owner, says="escalated to: Executive officers", says_zh="已升级至：高管层",
                not_told=[world.other_member])


@scenario("alliance.issue_resolved")
def _(world):
    issue = services.issue_raise(actor=world.admin, alliance=co_development(world), title="CMC delay",
                                 description="Batch release slipped", severity="low")
    services.issue_resolve(actor=partner_admin(world), issue=issue, resolution="Second site qualified")
    return Told(world.owner, says="was resolved", says_zh="已解决", not_told=[world.other_member])
