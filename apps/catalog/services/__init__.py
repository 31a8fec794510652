"""Writes for the catalog, by subject (assets: the listing and its moderation; records: regulatory events and
patents; discovery: watchlist, expressions of interest, interest profiles). Each service re-checks permission
inside its transaction, guards its state transition explicitly (Conflict, 409) and audits the change; owners hear
about moderation via notify(). Import from here: `from apps.catalog import services`."""

from .assets import (
    EDITABLE_ASSET_FIELDS,
    EDITABLE_STATUSES,
    MAX_ITEM_LENGTH,
    MAX_LIST_ITEMS,
    PATENT_OFFICES,
    asset_archive,
    asset_confidential_viewed,
    asset_create,
    asset_publish,
    asset_request_changes,
    asset_submit,
    asset_update,
    normalize_indication,
    normalize_target,
)
from .discovery import interest_express, interest_profile_save, watchlist_add, watchlist_remove
from .records import patent_delete, patent_record, regulatory_event_delete, regulatory_event_record

__all__ = [
    "EDITABLE_ASSET_FIELDS",
    "EDITABLE_STATUSES",
    "MAX_ITEM_LENGTH",
    "MAX_LIST_ITEMS",
    "PATENT_OFFICES",
    "asset_archive",
    "asset_confidential_viewed",
    "asset_create",
    "asset_publish",
    "asset_request_changes",
    "asset_submit",
    "asset_update",
    "interest_express",
    "interest_profile_save",
    "normalize_indication",
    "normalize_target",
    "patent_delete",
    "patent_record",
    "regulatory_event_delete",
    "regulatory_event_record",
    "watchlist_add",
    "watchlist_remove",
]
