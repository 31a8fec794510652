"""Writes for agreements. Each service re-checks permission inside its transaction (rows locked), guards its
state transition with a domain error (→ clear 4xx), audits the act and notifies the parties."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as DRFValidationError

from apps.agreements import territory as territories
from apps.agreements.audit_actions import AgreementAudit
from apps.agreements.models import (
    APPROVE,
    IN_FORCE,
    MANAGE_MONEY,
    OPEN_FOR_VERSIONS,
    TERMINATE,
    Agreement,
    AgreementApproval,
    AgreementParty,
    AgreementStatus,
    AgreementVersion,
    Milestone,
    MilestoneStatus,
    PartyRole,
    Reminder,
    RoyaltyTier,
    terms_hash,
)
from apps.agreements.money import to_str
from apps.agreements.selectors import party_users
from apps.agreements.terms import ALL_FIELDS, Cadence, Exclusivity, validate_terms
from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company, Membership
from apps.core.authz import CHANGE, DELETE, VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.notifications.services import notify


# ------------------------------------------------------------------------------------------------ helpers
def _validate_terms(terms: Any, *, deal_type: str, party_ids: list[int]) -> dict[str, Any]:
    try:
        return validate_terms(terms, deal_type=deal_type, party_company_ids=party_ids)
    except DRFValidationError as exc:
        raise ValidationFailed(_("The terms are not valid."), code="invalid_terms",
                               fields={"terms": exc.detail}) from None


def _party_ids(agreement: Agreement) -> list[int]:
    return list(agreement.parties.values_list("company_id", flat=True))


def _acting_company(actor: Any, agreement: Agreement, roles: tuple[str, ...], company_id: int | None = None,
                    *, refusal: Any = None) -> Company:
    """The party company `actor` acts for, holding one of `roles`. Ambiguous (member of several parties) → 400."""
    memberships = Membership.objects.filter(user=actor, role__in=roles,
                                            company_id__in=_party_ids(agreement)).select_related("company")
    if company_id is not None:
        memberships = memberships.filter(company_id=company_id)
    companies = [m.company for m in memberships]
    if not companies:
        raise PermissionRefused(refusal or _("You do not have permission to do this."))
    if len(companies) > 1:
        raise ValidationFailed(_("You belong to several parties: say which company you act for."),
                               code="company_required", fields={"company": [_("This field is required.")]})
    return companies[0]


def _current(agreement: Agreement) -> AgreementVersion:
    """The latest version; every agreement has one from its creation on."""
    version = agreement.current_version
    if version is None:  # pragma: no cover - agreement_create always sets it
        raise Conflict(_("The agreement has no terms yet."), code="no_version")
    return version


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _ctx(agreement: Agreement, **extra: Any) -> dict[str, Any]:
    return {"agreement": agreement.title, "agreement_id": agreement.pk, "site_url": settings.SITE_URL, **extra}


def _company_ctx(company: Company | None) -> dict[str, str]:
    if company is None:
        return {"company": "GPC", "company_zh": "GPC"}
    return {"company": company.name_en, "company_zh": company.name_zh or company.name_en}


def _notify_parties(kind: str, agreement: Agreement, *, actor: Any = None, exclude_company: Company | None = None,
                    target: Any = None, **context: Any) -> None:
    recipients = party_users(agreement, exclude_company_id=exclude_company.pk if exclude_company else None)
    notify(kind=kind, recipients=recipients, target=target or agreement, actor=actor,
           context=_ctx(agreement, **context))


def _store_version(*, agreement: Agreement, number: int, terms: dict[str, Any], actor: Any, company: Company,
                   note: str = "", is_amendment: bool = False) -> AgreementVersion:
    version = AgreementVersion.objects.create(
        agreement=agreement, number=number, terms=terms, terms_hash=terms_hash(terms), currency=terms["currency"],
        is_amendment=is_amendment, note=note, proposed_by=actor, proposed_by_company=company)
    _store_royalty_tiers(version)
    return version


def _store_royalty_tiers(version: AgreementVersion) -> None:
    version.royalty_tiers.all().delete()
    RoyaltyTier.objects.bulk_create([
        RoyaltyTier(version=version, position=index, lower=Decimal(tier["from_net_sales"]),
                    upper=Decimal(tier["to_net_sales"]) if tier["to_net_sales"] is not None else None,
                    rate=Decimal(tier["rate"]))
        for index, tier in enumerate(version.terms.get("royalty_tiers") or [])
    ])


# ------------------------------------------------------------------------------------------------ drafts
@transaction.atomic
def agreement_create(*, actor: Any, title: str, deal_type: str, licensor: Company, partners: list[Company],
                     assets: list[Asset], terms: dict[str, Any], data_room_id: int | None = None) -> Agreement:
    """A contributor of the licensor or of a partner prepares a draft with its first version of the terms."""
    partners = list({p.pk: p for p in partners}.values())
    if not partners:
        raise ValidationFailed(_("An agreement needs at least one partner."), fields={"partners": [_("Required.")]})
    if any(p.pk == licensor.pk for p in partners):
        raise ValidationFailed(_("The licensor cannot also be a partner."), code="licensor_is_partner",
                               fields={"partners": [_("Invalid.")]})
    parties = [licensor, *partners]
    unverified = [c.name_en for c in parties if not c.is_verified]
    if unverified:
        raise ValidationFailed(_("Only verified companies can be parties to an agreement."),
                               code="company_not_verified", fields={"partners": unverified})
    preparer_ids = list(Membership.objects.filter(
        user=actor, role__in=CONTRIBUTING_ROLES, company_id__in=[c.pk for c in parties]
    ).values_list("company_id", flat=True))
    if not preparer_ids:
        raise PermissionRefused(_("Only members of a party can prepare an agreement."))
    preparer = licensor if licensor.pk in preparer_ids else next(c for c in parties if c.pk in preparer_ids)
    assets = list({a.pk: a for a in assets}.values())
    if not assets:
        raise ValidationFailed(_("An agreement covers at least one asset."), fields={"assets": [_("Required.")]})
    if any(a.owner_company_id != licensor.pk for a in assets):
        raise ValidationFailed(_("Every asset must belong to the licensor."), code="asset_not_licensors",
                               fields={"assets": [_("Invalid.")]})
    canonical = _validate_terms(terms, deal_type=deal_type, party_ids=[c.pk for c in parties])

    agreement = Agreement.objects.create(title=title, deal_type=deal_type, licensor=licensor, created_by=actor,
                                         created_by_company=preparer, data_room_id=data_room_id)
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, company=licensor, role=PartyRole.LICENSOR)]
        + [AgreementParty(agreement=agreement, company=p, role=PartyRole.PARTNER) for p in partners])
    agreement.assets.set(assets)
    version = _store_version(agreement=agreement, number=1, terms=canonical, actor=actor, company=preparer)
    agreement.current_version = version
    agreement.save(update_fields=["current_version"])
    audit_record(action=AgreementAudit.CREATED, actor=actor, target=agreement, company=preparer,
                 details={"deal_type": deal_type, "parties": [c.pk for c in parties],
                          "assets": [a.pk for a in assets], "terms_hash": version.terms_hash})
    return agreement


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **changes: Any) -> Agreement:
    """Title and the data-room link change while the agreement is not closed; terms and deal type only in draft
    (afterwards every change of terms is a new version)."""
    agreement = _lock(agreement)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    if agreement.status in (AgreementStatus.TERMINATED, AgreementStatus.EXPIRED):
        raise Conflict(_("A closed agreement cannot be changed."), code="agreement_closed")
    changed: list[str] = []
    if ("terms" in changes or "deal_type" in changes) and agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("Once negotiation is open, terms change only by proposing a new version."),
                       code="not_draft")
    if "title" in changes and changes["title"] != agreement.title:
        agreement.title = changes["title"]
        changed.append("title")
    if "data_room_id" in changes and changes["data_room_id"] != agreement.data_room_id:
        agreement.data_room_id = changes["data_room_id"]
        changed.append("data_room_id")
        audit_record(action=AgreementAudit.DATA_ROOM_LINKED, actor=actor, target=agreement,
                     details={"data_room_id": agreement.data_room_id})
    if "deal_type" in changes and changes["deal_type"] != agreement.deal_type:
        agreement.deal_type = changes["deal_type"]
        changed.append("deal_type")
    if "terms" in changes or "deal_type" in changes:
        version = _current(agreement)
        source = changes.get("terms", version.terms)
        canonical = _validate_terms(source, deal_type=agreement.deal_type, party_ids=_party_ids(agreement))
        if canonical != version.terms:
            # Nobody outside the preparing company has seen a draft: its first version is edited in place.
            version.terms, version.terms_hash, version.currency = canonical, terms_hash(canonical), canonical[
                "currency"]
            version.save(update_fields=["terms", "terms_hash", "currency"])
            _store_royalty_tiers(version)
            changed.append("terms")
    agreement.save()
    if changed:
        audit_record(action=AgreementAudit.UPDATED, actor=actor, target=agreement, details={"changed": changed})
        if agreement.status != AgreementStatus.DRAFT:  # a draft is still the preparing company's own business
            membership = Membership.objects.filter(user=actor, company_id__in=_party_ids(agreement)).select_related(
                "company").first()
            company = membership.company if membership else None
            _notify_parties("agreement.updated", agreement, actor=actor, exclude_company=company,
                            changed=", ".join(changed), **_company_ctx(company))
    return agreement


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    """Owners and admins of the preparing company discard a draft; anything further is terminated instead."""
    agreement = _lock(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("Only a draft can be deleted; terminate the agreement instead."), code="not_draft")
    if not user_can(actor, DELETE, agreement):
        raise PermissionRefused()
    audit_record(action=AgreementAudit.DRAFT_DELETED, actor=actor, target=agreement,
                 details={"title": agreement.title})
    Agreement.objects.filter(pk=agreement.pk).update(current_version=None, executed_version=None)
    agreement.delete()


@transaction.atomic
def agreement_open(*, actor: Any, agreement: Agreement) -> Agreement:
    """The preparing company shares its draft with the other parties: negotiation starts on version 1."""
    agreement = _lock(agreement)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("The negotiation is already open."), code="not_draft")
    company = _acting_company(actor, agreement, CONTRIBUTING_ROLES, agreement.created_by_company_id)
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save(update_fields=["status", "updated_at"])
    number = _current(agreement).number
    audit_record(action=AgreementAudit.OPENED, actor=actor, target=agreement, company=company,
                 details={"version": number})
    _notify_parties("agreement.opened", agreement, actor=actor, exclude_company=company, version=number,
                    **_company_ctx(company))
    return agreement


# ---------------------------------------------------------------------------------------------- versions
@transaction.atomic
def version_propose(*, actor: Any, agreement: Agreement, terms: dict[str, Any], note: str = "",
                    company_id: int | None = None) -> AgreementVersion:
    """A party proposes new terms (a negotiation round, or an amendment once executed). Every standing approval
    of an earlier version stops counting."""
    agreement = _lock(agreement)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    if agreement.status not in OPEN_FOR_VERSIONS:
        raise Conflict(_("New versions can be proposed only during negotiation or as an amendment."),
                       code="not_open_for_versions")
    company = _acting_company(actor, agreement, CONTRIBUTING_ROLES, company_id)
    canonical = _validate_terms(terms, deal_type=agreement.deal_type, party_ids=_party_ids(agreement))
    latest = agreement.current_version
    executed = agreement.executed_version
    if agreement.in_force and executed is not None and canonical["currency"] != executed.currency:
        # Milestones already achieved or paid are in the executed currency: an amendment cannot re-denominate them.
        raise ValidationFailed(_("An amendment keeps the agreement's currency (%(currency)s).")
                               % {"currency": executed.currency}, code="currency_locked",
                               fields={"terms": {"currency": [_("Invalid.")]}})
    if latest is not None and terms_hash(canonical) == latest.terms_hash:
        raise Conflict(_("These terms are the same as version %(number)d.") % {"number": latest.number},
                       code="no_change")
    version = _store_version(agreement=agreement, number=(latest.number if latest else 0) + 1, terms=canonical,
                             actor=actor, company=company, note=note, is_amendment=agreement.in_force)
    invalidated = AgreementApproval.objects.filter(agreement=agreement, invalidated_at__isnull=True).exclude(
        version=version).exclude(version_id=agreement.executed_version_id).update(invalidated_at=timezone.now())
    agreement.current_version = version
    agreement.save(update_fields=["current_version", "updated_at"])
    audit_record(action=AgreementAudit.VERSION_PROPOSED, actor=actor, target=agreement, company=company,
                 details={"version": version.number, "terms_hash": version.terms_hash,
                          "amendment": version.is_amendment, "approvals_invalidated": invalidated})
    _notify_parties("agreement.version_proposed", agreement, actor=actor, exclude_company=company,
                    target=agreement, version=version.number, **_company_ctx(company))
    return version


@transaction.atomic
def version_approve(*, actor: Any, agreement: Agreement, version_number: int, approved_hash: str,
                    company_id: int | None = None) -> AgreementApproval:
    """An authorized signatory (owner or admin) approves the exact latest version for their company; the hash
    they saw must match. The last party's approval executes it (or the amendment)."""
    agreement = _lock(agreement)
    if agreement.status == AgreementStatus.DRAFT:
        raise Conflict(_("Open the negotiation before approving."), code="nothing_to_approve")
    if not user_can(actor, APPROVE, agreement):
        raise PermissionRefused(_("Only an owner or admin of a party can approve the terms."),
                                code="not_signatory")
    company = _acting_company(actor, agreement, MANAGING_ROLES, company_id,
                              refusal=_("Only an owner or admin of a party can approve the terms."))
    version = agreement.current_version
    pending_amendment = agreement.in_force and version is not None and version.pk != agreement.executed_version_id
    if not (agreement.status == AgreementStatus.NEGOTIATION or pending_amendment):
        raise Conflict(_("There is no version awaiting approval."), code="nothing_to_approve")
    if version is None or version.number != version_number:
        raise Conflict(_("Version %(asked)s is not the latest: approve version %(latest)s instead.")
                       % {"asked": version_number, "latest": version.number if version else "-"},
                       code="stale_version", fields={"version": [version.number if version else None]})
    if approved_hash != version.terms_hash:
        raise Conflict(_("The terms changed since you read them: reload version %(number)d and approve again.")
                       % {"number": version.number}, code="stale_terms")
    if AgreementApproval.objects.filter(version=version, company=company, invalidated_at__isnull=True).exists():
        raise Conflict(_("Your company already approved this version."), code="already_approved")
    approval = AgreementApproval.objects.create(agreement=agreement, version=version, company=company,
                                                approved_by=actor, terms_hash=version.terms_hash)
    audit_record(action=AgreementAudit.VERSION_APPROVED, actor=actor, target=agreement, company=company,
                 details={"version": version.number, "terms_hash": version.terms_hash})
    _notify_parties("agreement.version_approved", agreement, actor=actor, exclude_company=company,
                    version=version.number, **_company_ctx(company))
    approved = set(AgreementApproval.objects.filter(version=version, invalidated_at__isnull=True)
                   .values_list("company_id", flat=True))
    if approved >= set(_party_ids(agreement)):
        _execute(actor=actor, agreement=agreement, version=version)
    return approval


