"""Taking documents out: one view or download of a document's current version, checked, recorded and stamped.

`document_hand_out` is the whole walk: the check (apps/datarooms/access.py decides who may open and take what,
for which company; the export gate; refusals audited), the stamping (PDFs carry the person, their company, the
download id and the time), and the record (DocumentAccess + audit event, in one transaction). Nothing leaves
unless the record committed; a stamp made for a hand-out that was not recorded is thrown away.

Stamping: a PDF version keeps a stamp template (apps/datarooms/files/watermark.py): the stamp is written into
its two slots, no PDF parsing per request. A version without one gets it on its first hand-out; a file that
cannot be templated is stamped with pikepdf on a small thread pool while the hand-out is being recorded.
"""

from __future__ import annotations

import secrets
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import Company, Membership
from apps.companies.selectors import company_admins
from apps.core.errors import DomainError, NotFound, PermissionRefused
from apps.notifications.kinds import company_context
from apps.notifications.services import notify

from .. import audit_actions as A
from .. import storage
from ..access import ExportBlocked, RoomScope, export_gate_missing, hand_out_right, room_scope
from ..files.watermark import Stamp, StampedFromTemplate, WatermarkedPdf
from ..models import DataClassification, DataRoom, Document, DocumentAccess, DocumentAccessKind, DocumentVersion
from ..scan.gate import scan_hold_error
from .common import room_context
from .documents import version_forget_stamp_template, version_stamp_template

Stamped = WatermarkedPdf | StampedFromTemplate


@dataclass
class HandoutPlan:
    """A checked, not yet recorded hand-out: the id and time that will be printed on every page."""

    document: Document
    version: DocumentVersion
    company: Company
    kind: str
    download_id: str
    at: datetime


@dataclass
class Handout:
    """A recorded hand-out; `stamped`: the PDF stamped for the person (None for other files, handed out as
    stored)."""

    access: DocumentAccess
    version: DocumentVersion
    document: Document
    stamped: Stamped | None = None


def document_hand_out(*, actor: Any, document: Document, kind: str, ip_address: str | None = None,
                      scope: RoomScope | None = None) -> Handout:
    """Check, stamp and record one view or download of the document's current version. `scope`: the actor's
    RoomScope when the caller already read it in this request (see document_hand_out_check)."""
    plan = document_hand_out_check(actor=actor, document=document, kind=kind, scope=scope)
    stamping = _start_stamping(plan, actor) if plan.version.kind == "pdf" else None
    try:
        handout = document_hand_out_record(actor=actor, plan=plan, ip_address=ip_address)
    except BaseException:
        if stamping is not None:
            stamping.add_done_callback(_discard_stamped)
        raise
    handout.stamped = stamping.result() if stamping is not None else None
    return handout


def document_hand_out_check(*, actor: Any, document: Document, kind: str,
                            scope: RoomScope | None = None) -> HandoutPlan:
    """Decide whether `actor` may take the document now (reads only), by the document rule of
    apps/datarooms/access.py (`hand_out_right`) and the export gate. Refusals are audited with their reason: not
    theirs to open, a view-only grant asking for a download, view-only access to a non-PDF, the export gate.

    `scope`: the actor's RoomScope read earlier in the same request (the API reads it once for the restricted
    queryset that found the document); read here when not given."""
    room = document.room
    version = document.current_version
    if version is None:
        raise NotFound()
    right = hand_out_right(document, scope or room_scope(actor))
    if right.company_id is None:
        # Platform staff see the room's structure for support and compliance, never the documents' content.
        _refuse(actor=actor, document=document, company=None, details={},
                        error=PermissionRefused(_("Only the owner's team and granted partners open documents."),
                                                code="no_document_access"))
    company = room.owner_company if right.insider else Company.objects.get(pk=right.company_id)
    if not right.insider:
        if kind == DocumentAccessKind.DOWNLOAD and not right.may_download:
            _refuse(actor=actor, document=document, company=company, details={},
                            error=PermissionRefused(_("Your access to this document is view only."),
                                                    code="view_only"))
        if kind == DocumentAccessKind.VIEW and version.kind != "pdf" and not right.may_download:
            _refuse(actor=actor, document=document, company=company, details={},
                            error=PermissionRefused(_("With view-only access only PDF documents can be opened."),
                                                    code="view_only_pdf"))
        missing = export_gate_missing(document=document, company=company)
        scan_hold = scan_hold_error(document=document, missing=missing)  # held by the scan: says why (issue 18)
        if scan_hold is not None:
            _refuse(actor=actor, document=document, company=company, details={"missing": missing}, error=scan_hold)
        if missing:
            labels = ", ".join(str(DataClassification(c).label) for c in missing)
            _refuse(
                actor=actor, document=document, company=company, details={"missing": missing},
                error=ExportBlocked(
                    _("This document contains %(kinds)s and may not leave mainland China for your company until a "
                      "compliance officer records an export clearance (HGR approval or filing for genetic data; "
                      "CAC security assessment, standard contract or certification for personal information; "
                      "CAC security assessment for important data).") % {"kinds": labels},
                    fields={"missing": missing},
                ),
            )
    return HandoutPlan(document=document, version=version, company=company, kind=kind,
                       download_id=secrets.token_hex(8), at=timezone.now())


