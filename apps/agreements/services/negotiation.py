"""Negotiation: versions proposed and approved; the last party's approval executes the version (or the amendment),
after the exclusivity check, and (re)builds the tracked milestones."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements import audit_actions as acts
from apps.agreements.models import (
    APPROVE,
    OPEN_FOR_VERSIONS,
    Agreement,
    AgreementApproval,
    AgreementStatus,
    AgreementVersion,
    Milestone,
    MilestoneStatus,
    terms_hash,
)
from apps.agreements.selectors import acting_party, exclusivity_conflicts, party_ids
from apps.agreements.services.common import (
    company_context,
    lock,
    notify_parties,
    store_version,
    validate,
)
from apps.agreements.services.schedules import add_months, next_meeting
from apps.agreements.terms import Exclusivity
from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.catalog.territories import Territory
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES
from apps.core.authz import CHANGE, user_can
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed


@transaction.atomic
def version_propose(*, actor: Any, agreement: Agreement, terms: dict[str, Any], note: str = "",
                    company_id: int | None = None) -> AgreementVersion:
    """A party proposes new terms (a negotiation round, or an amendment once executed). Every standing approval
    of an earlier version stops counting."""
    agreement = lock(agreement)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    if agreement.status not in OPEN_FOR_VERSIONS:
        raise Conflict(_("New versions can be proposed only during negotiation or as an amendment."),
                       code="not_open_for_versions")
    company = acting_party(actor, agreement, CONTRIBUTING_ROLES, company_id)
    canonical = validate(terms, deal_type=agreement.deal_type, party_ids=party_ids(agreement))
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
    version = store_version(agreement=agreement, number=(latest.number if latest else 0) + 1, terms=canonical,
                             actor=actor, company=company, note=note, is_amendment=agreement.in_force)
    invalidated = AgreementApproval.objects.filter(agreement=agreement, invalidated_at__isnull=True).exclude(
        version=version).exclude(version_id=agreement.executed_version_id).update(invalidated_at=timezone.now())
    agreement.current_version = version
    agreement.save(update_fields=["current_version", "updated_at"])
    audit_record(action=acts.VERSION_PROPOSED, actor=actor, target=agreement, company=company,
                 details={"version": version.number, "terms_hash": version.terms_hash,
                          "amendment": version.is_amendment, "approvals_invalidated": invalidated})
    notify_parties("agreement.version_proposed", agreement, actor=actor, exclude_company=company,
                    target=agreement, version=version.number, **company_context(company))
    return version


@transaction.atomic
def version_approve(*, actor: Any, agreement: Agreement, version_number: int, approved_hash: str,
                    company_id: int | None = None) -> AgreementApproval:
    """An authorized signatory (owner or admin) approves the exact latest version for their company; the hash
    they saw must match. The last party's approval executes it (or the amendment)."""
    agreement = lock(agreement)
    if agreement.status == AgreementStatus.DRAFT:
        raise Conflict(_("Open the negotiation before approving."), code="nothing_to_approve")
    if not user_can(actor, APPROVE, agreement):
        raise PermissionRefused(_("Only an owner or admin of a party can approve the terms."),
                                code="not_signatory")
    company = acting_party(actor, agreement, MANAGING_ROLES, company_id,
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
    audit_record(action=acts.VERSION_APPROVED, actor=actor, target=agreement, company=company,
                 details={"version": version.number, "terms_hash": version.terms_hash})
    notify_parties("agreement.version_approved", agreement, actor=actor, exclude_company=company,
                    version=version.number, **company_context(company))
    approved = set(AgreementApproval.objects.filter(version=version, invalidated_at__isnull=True)
                   .values_list("company_id", flat=True))
    if approved >= set(party_ids(agreement)):
        _execute(actor=actor, agreement=agreement, version=version)
    return approval


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
    agreement.territory_countries = Territory.parse(terms["territory"]).codes()
    if not amendment:
        agreement.status = AgreementStatus.EXECUTED
        agreement.executed_at = now
        agreement.effective_on = (datetime.date.fromisoformat(terms["effective_date"]) if terms.get("effective_date")
                                  else timezone.localdate())
    years = (terms.get("term") or {}).get("years")
    agreement.expires_on = (add_months(agreement.effective_on, 12 * years)
                            if years and agreement.effective_on else None)
    agreement.next_jsc_meeting_on = next_meeting(terms.get("governance"), timezone.localdate())
    agreement.save()
    version.executed_at = now
    version.save(update_fields=["executed_at"])
    _sync_milestones(actor=actor, agreement=agreement, terms=terms)
    action = acts.AMENDMENT_EXECUTED if amendment else acts.EXECUTED
    audit_record(action=action, actor=actor, target=agreement,
                 details={"version": version.number, "terms_hash": version.terms_hash,
                          "territory_countries": len(agreement.territory_countries)})
    notify_parties("agreement.amendment_executed" if amendment else "agreement.executed", agreement, actor=actor,
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
            audit_record(action=acts.MILESTONE_CANCELLED, actor=actor, target=milestone,
                         details={"key": key})
