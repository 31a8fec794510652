"""The export-clearance worklist: partners held at the export gate who are still waiting for a clearance.

A refusal (audit `dataroom.document_refused` with code `export_clearance_required`) is still waiting while the
gate would still hold that document for that company today (`export_gate_missing`): once a compliance officer
records a clearance that lifts it, the row leaves the list and the dashboard's count drops, with no bookkeeping of
its own. One row per data room and company (one clearance covers the room for the company), each linking to the
clearance form already filled in with the room, the company and a clearance type that lifts the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.console.names import company_name
from apps.console.worklists import worklist_response

# Refusals older than this are not looked at again (the partner has asked again since, or given up).
LOOKBACK_DAYS = 90
# At most this many (document, company) pairs are checked per reading: a bounded worklist, oldest dropped.
MAX_PAIRS = 500
REFUSED = "dataroom.document_refused"
CODE = "export_clearance_required"


@dataclass
class WaitingClearance:
    room: Any
    company: Any
    missing: set[str] = field(default_factory=set)
    refusals: int = 0
    last_refused_at: datetime | None = None
    documents: set[str] = field(default_factory=set)

    @property
    def company_name(self) -> str:
        return company_name(self.company)

    def form_url(self, site_name: str = "admin") -> str:
        from apps.datarooms.models import CLEARS

        first = sorted(self.missing)[0] if self.missing else None
        params = {"room": self.room.pk, "company": self.company.pk}
        if first and CLEARS.get(first):
            params["clearance_type"] = CLEARS[first][0]
        return f"{reverse(f'{site_name}:datarooms_exportclearance_add')}?{urlencode(params)}"

    @property
    def missing_labels(self) -> list[str]:
        from apps.datarooms.models import DataClassification

        labels = dict(DataClassification.choices)
        return [str(labels.get(code, code)) for code in sorted(self.missing)]


def waiting_clearances() -> list[WaitingClearance]:
    """Rooms and companies whose refused documents the export gate would still refuse today, latest first."""
    from apps.audit.models import AuditEvent
    from apps.companies.models import Company
    from apps.datarooms.models import Document
    from apps.datarooms.services import export_gate_missing

    since = timezone.now() - timedelta(days=LOOKBACK_DAYS)
    refusals = (AuditEvent.objects.filter(action=REFUSED, created_at__gte=since, details__code=CODE)
                .order_by("-id").values_list("target_id", "actor_company_id", "created_at")[: MAX_PAIRS * 4])
    pairs: dict[tuple[str, int], list[datetime]] = {}
    for document_id, company_id, created_at in refusals:
        if company_id is None or not str(document_id).isdigit():
            continue
        key = (str(document_id), company_id)
        if key in pairs or len(pairs) < MAX_PAIRS:
            pairs.setdefault(key, []).append(created_at)
    documents = Document.objects.select_related("room", "room__owner_company").in_bulk(
        [int(document_id) for document_id, _company in pairs])
    companies = Company.objects.in_bulk({company_id for _document, company_id in pairs})
    rows: dict[tuple[int, int], WaitingClearance] = {}
    for (document_id, company_id), moments in pairs.items():
        document, company = documents.get(int(document_id)), companies.get(company_id)
        if document is None or company is None:
            continue
        missing = export_gate_missing(document=document, company=company)
        if not missing:
            continue  # cleared since: no longer waiting
        row = rows.setdefault((document.room_id, company_id), WaitingClearance(room=document.room, company=company))
        row.missing.update(str(code) for code in missing)
        row.refusals += len(moments)
        row.documents.add(document.name)
        latest = max(moments)
        if row.last_refused_at is None or latest > row.last_refused_at:
            row.last_refused_at = latest
    return sorted(rows.values(), key=lambda row: row.last_refused_at or since, reverse=True)


def waiting_count() -> int:
    return len(waiting_clearances())


def worklist_view(request: HttpRequest, site: Any) -> HttpResponse:
    """The worklist page (staff who may view clearances); the record link for those who may add one."""
    from apps.datarooms.models import ExportClearance

    return worklist_response(request, site, model=ExportClearance, template="admin/console/export_clearances.html",
                             page=lambda model_admin: {
                                 "title": _("Export clearances waiting"),
                                 "rows": waiting_clearances(),
                                 "may_record": model_admin.has_add_permission(request),
                                 "lookback_days": LOOKBACK_DAYS,
                             })
