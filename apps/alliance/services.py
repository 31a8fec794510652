"""Writes of the alliance. Each re-checks the actor's standing on the alliance inside its transaction (the alliance
row locked), guards its state transition with a domain error, audits the act and tells the other party."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import IN_FORCE, Agreement
from apps.agreements.money import MoneyError, parse_amount
from apps.agreements.selectors import party_users

# The party a person acts for: one rule, kept in the agreements app (a member of two parties must say which).
from apps.agreements.services import _acting_company as acting_party
from apps.alliance import audit_actions as acts
from apps.alliance import governance
from apps.alliance.models import (
    ESCALATION_ORDER,
    MANAGE,
    ActionItem,
    Alliance,
    AllianceIssue,
    AllianceReminder,
    Budget,
    Committee,
    CommitteeKind,
    CommitteeMeeting,
    CommitteeMember,
    CostEntry,
    Decision,
    DecisionOutcome,
    IssueStep,
    ItemStatus,
    Minutes,
    MinutesApproval,
    MinutesStatus,
    Obligation,
    ObligationStatus,
    PartyVote,
    Recurrence,
    VotingRule,
    WorkPackage,
    party_companies,
)
from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company
from apps.core.authz import CHANGE
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.notifications.services import notify


# ------------------------------------------------------------------------------------------------ helpers
def _locked(alliance: Alliance, actor: Any, action: str = CHANGE) -> Alliance:
    """Lock the alliance and re-check, inside the transaction, that the actor may still do `action` on it."""
    locked = Alliance.objects.select_for_update().select_related("agreement").get(pk=alliance.pk)
    if not Alliance.objects.for_user(actor, action).filter(pk=alliance.pk).exists():
        raise PermissionRefused(_("Only the parties' members can change the alliance while the agreement is in "
                                  "force."), code="alliance_read_only")
    return locked


def _party_ids(alliance: Alliance) -> list[int]:
    return [company.pk for company in party_companies(alliance)]


def _require_party(alliance: Alliance, company: Company | int, field: str) -> int:
    pk = company if isinstance(company, int) else company.pk
    if pk not in _party_ids(alliance):
        raise ValidationFailed(_("Name one of the agreement's parties."), code="not_a_party",
                               fields={field: [_("Not a party to this agreement.")]})
    return pk


def _ctx(alliance: Alliance, **extra: Any) -> dict[str, Any]:
    return {"agreement": alliance.agreement.title, "alliance_id": alliance.pk, "site_url": settings.SITE_URL,
            **extra}


def _notify(kind: str, alliance: Alliance, *, target: Any, actor: Any = None, exclude: Company | None = None,
            roles: tuple[str, ...] | None = None, **context: Any) -> None:
    people = party_users(alliance.agreement, exclude_company_id=exclude.pk if exclude else None, roles=roles)
    notify(kind=kind, recipients=people, target=target, actor=actor, context=_ctx(alliance, **context))


def _amount(value: Any, currency: str, field: str = "amount") -> Decimal:
    try:
        return parse_amount(value, currency)
    except MoneyError as exc:
        raise ValidationFailed(exc.message, code="invalid_amount", fields={field: [exc.message]}) from None


def _shares(alliance: Alliance, cost_sharing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A work package's own split: every party once, percentages adding up to 100."""
    if not cost_sharing:
        return []
    parties = set(_party_ids(alliance))
    companies = [int(item["company"]) for item in cost_sharing]
    if len(set(companies)) != len(companies) or set(companies) != parties:
        raise ValidationFailed(_("The cost-sharing split must name every party once."), code="invalid_split",
                               fields={"cost_sharing": [_("Name every party once.")]})
    total = sum((Decimal(str(item["share"])) for item in cost_sharing), Decimal(0))
    if total != 100:
        raise ValidationFailed(_("The cost-sharing shares must add up to 100."), code="invalid_split",
                               fields={"cost_sharing": [_("The shares add up to %(total)s.") % {"total": total}]})
    return [{"company": int(item["company"]), "share": str(Decimal(str(item["share"])).normalize())}
            for item in sorted(cost_sharing, key=lambda item: int(item["company"]))]


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
    alliance = _locked(alliance, actor, MANAGE)
    company = acting_party(actor, alliance.agreement, MANAGING_ROLES)
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
    alliance = _locked(alliance, actor)
    acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(committee.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(meeting.alliance, actor)
    acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(meeting.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(minutes.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(minutes.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES, company_id)
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
    alliance = _locked(meeting.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(decision.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES, company_id)
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
    alliance = _locked(alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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
    alliance = _locked(item.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
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


# ------------------------------------------------------------------------------------------------ budget
@transaction.atomic
def work_package_create(*, actor: Any, alliance: Alliance, code: str, title: str, assigned_company: Company | int,
                        cost_sharing: list[dict[str, Any]] | None = None) -> WorkPackage:
    """A work package of the development plan; costs follow the agreement's split unless it names its own."""
    alliance = _locked(alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    assigned_id = _require_party(alliance, assigned_company, "assigned_company")
    split = _shares(alliance, cost_sharing or [])
    terms = alliance.agreement.executed_version.terms if alliance.agreement.executed_version else {}
    if not split and not terms.get("cost_sharing"):
        raise ValidationFailed(_("The agreement has no cost-sharing split: give the work package its own."),
                               code="split_required", fields={"cost_sharing": [_("This field is required.")]})
    if WorkPackage.objects.filter(alliance=alliance, code=code).exists():
        raise Conflict(_("A work package with this code exists."), code="work_package_exists")
    package = WorkPackage.objects.create(alliance=alliance, code=code, title=title, assigned_company_id=assigned_id,
                                         cost_sharing=split)
    audit_record(action=acts.WORK_PACKAGE_CREATED, actor=actor, target=package, company=company,
                 details={"code": code, "cost_sharing": split})
    return package


@transaction.atomic
def budget_set(*, actor: Any, work_package: WorkPackage, year: int, quarter: int, currency: str,
               amount: Any) -> Budget:
    """The budget of a work package for one quarter and currency (set again to change it)."""
    alliance = _locked(work_package.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    value = _amount(amount, currency)
    budget, _created = Budget.objects.update_or_create(
        work_package=work_package, year=year, quarter=quarter, currency=currency,
        defaults={"alliance": alliance, "amount": value})
    audit_record(action=acts.BUDGET_SET, actor=actor, target=budget, company=company,
                 details={"work_package": work_package.code, "year": year, "quarter": quarter,
                          "currency": currency, "amount": str(value)})
    return budget


@transaction.atomic
def cost_record(*, actor: Any, work_package: WorkPackage, year: int, quarter: int, currency: str, amount: Any,
                description: str = "", company_id: int | None = None) -> CostEntry:
    """A cost the actor's own party incurred: a party records only what it spent itself."""
    alliance = _locked(work_package.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES, company_id)
    value = _amount(amount, currency)
    entry = CostEntry.objects.create(alliance=alliance, work_package=work_package, company=company, year=year,
                                     quarter=quarter, currency=currency, amount=value, description=description,
                                     recorded_by=actor)
    audit_record(action=acts.COST_RECORDED, actor=actor, target=entry, company=company,
                 details={"work_package": work_package.code, "year": year, "quarter": quarter,
                          "currency": currency, "amount": str(value)})
    return entry


# ------------------------------------------------------------------------------------------------ obligations
@transaction.atomic
def obligation_create(*, actor: Any, alliance: Alliance, kind: str, title: str, owner_company: Company | int,
                      due_on: datetime.date, recurrence: str = Recurrence.NONE,
                      regulatory_event: str = "") -> Obligation:
    alliance = _locked(alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    owner_id = _require_party(alliance, owner_company, "owner_company")
    obligation = Obligation.objects.create(alliance=alliance, kind=kind, title=title, owner_company_id=owner_id,
                                           due_on=due_on, recurrence=recurrence, regulatory_event=regulatory_event)
    audit_record(action=acts.OBLIGATION_CREATED, actor=actor, target=obligation, company=company,
                 details={"kind": kind, "owner_company": owner_id, "due_on": due_on.isoformat()})
    return obligation


def _next_due(due_on: datetime.date, recurrence: str) -> datetime.date | None:
    months = {str(Recurrence.QUARTERLY): 3, str(Recurrence.ANNUAL): 12}.get(recurrence)
    if months is None:
        return None
    month = due_on.month - 1 + months
    year, month = due_on.year + month // 12, month % 12 + 1
    for day in (due_on.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    return None  # pragma: no cover - day 28 exists in every month


def _fulfil(obligation: Obligation, *, evidence: str, evidence_url: str,
            evidence_document: Any = None) -> Obligation | None:
    """Mark fulfilled; a recurring obligation opens its next occurrence (returned)."""
    obligation.status = ObligationStatus.FULFILLED
    obligation.evidence = evidence
    obligation.evidence_url = evidence_url
    obligation.evidence_document = evidence_document
    obligation.fulfilled_at = timezone.now()
    obligation.save(update_fields=["status", "evidence", "evidence_url", "evidence_document", "fulfilled_at"])
    nxt = _next_due(obligation.due_on, obligation.recurrence)
    if nxt is None:
        return None
    return Obligation.objects.create(alliance_id=obligation.alliance_id, kind=obligation.kind,
                                     title=obligation.title, owner_company_id=obligation.owner_company_id,
                                     due_on=nxt, recurrence=obligation.recurrence,
                                     regulatory_event=obligation.regulatory_event)


@transaction.atomic
def obligation_fulfil(*, actor: Any, obligation: Obligation, evidence: str, evidence_url: str = "",
                      evidence_document: Any = None) -> Obligation:
    """The owner party records how the obligation was met (a note, a link or a data-room document the actor may
    open); the other party is told."""
    alliance = _locked(obligation.alliance, actor)
    obligation = Obligation.objects.select_for_update().get(pk=obligation.pk)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES, obligation.owner_company_id,
                           refusal=_("Only the party that owes the obligation records its fulfilment."))
    if obligation.status not in (ObligationStatus.OPEN, ObligationStatus.OVERDUE):
        raise Conflict(_("This obligation is already closed."), code="obligation_closed")
    if not evidence.strip() and not evidence_url and evidence_document is None:
        raise ValidationFailed(_("Say how the obligation was met."), code="evidence_required",
                               fields={"evidence": [_("This field is required.")]})
    _fulfil(obligation, evidence=evidence, evidence_url=evidence_url, evidence_document=evidence_document)
    audit_record(action=acts.OBLIGATION_FULFILLED, actor=actor, target=obligation, company=company)
    _notify("alliance.obligation_fulfilled", alliance, target=obligation, actor=actor, exclude=company,
            obligation=obligation.title, company=company.name_en, company_zh=company.name_zh or company.name_en)
    return obligation


def obligations_on_regulatory_event(*, asset_id: int, event_kind: str, event_label: str = "") -> list[int]:
    """A regulatory event on one of an agreement's assets fulfils the obligations that wait for it."""
    open_ones = (Obligation.objects.select_for_update(of=("self",))
                 .filter(status__in=(ObligationStatus.OPEN, ObligationStatus.OVERDUE), regulatory_event=event_kind,
                         alliance__agreement__assets__id=asset_id, alliance__agreement__status__in=IN_FORCE)
                 .select_related("alliance__agreement"))
    done = []
    for obligation in open_ones:
        _fulfil(obligation, evidence=str(_("Recorded regulatory event: %(event)s") % {"event": event_label}),
                evidence_url="")
        audit_record(action=acts.OBLIGATION_FULFILLED_BY_EVENT, target=obligation,
                     details={"event": event_kind})
        _notify("alliance.obligation_fulfilled", obligation.alliance, target=obligation,
                obligation=obligation.title, company=event_label)
        done.append(obligation.pk)
    return done


# ------------------------------------------------------------------------------------------------ reminders
def _claim(kind: str, object_id: int, due_on: datetime.date) -> bool:
    try:
        with transaction.atomic():
            AllianceReminder.objects.create(kind=kind, object_id=object_id, due_on=due_on)
        return True
    except IntegrityError:
        return False


@transaction.atomic
def action_item_remind(*, item_id: int, due_on: datetime.date) -> bool:
    """Remind the owner party of an action item due soon, once per item and due date."""
    item = ActionItem.objects.select_related("alliance__agreement", "owner_company").filter(pk=item_id).first()
    if item is None or item.status != ItemStatus.OPEN or item.due_on != due_on:
        return False
    if item.alliance.agreement.status not in IN_FORCE or not _claim("action_item_due", item.pk, due_on):
        return False
    people = party_users(item.alliance.agreement).filter(memberships__company=item.owner_company)
    notify(kind="alliance.action_item_due", recipients=people, target=item,
           context=_ctx(item.alliance, item=item.title, due_on=due_on.isoformat()))
    return True


@transaction.atomic
def obligation_remind(*, obligation_id: int, due_on: datetime.date) -> bool:
    """Remind both parties of an obligation due soon, once per obligation and due date."""
    obligation = Obligation.objects.select_related("alliance__agreement").filter(pk=obligation_id).first()
    if obligation is None or obligation.status != ObligationStatus.OPEN or obligation.due_on != due_on:
        return False
    if obligation.alliance.agreement.status not in IN_FORCE or not _claim("obligation_due", obligation.pk, due_on):
        return False
    _notify("alliance.obligation_due", obligation.alliance, target=obligation, obligation=obligation.title,
            due_on=due_on.isoformat())
    return True


@transaction.atomic
def obligation_mark_overdue(*, obligation_id: int, today: datetime.date) -> bool:
    """An open obligation past its date becomes overdue (a conditional update: once), goes on the steering
    committee's next agenda (the meetings show it as open business) and both parties' admins are told."""
    changed = Obligation.objects.filter(pk=obligation_id, status=ObligationStatus.OPEN, due_on__lt=today,
                                        alliance__agreement__status__in=IN_FORCE).update(
        status=ObligationStatus.OVERDUE)
    if not changed:
        return False
    obligation = Obligation.objects.select_related("alliance__agreement", "owner_company").get(pk=obligation_id)
    audit_record(action=acts.OBLIGATION_MARKED_OVERDUE, target=obligation,
                 details={"due_on": obligation.due_on.isoformat()})
    _notify("alliance.obligation_overdue", obligation.alliance, target=obligation, roles=MANAGING_ROLES,
            obligation=obligation.title, due_on=obligation.due_on.isoformat(),
            company=obligation.owner_company.name_en,
            company_zh=obligation.owner_company.name_zh or obligation.owner_company.name_en)
    return True


# ------------------------------------------------------------------------------------------------ issues
@transaction.atomic
def issue_raise(*, actor: Any, alliance: Alliance, title: str, description: str, severity: str) -> AllianceIssue:
    """Either party raises an issue; it starts at the committee."""
    alliance = _locked(alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    issue = AllianceIssue.objects.create(alliance=alliance, title=title, description=description,
                                         severity=severity, raised_by_company=company)
    IssueStep.objects.create(issue=issue, level=issue.level, event="raised", by=actor, by_company=company)
    audit_record(action=acts.ISSUE_RAISED, actor=actor, target=issue, company=company,
                 details={"severity": severity})
    _notify("alliance.issue_raised", alliance, target=issue, actor=actor, exclude=company, issue=title,
            company=company.name_en, company_zh=company.name_zh or company.name_en, severity_code=severity)
    return issue


@transaction.atomic
def issue_escalate(*, actor: Any, issue: AllianceIssue, note: str = "") -> AllianceIssue:
    """One step up the escalation path: committee → executive officers → the dispute-resolution clause."""
    alliance = _locked(issue.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    issue = AllianceIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.resolved_at is not None:
        raise Conflict(_("This issue is resolved."), code="issue_resolved")
    position = ESCALATION_ORDER.index(issue.level)
    if position + 1 >= len(ESCALATION_ORDER):
        raise Conflict(_("The issue is already at the dispute-resolution clause."), code="escalation_exhausted")
    issue.level = ESCALATION_ORDER[position + 1]
    issue.save(update_fields=["level"])
    IssueStep.objects.create(issue=issue, level=issue.level, event="escalated", note=note, by=actor,
                             by_company=company)
    audit_record(action=acts.ISSUE_ESCALATED, actor=actor, target=issue, company=company,
                 details={"level": issue.level})
    _notify("alliance.issue_escalated", alliance, target=issue, actor=actor, exclude=company, issue=issue.title,
            level_code=issue.level)
    return issue


@transaction.atomic
def issue_resolve(*, actor: Any, issue: AllianceIssue, resolution: str) -> AllianceIssue:
    alliance = _locked(issue.alliance, actor)
    company = acting_party(actor, alliance.agreement, CONTRIBUTING_ROLES)
    issue = AllianceIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.resolved_at is not None:
        raise Conflict(_("This issue is resolved."), code="issue_resolved")
    if not resolution.strip():
        raise ValidationFailed(_("Record how the issue was resolved."), code="resolution_required",
                               fields={"resolution": [_("This field is required.")]})
    issue.resolution = resolution
    issue.resolved_at = timezone.now()
    issue.save(update_fields=["resolution", "resolved_at"])
    IssueStep.objects.create(issue=issue, level=issue.level, event="resolved", note=resolution, by=actor,
                             by_company=company)
    audit_record(action=acts.ISSUE_RESOLVED, actor=actor, target=issue, company=company)
    _notify("alliance.issue_resolved", alliance, target=issue, actor=actor, exclude=company, issue=issue.title)
    return issue
