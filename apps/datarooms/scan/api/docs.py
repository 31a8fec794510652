"""What /api/docs/ says about the scan operations (issue 18)."""

from django.utils.translation import gettext_lazy as _

from apps.core.api.schema import doc

SCANS = {
    "list": doc(
        summary=_("List document scans"),
        description=_(
            "The automatic scans of documents for Chinese personal information and genetic data, newest first: one "
            "per document version, run in the background after each upload. Only the owner company's people (and "
            "compliance officers) see them; partners never do. Filter by `document`, `status` or `decision`; poll "
            "`status` and `units_done` for progress."
        ),
    ),
    "retrieve": doc(
        summary=_("Read a document scan"),
        description=_(
            "One scan: its progress (`status`, `units_done` of `units_total` pages when known), the counts and masked "
            "samples per detector with their locations (never a full identifier), the classifications it "
            "proposes, the document's declared ones, and the owner's decision. While a scan is unfinished, and while "
            "a positive scan is not confirmed, partners abroad without an export clearance cannot open the document."
        ),
    ),
    "confirm": doc(
        summary=_("Confirm a scan's proposal"),
        description=_(
            "The room's managers accept what the scan found: the proposed classifications are added to the "
            "document's, and the export gate decides on them from now on. Audited. Answers the scan."
        ),
        errors={409: ["scan_not_finished", "scan_outdated", "nothing_to_confirm"]},
    ),
    "override": doc(
        summary=_("Override a scan's proposal"),
        description=_(
            "The room's managers state what the document really holds (personal information, HGR information, both "
            "or neither) with a reason, instead of the proposal. The document's classification follows and the gate "
            "decides on it; the override is audited and compliance officers see it in their worklist while it "
            "differs from what the scan found. Answers the scan."
        ),
        errors={400: ["reason_required"], 409: ["scan_not_finished", "scan_outdated"]},
    ),
}
