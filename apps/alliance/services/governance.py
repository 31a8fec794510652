"""Committees, meetings, minutes, decisions and action items of an alliance (and opening and sharing it)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import Agreement
from apps.alliance import audit_actions as acts
from apps.alliance import governance
from apps.alliance.models import (
    MANAGE,
    ActionItem,
    Alliance,
    Committee,
    CommitteeKind,
    CommitteeMeeting,
    CommitteeMember,
    Decision,
    DecisionOutcome,
    ItemStatus,
    Minutes,
    MinutesApproval,
    MinutesStatus,
    PartyVote,
    VotingRule,
)
from apps.alliance.services.common import (
    _locked_as_party,
    _notify,
    _party_ids,
    _require_party,
)
from apps.audit.services import audit_record
from apps.companies.models import MANAGING_ROLES, Company
from apps.core.errors import Conflict, ValidationFailed


# ------------------------------------------------------------------------------------------------ alliance
def alliance_open(*, agreement: Agreement) -> Alliance:
    """The workspace of an executed agreement, opened once; the terms' JSC becomes its steering committee."""
    alliance, created = Alliance.objects.get_or_create(agreement=agreement)
    if not created:
        return alliance
    audit_record(action=acts.OPENED, target=alliance, company=agreement.licensor,
                 details={"agreement": agreement.pk})
    terms = agreement.executed_version.terms if agreement.executed_version else {}
    governance_terms = terms.get("governance") or None
    if governance_terms:
        year = (agreement.executed_at or timezone.now()).year
        committee = Committee.objects.create(
            alliance=alliance, kind=CommitteeKind.STEERING, name=str(_("Joint steering committee")),
            voting_rule=VotingRule.UNANIMOUS, chair_company=agreement.licensor, chair_since_year=year)
        CommitteeMember.objects.bulk_create([
            CommitteeMember(alliance=alliance, committee=committee, company_id=member["company"],
                            name=member["name"], title=member.get("title", ""))
            for member in governance_terms.get("jsc_members") or []])
    return alliance


@transaction.atomic
def alliance_share_with_staff(*, actor: Any, alliance: Alliance, shared: bool) -> Alliance:
    """A party's owner or admin lets platform staff read the workspace, or withdraws that."""
    alliance, company = _locked_as_party(alliance, actor, roles=MANAGING_ROLES, action=MANAGE)
    alliance.shared_with_staff_by = company if shared else None
    alliance.save(update_fields=["shared_with_staff_by"])
    audit_record(action=acts.STAFF_ACCESS_SHARED if shared else acts.STAFF_ACCESS_WITHDRAWN,
                 actor=actor, target=alliance, company=company)
    return alliance


# ------------------------------------------------------------------------------------------------ committees
@transaction.atomic
def committee_create(*, actor: Any, alliance: Alliance, kind: str, name: str, voting_rule: str,
                     chair_company: Company | int, chair_rule: str, chair_since_year: int,
                     tie_breakers: dict[str, int] | None = None,
                     members: list[dict[str, Any]] | None = None) -> Committee:
    """A committee of the alliance; each party has at least one member, tie-breakers are parties."""
    alliance, _company = _locked_as_party(alliance, actor)
    chair_id = _require_party(alliance, chair_company, "chair_company")
    tie_breakers = {area: _require_party(alliance, int(pk), f"tie_breakers.{area}")
                    for area, pk in (tie_breakers or {}).items()}
    if voting_rule == VotingRule.TIE_BREAK and not tie_breakers:
        raise ValidationFailed(_("The tie-break rule needs a tie-breaking party for at least one decision area."),
                               code="tie_breaker_required", fields={"tie_breakers": [_("This field is required.")]})
    members = members or []
    if {_require_party(alliance, int(m["company"]), "members") for m in members} != set(_party_ids(alliance)):
        raise ValidationFailed(_("A committee needs at least one member from each party."),
                               code="members_required", fields={"members": [_("Add a member of every party.")]})
    if Committee.objects.filter(alliance=alliance, kind=kind).exists():
        raise Conflict(_("The alliance already has a committee of this kind."), code="committee_exists")
    committee = Committee.objects.create(
        alliance=alliance, kind=kind, name=name, voting_rule=voting_rule, tie_breakers=tie_breakers,
        chair_rule=chair_rule, chair_company_id=chair_id, chair_since_year=chair_since_year)
    CommitteeMember.objects.bulk_create([
        CommitteeMember(alliance=alliance, committee=committee, company_id=int(m["company"]), name=m["name"],
                        title=m.get("title", "")) for m in members])
    audit_record(action=acts.COMMITTEE_CREATED, actor=actor, target=committee,
                 details={"alliance": alliance.pk, "kind": kind, "voting_rule": voting_rule})
    return committee