def exclusivity_overlap(*, exclusive: bool, fields: set[str] | list[str], countries: frozenset[str],
                        other_exclusive: bool, other_fields: set[str] | list[str],
                        other_countries: frozenset[str] | list[str]) -> frozenset[str]:
    """The countries where two licences over one asset collide: at least one is exclusive (an exclusive right
    leaves room for no other licence there), their fields of use overlap ("all" overlaps everything) and their
    territories share countries. Empty when they can coexist."""
    if not (exclusive or other_exclusive):
        return frozenset()
    fields, other_fields = set(fields), set(other_fields)
    if not (ALL_FIELDS in fields or ALL_FIELDS in other_fields or fields & other_fields):
        return frozenset()
    return frozenset(countries) & frozenset(other_countries)


def exclusivity_conflicts(*, agreement: Agreement, terms: dict[str, Any], asset_ids: list[int]
                          ) -> list[tuple[Agreement, list[str]]]:
    """In-force agreements over the same assets that collide with these terms (exclusivity_overlap), with the
    overlapping countries. Call with the assets locked (select_for_update): two executions over one asset then
    run one after the other, and the second sees the first."""
    exclusive = terms["exclusivity"] == Exclusivity.EXCLUSIVE
    countries = territories.resolve(terms["territory"])
    candidates = (Agreement.objects.filter(status__in=IN_FORCE, assets__in=asset_ids).exclude(pk=agreement.pk)
                  .distinct().order_by("pk"))
    if not exclusive:
        candidates = candidates.filter(exclusive=True)
    conflicts = []
    for other in candidates:
        overlap = exclusivity_overlap(exclusive=exclusive, fields=terms["field_of_use"], countries=countries,
                                      other_exclusive=other.exclusive, other_fields=other.field_of_use,
                                      other_countries=other.territory_countries)
        if overlap:
            conflicts.append((other, sorted(overlap)))
    return conflicts


