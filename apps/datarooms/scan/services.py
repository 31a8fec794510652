"""Writes of the document scan (issue 18): queue a scan with every version, run it, sweep what got stuck, and the
owner's decision (confirm the proposal, or override it with a reason).

Running follows the bulk import (apps/datarooms/services.py): a worker claims the scan with a conditional update and
a lease; the sweeper queues again what a dead worker or a lost enqueue left, and gives up after
DATAROOMS_SCAN_MAX_ATTEMPTS claims (the scan stays "failed" and the gate keeps holding until a manager decides).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.core.authz import VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.core.leases import stale_q, sweep_leased
from apps.core.validation import required_reason
from apps.datarooms import storage
from apps.datarooms.choices import DETECTABLE, ScanDecision, ScanStatus
from apps.datarooms.models import MANAGE, DataClassification, Document, DocumentVersion
from apps.datarooms.models.documents import classification_flags
from apps.datarooms.scan import audit_actions as A
from apps.datarooms.scan import scan_document
from apps.datarooms.scan.models import DocumentScan
from apps.notifications.services import notify

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 20  # units (pages, rows, lines) between two progress writes


def scan_lease() -> timedelta:
    """Longer than the task's hard time limit (1,800 s): a live worker never loses its scan to the sweeper."""
    return timedelta(seconds=int(getattr(settings, "DATAROOMS_SCAN_LEASE_SECONDS", 1900)))


def scan_max_attempts() -> int:
    return int(getattr(settings, "DATAROOMS_SCAN_MAX_ATTEMPTS", 3))


# The scan task (scan/tasks.py), sent by name: the task calls these services, never the other way round (as bulk
# imports do). Celery resolves the name through its registry, so eager mode (make run) runs it in-process.
SCAN_TASK = "apps.datarooms.scan.tasks.document_scan_task"


def _enqueue_scan(scan_id: int) -> None:
    current_app.signature(SCAN_TASK, args=(scan_id,)).delay()


def version_scan_queue(*, version: DocumentVersion) -> DocumentScan:
    """Every new version gets a pending scan, run in the background once the upload commits (the gate holds the
    document meanwhile). DATAROOMS_SCAN_INLINE runs it at once instead, in the caller's transaction: for the test
    suite and a development machine without a worker."""
    scan, _created = DocumentScan.objects.get_or_create(
        version=version, defaults={"document_id": version.document_id, "units_total": version.pages})
    if getattr(settings, "DATAROOMS_SCAN_INLINE", False):
        try:
            with transaction.atomic():  # a scan that breaks never takes the upload with it: it stays pending
                document_scan_run(scan_id=scan.pk)
        except Exception:
            logger.warning("inline scan %s failed; it stays pending for the sweeper", scan.pk, exc_info=True)
        scan.refresh_from_db()
    else:
        transaction.on_commit(partial(_enqueue_scan, scan.pk))
    return scan


def _scan_claim(scan_id: int) -> bool:
    """pending (or running past its lease) → running under a new lease, counting the attempt. One worker wins."""
    now = timezone.now()
    claimable = Q(status=ScanStatus.PENDING) | Q(status=ScanStatus.RUNNING, claimed_until__lt=now)
    return bool(DocumentScan.objects.filter(claimable, pk=scan_id, attempts__lt=scan_max_attempts()).update(
        status=ScanStatus.RUNNING, claimed_until=now + scan_lease(), attempts=F("attempts") + 1, started_at=now,
        units_done=0))


def document_scan_run(*, scan_id: int) -> DocumentScan | None:
    """Scan one version and record counts and masked samples. Safe to repeat: a scan already done, or running under
    another worker's lease, is left alone (None)."""
    if not _scan_claim(scan_id):
        return None
    scan = DocumentScan.objects.select_related("version", "document__room__asset").get(pk=scan_id)

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:  # the uploader polls this; one small update now and then
            DocumentScan.objects.filter(pk=scan.pk).update(units_done=done)

    try:
        with storage.local_copy(scan.version.storage_name) as f:
            result = scan_document(f, scan.version.original_name, progress=progress)
    except BaseException:
        DocumentScan.objects.filter(pk=scan.pk, status=ScanStatus.RUNNING).update(status=ScanStatus.PENDING)
        raise
    proposed = set(result.proposed)
    with transaction.atomic():
        if not DocumentScan.objects.filter(pk=scan.pk, status=ScanStatus.RUNNING).update(
                status=ScanStatus.DONE if result.readable else ScanStatus.NOT_READABLE,
                findings={name: {"count": f.count, "samples": f.samples}
                          for name, f in sorted(result.findings.items())},
                formats=result.formats, units_done=result.units,
                proposes_hgr=DataClassification.HGR in proposed,
                proposes_personal_information=DataClassification.PERSONAL_INFORMATION in proposed,
                finished_at=timezone.now(), claimed_until=None):
            return None
        scan.refresh_from_db()
        _tell_owner(scan)
    return scan


def _tell_owner(scan: DocumentScan) -> None:
    """The room's managers hear when the scan of a current version found what the document does not declare."""
    from apps.companies.selectors import company_admins
    from apps.datarooms.services.common import room_context

    document = Document.objects.select_related("room__asset").get(pk=scan.document_id)
    undeclared = [c for c in scan.proposed if c not in document.classifications]
    # A later version's scan speaks for the document (the version may not be current yet inside its upload).
    newer = DocumentVersion.objects.filter(document_id=scan.document_id, number__gt=scan.version.number)
    if not undeclared or newer.exists():
        return
    notify(kind="dataroom.scan_found", recipients=company_admins(document.room.owner_company), target=document,
           context={**room_context(document.room), "document": document.name, "found": ",".join(undeclared)})


