"""Reactions to other apps' events. The catalog sends `regulatory_event_recorded` when a regulatory event
(e.g. an FDA approval) is recorded on an asset; linked milestones become achieved-pending-confirmation."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from apps.catalog.regulatory import event_label, regulatory_event_kind

logger = logging.getLogger(__name__)


def on_regulatory_event_recorded(sender: Any = None, event: Any = None, **kwargs: Any) -> None:
    """Runs inside the catalog's transaction. Our work sits in a savepoint and never raises: a failure here must
    not undo the catalog's record of the event (it is logged for staff, and the parties can still mark the
    milestone achieved by hand)."""
    if event is None:
        logger.warning("regulatory_event_recorded sent without an event: %r", kwargs)
        return
    from apps.agreements.services import milestones_on_regulatory_event

    try:
        with transaction.atomic():
            milestones_on_regulatory_event(
                asset_id=event.asset_id, event_kind=regulatory_event_kind(event), event_ref=str(event.pk),
                event_label=event_label(event), asset_label=event.asset.code_name)
    except Exception:
        logger.exception("agreements: milestones not updated for regulatory event %s", event.pk)


def connect() -> None:
    try:
        from apps.catalog.signals import regulatory_event_recorded
    except ImportError:
        logger.info("apps.catalog.signals.regulatory_event_recorded not available yet; milestones will not "
                    "react to regulatory events")
        return
    regulatory_event_recorded.connect(on_regulatory_event_recorded, dispatch_uid="agreements.regulatory_event")