def _execute(*, actor: Any, agreement: Agreement, version: AgreementVersion) -> None:
    """Inside version_approve's transaction: lock the assets, refuse overlapping exclusivity, put the version
    in force and (re)build the tracked milestones."""
    asset_ids = list(Asset.objects.select_for_update().filter(agreements=agreement).order_by("pk")
                     .values_list("pk", flat=True))
    terms = version.terms
    conflicts = exclusivity_conflicts(agreement=agreement, terms=terms, asset_ids=asset_ids)
    if conflicts:
        other, countries = conflicts[0]
        shown = ", ".join(countries[:30]) + (" …" if len(countries) > 30 else "")
        raise Conflict(
            _("Exclusivity conflict: %(agreement)s already covers this asset and field in %(count)d overlapping "
              "countries (%(countries)s).") % {"agreement": other.title, "count": len(countries),
                                               "countries": shown},
            code="exclusivity_conflict",
            fields={"territory": countries, "agreement": [str(other.public_id)],
                    "agreement_title": [other.title]})
    now = timezone.now()
    amendment = agreement.in_force
    agreement.executed_version = version
    agreement.exclusive = terms["exclusivity"] == Exclusivity.EXCLUSIVE
    agreement.field_of_use = list(terms["field_of_use"])
    agreement.territory_countries = territories.resolve(terms["territory"]).codes()
    if not amendment:
        agreement.status = AgreementStatus.EXECUTED
        agreement.executed_at = now
        agreement.effective_on = (datetime.date.fromisoformat(terms["effective_date"]) if terms.get("effective_date")
                                  else timezone.localdate())
    years = (terms.get("term") or {}).get("years")
    agreement.expires_on = (_add_months(agreement.effective_on, 12 * years)
                            if years and agreement.effective_on else None)
    agreement.next_jsc_meeting_on = _next_meeting(terms.get("governance"), timezone.localdate())
    agreement.save()
    version.executed_at = now
    version.save(update_fields=["executed_at"])
    _sync_milestones(actor=actor, agreement=agreement, terms=terms)
    action = AgreementAudit.AMENDMENT_EXECUTED if amendment else AgreementAudit.EXECUTED
    audit_record(action=action, actor=actor, target=agreement,
                 details={"version": version.number, "terms_hash": version.terms_hash,
                          "territory_countries": len(agreement.territory_countries)})
    _notify_parties("agreement.amendment_executed" if amendment else "agreement.executed", agreement, actor=actor,
                    version=version.number)