@transaction.atomic
def meeting_schedule(*, actor: Any, committee: Committee, starts_at: datetime.datetime, time_zone: str,
                     agenda: str = "") -> CommitteeMeeting:
    """A committee meeting; the other party is told in its own language and time zone."""
    alliance, company = _locked_as_party(committee.alliance, actor)
    meeting = CommitteeMeeting.objects.create(alliance=alliance, committee=committee, starts_at=starts_at,
                                              time_zone=time_zone, agenda=agenda, created_by=actor)
    audit_record(action=acts.MEETING_SCHEDULED, actor=actor, target=meeting, company=company,
                 details={"committee": committee.pk, "starts_at": starts_at.isoformat()})
    _notify("alliance.meeting_scheduled", alliance, target=meeting, actor=actor, exclude=company,
            committee=committee.name, starts_at=starts_at.strftime("%Y-%m-%d %H:%M UTC"))
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: CommitteeMeeting, **changes: Any) -> CommitteeMeeting:
    """Agenda, attendance, time: editable until the meeting's minutes are final."""
    _alliance, _company = _locked_as_party(meeting.alliance, actor)
    if "attendees" in changes:
        known = set(CommitteeMember.objects.filter(committee_id=meeting.committee_id).values_list("pk", flat=True))
        if not set(changes["attendees"]) <= known:
            raise ValidationFailed(_("Attendees are members of the committee."), code="not_a_member",
                                   fields={"attendees": [_("Not a member of this committee.")]})
        changes["attendees"] = sorted(set(changes["attendees"]))
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.save()
    audit_record(action=acts.MEETING_UPDATED, actor=actor, target=meeting,
                 details={"changed": sorted(changes)})
    return meeting


# ------------------------------------------------------------------------------------------------ minutes
@transaction.atomic
def minutes_write(*, actor: Any, meeting: CommitteeMeeting, text_en: str = "", text_zh: str = "") -> Minutes:
    """A new version of the minutes: the first draft, or a correction of approved minutes. One draft at a time."""
    alliance, company = _locked_as_party(meeting.alliance, actor)
    if not (text_en.strip() or text_zh.strip()):
        raise ValidationFailed(_("Write the minutes in English, Chinese or both."), code="minutes_empty",
                               fields={"text_en": [_("This field is required.")]})
    if Minutes.objects.filter(meeting=meeting, status=MinutesStatus.DRAFT).exists():
        raise Conflict(_("These minutes already have a draft: change it instead."), code="minutes_draft_exists")
    number = (Minutes.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0) + 1
    minutes = Minutes.objects.create(alliance=alliance, meeting=meeting, number=number, text_en=text_en,
                                     text_zh=text_zh, written_by=actor)
    MinutesApproval.objects.create(minutes=minutes, company=company, approved_by=actor)  # the writer's party
    audit_record(action=acts.MINUTES_WRITTEN, actor=actor, target=minutes, company=company,
                 details={"meeting": meeting.pk, "version": number})
    _notify("alliance.minutes_to_approve", alliance, target=minutes, actor=actor, exclude=company,
            committee=meeting.committee.name, version=number)
    return minutes


@transaction.atomic
def minutes_update(*, actor: Any, minutes: Minutes, **changes: Any) -> Minutes:
    """Change a draft; approved minutes never change (a correction is a new version). Approvals start over."""
    _alliance, company = _locked_as_party(minutes.alliance, actor)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.DRAFT:
        raise Conflict(_("Approved minutes are final: write a correction as a new version."), code="minutes_final")
    for name, value in changes.items():
        setattr(minutes, name, value)
    minutes.save()
    minutes.approvals.exclude(company=company).delete()
    MinutesApproval.objects.get_or_create(minutes=minutes, company=company, defaults={"approved_by": actor})
    audit_record(action=acts.MINUTES_UPDATED, actor=actor, target=minutes, company=company,
                 details={"changed": sorted(changes)})
    return minutes


@transaction.atomic
def minutes_approve(*, actor: Any, minutes: Minutes, company_id: int | None = None) -> Minutes:
    """A party approves the draft; with every party's approval the minutes are final and earlier versions are
    superseded."""
    alliance, company = _locked_as_party(minutes.alliance, actor, company_id)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.status != MinutesStatus.DRAFT:
        raise Conflict(_("These minutes are no longer a draft."), code="minutes_final")
    _approval, created = MinutesApproval.objects.get_or_create(minutes=minutes, company=company,
                                                       defaults={"approved_by": actor})
    if not created:
        raise Conflict(_("Your party already approved these minutes."), code="already_approved")
    audit_record(action=acts.MINUTES_APPROVED, actor=actor, target=minutes, company=company,
                 details={"version": minutes.number})
    approved = set(minutes.approvals.values_list("company_id", flat=True))
    if approved >= set(_party_ids(alliance)):
        Minutes.objects.filter(meeting_id=minutes.meeting_id, status=MinutesStatus.APPROVED).update(
            status=MinutesStatus.SUPERSEDED)
        minutes.status = MinutesStatus.APPROVED
        minutes.approved_at = timezone.now()
        minutes.save(update_fields=["status", "approved_at"])
        audit_record(action=acts.MINUTES_FINALISED, actor=actor, target=minutes,
                     details={"version": minutes.number})
        _notify("alliance.minutes_approved", alliance, target=minutes, actor=actor,
                committee=minutes.meeting.committee.name, version=minutes.number)
    return minutes


