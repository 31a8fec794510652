"""The notification kind of the document scan (issue 18); imported by apps/datarooms/notifications.py."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, register


def _found_labels(context: dict[str, Any], language: str) -> dict[str, Any]:
    """The classifications found, in the reader's language (the context carries their codes, comma-separated)."""
    from apps.datarooms.models import DataClassification

    codes = [code for code in str(context.get("found", "")).split(",") if code in DataClassification.values]
    return {"found": ", ".join(str(DataClassification(code).label) for code in codes)} if codes else {}


register(
    "dataroom.scan_found",
    title=_("A scan found {found} in {document}"),
    body=_("The automatic scan of {document} in the data room of {asset} found {found}, which the document does not "
           "declare. Until you confirm or override the scan, partners abroad without an export clearance cannot "
           "open it."),
    default_delivery=Delivery.EMAIL,
    required_context=("asset", "document", "found", "room_id"),
    url="{site_url}/datarooms/{room_id}",
    prepare=_found_labels,
)