def _sync_milestones(*, actor: Any, agreement: Agreement, terms: dict[str, Any]) -> None:
    """Milestones of the version in force, matched by key. Those already achieved keep their history; pending
    ones take the amended definition; pending ones the amendment removed are cancelled."""
    existing = {m.key: m for m in agreement.milestones.select_for_update()}
    keys = set()
    for item in terms.get("milestones") or []:
        keys.add(item["key"])
        values = {
            "kind": item["kind"], "description": item["description"], "amount": Decimal(item["amount"]),
            "currency": terms["currency"],
            "due_on": datetime.date.fromisoformat(item["due_date"]) if item.get("due_date") else None,
            "regulatory_event": item.get("regulatory_event") or "",
            "sales_threshold": Decimal(item["sales_threshold"]) if item.get("sales_threshold") else None,
        }
        milestone = existing.get(item["key"])
        if milestone is None:
            Milestone.objects.create(agreement=agreement, key=item["key"], **values)
        elif milestone.status in (MilestoneStatus.PENDING, MilestoneStatus.CANCELLED):
            for name, value in values.items():
                setattr(milestone, name, value)
            milestone.status = MilestoneStatus.PENDING
            milestone.save()
    for key, milestone in existing.items():
        if key not in keys and milestone.status == MilestoneStatus.PENDING:
            milestone.status = MilestoneStatus.CANCELLED
            milestone.save(update_fields=["status", "updated_at"])
            audit_record(action=AgreementAudit.MILESTONE_CANCELLED, actor=actor, target=milestone,
                         details={"key": key})


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _next_meeting(governance: dict[str, Any] | None, today: datetime.date) -> datetime.date | None:
    """The first JSC meeting on or after today, from the first meeting and the cadence."""
    if not governance or not governance.get("first_meeting"):
        return None
    meeting = datetime.date.fromisoformat(governance["first_meeting"])
    step = Cadence.MONTHS[governance["meeting_cadence"]]
    first, n = meeting, 0
    while meeting < today:
        n += 1
        meeting = _add_months(first, step * n)
    return meeting