# ------------------------------------------------------------------------------------------------ decisions
@transaction.atomic
def decision_propose(*, actor: Any, meeting: CommitteeMeeting, area: str, motion: str) -> Decision:
    alliance, company = _locked_as_party(meeting.alliance, actor)
    decision = Decision.objects.create(alliance=alliance, meeting=meeting, area=area, motion=motion,
                                       proposed_by=actor)
    audit_record(action=acts.DECISION_PROPOSED, actor=actor, target=decision, company=company,
                 details={"meeting": meeting.pk, "area": area})
    _notify("alliance.vote_requested", alliance, target=decision, actor=actor, exclude=company,
            committee=meeting.committee.name, motion=motion[:200])
    return decision


@transaction.atomic
def decision_vote(*, actor: Any, decision: Decision, vote: str, company_id: int | None = None) -> Decision:
    """A party's one vote; when every party voted, the committee's voting rule gives the outcome."""
    alliance, company = _locked_as_party(decision.alliance, actor, company_id)
    decision = Decision.objects.select_for_update().select_related("meeting__committee").get(pk=decision.pk)
    if decision.outcome != DecisionOutcome.PENDING:
        raise Conflict(_("The vote on this decision is closed."), code="vote_closed")
    try:
        with transaction.atomic():
            PartyVote.objects.create(decision=decision, company=company, vote=vote, cast_by=actor)
    except IntegrityError:
        raise Conflict(_("Your party already voted on this decision."), code="already_voted") from None
    audit_record(action=acts.VOTE_CAST, actor=actor, target=decision, company=company,
                 details={"vote": vote})
    committee = decision.meeting.committee
    votes = dict(decision.votes.values_list("company_id", "vote"))
    tie_breaker = committee.tie_breakers.get(decision.area)
    outcome, tie_broken_by = governance.decide(rule=committee.voting_rule, votes=votes,
                                               parties=_party_ids(alliance),
                                               tie_breaker=int(tie_breaker) if tie_breaker else None)
    if outcome != DecisionOutcome.PENDING:
        decision.outcome = outcome
        decision.tie_broken_by_id = tie_broken_by
        decision.decided_at = timezone.now()
        decision.save(update_fields=["outcome", "tie_broken_by", "decided_at"])
        audit_record(action=acts.DECISION_TAKEN, actor=actor, target=decision,
                     details={"outcome": outcome, "tie_broken_by": tie_broken_by})
        _notify("alliance.decision_taken", alliance, target=decision, actor=actor, committee=committee.name,
                motion=decision.motion[:200], outcome_code=decision.outcome)
    return decision


# ------------------------------------------------------------------------------------------------ action items
@transaction.atomic
def action_item_create(*, actor: Any, alliance: Alliance, title: str, owner_company: Company | int,
                       due_on: datetime.date,
                       owner_name: str = "", meeting: CommitteeMeeting | None = None) -> ActionItem:
    alliance, company = _locked_as_party(alliance, actor)
    owner_id = _require_party(alliance, owner_company, "owner_company")
    if meeting is not None and meeting.alliance_id != alliance.pk:
        raise ValidationFailed(_("The meeting belongs to another alliance."), code="wrong_alliance",
                               fields={"meeting": [_("Not a meeting of this alliance.")]})
    item = ActionItem.objects.create(alliance=alliance, meeting=meeting, title=title, owner_company_id=owner_id,
                                     owner_name=owner_name, due_on=due_on)
    audit_record(action=acts.ACTION_ITEM_CREATED, actor=actor, target=item, company=company,
                 details={"owner_company": owner_id, "due_on": due_on.isoformat()})
    return item


@transaction.atomic
def action_item_update(*, actor: Any, item: ActionItem, **changes: Any) -> ActionItem:
    alliance, company = _locked_as_party(item.alliance, actor)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.status != ItemStatus.OPEN:
        raise Conflict(_("This action item is closed."), code="item_closed")
    if "owner_company" in changes:
        changes["owner_company_id"] = _require_party(alliance, changes.pop("owner_company"), "owner_company")
    for name, value in changes.items():
        setattr(item, name, value)
    if item.status != ItemStatus.OPEN:
        item.closed_at = timezone.now()
    item.save()
    audit_record(action=acts.ACTION_ITEM_UPDATED, actor=actor, target=item, company=company,
                 details={"changed": sorted(changes), "status": item.status})
    return item
