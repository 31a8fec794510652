"""Error codes, business rules and field examples of the scan endpoints (merged into the app's api/documented.py)."""

from django.utils.translation import gettext_lazy as _

BUSINESS_RULES: dict[str, set[str]] = {
    "POST /api/v1/dataroom-scans/{id}/override/": {"reason_required"},
}

ERROR_CODES = {
    "scan_not_finished": _("The document's scan has not finished yet: read its progress and decide once it is done."),
    "scan_outdated": _("The scan is of an earlier version of the document: decide on the current version's scan."),
    "nothing_to_confirm": _("The scan could not read the document, so it proposes nothing: override it with the "
                            "classification and a reason."),
    "not_scannable": _("A scan decides on personal information and HGR information only."),
}

FIELD_EXAMPLES = {
    "RoomScanSample.masked": "1101**************23",
    "RoomScanSample.location": "sheet Patients, row 7",
    "RoomDocumentScan.formats": ["VCF"],
    "RoomDocumentScan.declared": ["clinical"],
    "RoomDocumentScan.reason": "",
    "RoomDocumentScan.error_code": "",
    "RoomScanOverride.reason": "The numbers are synthetic test identities generated for the validation study.",
}