@transaction.atomic
def agreement_terminate(*, actor: Any, agreement: Agreement, reason: str, company_id: int | None = None
                        ) -> Agreement:
    """A signatory of a party ends the negotiation or the agreement in force, always with a reason."""
    agreement = _lock(agreement)
    if not user_can(actor, TERMINATE, agreement):
        raise PermissionRefused()
    if agreement.status not in (AgreementStatus.NEGOTIATION, *IN_FORCE):
        raise Conflict(_("This agreement cannot be terminated in its current state."), code="not_terminable")
    if not reason.strip():
        raise ValidationFailed(_("A reason is required."), fields={"reason": [_("This field is required.")]})
    company = _acting_company(actor, agreement, MANAGING_ROLES, company_id)
    previous = agreement.status
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["status", "terminated_at", "termination_reason", "updated_at"])
    AgreementApproval.objects.filter(agreement=agreement, invalidated_at__isnull=True).exclude(
        version_id=agreement.executed_version_id).update(invalidated_at=timezone.now())
    audit_record(action=AgreementAudit.TERMINATED, actor=actor, target=agreement, company=company,
                 details={"from": previous, "reason": agreement.termination_reason})
    _notify_parties("agreement.terminated", agreement, actor=actor, exclude_company=company,
                    reason=agreement.termination_reason, **_company_ctx(company))
    return agreement


