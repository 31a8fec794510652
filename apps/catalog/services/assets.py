"""The listing itself: its fields' normalisation, its lifecycle (create, edit, submit) and its moderation
(publish, send back, archive), each re-checking permission in its transaction and audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog import audit_actions as acts
from apps.catalog.matching import matching_company_ids
from apps.catalog.models import (
    Asset,
    AssetStatus,
    DealType,
    Modality,
    Stage,
    TherapeuticArea,
)
from apps.catalog.territories import Territory
from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership, VerificationStatus
from apps.companies.selectors import company_people, people_of_companies
from apps.core import moderation
from apps.core.authz import CHANGE, user_can
from apps.core.changes import assign_changes
from apps.core.errors import Conflict, PermissionRefused
from apps.core.validation import choice_list
from apps.core.validation import invalid_field as _invalid
from apps.notifications.services import notify

EDITABLE_ASSET_FIELDS = (
    "code_name", "inn", "modality", "stage", "summary_en", "summary_zh", "therapeutic_areas", "deal_types",
    "territories", "name_en", "name_zh", "description_en", "description_zh", "targets", "mechanism",
    "indications",
)
EDITABLE_STATUSES = (AssetStatus.DRAFT, AssetStatus.CHANGES_REQUESTED, AssetStatus.PUBLISHED)
MAX_LIST_ITEMS = {"targets": 20, "indications": 30, "therapeutic_areas": 10, "deal_types": 6}
MAX_ITEM_LENGTH = {"targets": 60, "indications": 200}
PATENT_OFFICES = frozenset({"EP", "WO", "EA", "AP", "OA"})


# --- normalisation -------------------------------------------------------------------------------------

def _clean_text(value: Any) -> str:
    return " ".join(str(value).split())


def _choice_list(field: str, values: Any, choices: Iterable[str]) -> list[str]:
    return choice_list(field, values, choices, max_items=MAX_LIST_ITEMS.get(field, 20))


def _free_list(field: str, values: Any, *, upper: bool = False) -> list[str]:
    """Targets (upper-cased, e.g. "PD-1") and indications (lower-cased): filters compare exact values."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        raise _invalid(field, _("Expected a list."))
    result: list[str] = []
    for value in values:
        text = _clean_text(value)
        text = text.upper() if upper else text.lower()
        if not text:
            continue
        if len(text) > MAX_ITEM_LENGTH[field] or "\x00" in text:
            raise _invalid(field, _("A value is too long or invalid."))
        if text not in result:
            result.append(text)
    if len(result) > MAX_LIST_ITEMS[field]:
        raise _invalid(field, _("Too many values."))
    return result


def normalize_target(value: str) -> str:
    return _clean_text(value).upper()


def normalize_indication(value: str) -> str:
    return _clean_text(value).lower()


def _normalize_asset_fields(fields: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in fields.items():
        if name not in EDITABLE_ASSET_FIELDS:
            continue
        if name == "modality" and value not in Modality.values:
            raise _invalid(name, _("Unknown modality."), code="unknown_choice")
        if name == "stage" and value not in Stage.values:
            raise _invalid(name, _("Unknown stage."), code="unknown_choice")
        if name == "therapeutic_areas":
            value = _choice_list(name, value, TherapeuticArea.values)
        elif name == "deal_types":
            value = _choice_list(name, value, DealType.values)
        elif name == "territories":
            value = Territory.parse(value).codes()
        elif name == "targets":
            value = _free_list(name, value, upper=True)
        elif name == "indications":
            value = _free_list(name, value)
        elif name in ("code_name", "inn", "name_en", "name_zh"):
            value = _clean_text(value or "")
        clean[name] = value
    if "code_name" in clean and not clean["code_name"]:
        raise _invalid("code_name", _("A code name is required."))
    return clean


def _contributor_company_ids(actor: Any, *, verified: bool) -> QuerySet:
    memberships = Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES)
    if verified:
        memberships = memberships.filter(company__verification_status=VerificationStatus.VERIFIED)
    return memberships.values_list("company_id", flat=True)


def _owner_contributors(asset: Asset) -> QuerySet:
    return company_people(asset.owner_company_id, CONTRIBUTING_ROLES)


def _asset_context(asset: Asset, **extra: Any) -> dict[str, Any]:
    company = asset.owner_company
    return {"asset": asset.code_name, "asset_id": str(asset.public_id), "company": company.name_en,
            "company_zh": company.name_zh or company.name_en, **extra}


def _lock(asset: Asset) -> Asset:
    return LISTING.lock(asset)


def _require_change(actor: Any, asset: Asset) -> None:
    if not user_can(actor, CHANGE, asset):
        raise PermissionRefused()


# --- assets --------------------------------------------------------------------------------------------

@transaction.atomic
def asset_create(*, actor: Any, owner_company: Company | None = None, **fields: Any) -> Asset:
    """Contributors (owner, admin, member) of a verified company create draft listings."""
    verified_ids = set(_contributor_company_ids(actor, verified=True))
    if owner_company is None:
        if len(verified_ids) != 1:
            if not verified_ids:
                raise PermissionRefused(_("Only members of a verified company may list assets."),
                                        code="company_not_verified")
            raise _invalid("owner_company", _("Say which of your companies lists this asset."))
        owner_company = Company.objects.get(pk=next(iter(verified_ids)))
    if owner_company.pk not in verified_ids:
        raise PermissionRefused(_("Only members of a verified company may list assets."),
                                code="company_not_verified")
    clean = _normalize_asset_fields(fields)
    for required in ("code_name", "modality", "stage"):
        if not clean.get(required):
            raise _invalid(required, _("This field is required."))
    if Asset.objects.filter(owner_company=owner_company, code_name__iexact=clean["code_name"]).exists():
        raise Conflict(_("Your company already lists an asset with this code name."), code="duplicate_code_name",
                       fields={"code_name": [_("Already used.")]})
    asset = Asset(owner_company=owner_company, created_by=actor, status=AssetStatus.DRAFT, **clean)
    asset.full_clean(exclude=["owner_company", "created_by"])
    asset.save()
    audit_record(action=acts.ASSET_CREATED, actor=actor, target=asset, company=owner_company,
                 details={"code_name": asset.code_name})
    return asset


