"""The scan worklist (issue 18): documents whose automatic scan and declared classification disagree, for
compliance officers. A row leaves the list when the owner confirms the scan (the declaration then includes what
was found) or re-declares the document; an override that keeps them apart stays, with its reason, for a second
look. Read from `apps.datarooms.scan.selectors.scan_disagreements`: no bookkeeping of its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.console.names import company_name
from apps.console.worklists import worklist_response

MAX_ROWS = 500  # a bounded page: the oldest disagreements first


@dataclass
class Disagreement:
    scan: Any

    @property
    def document(self) -> Any:
        return self.scan.document

    @property
    def owner_name(self) -> str:
        return company_name(self.scan.document.room.owner_company)

    def _labels(self, codes: list[str]) -> list[str]:
        from apps.datarooms.models import DataClassification

        labels = dict(DataClassification.choices)
        return [str(labels.get(code, code)) for code in codes]

    @property
    def found_labels(self) -> list[str]:
        return self._labels(self.scan.proposed)

    @property
    def declared_labels(self) -> list[str]:
        from apps.datarooms.choices import DETECTABLE

        return self._labels([c for c in self.scan.document.classifications if c in DETECTABLE])

    @property
    def counts(self) -> str:
        return ", ".join(f"{name} {finding.get('count', 0)}" for name, finding in sorted(self.scan.findings.items()))

    def document_url(self, site_name: str = "admin") -> str:
        return reverse(f"{site_name}:datarooms_document_change", args=[self.scan.document_id])


def disagreements() -> list[Disagreement]:
    from apps.datarooms.scan.selectors import scan_disagreements

    return [Disagreement(scan) for scan in scan_disagreements()[:MAX_ROWS]]


def disagreement_count() -> int:
    from apps.datarooms.scan.selectors import scan_disagreements

    return scan_disagreements().count()


def worklist_view(request: HttpRequest, site: Any) -> HttpResponse:
    """The worklist page, for staff who may read documents in the console (compliance officers)."""
    from apps.datarooms.models import Document

    return worklist_response(request, site, model=Document, template="admin/console/scan_disagreements.html",
                             page=lambda model_admin: {"title": _("Documents whose scan and declaration disagree"),
                                                       "rows": disagreements()})
