"""Audit action codes the catalog emits (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

ASSET_CREATED = action("catalog.asset_created", _("Asset created"))
ASSET_UPDATED = action("catalog.asset_updated", _("Asset updated"))
ASSET_SUBMITTED = action("catalog.asset_submitted", _("Asset submitted for review"))
ASSET_PUBLISHED = action("catalog.asset_published", _("Asset published"))
ASSET_CHANGES_REQUESTED = action("catalog.asset_changes_requested", _("Changes requested on an asset"))
ASSET_ARCHIVED = action("catalog.asset_archived", _("Asset archived"))
ASSET_CONFIDENTIAL_VIEWED = action("catalog.asset_confidential_viewed", _("Confidential asset details viewed"))
REGULATORY_EVENT_RECORDED = action("catalog.regulatory_event_recorded", _("Regulatory event recorded"))
REGULATORY_EVENT_DELETED = action("catalog.regulatory_event_deleted", _("Regulatory event deleted"))
PATENT_RECORDED = action("catalog.patent_recorded", _("Patent recorded"))
PATENT_DELETED = action("catalog.patent_deleted", _("Patent deleted"))
WATCHLIST_ADDED = action("catalog.watchlist_added", _("Added to a watchlist"))
WATCHLIST_REMOVED = action("catalog.watchlist_removed", _("Removed from a watchlist"))
INTEREST_EXPRESSED = action("catalog.interest_expressed", _("Interest expressed"))
INTEREST_PROFILE_SAVED = action("catalog.interest_profile_saved", _("Interest profile saved"))