def agreements_activate_due(*, today: datetime.date | None = None) -> int:
    """Executed agreements whose effective date has come become active. Safe to run twice (conditional update)."""
    today = today or timezone.localdate()
    done = 0
    for pk in Agreement.objects.filter(status=AgreementStatus.EXECUTED, effective_on__lte=today).values_list(
            "pk", flat=True):
        with transaction.atomic():
            if not Agreement.objects.filter(pk=pk, status=AgreementStatus.EXECUTED).update(
                    status=AgreementStatus.ACTIVE, updated_at=timezone.now()):
                continue  # another run got it
            agreement = Agreement.objects.get(pk=pk)
            audit_record(action=AgreementAudit.ACTIVATED, target=agreement, details={"on": today.isoformat()})
            _notify_parties("agreement.activated", agreement)
            done += 1
    return done


def agreements_expire_due(*, today: datetime.date | None = None) -> int:
    """Agreements in force whose term has ended expire. Safe to run twice (conditional update)."""
    today = today or timezone.localdate()
    done = 0
    for pk in Agreement.objects.filter(status__in=IN_FORCE, expires_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            if not Agreement.objects.filter(pk=pk, status__in=IN_FORCE).update(
                    status=AgreementStatus.EXPIRED, updated_at=timezone.now()):
                continue
            agreement = Agreement.objects.get(pk=pk)
            audit_record(action=AgreementAudit.EXPIRED, target=agreement, details={"on": today.isoformat()})
            _notify_parties("agreement.expired", agreement)
            done += 1
    return done


# -------------------------------------------------------------------------------------------- milestones
def _lock_milestone(milestone: Milestone) -> tuple[Milestone, Agreement]:
    milestone = Milestone.objects.select_for_update().select_related("agreement").get(pk=milestone.pk)
    agreement = milestone.agreement
    if agreement.status not in IN_FORCE:
        raise Conflict(_("Milestones move only while the agreement is in force."), code="agreement_not_in_force")
    return milestone, agreement


def _milestone_ctx(milestone: Milestone) -> dict[str, Any]:
    return {"milestone": milestone.description, "amount": to_str(milestone.amount, milestone.currency),
            "currency": milestone.currency, "milestone_id": milestone.pk}


def _require_status(milestone: Milestone, *allowed: str) -> None:
    if milestone.status not in allowed:
        raise Conflict(_("The milestone is %(status)s: this step is not possible now.")
                       % {"status": milestone.get_status_display()}, code="milestone_wrong_status")


@transaction.atomic
def milestone_achieve(*, actor: Any, milestone: Milestone, evidence: str, evidence_url: str = "",
                      company_id: int | None = None) -> Milestone:
    """A party marks a milestone achieved, with evidence; the counterparty then confirms or disputes it."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    company = _acting_company(actor, agreement, CONTRIBUTING_ROLES, company_id)
    _require_status(milestone, MilestoneStatus.PENDING, MilestoneStatus.DISPUTED)
    if not evidence.strip():
        raise ValidationFailed(_("Describe the evidence."), fields={"evidence": [_("This field is required.")]})
    milestone.status = MilestoneStatus.ACHIEVED
    milestone.achieved_at = timezone.now()
    milestone.achieved_by = actor
    milestone.achieved_by_company = company
    milestone.evidence = evidence.strip()
    milestone.evidence_url = evidence_url
    milestone.dispute_reason = ""
    milestone.save()
    audit_record(action=AgreementAudit.MILESTONE_ACHIEVED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key, "amount": str(milestone.amount)})
    _notify_parties("agreement.milestone_achieved", agreement, actor=actor, exclude_company=company,
                    target=milestone, **_milestone_ctx(milestone), **_company_ctx(company))
    return milestone


def _counterparty(actor: Any, milestone: Milestone, agreement: Agreement, company_id: int | None) -> Company:
    """Confirm and dispute belong to a signatory of a party other than the one that claimed the milestone (for a
    milestone a regulatory event triggered: a party other than the licensor, who would be paid)."""
    refusal = _("Only an owner or admin of the other party can confirm or dispute this milestone.")
    claimant = milestone.achieved_by_company_id or agreement.licensor_id
    memberships = Membership.objects.filter(user=actor, role__in=MANAGING_ROLES,
                                            company_id__in=_party_ids(agreement)).exclude(company_id=claimant)
    if company_id is not None:
        memberships = memberships.filter(company_id=company_id)
    companies = [m.company for m in memberships.select_related("company")]
    if not companies:
        raise PermissionRefused(refusal, code="not_counterparty")
    if len(companies) > 1:
        raise ValidationFailed(_("You belong to several parties: say which company you act for."),
                               code="company_required", fields={"company": [_("This field is required.")]})
    return companies[0]


@transaction.atomic
def milestone_confirm(*, actor: Any, milestone: Milestone, company_id: int | None = None) -> Milestone:
    """The counterparty confirms an achieved milestone: it becomes payable."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    _require_status(milestone, MilestoneStatus.ACHIEVED)
    company = _counterparty(actor, milestone, agreement, company_id)
    milestone.status = MilestoneStatus.CONFIRMED
    milestone.confirmed_at = timezone.now()
    milestone.confirmed_by = actor
    milestone.save()
    audit_record(action=AgreementAudit.MILESTONE_CONFIRMED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key})
    _notify_parties("agreement.milestone_confirmed", agreement, actor=actor, exclude_company=company,
                    target=milestone, **_milestone_ctx(milestone), **_company_ctx(company))
    return milestone


