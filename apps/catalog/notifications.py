"""The catalog's notification kinds (contract: apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, register

register(
    "catalog.asset_submitted",
    title=_("Listing {asset} submitted for review"),
    body=_("{company} submitted {asset} for moderation."),
    required_context=("asset", "company"),
    url="{site_url}/admin/catalog/asset/?q={asset}",
)
register(
    "catalog.asset_published",
    title=_("{asset} is published"),
    body=_("Your listing {asset} is now visible to verified companies. {note}"),
    default_delivery=Delivery.EMAIL,
    required_context=("asset",),
    url="{site_url}/api/v1/assets/?q={asset}",
)
register(
    "catalog.asset_changes_requested",
    title=_("Changes requested on {asset}"),
    body=_("The moderators sent {asset} back for changes: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "reason"),
)
register(
    "catalog.asset_archived",
    title=_("{asset} was archived"),
    body=_("The listing {asset} was archived. {reason}"),
    required_context=("asset",),
)
register(
    "catalog.interest_expressed",
    title=_("{partner} is interested in {asset}"),
    body=_("{partner} expressed interest in {asset}: {message}"),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "partner", "message"),
)
register(
    "catalog.asset_matched",
    title=_("New listing matching your interests: {asset}"),
    body=_("{asset} was just published and matches your company's interest profile. {summary}"),
    default_delivery=Delivery.DIGEST,
    required_context=("asset",),
)