@transaction.atomic
def asset_update(*, actor: Any, asset: Asset, **fields: Any) -> Asset:
    """Owner contributors edit drafts, listings sent back for changes, and published listings."""
    asset = _lock(asset)
    _require_change(actor, asset)
    if asset.status not in EDITABLE_STATUSES:
        raise Conflict(_("This listing cannot be edited while it is %(status)s.")
                       % {"status": asset.get_status_display()}, code="not_editable")
    clean = _normalize_asset_fields(fields)
    if "code_name" in clean and clean["code_name"].lower() != asset.code_name.lower() and Asset.objects.filter(
            owner_company_id=asset.owner_company_id, code_name__iexact=clean["code_name"]).exists():
        raise Conflict(_("Your company already lists an asset with this code name."), code="duplicate_code_name",
                       fields={"code_name": [_("Already used.")]})
    changed = assign_changes(asset, clean)
    asset.full_clean(exclude=["owner_company", "created_by"])
    asset.save()
    if changed:
        audit_record(action=acts.ASSET_UPDATED, actor=actor, target=asset, company=asset.owner_company,
                     details={"changed": changed})
    return asset


def _teaser_gaps(asset: Asset) -> dict[str, list[Any]]:
    """Partners find a listing by area, deal type and territory: a teaser without them is incomplete."""
    return {name: [_("Required before submission.")] for name in ("therapeutic_areas", "deal_types", "territories")
            if not getattr(asset, name)}


# Listings in moderation: the steps are apps.core.moderation's, in the catalog's words.
LISTING = moderation.Moderated(
    model=Asset, company="owner_company", statuses=AssetStatus, published=AssetStatus.PUBLISHED,
    context=_asset_context, teaser_gaps=_teaser_gaps, staff_only=_("Only platform staff moderate listings."),
    submit=moderation.Step(_("Only a draft or a listing with requested changes can be submitted."),
                           acts.ASSET_SUBMITTED, "catalog.asset_submitted"),
    publish=moderation.Step(_("Only a submitted listing can be published."),
                            acts.ASSET_PUBLISHED, "catalog.asset_published"),
    request_changes=moderation.Step(_("Only a submitted listing can be sent back for changes."),
                                    acts.ASSET_CHANGES_REQUESTED, "catalog.asset_changes_requested"),
    unverified_submit=_("Only a verified company may submit listings."),
    unverified_publish=_("The owner company is not verified."),
    reason_code="invalid",
)


@transaction.atomic
def asset_submit(*, actor: Any, asset: Asset) -> Asset:
    """draft or changes requested → submitted, by a contributor of the (verified) owner company, once its teaser is
    complete."""
    return moderation.submit(LISTING, asset, actor=actor)


@transaction.atomic
def asset_publish(*, actor: Any, asset: Asset, note: str = "") -> Asset:
    """Staff publish a submitted listing; the owner is told, and matching partners hear of it in one fan-out."""
    asset = moderation.publish(LISTING, asset, actor=actor, note=note)
    _notify_matching_partners(asset, actor)
    return asset


def _notify_matching_partners(asset: Asset, actor: Any) -> None:
    company_ids = matching_company_ids(asset)
    if not company_ids:
        return
    recipients = people_of_companies(company_ids)
    notify(kind="catalog.asset_matched", recipients=recipients, target=asset, actor=actor,
           context={"asset": asset.code_name, "asset_id": str(asset.public_id),
                    "summary": asset.summary_en[:300], "summary_zh": (asset.summary_zh or asset.summary_en)[:300]})


@transaction.atomic
def asset_request_changes(*, actor: Any, asset: Asset, reason: str) -> Asset:
    """Staff send a submitted listing back with a reason the owner reads."""
    return moderation.request_changes(LISTING, asset, actor=actor, reason=reason)


@transaction.atomic
def asset_archive(*, actor: Any, asset: Asset, reason: str = "") -> Asset:
    """Owner contributors or staff take a listing off the catalog for good."""
    asset = _lock(asset)
    if not getattr(actor, "is_staff", False):
        _require_change(actor, asset)
    if asset.status == AssetStatus.ARCHIVED:
        raise Conflict(_("This listing is already archived."), code="invalid_transition")
    previous = asset.status
    asset.status = AssetStatus.ARCHIVED
    asset.status_reason = (reason or "").strip()[:2000]
    asset.save(update_fields=["status", "status_reason", "updated_at"])
    audit_record(action=acts.ASSET_ARCHIVED, actor=actor, target=asset, company=asset.owner_company,
                 details={"from": previous, "reason": asset.status_reason})
    notify(kind="catalog.asset_archived", recipients=_owner_contributors(asset).exclude(pk=actor.pk), target=asset,
           actor=actor, context=_asset_context(asset, reason=asset.status_reason))
    return asset


def asset_confidential_viewed(*, actor: Any, asset: Asset) -> None:
    """Audit a read of the confidential core by someone outside the owner company (granted partner, staff)."""
    audit_record(action=acts.ASSET_CONFIDENTIAL_VIEWED, actor=actor, target=asset,
                 details={"owner_company": asset.owner_company_id})
