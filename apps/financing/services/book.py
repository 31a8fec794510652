"""A round's book: each investor's entry and its stage machine (who may move an entry where):

    interested --biotech--> diligence --biotech--> term_sheet --investor--> committed --biotech--> closed
         \\______________ any open stage --investor (structured reason)--> passed

An investor soft-circles an amount while interested, in diligence or at the term sheet, and commits an amount
when it moves to committed. Amounts are in the round's currency, exact to its places (apps.agreements.money)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import to_str
from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES, Company, CompanyKind
from apps.companies.selectors import company_people
from apps.core.authz import VIEW, require_permission
from apps.core.errors import Conflict, NotFound
from apps.financing import audit_actions as acts
from apps.financing.models import (
    BIOTECH_SIDE,
    INVESTOR_SIDE,
    OPEN_STAGES,
    BookEntry,
    EntryStage,
    PassReason,
    Round,
    RoundStatus,
)
from apps.notifications.services import notify

from .common import _amount, _entry_context, _invalid, _one_company
from .rounds import _lock

# The one forward step from each stage, and which side takes it.
NEXT_STAGE: dict[str, str] = {
    EntryStage.INTERESTED: EntryStage.DILIGENCE,
    EntryStage.DILIGENCE: EntryStage.TERM_SHEET,
    EntryStage.TERM_SHEET: EntryStage.COMMITTED,
    EntryStage.COMMITTED: EntryStage.CLOSED,
}
MOVED_BY: dict[str, str] = {
    EntryStage.DILIGENCE: BIOTECH_SIDE,
    EntryStage.TERM_SHEET: BIOTECH_SIDE,
    EntryStage.COMMITTED: INVESTOR_SIDE,
    EntryStage.CLOSED: BIOTECH_SIDE,
}
SOFT_CIRCLE_STAGES = (EntryStage.INTERESTED, EntryStage.DILIGENCE, EntryStage.TERM_SHEET)
# --- the book --------------------------------------------------------------------------------------------

@transaction.atomic
def interest_express(*, actor: Any, round: Round, message: str = "",
                     company: Company | None = None) -> BookEntry:
    """A verified investor company enters a published round's book as interested; the biotech is told."""
    if not Round.objects.for_user(actor, VIEW).filter(pk=round.pk).exists():
        raise NotFound()
    round_ = _lock(round)
    investor = _one_company(actor, CompanyKind.INVESTOR, company, exclude=round_.company_id,
                            refusal=_("Only contributors of a verified investor company may express interest."),
                            code="not_an_investor")
    if round_.status != RoundStatus.PUBLISHED:
        raise Conflict(_("Interest can only be expressed in a published round."), code="round_not_published")
    try:
        with transaction.atomic():
            entry = BookEntry.objects.create(round=round_, investor=investor, created_by=actor,
                                             message=(message or "").strip()[:4000])
    except IntegrityError:
        raise Conflict(_("Your company is already in this round's book."), code="already_in_book") from None
    entry.round = round_
    audit_record(action=acts.INTEREST_EXPRESSED, actor=actor, target=entry, company=investor,
                 details={"round": round_.pk})
    notify(kind="financing.interest_expressed", recipients=company_people(round_.company_id, CONTRIBUTING_ROLES),
           target=entry, actor=actor, context=_entry_context(entry, message=entry.message[:500]))
    return entry


def _lock_entry(entry: BookEntry) -> BookEntry:
    return (BookEntry.objects.select_for_update(of=("self",)).select_related("round__company", "investor")
            .get(pk=entry.pk))


def _open_round(entry: BookEntry) -> None:
    if entry.round.status != RoundStatus.PUBLISHED:
        raise Conflict(_("The round is not open."), code="round_not_open")


def _tell_other_side(entry: BookEntry, side: str, kind: str, actor: Any, **context: Any) -> None:
    """The investor's moves are told to the biotech's contributors; the biotech's to the investor's members."""
    recipients = (company_people(entry.round.company_id, CONTRIBUTING_ROLES) if side == INVESTOR_SIDE
                  else company_people(entry.investor_id))
    notify(kind=kind, recipients=recipients, target=entry, actor=actor, context=_entry_context(entry, **context))


