"""How the export gate says that a scan holds a document (issue 18). What the gate decides on (declared plus
scanned classifications) is one rule in apps/datarooms/access.py (gate_classifications); this is only the
wording of the refusal when the scan is why."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.datarooms.access import ExportBlocked, current_scan
from apps.datarooms.choices import UNFINISHED, DataClassification, ScanDecision
from apps.datarooms.models import Document


def scan_hold_error(*, document: Document, missing: list[str]) -> Any:
    """The refusal when what blocks comes from the scan rather than the declaration (None otherwise): the same
    error and code as the export gate, with a reason saying whether the scan is still running or found something
    nobody has confirmed, and `fields.scan` naming which."""
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