@transaction.atomic
def milestone_dispute(*, actor: Any, milestone: Milestone, reason: str, company_id: int | None = None
                      ) -> Milestone:
    """The counterparty disputes an achieved milestone, with a reason; the claimant may mark it again."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    _require_status(milestone, MilestoneStatus.ACHIEVED)
    company = _counterparty(actor, milestone, agreement, company_id)
    if not reason.strip():
        raise ValidationFailed(_("A reason is required."), fields={"reason": [_("This field is required.")]})
    milestone.status = MilestoneStatus.DISPUTED
    milestone.dispute_reason = reason.strip()
    milestone.save()
    audit_record(action=AgreementAudit.MILESTONE_DISPUTED, actor=actor, target=milestone, company=company,
                 details={"agreement": agreement.pk, "key": milestone.key, "reason": milestone.dispute_reason})
    _notify_parties("agreement.milestone_disputed", agreement, actor=actor, exclude_company=company,
                    target=milestone, reason=milestone.dispute_reason, **_milestone_ctx(milestone),
                    **_company_ctx(company))
    return milestone


@transaction.atomic
def milestone_invoice(*, actor: Any, milestone: Milestone, reference: str = "") -> Milestone:
    """The licensor (who is paid) invoices a confirmed milestone."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    if not Membership.objects.filter(user=actor, company_id=agreement.licensor_id, role__in=MANAGING_ROLES).exists():
        raise PermissionRefused(_("Only an owner or admin of the licensor can invoice a milestone."),
                                code="not_payee")
    _require_status(milestone, MilestoneStatus.CONFIRMED)
    milestone.status = MilestoneStatus.INVOICED
    milestone.invoiced_at = timezone.now()
    milestone.invoice_reference = reference
    milestone.save()
    audit_record(action=AgreementAudit.MILESTONE_INVOICED, actor=actor, target=milestone,
                 company=agreement.licensor, details={"agreement": agreement.pk, "key": milestone.key,
                                                      "reference": reference, "amount": str(milestone.amount)})
    _notify_parties("agreement.milestone_invoiced", agreement, actor=actor, exclude_company=agreement.licensor,
                    target=milestone, **_milestone_ctx(milestone), **_company_ctx(agreement.licensor))
    return milestone


@transaction.atomic
def milestone_pay(*, actor: Any, milestone: Milestone, reference: str = "", company_id: int | None = None
                  ) -> Milestone:
    """A partner (who pays) records the payment of an invoiced milestone."""
    milestone, agreement = _lock_milestone(milestone)
    if not user_can(actor, MANAGE_MONEY, agreement):
        raise PermissionRefused()
    partner_ids = list(agreement.parties.filter(role=PartyRole.PARTNER).values_list("company_id", flat=True))
    memberships = Membership.objects.filter(user=actor, company_id__in=partner_ids, role__in=MANAGING_ROLES)
    if company_id is not None:
        memberships = memberships.filter(company_id=company_id)
    membership = memberships.select_related("company").first()
    if membership is None:
        raise PermissionRefused(_("Only an owner or admin of a partner can record a payment."), code="not_payer")
    _require_status(milestone, MilestoneStatus.INVOICED)
    milestone.status = MilestoneStatus.PAID
    milestone.paid_at = timezone.now()
    milestone.payment_reference = reference
    milestone.save()
    audit_record(action=AgreementAudit.MILESTONE_PAID, actor=actor, target=milestone, company=membership.company,
                 details={"agreement": agreement.pk, "key": milestone.key, "reference": reference,
                          "amount": str(milestone.amount)})
    _notify_parties("agreement.milestone_paid", agreement, actor=actor, exclude_company=membership.company,
                    target=milestone, **_milestone_ctx(milestone), **_company_ctx(membership.company))
    return milestone


