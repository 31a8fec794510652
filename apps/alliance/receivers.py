"""Reactions to other apps' events: an executed agreement opens its alliance; a regulatory event recorded in the
catalog fulfils the obligations that wait for it (as it marks milestones achieved)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from apps.agreements.models import IN_FORCE, Agreement
from apps.catalog.regulatory import event_label, regulatory_event_kind

logger = logging.getLogger(__name__)


def on_agreement_saved(sender: Any, instance: Agreement, **kwargs: Any) -> None:
    # Runs inside the execution's transaction: the alliance exists exactly when the agreement was executed.
    if instance.status in IN_FORCE and instance.executed_version_id:
        from apps.alliance.services import alliance_open

        alliance_open(agreement=instance)


def on_regulatory_event_recorded(sender: Any = None, event: Any = None, **kwargs: Any) -> None:
    """Inside the catalog's transaction, in a savepoint that never raises: a failure here must not undo the
    catalog's record of the event (the owner party can still record the fulfilment by hand)."""
    if event is None:
        return
    from apps.alliance.services import obligations_on_regulatory_event

    try:
        with transaction.atomic():
            obligations_on_regulatory_event(asset_id=event.asset_id, event_kind=regulatory_event_kind(event),
                                            event_label=event_label(event))
    except Exception:
        logger.exception("alliance: obligations not updated for regulatory event %s", event.pk)


def connect() -> None:
    from apps.catalog.signals import regulatory_event_recorded

    post_save.connect(on_agreement_saved, sender=Agreement, dispatch_uid="alliance.agreement_saved")
    regulatory_event_recorded.connect(on_regulatory_event_recorded, dispatch_uid="alliance.regulatory_event")
