"""Reactions to other apps' events. The catalog sends `regulatory_event_recorded` when a regulatory event
(e.g. an FDA approval) is recorded on an asset; linked milestones become achieved-pending-confirmation."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def regulatory_event_kind(event: Any) -> str:
    """The key a milestone links to: "<agency>:<event type>[:<designation>]", lower case, e.g. "fda:approved",
    "nmpa:ind_cleared", "fda:designation:breakthrough_therapy"."""
    parts = [str(getattr(event, "agency", "") or "").lower(), str(getattr(event, "event_type", "") or "").lower()]
    designation = str(getattr(event, "designation", "") or "").lower()
    if designation:
        parts.append(designation)
    return ":".join(parts)


def on_regulatory_event_recorded(sender: Any = None, **kwargs: Any) -> None:
    event = kwargs.get("event") or kwargs.get("instance") or kwargs.get("regulatory_event")
    if event is None:
        logger.warning("regulatory_event_recorded sent without an event: %r", kwargs)
        return
    from apps.agreements.services import milestones_on_regulatory_event

    asset = getattr(event, "asset", None)
    with transaction.atomic():
        milestones_on_regulatory_event(
            asset_id=event.asset_id, event_kind=regulatory_event_kind(event), event_ref=str(event.pk),
            event_label=str(event), asset_label=getattr(asset, "code_name", "") if asset is not None else "")


def connect() -> None:
    try:
        from apps.catalog.signals import regulatory_event_recorded
    except ImportError:
        logger.info("apps.catalog.signals.regulatory_event_recorded not available yet; milestones will not "
                    "react to regulatory events")
        return
    regulatory_event_recorded.connect(on_regulatory_event_recorded, dispatch_uid="agreements.regulatory_event")