def _refuse(*, actor: Any, document: Document, company: Any, error: DomainError, details: dict) -> NoReturn:
    audit_record(action=A.DOCUMENT_REFUSED, actor=actor, target=document, company=company,
                 details={"code": error.code, **details})
    raise error


@transaction.atomic
def document_hand_out_record(*, actor: Any, plan: HandoutPlan, ip_address: str | None = None) -> Handout:
    """Record a checked hand-out (DocumentAccess row + audit event) in one transaction. Nothing may be
    handed out unless this committed."""
    document, version = plan.document, plan.version
    access = DocumentAccess.objects.create(
        download_id=plan.download_id, room_id=document.room_id, document=document, version=version, user=actor,
        company=plan.company, kind=plan.kind, watermarked=version.kind == "pdf", ip_address=ip_address,
        created_at=plan.at,
    )
    audit_record(
        action=A.DOCUMENT_DOWNLOADED if plan.kind == DocumentAccessKind.DOWNLOAD else A.DOCUMENT_VIEWED,
        actor=actor, target=document, company=plan.company,
        details={"download_id": access.download_id, "version": version.number, "room": document.room_id},
    )
    return Handout(access=access, version=version, document=document)



@transaction.atomic
def download_limit_reached(*, actor: Any, document: Document) -> None:
    """`actor` hit the view/download rate limit while taking `document` (told once per throttle window): a
    possible scrape. Audited; when the person is a partner (not of the owner's team), the room's owners and
    admins are told."""
    room = DataRoom.objects.select_related("asset", "owner_company").get(pk=document.room_id)
    partner = (Membership.objects.filter(user=actor).exclude(company_id=room.owner_company_id)
               .select_related("company").order_by("created_at").first())
    insider = Membership.objects.filter(user=actor, company_id=room.owner_company_id).exists()
    audit_record(action=A.DOWNLOAD_LIMIT_REACHED, actor=actor, target=room, company=room.owner_company,
                 details={"document": document.pk, "user": actor.pk,
                          "partner_company": partner.company_id if partner is not None else None})
    if insider:
        return
    company = partner.company if partner is not None else None
    notify(kind="dataroom.download_limit_reached", recipients=company_admins(room.owner_company), target=room,
           actor=actor,
           context={**room_context(room), "person": actor.full_name or actor.email, "document": document.name,
                    **(company_context("company", company) if company is not None
                       else {"company": actor.email, "company_zh": actor.email})})


# --- stamping -------------------------------------------------------------------------------------------------

_STAMPERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="gpc-stamp")


def _start_stamping(plan: HandoutPlan, actor: Any) -> Future[Stamped]:
    """The stamped PDF, ready at once from the version's template, or being stamped with pikepdf on the pool."""
    stamp = stamp_for(plan, actor)
    template = version_stamp_template(plan.version)
    if template is not None:
        try:
            ready: Future[Stamped] = Future()
            ready.set_result(StampedFromTemplate(
                storage.private_storage().open(plan.version.stamp_template_name, "rb"), template, stamp))
            return ready
        except OSError:  # the template went missing: forget it (rebuilt next time), stamp with pikepdf
            version_forget_stamp_template(plan.version)
    return _STAMPERS.submit(_stamp_with_pikepdf, plan.version.storage_name, stamp)


def stamp_for(plan: HandoutPlan, user: Any) -> Stamp:
    """What every page says: the person, their e-mail, the company (English and Chinese names), download id, time."""
    company = plan.company.name_en
    if plan.company.name_zh:
        company = f"{company} {plan.company.name_zh}"
    return Stamp(person=user.full_name or user.email, email=user.email, company=company,
                 download_id=plan.download_id, at=plan.at)


def _stamp_with_pikepdf(storage_name: str, stamp: Stamp) -> WatermarkedPdf:
    # Runs on a pool thread: files only, no database.
    with storage.local_copy(storage_name) as src:
        return WatermarkedPdf(src, stamp)


def _discard_stamped(future: Future[Stamped]) -> None:
    if future.exception() is None:
        future.result().close()
