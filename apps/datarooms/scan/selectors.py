"""Reads of the document scan (issue 18)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q

from apps.datarooms.choices import ScanStatus
from apps.datarooms.scan.models import DocumentScan


def scan_disagreements() -> Any:
    """Finished scans of current versions whose proposal differs from the document's declaration (found but not
    declared, or declared but not found), oldest first: the compliance officers' worklist in the staff console.
    A confirmation makes them agree; an override that keeps them apart stays here for a second look. Staff only:
    the console guards who reads it."""
    differs = (~Q(proposes_personal_information=F("document__has_personal_information"))
               | ~Q(proposes_hgr=F("document__is_hgr")))
    return (DocumentScan.objects.filter(differs, status=ScanStatus.DONE, version_id=F("document__current_version_id"))
            .select_related("document__room__owner_company", "version", "decided_by").order_by("finished_at", "id"))
