"""Regulatory events and patents of a listing, recorded and removed by its owner's contributors."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog import audit_actions as acts
from apps.catalog.models import (
    Agency,
    Asset,
    AssetStatus,
    Designation,
    Patent,
    RegulatoryEvent,
    RegulatoryEventType,
)
from apps.catalog.signals import regulatory_event_recorded
from apps.core.authz import VIEW
from apps.core.countries import COUNTRY_CODES
from apps.core.errors import Conflict, NotFound

from .assets import PATENT_OFFICES, _clean_text, _invalid, _lock, _require_change, normalize_indication

# --- regulatory events and patents ---------------------------------------------------------------------

def _changeable_asset(actor: Any, asset: Asset) -> Asset:
    if not Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
        raise NotFound()
    asset = _lock(asset)
    _require_change(actor, asset)
    if asset.status == AssetStatus.ARCHIVED:
        raise Conflict(_("This listing is archived."), code="not_editable")
    return asset


@transaction.atomic
def regulatory_event_record(*, actor: Any, asset: Asset, agency: str, event_type: str, date: Any,
                            designation: str = "", designation_name: str = "", agency_name: str = "",
                            indication: str = "", note: str = "") -> RegulatoryEvent:
    """Owner contributors record a regulatory step; sends `regulatory_event_recorded` in the transaction."""
    asset = _changeable_asset(actor, asset)
    if agency not in Agency.values:
        raise _invalid("agency", _("Unknown agency."), code="unknown_choice")
    if event_type not in RegulatoryEventType.values:
        raise _invalid("event_type", _("Unknown regulatory event."), code="unknown_choice")
    if event_type == RegulatoryEventType.DESIGNATION:
        if designation not in Designation.values:
            raise _invalid("designation", _("Name the designation."))
        if designation == Designation.OTHER and not designation_name.strip():
            raise _invalid("designation_name", _("Name the designation."))
    elif designation:
        raise _invalid("designation", _("Only a designation event names a designation."))
    if agency == Agency.OTHER and not agency_name.strip():
        raise _invalid("agency_name", _("Name the agency."))
    event = RegulatoryEvent(asset=asset, agency=agency, agency_name=agency_name.strip(), event_type=event_type,
                            designation=designation, designation_name=designation_name.strip(), date=date,
                            indication=normalize_indication(indication) if indication else "", note=note,
                            recorded_by=actor)
    event.full_clean(exclude=["asset", "recorded_by"])
    event.save()
    audit_record(action=acts.REGULATORY_EVENT_RECORDED, actor=actor, target=asset, company=asset.owner_company,
                 details={"event": event.pk, "agency": agency, "type": event_type, "designation": designation,
                          "date": str(date)})
    regulatory_event_recorded.send(sender=RegulatoryEvent, event=event, actor=actor)
    return event


@transaction.atomic
def regulatory_event_delete(*, actor: Any, event: RegulatoryEvent) -> None:
    asset = _changeable_asset(actor, event.asset)
    audit_record(action=acts.REGULATORY_EVENT_DELETED, actor=actor, target=asset, company=asset.owner_company,
                 details={"event": event.pk, "agency": event.agency, "type": event.event_type})
    event.delete()


@transaction.atomic
def patent_record(*, actor: Any, asset: Asset, family: str, jurisdiction: str, number: str,
                  expiry: Any = None) -> Patent:
    """Owner contributors record a patent (jurisdiction: ISO country or EP/WO/EA/AP/OA)."""
    asset = _changeable_asset(actor, asset)
    jurisdiction = (jurisdiction or "").strip().upper()
    if jurisdiction not in COUNTRY_CODES and jurisdiction not in PATENT_OFFICES:
        raise _invalid("jurisdiction", _("Unknown jurisdiction."), code="unknown_choice")
    number = _clean_text(number)
    if Patent.objects.filter(asset=asset, jurisdiction=jurisdiction, number=number).exists():
        raise Conflict(_("This patent is already recorded."), code="duplicate_patent")
    patent = Patent(asset=asset, family=_clean_text(family), jurisdiction=jurisdiction, number=number, expiry=expiry)
    patent.full_clean(exclude=["asset"])
    patent.save()
    audit_record(action=acts.PATENT_RECORDED, actor=actor, target=asset, company=asset.owner_company,
                 details={"patent": patent.pk, "jurisdiction": jurisdiction, "number": number})
    return patent


@transaction.atomic
def patent_delete(*, actor: Any, patent: Patent) -> None:
    asset = _changeable_asset(actor, patent.asset)
    audit_record(action=acts.PATENT_DELETED, actor=actor, target=asset, company=asset.owner_company,
                 details={"patent": patent.pk, "number": patent.number})
    patent.delete()
