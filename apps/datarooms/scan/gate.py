"""What the export gate reads from a document's scan (issue 18): one rule, used by `export_gate_missing`.

The classifications the gate decides on are the declared ones plus what the scan of the current version says:
the decision once an owner's manager confirmed or overrode the proposal; the proposal while nobody has; and,
while the scan has not finished (waiting, running, or failed), everything a scan can find — the document is held
as if positive. A document whose text cannot be read keeps its declaration. A version without a scan row (made
outside the services) keeps its declaration too.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.datarooms.models import EXPORT_CONTROLLED, DataClassification, Document
from apps.datarooms.scan.models import DETECTABLE, UNFINISHED, DocumentScan, ScanDecision, ScanStatus


def current_scan(document: Document) -> DocumentScan | None:
    if document.current_version_id is None:
        return None
    return DocumentScan.objects.filter(version_id=document.current_version_id).first()


def scan_classifications(scan: DocumentScan | None) -> set[str]:
    """The export-relevant classifications the scan adds to the declaration."""
    if scan is None:
        return set()
    if scan.decision != ScanDecision.UNDECIDED:
        return set(scan.classifications)
    if scan.status in UNFINISHED:
        return {str(c) for c in DETECTABLE}
    if scan.status == ScanStatus.DONE:
        return set(scan.proposed)
    return set()


def gate_classifications(document: Document) -> list[str]:
    """Declared plus scanned export-controlled classifications of the document, in the gate's order."""
    found = set(document.export_controlled) | scan_classifications(current_scan(document))
    return [str(c) for c in EXPORT_CONTROLLED if c in found]


def scan_hold_error(*, document: Document, missing: list[str]) -> Any:
    """The refusal when what blocks comes from the scan rather than the declaration (None otherwise): the same
    error and code as the export gate, with a reason saying whether the scan is still running or found something
    nobody has confirmed, and `fields.scan` naming which."""
    from apps.datarooms.services import ExportBlocked

    if not missing:
        return None
    scan = current_scan(document)
    if scan is None or scan.decision != ScanDecision.UNDECIDED:
        return None
    from_scan = [c for c in missing if c not in document.export_controlled]
    if not from_scan:
        return None
    labels = ", ".join(str(DataClassification(c).label) for c in missing)
    if scan.status in UNFINISHED:
        message = _("This document is still being checked for personal information and genetic data. Until the "
                    "check finishes it may leave mainland China for your company only under an export clearance "
                    "for: %(kinds)s.")
        state = "unfinished"
    else:
        message = _("An automatic scan found %(kinds)s in this document, and the owner has not confirmed the "
                    "classification yet. It may not leave mainland China for your company until a compliance "
                    "officer records an export clearance (HGR approval or filing for genetic data; CAC security "
                    "assessment, standard contract or certification for personal information).")
        state = "found"
    return ExportBlocked(message % {"kinds": labels}, fields={"missing": missing, "scan": [state]})