@transaction.atomic
def entry_advance(*, actor: Any, entry: BookEntry, stage: str, committed_amount: Any = None) -> BookEntry:
    """Move an entry one step forward (see the module docstring for who takes which step). Committing names the
    committed amount; the other side is told; every move is audited."""
    entry = _lock_entry(entry)
    if stage not in MOVED_BY:
        raise _invalid("stage", _("Unknown stage."), code="unknown_choice")
    side = MOVED_BY[stage]
    require_permission(actor, side, entry)
    _open_round(entry)
    if NEXT_STAGE.get(entry.stage) != stage:
        raise Conflict(_("A book entry at %(current)s cannot move to %(stage)s.")
                       % {"current": entry.get_stage_display(), "stage": EntryStage(stage).label},
                       code="invalid_transition")
    details: dict[str, Any] = {"from": entry.stage, "to": stage}
    update = ["stage", "stage_changed_at", "updated_at"]
    if stage == EntryStage.COMMITTED:
        if committed_amount in (None, ""):
            raise _invalid("committed_amount", _("Say how much your company commits."))
        entry.committed_amount = _amount("committed_amount", committed_amount, entry.round.currency)
        details["committed_amount"] = to_str(entry.committed_amount, entry.round.currency)
        update.append("committed_amount")
    elif committed_amount not in (None, ""):
        raise _invalid("committed_amount", _("An amount is committed only when moving to committed."))
    entry.stage = stage
    entry.stage_changed_at = timezone.now()
    entry.save(update_fields=update)
    company = entry.round.company if side == BIOTECH_SIDE else entry.investor
    audit_record(action=acts.ENTRY_ADVANCED, actor=actor, target=entry, company=company, details=details)
    amount = to_str(entry.committed_amount, entry.round.currency) if entry.committed_amount is not None else ""
    _tell_other_side(entry, side, f"financing.entry_{stage}", actor, amount=amount or "",
                     currency=entry.round.currency)
    return entry


@transaction.atomic
def entry_pass(*, actor: Any, entry: BookEntry, reason: str, note: str = "") -> BookEntry:
    """The investor leaves the book with a structured reason (the biotech reads it in its own language) and loses
    the round's protected core on its next request."""
    entry = _lock_entry(entry)
    require_permission(actor, INVESTOR_SIDE, entry)
    if reason not in PassReason.values:
        raise _invalid("reason", _("Choose a reason for passing."), code="unknown_choice")
    if entry.stage not in OPEN_STAGES:
        raise Conflict(_("Only an open book entry can pass."), code="invalid_transition")
    previous = entry.stage
    entry.passed_from = previous
    entry.stage = EntryStage.PASSED
    entry.pass_reason = reason
    entry.pass_note = (note or "").strip()[:2000]
    entry.stage_changed_at = timezone.now()
    entry.save(update_fields=["stage", "passed_from", "pass_reason", "pass_note", "stage_changed_at", "updated_at"])
    if entry.round.lead_investor_id == entry.investor_id:  # a lead that passed is no longer named
        Round.objects.filter(pk=entry.round_id).update(lead_investor=None)
    audit_record(action=acts.ENTRY_PASSED, actor=actor, target=entry, company=entry.investor,
                 details={"from": previous, "reason": reason})
    _tell_other_side(entry, INVESTOR_SIDE, "financing.entry_passed", actor, reason=reason, note=entry.pass_note)
    return entry


@transaction.atomic
def entry_soft_circle(*, actor: Any, entry: BookEntry, amount: Any) -> BookEntry:
    """The investor states the amount it expects to put in (before committing); the biotech is told."""
    entry = _lock_entry(entry)
    require_permission(actor, INVESTOR_SIDE, entry)
    _open_round(entry)
    if entry.stage not in SOFT_CIRCLE_STAGES:
        raise Conflict(_("An amount is soft-circled before committing."), code="invalid_transition")
    entry.soft_circled_amount = _amount("amount", amount, entry.round.currency)
    entry.save(update_fields=["soft_circled_amount", "updated_at"])
    shown = to_str(entry.soft_circled_amount, entry.round.currency)
    audit_record(action=acts.ENTRY_SOFT_CIRCLED, actor=actor, target=entry, company=entry.investor,
                 details={"amount": shown})
    _tell_other_side(entry, INVESTOR_SIDE, "financing.entry_soft_circled", actor, amount=shown or "",
                     currency=entry.round.currency)
    return entry
