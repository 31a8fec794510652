"""Drafts: a party prepares an agreement, edits it while it is a draft, discards it or opens the negotiation."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.agreements import audit_actions as acts
from apps.agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    PartyRole,
    terms_hash,
)
from apps.agreements.selectors import acting_party, party_ids
from apps.agreements.services.common import (
    company_context,
    current_version,
    lock,
    notify_parties,
    store_royalty_tiers,
    store_version,
    validate,
)
from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership
from apps.core.authz import CHANGE, DELETE, user_can
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed


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
    canonical = validate(terms, deal_type=deal_type, party_ids=[c.pk for c in parties])

    agreement = Agreement.objects.create(title=title, deal_type=deal_type, licensor=licensor, created_by=actor,
                                         created_by_company=preparer, data_room_id=data_room_id)
    AgreementParty.objects.bulk_create(
        [AgreementParty(agreement=agreement, company=licensor, role=PartyRole.LICENSOR)]
        + [AgreementParty(agreement=agreement, company=p, role=PartyRole.PARTNER) for p in partners])
    agreement.assets.set(assets)
    version = store_version(agreement=agreement, number=1, terms=canonical, actor=actor, company=preparer)
    agreement.current_version = version
    agreement.save(update_fields=["current_version"])
    audit_record(action=acts.CREATED, actor=actor, target=agreement, company=preparer,
                 details={"deal_type": deal_type, "parties": [c.pk for c in parties],
                          "assets": [a.pk for a in assets], "terms_hash": version.terms_hash})
    return agreement


@transaction.atomic
def agreement_update(*, actor: Any, agreement: Agreement, **changes: Any) -> Agreement:
    """Title and the data-room link change while the agreement is not closed; terms and deal type only in draft
    (afterwards every change of terms is a new version)."""
    agreement = lock(agreement)
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
        audit_record(action=acts.DATA_ROOM_LINKED, actor=actor, target=agreement,
                     details={"data_room_id": agreement.data_room_id})
    if "deal_type" in changes and changes["deal_type"] != agreement.deal_type:
        agreement.deal_type = changes["deal_type"]
        changed.append("deal_type")
    if "terms" in changes or "deal_type" in changes:
        version = current_version(agreement)
        source = changes.get("terms", version.terms)
        canonical = validate(source, deal_type=agreement.deal_type, party_ids=party_ids(agreement))
        if canonical != version.terms:
            # Nobody outside the preparing company has seen a draft: its first version is edited in place.
            version.terms, version.terms_hash, version.currency = canonical, terms_hash(canonical), canonical[
                "currency"]
            version.save(update_fields=["terms", "terms_hash", "currency"])
            store_royalty_tiers(version)
            changed.append("terms")
    agreement.save()
    if changed:
        audit_record(action=acts.UPDATED, actor=actor, target=agreement, details={"changed": changed})
        if agreement.status != AgreementStatus.DRAFT:  # a draft is still the preparing company's own business
            membership = Membership.objects.filter(user=actor, company_id__in=party_ids(agreement)).select_related(
                "company").first()
            company = membership.company if membership else None
            notify_parties("agreement.updated", agreement, actor=actor, exclude_company=company,
                            changed=", ".join(changed), **company_context(company))
    return agreement


@transaction.atomic
def agreement_delete(*, actor: Any, agreement: Agreement) -> None:
    """Owners and admins of the preparing company discard a draft; anything further is terminated instead."""
    agreement = lock(agreement)
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("Only a draft can be deleted; terminate the agreement instead."), code="not_draft")
    if not user_can(actor, DELETE, agreement):
        raise PermissionRefused()
    audit_record(action=acts.DRAFT_DELETED, actor=actor, target=agreement,
                 details={"title": agreement.title})
    Agreement.objects.filter(pk=agreement.pk).update(current_version=None, executed_version=None)
    agreement.delete()


@transaction.atomic
def agreement_open(*, actor: Any, agreement: Agreement) -> Agreement:
    """The preparing company shares its draft with the other parties: negotiation starts on version 1."""
    agreement = lock(agreement)
    if not user_can(actor, CHANGE, agreement):
        raise PermissionRefused()
    if agreement.status != AgreementStatus.DRAFT:
        raise Conflict(_("The negotiation is already open."), code="not_draft")
    company = acting_party(actor, agreement, CONTRIBUTING_ROLES, agreement.created_by_company_id)
    agreement.status = AgreementStatus.NEGOTIATION
    agreement.save(update_fields=["status", "updated_at"])
    number = current_version(agreement).number
    audit_record(action=acts.OPENED, actor=actor, target=agreement, company=company,
                 details={"version": number})
    notify_parties("agreement.opened", agreement, actor=actor, exclude_company=company, version=number,
                    **company_context(company))
    return agreement
