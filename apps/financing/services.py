"""Writes for financing. Each service re-checks permission inside its transaction, guards its state transition
explicitly (Conflict, 409), audits the change and tells the people concerned through notify().

The book's stage machine (who may move an entry where):

    interested --biotech--> diligence --biotech--> term_sheet --investor--> committed --biotech--> closed
         \\______________ any open stage --investor (structured reason)--> passed

An investor soft-circles an amount while interested, in diligence or at the term sheet, and commits an amount
when it moves to committed. Amounts are in the round's currency, exact to its places (apps.agreements.money).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import staff_people
from apps.agreements.money import Currency, MoneyError, parse_amount, to_str
from apps.audit.services import audit_record
from apps.catalog.models import Asset, Modality, TherapeuticArea
from apps.catalog.territories import Territory
from apps.companies.models import CONTRIBUTING_ROLES, Company, CompanyKind, Membership, VerificationStatus
from apps.companies.selectors import company_people, people_of_companies
from apps.core.authz import CHANGE, VIEW, require_permission, require_staff
from apps.core.changes import assign_changes
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.financing import audit_actions as acts
from apps.financing.matching import matching_company_ids
from apps.financing.models import (
    BIOTECH_SIDE,
    INVESTOR_SIDE,
    OPEN_STAGES,
    BookEntry,
    EntryStage,
    Instrument,
    InvestorProfile,
    PassReason,
    Round,
    RoundStage,
    RoundStatus,
)
from apps.notifications.services import notify

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

ROUND_TEXT_FIELDS = ("name_en", "name_zh", "summary_en", "summary_zh", "use_of_proceeds_en", "use_of_proceeds_zh",
                     "cap_table_summary", "financial_statements")
ROUND_FIELDS = (*ROUND_TEXT_FIELDS, "stage", "instrument", "target_amount", "currency", "closing_date",
                "therapeutic_areas", "modalities", "pre_money_valuation", "assets")
EDITABLE_STATUSES = (RoundStatus.DRAFT, RoundStatus.CHANGES_REQUESTED, RoundStatus.PUBLISHED)
SUBMITTABLE_STATUSES = (RoundStatus.DRAFT, RoundStatus.CHANGES_REQUESTED)
MAX_LIST_ITEMS = 12


# --- helpers ---------------------------------------------------------------------------------------------

def _invalid(field: str, message: Any, code: str = "invalid") -> ValidationFailed:
    return ValidationFailed(message, code=code, fields={field: [message]})


def _choices(field: str, values: Any, allowed: Iterable[str]) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise _invalid(field, _("Expected a list."))
    allowed = set(allowed)
    result: list[str] = []
    for value in values:
        if value not in allowed:
            raise _invalid(field, _("Unknown value: %(value)s.") % {"value": str(value)[:60]}, code="unknown_choice")
        if value not in result:
            result.append(value)
    if len(result) > MAX_LIST_ITEMS:
        raise _invalid(field, _("Too many values."))
    return result


def _amount(field: str, value: Any, currency: str, *, allow_zero: bool = False) -> Decimal:
    try:
        return parse_amount(value, currency, allow_zero=allow_zero)
    except MoneyError as exc:
        raise _invalid(field, exc.message, code="invalid_amount") from None


def _round_context(round_: Round, **extra: Any) -> dict[str, Any]:
    company = round_.company
    return {"round": round_.name_en, "round_zh": round_.name_zh or round_.name_en, "round_id": str(round_.public_id),
            "company": company.name_en, "company_zh": company.name_zh or company.name_en, **extra}


def _entry_context(entry: BookEntry, **extra: Any) -> dict[str, Any]:
    investor = entry.investor
    return _round_context(entry.round, investor=investor.name_en, investor_zh=investor.name_zh or investor.name_en,
                          stage=entry.stage, **extra)


def _contributor_companies(actor: Any, kind: str) -> QuerySet:
    return Company.objects.filter(
        pk__in=Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).values("company_id"),
        verification_status=VerificationStatus.VERIFIED, kind=kind)


def _one_company(actor: Any, kind: str, company: Company | None, *, refusal: Any, code: str,
                 exclude: int | None = None) -> Company:
    companies = _contributor_companies(actor, kind)
    if exclude is not None:
        companies = companies.exclude(pk=exclude)
    if company is not None:
        companies = companies.filter(pk=company.pk)
    found = list(companies.order_by("pk")[:2])
    if not found:
        raise PermissionRefused(refusal, code=code)
    if len(found) > 1:
        raise _invalid("company", _("Say which of your companies acts."))
    return found[0]


# --- investor profiles -----------------------------------------------------------------------------------

@transaction.atomic
def investor_profile_save(*, actor: Any, company: Company | None = None, **fields: Any) -> InvestorProfile:
    """Contributors of a verified investor company set its thesis (one profile per company)."""
    company = _one_company(actor, CompanyKind.INVESTOR, company,
                           refusal=_("Only contributors of a verified investor company may set a thesis."),
                           code="not_an_investor")
    profile, created = InvestorProfile.objects.select_for_update().get_or_create(company=company)
    for name in ("thesis_en", "thesis_zh", "contact_name", "contact_email", "contact_phone"):
        if name in fields:
            setattr(profile, name, (fields[name] or "").strip())
    lists = {"therapeutic_areas": TherapeuticArea.values, "modalities": Modality.values,
             "round_stages": RoundStage.values, "instruments": Instrument.values}
    for name, allowed in lists.items():
        if name in fields:
            setattr(profile, name, _choices(name, fields[name], allowed))
    if "geographies" in fields:
        try:
            profile.geographies = Territory.parse(fields["geographies"] or []).codes()
        except ValidationFailed:
            raise
        except (ValueError, TypeError):
            raise _invalid("geographies", _("Unknown country or region.")) from None
    if "ticket_currency" in fields:
        if fields["ticket_currency"] not in Currency.values:
            raise _invalid("ticket_currency", _("Unknown currency."), code="unknown_choice")
        profile.ticket_currency = fields["ticket_currency"]
    for name in ("ticket_min", "ticket_max"):
        if name in fields:
            value = fields[name]
            setattr(profile, name, None if value in (None, "") else _amount(name, value, profile.ticket_currency))
    for name in ("ticket_min", "ticket_max"):  # a currency change must still fit the amounts already stored
        value = getattr(profile, name)
        if value is not None:
            setattr(profile, name, _amount(name, value, profile.ticket_currency))
    if profile.ticket_min is not None and profile.ticket_max is not None and profile.ticket_min > profile.ticket_max:
        raise _invalid("ticket_max", _("The ticket range is reversed."), code="reversed_range")
    profile.updated_by = actor
    profile.full_clean(exclude=["company", "updated_by"])
    profile.save()
    audit_record(action=acts.INVESTOR_PROFILE_SAVED, actor=actor, target=profile, company=company,
                 details={"created": created})
    return profile


# --- rounds ----------------------------------------------------------------------------------------------

def _normalize_round(fields: dict[str, Any], *, currency: str, company_id: int) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            continue
        if name in ROUND_TEXT_FIELDS:
            value = (value or "").strip()
        elif name == "stage" and value not in RoundStage.values:
            raise _invalid(name, _("Unknown round stage."), code="unknown_choice")
        elif name == "instrument" and value not in Instrument.values:
            raise _invalid(name, _("Unknown instrument."), code="unknown_choice")
        elif name == "currency" and value not in Currency.values:
            raise _invalid(name, _("Unknown currency."), code="unknown_choice")
        elif name == "therapeutic_areas":
            value = _choices(name, value, TherapeuticArea.values)
        elif name == "modalities":
            value = _choices(name, value, Modality.values)
        elif name == "assets":
            ids = sorted({int(pk) for pk in value or []})
            assets = list(Asset.objects.filter(owner_company_id=company_id, pk__in=ids))
            if len(assets) != len(ids):
                # Another company's asset answers exactly like a missing one.
                raise _invalid(name, _("Unknown asset."), code="unknown_asset")
            value = assets
        clean[name] = value
    money_currency = clean.get("currency", currency)
    if "target_amount" in clean:
        clean["target_amount"] = _amount("target_amount", clean["target_amount"], money_currency)
    if clean.get("pre_money_valuation") not in (None, ""):
        clean["pre_money_valuation"] = _amount("pre_money_valuation", clean["pre_money_valuation"], money_currency)
    elif "pre_money_valuation" in clean:
        clean["pre_money_valuation"] = None
    if "name_en" in clean and not clean["name_en"]:
        raise _invalid("name_en", _("A name is required."))
    return clean


def _lock(round_: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("company").get(pk=round_.pk)


@transaction.atomic
def round_create(*, actor: Any, company: Company | None = None, **fields: Any) -> Round:
    """Contributors of a verified biotech open a draft round."""
    company = _one_company(actor, CompanyKind.BIOTECH, company,
                           refusal=_("Only contributors of a verified biotech may raise a round."),
                           code="not_a_biotech")
    for required in ("name_en", "stage", "instrument", "target_amount", "currency"):
        if fields.get(required) in (None, ""):
            raise _invalid(required, _("This field is required."))
    clean = _normalize_round(fields, currency=fields["currency"], company_id=company.pk)
    assets = clean.pop("assets", [])
    round_ = Round(company=company, created_by=actor, status=RoundStatus.DRAFT, **clean)
    round_.full_clean(exclude=["company", "created_by", "lead_investor"])
    round_.save()
    round_.assets.set(assets)
    audit_record(action=acts.ROUND_CREATED, actor=actor, target=round_, company=company,
                 details={"stage": round_.stage, "currency": round_.currency})
    return round_


@transaction.atomic
def round_update(*, actor: Any, round: Round, **fields: Any) -> Round:  # the domain's word
    """Contributors of the raising company edit a draft, a round sent back for changes, or a published round."""
    round_ = _lock(round)
    require_permission(actor, CHANGE, round_)
    if round_.status not in EDITABLE_STATUSES:
        raise Conflict(_("This round cannot be edited while it is %(status)s.")
                       % {"status": round_.get_status_display()}, code="not_editable")
    if "currency" in fields and fields["currency"] != round_.currency and round_.book.exists():
        raise Conflict(_("The currency cannot change once investors are in the book."), code="currency_locked")
    currency = fields.get("currency", round_.currency)
    if "currency" in fields and "target_amount" not in fields:
        fields["target_amount"] = round_.target_amount
    clean = _normalize_round(fields, currency=currency, company_id=round_.company_id)
    assets = clean.pop("assets", None)
    changed = assign_changes(round_, clean)
    round_.full_clean(exclude=["company", "created_by", "lead_investor"])
    round_.save()
    if assets is not None and {a.pk for a in assets} != set(round_.assets.values_list("pk", flat=True)):
        round_.assets.set(assets)
        changed.append("assets")
    if changed:
        audit_record(action=acts.ROUND_UPDATED, actor=actor, target=round_, company=round_.company,
                     details={"changed": changed})
    return round_


@transaction.atomic
def round_submit(*, actor: Any, round: Round) -> Round:
    """draft or changes requested → submitted, by a contributor of the verified raising company."""
    round_ = _lock(round)
    require_permission(actor, CHANGE, round_)
    if not round_.company.is_verified:
        raise PermissionRefused(_("Only a verified company may submit a round."), code="company_not_verified")
    if round_.status not in SUBMITTABLE_STATUSES:
        raise Conflict(_("Only a draft or a round with requested changes can be submitted."),
                       code="invalid_transition")
    missing = {}
    if not (round_.summary_en or round_.summary_zh):
        missing["summary_en"] = [_("A summary in English or Chinese is required before submission.")]
    if not (round_.use_of_proceeds_en or round_.use_of_proceeds_zh):
        missing["use_of_proceeds_en"] = [_("Say what the money is for before submission.")]
    if missing:
        raise ValidationFailed(_("The teaser is incomplete."), code="teaser_incomplete", fields=missing)
    round_.resubmission = round_.status == RoundStatus.CHANGES_REQUESTED
    round_.status = RoundStatus.SUBMITTED
    round_.submitted_at = timezone.now()
    round_.save(update_fields=["status", "resubmission", "submitted_at", "updated_at"])
    audit_record(action=acts.ROUND_SUBMITTED, actor=actor, target=round_, company=round_.company,
                 details={"resubmission": round_.resubmission})
    notify(kind="financing.round_submitted", recipients=staff_people(), target=round_, actor=actor,
           context=_round_context(round_))
    return round_


def _require_staff(actor: Any) -> None:
    require_staff(actor, _("Only platform staff moderate rounds."))


@transaction.atomic
def round_publish(*, actor: Any, round: Round, note: str = "") -> Round:
    """Staff publish a submitted round; the biotech is told and matching investors hear of it in one fan-out."""
    _require_staff(actor)
    round_ = _lock(round)
    if round_.status != RoundStatus.SUBMITTED:
        raise Conflict(_("Only a submitted round can be published."), code="invalid_transition")
    if not round_.company.is_verified:
        raise Conflict(_("The raising company is not verified."), code="company_not_verified")
    round_.status = RoundStatus.PUBLISHED
    round_.status_reason = (note or "").strip()[:2000]
    round_.published_at = round_.published_at or timezone.now()
    round_.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    audit_record(action=acts.ROUND_PUBLISHED, actor=actor, target=round_, company=round_.company,
                 details={"note": round_.status_reason})
    notify(kind="financing.round_published", recipients=company_people(round_.company_id, CONTRIBUTING_ROLES),
           target=round_, actor=actor, context=_round_context(round_, note=round_.status_reason))
    company_ids = matching_company_ids(round_)
    if company_ids:
        recipients = people_of_companies(company_ids)
        notify(kind="financing.round_matched", recipients=recipients, target=round_, actor=actor,
               context=_round_context(round_, summary=round_.summary_en[:300],
                                      summary_zh=(round_.summary_zh or round_.summary_en)[:300]))
    return round_


@transaction.atomic
def round_request_changes(*, actor: Any, round: Round, reason: str) -> Round:
    """Staff send a submitted round back with a reason the biotech reads."""
    _require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("A reason is required."), code="reason_required")
    round_ = _lock(round)
    if round_.status != RoundStatus.SUBMITTED:
        raise Conflict(_("Only a submitted round can be sent back for changes."), code="invalid_transition")
    round_.status = RoundStatus.CHANGES_REQUESTED
    round_.status_reason = reason[:2000]
    round_.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(action=acts.ROUND_CHANGES_REQUESTED, actor=actor, target=round_, company=round_.company,
                 details={"reason": round_.status_reason})
    notify(kind="financing.round_changes_requested",
           recipients=company_people(round_.company_id, CONTRIBUTING_ROLES), target=round_, actor=actor,
           context=_round_context(round_, reason=round_.status_reason))
    return round_


@transaction.atomic
def round_name_lead(*, actor: Any, round: Round, investor: Company | None) -> Round:
    """The raising company names (or un-names) its lead investor publicly: an investor in its book that has not
    passed. The lead is the one name every reader of the teaser learns; its amount stays private."""
    round_ = _lock(round)
    require_permission(actor, CHANGE, round_)
    if round_.status not in (RoundStatus.PUBLISHED, RoundStatus.CLOSED):
        raise Conflict(_("A lead investor is named on a published round."), code="round_not_published")
    if investor is not None and not round_.book.filter(investor=investor).exclude(stage=EntryStage.PASSED).exists():
        # An investor outside the book answers like a missing id: naming cannot probe who exists.
        raise _invalid("investor", _("Unknown investor in this round's book."), code="not_in_book")
    previous = round_.lead_investor_id
    round_.lead_investor = investor
    round_.save(update_fields=["lead_investor", "updated_at"])
    audit_record(action=acts.ROUND_LEAD_NAMED, actor=actor, target=round_, company=round_.company,
                 details={"lead": investor.pk if investor else None, "previous": previous})
    if investor is not None and investor.pk != previous:
        entry = round_.book.get(investor=investor)
        notify(kind="financing.lead_named", recipients=company_people(investor.pk), target=entry, actor=actor,
               context=_entry_context(entry))
    return round_


def round_core_viewed(*, actor: Any, round: Round) -> None:
    """Audit a read of the protected core by someone outside the raising company (admitted investor, staff)."""
    audit_record(action=acts.ROUND_CORE_VIEWED, actor=actor, target=round, details={"company": round.company_id})


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
