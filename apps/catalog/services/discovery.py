"""A reader's side of the catalog: the watchlist, expressions of interest and the interest profile."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog import audit_actions as acts
from apps.catalog.models import (
    Asset,
    AssetStatus,
    DealType,
    ExpressionOfInterest,
    InterestProfile,
    Modality,
    Stage,
    TherapeuticArea,
    WatchlistEntry,
)
from apps.catalog.territories import Territory
from apps.companies.models import Company
from apps.core.authz import VIEW
from apps.core.errors import Conflict, NotFound, PermissionRefused
from apps.notifications.services import notify

from .assets import _asset_context, _choice_list, _contributor_company_ids, _invalid, _owner_contributors

# --- discovery -----------------------------------------------------------------------------------------

@transaction.atomic
def watchlist_add(*, actor: Any, asset: Asset) -> WatchlistEntry:
    """Anyone who can see the asset may watch it; watching twice is a conflict."""
    if not Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
        raise NotFound()
    try:
        with transaction.atomic():
            entry = WatchlistEntry.objects.create(user=actor, asset=asset)
    except IntegrityError:
        raise Conflict(_("This asset is already on your watchlist."), code="already_watched") from None
    audit_record(action=acts.WATCHLIST_ADDED, actor=actor, target=asset)
    return entry


@transaction.atomic
def watchlist_remove(*, actor: Any, asset: Asset) -> None:
    deleted, _rows = WatchlistEntry.objects.filter(user=actor, asset=asset).delete()
    if not deleted:
        raise NotFound(_("This asset is not on your watchlist."))
    audit_record(action=acts.WATCHLIST_REMOVED, actor=actor, target=asset)


def _interested_company(actor: Any, asset: Asset, company: Company | None) -> Company:
    verified = Company.objects.filter(pk__in=_contributor_company_ids(actor, verified=True))
    verified = verified.exclude(pk=asset.owner_company_id)
    if company is not None:
        verified = verified.filter(pk=company.pk)
    companies = list(verified[:2])
    if not companies:
        raise PermissionRefused(_("Only contributors of another verified company may express interest."),
                                code="not_a_partner")
    if len(companies) > 1:
        raise _invalid("company", _("Say which of your companies is interested."))
    return companies[0]


@transaction.atomic
def interest_express(*, actor: Any, asset: Asset, message: str, company: Company | None = None
                     ) -> ExpressionOfInterest:
    """A partner company tells the licensor it is interested in a published asset; the licensor is notified."""
    if not Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
        raise NotFound()
    asset = Asset.objects.select_related("owner_company").get(pk=asset.pk)
    if asset.status != AssetStatus.PUBLISHED:
        raise Conflict(_("Interest can only be expressed in a published listing."), code="not_published")
    partner = _interested_company(actor, asset, company)
    message = (message or "").strip()
    if not message:
        raise _invalid("message", _("Write a short message to the licensor."))
    if ExpressionOfInterest.objects.filter(asset=asset, company=partner).exists():
        raise Conflict(_("Your company has already expressed interest in this asset."), code="already_interested")
    interest = ExpressionOfInterest.objects.create(asset=asset, company=partner, created_by=actor, message=message)
    audit_record(action=acts.INTEREST_EXPRESSED, actor=actor, target=asset, company=partner,
                 details={"interest": interest.pk})
    notify(kind="catalog.interest_expressed", recipients=_owner_contributors(asset), target=interest, actor=actor,
           context=_asset_context(asset, partner=partner.name_en, partner_zh=partner.name_zh or partner.name_en,
                                  message=message[:500]))
    return interest


@transaction.atomic
def interest_profile_save(*, actor: Any, company: Company, **fields: Any) -> InterestProfile:
    """Contributors of a verified company set what it looks for (one profile per company)."""
    if company.pk not in set(_contributor_company_ids(actor, verified=True)):
        raise PermissionRefused(_("Only contributors of a verified company may set its interest profile."))
    profile, _created = InterestProfile.objects.select_for_update().get_or_create(company=company)
    if "therapeutic_areas" in fields:
        profile.therapeutic_areas = _choice_list("therapeutic_areas", fields["therapeutic_areas"],
                                                 TherapeuticArea.values)
    if "modalities" in fields:
        profile.modalities = _choice_list("modalities", fields["modalities"], Modality.values)
    if "deal_types" in fields:
        profile.deal_types = _choice_list("deal_types", fields["deal_types"], DealType.values)
    if "territories" in fields:
        profile.territories = Territory.parse(fields["territories"]).codes()
    for name in ("stage_min", "stage_max"):
        if name in fields:
            value = fields[name] or ""
            if value and value not in Stage.values:
                raise _invalid(name, _("Unknown stage."), code="unknown_choice")
            setattr(profile, name, value)
    if profile.stage_min and profile.stage_max and (
            Stage.values.index(profile.stage_min) > Stage.values.index(profile.stage_max)):
        raise _invalid("stage_max", _("The stage range is reversed."), code="reversed_range")
    profile.updated_by = actor
    profile.save()
    audit_record(action=acts.INTEREST_PROFILE_SAVED, actor=actor, target=profile, company=company,
                 details={"created": _created})
    return profile