def document_scan_fail(*, scan_id: int, reason: str) -> None:
    """The task gave up: the scan shows "failed" (the gate keeps holding) rather than running for ever."""
    DocumentScan.objects.filter(pk=scan_id).exclude(status__in=[ScanStatus.DONE, ScanStatus.NOT_READABLE]).update(
        status=ScanStatus.FAILED, error_code=reason[:40], finished_at=timezone.now(), claimed_until=None)


def scans_sweep(*, pending_after: timedelta | None = None) -> dict[str, int]:
    """Beat: queue again scans pending longer than `pending_after` (their enqueue was lost) or running past their
    lease (their worker died); fail, audited, those that used up their attempts (a file that kills its worker)."""
    now = timezone.now()
    pending_after = pending_after if pending_after is not None else timedelta(
        seconds=int(getattr(settings, "DATAROOMS_SCAN_SWEEP_AFTER_SECONDS", 60)))
    stale = stale_q(pending=ScanStatus.PENDING, running=ScanStatus.RUNNING, now=now, pending_after=pending_after)

    @transaction.atomic
    def give_up(scan: DocumentScan) -> bool:
        if not DocumentScan.objects.filter(stale, pk=scan.pk).update(
                status=ScanStatus.FAILED, error_code="scan_interrupted", finished_at=now, claimed_until=None):
            return False
        audit_record(action=A.SCAN_INTERRUPTED, actor=None, target=scan.document,
                     company=scan.document.room.owner_company, details={"attempts": scan.attempts})
        return True

    return sweep_leased(DocumentScan.objects.filter(stale).select_related("document__room"),
                        pending=ScanStatus.PENDING, running=ScanStatus.RUNNING, now=now, stale=stale,
                        max_attempts=scan_max_attempts(), give_up=give_up, enqueue=_enqueue_scan, logger=logger,
                        label="scan")


# --- the decision -----------------------------------------------------------------------------------------------


def _locked_for_decision(*, actor: Any, scan: DocumentScan) -> DocumentScan:
    """Re-check inside the transaction: the room's managers decide; others who see the scan get 403, others 404.
    Only the current version's finished scan can be decided."""
    locked = DocumentScan.objects.select_for_update().select_related("document__room").get(pk=scan.pk)
    if not user_can(actor, MANAGE, locked):
        if user_can(actor, VIEW, locked):
            raise PermissionRefused(_("Only the owner's managers confirm or override a scan."))
        raise NotFound()
    if locked.status in (ScanStatus.PENDING, ScanStatus.RUNNING):
        raise Conflict(_("The scan has not finished yet."), code="scan_not_finished")
    if locked.document.current_version_id != locked.version_id:
        raise Conflict(_("A newer version of the document has been uploaded; decide on its scan."),
                       code="scan_outdated")
    return locked


def _apply_to_document(document: Document, classifications: set[str]) -> None:
    """The decided scan-detectable classifications become the document's declaration (the rest stays as declared)."""
    chosen = (set(document.classifications) - {str(c) for c in DETECTABLE}) | classifications
    for key, value in classification_flags(sorted(chosen)).items():
        setattr(document, key, value)
    document.save()


@transaction.atomic
def scan_confirm(*, actor: Any, scan: DocumentScan) -> DocumentScan:
    """The owner's manager accepts the proposal: what the scan found is added to the document's classification,
    and the gate decides on it from now on."""
    scan = _locked_for_decision(actor=actor, scan=scan)
    if scan.status != ScanStatus.DONE:
        raise Conflict(_("There is no proposal to confirm: the scan could not read the document. Override it with "
                         "the classification and a reason instead."), code="nothing_to_confirm")
    document = Document.objects.select_for_update().get(pk=scan.document_id)
    decided = set(scan.proposed) | {c for c in document.export_controlled if c in DETECTABLE}
    _apply_to_document(document, decided)
    scan.decision, scan.classifications = ScanDecision.CONFIRMED, sorted(decided)
    scan.reason, scan.decided_by, scan.decided_at = "", actor, timezone.now()
    scan.save(update_fields=["decision", "classifications", "reason", "decided_by", "decided_at"])
    scan.document = document
    audit_record(action=A.SCAN_CONFIRMED, actor=actor, target=document, company=document.room.owner_company,
                 details={"version": scan.version_id, "classifications": scan.classifications,
                          "counts": {name: f["count"] for name, f in scan.findings.items()}})
    return scan


@transaction.atomic
def scan_override(*, actor: Any, scan: DocumentScan, classifications: list[str], reason: str) -> DocumentScan:
    """The owner's manager states what the document holds instead of the proposal, with a reason (audited; the
    compliance officers' worklist shows it while it differs from what the scan found)."""
    scan = _locked_for_decision(actor=actor, scan=scan)
    reason = required_reason(reason, message=_("Give a reason."), field_message=_("Say why the proposal is wrong."))
    decided = {str(c) for c in classifications}
    unknown = decided - {str(c) for c in DETECTABLE}
    if unknown:
        raise ValidationFailed(_("A scan decides on personal information and HGR information only."),
                               code="not_scannable", fields={"classifications": sorted(unknown)})
    document = Document.objects.select_for_update().get(pk=scan.document_id)
    _apply_to_document(document, decided)
    scan.decision, scan.classifications = ScanDecision.OVERRIDDEN, sorted(decided)
    scan.reason, scan.decided_by, scan.decided_at = reason, actor, timezone.now()
    scan.save(update_fields=["decision", "classifications", "reason", "decided_by", "decided_at"])
    scan.document = document
    audit_record(action=A.SCAN_OVERRIDDEN, actor=actor, target=document, company=document.room.owner_company,
                 details={"version": scan.version_id, "proposed": scan.proposed,
                          "classifications": scan.classifications, "reason": reason[:500]})
    return scan