@transaction.atomic
def milestones_on_regulatory_event(*, asset_id: int, event_kind: str, event_ref: str = "",
                                   event_label: str = "", asset_label: str = "") -> list[int]:
    """A regulatory event recorded on an asset: pending (or disputed) milestones linked to that event kind, in
    agreements in force over the asset, become achieved-pending-confirmation; both parties are notified."""
    milestones = list(Milestone.objects.select_for_update().select_related("agreement").filter(
        agreement__assets=asset_id, agreement__status__in=IN_FORCE, regulatory_event=event_kind,
        status=MilestoneStatus.PENDING))
    for milestone in milestones:
        agreement = milestone.agreement
        milestone.status = MilestoneStatus.ACHIEVED
        milestone.achieved_at = timezone.now()
        milestone.achieved_by = None
        milestone.achieved_by_company = None
        milestone.regulatory_event_ref = event_ref[:64]
        milestone.evidence = str(_("Regulatory event recorded in the catalog: %(event)s")
                                 % {"event": event_label or event_kind})
        milestone.save()
        audit_record(action=AgreementAudit.MILESTONE_ACHIEVED_BY_EVENT, target=milestone,
                     details={"agreement": agreement.pk, "key": milestone.key, "event": event_kind,
                              "event_ref": event_ref})
        _notify_parties("agreement.milestone_event", agreement, target=milestone, event=event_label or event_kind,
                        asset=asset_label, **_milestone_ctx(milestone))
    return [m.pk for m in milestones]


# --------------------------------------------------------------------------------------------- reminders
def _claim_reminder(**key: Any) -> bool:
    """Insert the reminder's unique row; False if it already exists (another run sent it)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(**key)
        return True
    except IntegrityError:
        return False


@transaction.atomic
def milestone_remind_due(*, milestone_id: int, due_on: datetime.date) -> bool:
    """Remind the parties of a milestone due soon, once per milestone and due date."""
    milestone = Milestone.objects.select_related("agreement").filter(pk=milestone_id).first()
    if milestone is None or milestone.due_on != due_on or milestone.status != MilestoneStatus.PENDING:
        return False
    if milestone.agreement.status not in IN_FORCE:
        return False
    if not _claim_reminder(kind=Reminder.Kind.MILESTONE_DUE, agreement=milestone.agreement, milestone=milestone,
                           due_on=due_on):
        return False
    _notify_parties("agreement.milestone_due_soon", milestone.agreement, target=milestone,
                    due_on=due_on.isoformat(), **_milestone_ctx(milestone))
    return True


@transaction.atomic
def agreement_remind_jsc(*, agreement_id: int, meeting_on: datetime.date) -> bool:
    """Remind the parties of the next JSC meeting, once per meeting date."""
    agreement = Agreement.objects.filter(pk=agreement_id, status__in=IN_FORCE).first()
    if agreement is None or agreement.next_jsc_meeting_on != meeting_on:
        return False
    if not _claim_reminder(kind=Reminder.Kind.JSC_MEETING, agreement=agreement, milestone=None, due_on=meeting_on):
        return False
    _notify_parties("agreement.jsc_meeting_soon", agreement, meeting_on=meeting_on.isoformat())
    return True


def agreements_advance_jsc_meetings(*, today: datetime.date | None = None) -> int:
    """After a JSC meeting date passes, the next one (by the cadence) becomes the one to remind about."""
    today = today or timezone.localdate()
    moved = 0
    for agreement in Agreement.objects.filter(status__in=IN_FORCE, next_jsc_meeting_on__lt=today).select_related(
            "executed_version"):
        governance = agreement.executed_version.terms.get("governance") if agreement.executed_version else None
        nxt = _next_meeting(governance, today)
        moved += Agreement.objects.filter(pk=agreement.pk, next_jsc_meeting_on=agreement.next_jsc_meeting_on).update(
            next_jsc_meeting_on=nxt)
    return moved


def visible_agreement_or_404(actor: Any, pk: Any) -> Agreement:
    agreement = Agreement.objects.for_user(actor, VIEW).filter(pk=pk).first()
    if agreement is None:
        raise NotFound()
    return agreement

