"""Writes for data rooms. Each service re-checks the actor's right inside its transaction and records
an audit event with the act; notifications are queued in the same transaction (outbox)."""

from __future__ import annotations

import logging
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any, BinaryIO, NoReturn

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company, Membership
from apps.core.authz import VIEW, user_can
from apps.core.countries import MAINLAND_CHINA
from apps.core.errors import Conflict, DomainError, NotFound, PermissionRefused, ValidationFailed
from apps.notifications.services import notify

from . import audit_actions as A
from . import storage
from .files import UploadLimits, UploadRefused, inspect_upload
from .files.names import clean_filename
from .files.watermark import StampTemplate, build_template
from .models import (
    CLEARS,
    CONTRIBUTE,
    MANAGE,
    AccessGrant,
    AccessRequest,
    AccessRequestStatus,
    BulkImport,
    BulkImportStatus,
    CdaAcceptance,
    CdaVersion,
    DataClassification,
    DataRoom,
    Document,
    DocumentAccess,
    DocumentAccessKind,
    DocumentVersion,
    ExportClearance,
    Folder,
    FolderClosure,
    GrantLevel,
    GrantScope,
    Question,
    RoomScope,
    active_grants,
    room_scope,
)
from .scan.gate import gate_classifications, scan_hold_error  # issue 18
from .scan.services import version_scan_queue  # issue 18

logger = logging.getLogger(__name__)


class UploadRefusedError(DomainError):
    """An upload broke a file rule; the API answers 4xx with the rule's code and a bilingual reason."""

    def __init__(self, refused: UploadRefused):
        super().__init__(refused.message, code=refused.code,
                         fields={"file": [refused.detail]} if refused.detail else {})
        self.status_code = refused.status_code


class ExportBlocked(PermissionRefused):
    default_code = "export_clearance_required"


def upload_limits() -> UploadLimits:
    return UploadLimits(max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", UploadLimits.max_bytes))


def _room_context(room: DataRoom) -> dict[str, Any]:
    return {"asset": room.asset.code_name, "room_id": str(room.public_id), "site_url": settings.SITE_URL}


def _managers(room: DataRoom) -> Any:
    return User.objects.filter(memberships__company_id=room.owner_company_id,
                               memberships__role__in=MANAGING_ROLES, is_active=True).distinct()


def _company_people(company_id: int, user: Any = None) -> Any:
    if user is not None:
        return [user]
    return User.objects.filter(memberships__company_id=company_id, is_active=True).distinct()


def _require(actor: Any, action: str, obj: Any) -> None:
    """Visible but not allowed → 403; not even visible → 404 (nobody learns what exists)."""
    if user_can(actor, action, obj):
        return
    if user_can(actor, VIEW, obj):
        raise PermissionRefused()
    raise NotFound()


def _partner_company(actor: Any, room: DataRoom) -> Company | None:
    """The company through which `actor` holds access to `room` (first active grant), if any."""
    grant = active_grants(actor).filter(room=room).select_related("company").order_by("created_at").first()
    return grant.company if grant else None


def _refuse_non_partner(actor: Any, room: DataRoom) -> NoReturn:
    if user_can(actor, VIEW, room):
        raise PermissionRefused(_("Only partners with access to the data room can do this."), code="not_a_partner")
    raise NotFound()


# Codes of the rules a schema cannot state (a time in the future, a folder of the same room, ...): a client
# (and the API fuzzer) can tell them from malformed input.
BUSINESS_RULE_CODES = frozenset({
    "expiry_in_past", "folders_required", "owner_needs_no_grant", "not_a_member", "reason_required", "wrong_room",
    "answer_required", "company_not_verified", "cda_incomplete",
})


# --- rooms ------------------------------------------------------------------------------------------------------


@transaction.atomic
def room_create(*, actor: Any, asset: Asset, name: str, description: str = "") -> DataRoom:
    """The asset's owner company (owner/admin) opens the asset's one data room."""
    if not Membership.objects.filter(user=actor, company_id=asset.owner_company_id, role__in=MANAGING_ROLES).exists():
        if Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
            raise PermissionRefused()
        raise NotFound()
    if DataRoom.objects.filter(asset=asset).exists():
        raise Conflict(_("This asset already has a data room."), code="room_exists")
    room = DataRoom.objects.create(asset=asset, owner_company_id=asset.owner_company_id, name=name.strip(),
                                   description=description, created_by=actor)
    audit_record(action=A.ROOM_CREATED, actor=actor, target=room, company=room.owner_company)
    return room


@transaction.atomic
def room_update(*, actor: Any, room: DataRoom, **fields: Any) -> DataRoom:
    room = DataRoom.objects.select_for_update().get(pk=room.pk)
    _require(actor, MANAGE, room)
    for key in ("name", "description"):
        if key in fields:
            setattr(room, key, fields[key])
    room.save()
    audit_record(action=A.ROOM_UPDATED, actor=actor, target=room, company=room.owner_company,
                 details={"changed": sorted(fields)})
    return room


# --- confidentiality agreement ------------------------------------------------------------------------------


@transaction.atomic
def cda_publish(*, actor: Any, room: DataRoom, text_en: str, text_zh: str) -> CdaVersion:
    """A new CDA version becomes current; every partner must accept it before seeing anything again."""
    room = DataRoom.objects.select_for_update().get(pk=room.pk)
    _require(actor, MANAGE, room)
    if not text_en.strip() or not text_zh.strip():
        raise ValidationFailed(_("The agreement needs both the English and the Chinese text."), code="cda_incomplete")
    last = CdaVersion.objects.filter(room=room).order_by("-version").values_list("version", flat=True).first()
    number = (last or 0) + 1
    cda = CdaVersion.objects.create(room=room, version=number, text_en=text_en, text_zh=text_zh, created_by=actor)
    room.current_cda = cda
    room.save(update_fields=["current_cda"])
    audit_record(action=A.CDA_PUBLISHED, actor=actor, target=room, company=room.owner_company,
                 details={"version": number})
    return cda


@transaction.atomic
def cda_accept(*, actor: Any, room: DataRoom, version: int, ip_address: str | None = None) -> CdaAcceptance:
    """A partner person accepts the room's current CDA (the version they read must be the current one)."""
    room = DataRoom.objects.select_related("current_cda").get(pk=room.pk)
    company = _partner_company(actor, room)
    if company is None:
        _refuse_non_partner(actor, room)
    if room.current_cda is None:
        raise Conflict(_("This data room has no confidentiality agreement to accept."), code="no_cda")
    if room.current_cda.version != version:
        raise Conflict(_("A newer version of the agreement exists; read and accept the current one."),
                       code="cda_outdated")
    acceptance, created = CdaAcceptance.objects.get_or_create(
        cda=room.current_cda, user=actor, defaults={"company": company, "ip_address": ip_address}
    )
    if created:
        audit_record(action=A.CDA_ACCEPTED, actor=actor, target=room, company=company,
                     details={"version": version})
    return acceptance


# --- folders -------------------------------------------------------------------------------------------------


@transaction.atomic
def folder_create(*, actor: Any, room: DataRoom, name: str, parent: Folder | None = None,
                  held_back: bool = False) -> Folder:
    """Contributors add folders; the closure rows make subtree checks one join."""
    _require(actor, CONTRIBUTE, room)
    if parent is not None and parent.room_id != room.pk:
        raise ValidationFailed(_("The parent folder belongs to another data room."), code="wrong_room",
                               fields={"parent": [_("Not in this data room.")]})
    folder = _folder_get_or_create(room=room, parent=parent, name=name, held_back=held_back, must_be_new=True)
    audit_record(action=A.FOLDER_CREATED, actor=actor, target=folder, company=room.owner_company,
                 details={"room": room.pk, "held_back": held_back})
    return folder


def _folder_get_or_create(*, room: DataRoom, parent: Folder | None, name: str, held_back: bool = False,
                          must_be_new: bool = False) -> Folder:
    clean = clean_filename(name, fallback="folder")
    existing = Folder.objects.filter(room=room, parent=parent, name=clean).first()
    if existing is not None:
        if must_be_new:
            raise Conflict(_("A folder with this name already exists here."), code="folder_exists")
        return existing
    folder = Folder.objects.create(room=room, parent=parent, name=clean, held_back=held_back,
                                   hidden=held_back or bool(parent and parent.hidden))
    rows = [FolderClosure(ancestor=folder, descendant=folder, depth=0)]
    if parent is not None:
        rows += [FolderClosure(ancestor_id=c.ancestor_id, descendant=folder, depth=c.depth + 1)
                 for c in FolderClosure.objects.filter(descendant=parent)]
    FolderClosure.objects.bulk_create(rows)
    return folder


def _refresh_hidden(folder: Folder) -> None:
    """Recompute `hidden` for a subtree after a held-back flag changed."""
    subtree = FolderClosure.objects.filter(ancestor=folder).values("descendant_id")
    held_ancestors = FolderClosure.objects.filter(ancestor__held_back=True).values("descendant_id")
    Folder.objects.filter(pk__in=subtree).update(hidden=False)
    Folder.objects.filter(pk__in=subtree).filter(pk__in=held_ancestors).update(hidden=True)


@transaction.atomic
def folder_update(*, actor: Any, folder: Folder, name: str | None = None, held_back: bool | None = None) -> Folder:
    folder = Folder.objects.select_for_update().get(pk=folder.pk)
    _require(actor, MANAGE, folder)
    changed = []
    if name is not None and clean_filename(name, fallback="folder") != folder.name:
        folder.name = clean_filename(name, fallback="folder")
        changed.append("name")
    if held_back is not None and held_back != folder.held_back:
        folder.held_back = held_back
        changed.append("held_back")
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError:
        raise Conflict(_("A folder with this name already exists here."), code="folder_exists") from None
    if "held_back" in changed:
        _refresh_hidden(folder)
        folder.refresh_from_db()
    audit_record(action=A.FOLDER_UPDATED if "held_back" not in changed else A.PHASE_CHANGED, actor=actor,
                 target=folder, company=folder.room.owner_company, details={"changed": changed,
                                                                            "held_back": folder.held_back})
    return folder


@transaction.atomic
def folder_delete(*, actor: Any, folder: Folder) -> None:
    """Only an empty subtree can go: documents are never deleted as a side effect."""
    _require(actor, MANAGE, folder)
    subtree = FolderClosure.objects.filter(ancestor=folder).values("descendant_id")
    if Document.objects.filter(folder_id__in=subtree).exists():
        raise Conflict(_("The folder still holds documents."), code="folder_not_empty")
    audit_record(action=A.FOLDER_DELETED, actor=actor, target=folder, company=folder.room.owner_company)
    folder.delete()


# --- documents --------------------------------------------------------------------------------------------------


def _classification_flags(classifications: list[str] | None) -> dict[str, bool]:
    chosen = set(classifications or [])
    return {
        "is_hgr": DataClassification.HGR in chosen,
        "has_personal_information": DataClassification.PERSONAL_INFORMATION in chosen,
        "is_important_data": DataClassification.IMPORTANT_DATA in chosen,
        "is_clinical": DataClassification.CLINICAL in chosen,
    }


def _inspect_or_refuse(*, actor: Any, room: DataRoom, f: BinaryIO, filename: str | None, bulk: bool = False) -> Any:
    try:
        return inspect_upload(f, filename=filename, bulk=bulk, limits=upload_limits())
    except UploadRefused as refused:
        # Not inside a transaction that will roll back: the refusal stays in the trail.
        audit_record(action=A.UPLOAD_REFUSED, actor=actor, target=room, company=room.owner_company,
                     details={"code": refused.code, "detail": refused.detail[:300],
                              "name": clean_filename(filename)[:200]})
        raise UploadRefusedError(refused) from None


def _store_version(*, document: Document, inspected: Any, f: BinaryIO, actor: Any, number: int,
                   stored: list[str]) -> DocumentVersion:
    name = storage.store(f, document.room.public_id)
    stored.append(name)  # the caller deletes it if its transaction rolls back: nothing half-stored
    version = DocumentVersion.objects.create(
        document=document, number=number, storage_name=name, original_name=inspected.name,
        kind=inspected.kind, content_type=inspected.content_type, size=inspected.size, sha256=inspected.sha256,
        pages=inspected.pdf_pages, uploaded_by=actor,
    )
    version_scan_queue(version=version)  # issue 18: scan every new version (the gate holds until it finishes)
    _attach_stamp_template(version, f, stored, document.room.public_id)
    return version


def _attach_stamp_template(version: DocumentVersion, f: BinaryIO, stored: list[str], room_public_id: Any) -> None:
    """Prepare the PDF's stamp template once, so every download only writes the stamp into it."""
    if version.kind != "pdf":
        return
    try:
        with tempfile.TemporaryFile(prefix="gpc-tpl-") as tmp:
            f.seek(0)
            template = build_template(f, tmp)
            name = storage.store(tmp, room_public_id)
    except Exception:  # an optimisation only: downloads fall back to stamping with pikepdf
        logger.warning("no stamp template for version %s", version.pk, exc_info=True)
        return
    finally:
        f.seek(0)
    stored.append(name)
    version.stamp_template_name = name
    version.stamp_template = {"content_offset": template.content_offset, "cmap_offset": template.cmap_offset,
                              "size": template.size}
    DocumentVersion.objects.filter(pk=version.pk).update(stamp_template_name=name,
                                                         stamp_template=version.stamp_template)


def version_forget_stamp_template(version: DocumentVersion) -> None:
    logger.warning("stamp template %s of version %s is missing", version.stamp_template_name, version.pk)
    DocumentVersion.objects.filter(pk=version.pk).update(stamp_template_name="", stamp_template={})
    version.stamp_template_name, version.stamp_template = "", {}


def version_stamp_template(version: DocumentVersion) -> StampTemplate | None:
    """The version's stamp template, built now if it has none yet (versions stored before templates
    existed); None if the file cannot be templated (the caller stamps with pikepdf instead)."""
    if version.kind != "pdf":
        return None
    if not version.stamp_template_name:
        stored: list[str] = []
        with storage.local_copy(version.storage_name) as src:
            _attach_stamp_template(version, src, stored, version.document.room.public_id)
        if not version.stamp_template_name:
            return None
    try:
        return StampTemplate(**version.stamp_template)
    except TypeError:  # a malformed record: stamp with pikepdf rather than fail the download
        return None


def document_upload(*, actor: Any, folder: Folder, f: BinaryIO, filename: str | None,
                    classifications: list[str] | None = None, name: str | None = None) -> Document:
    """A contributor uploads a new document (version 1). The file is checked before anything is stored."""
    room = folder.room
    _require(actor, CONTRIBUTE, folder)
    inspected = _inspect_or_refuse(actor=actor, room=room, f=f, filename=filename)
    stored: list[str] = []
    try:
        with transaction.atomic():
            doc_name = clean_filename(name) if name else inspected.name
            if Document.objects.filter(folder=folder, name=doc_name).exists():
                raise Conflict(_("A document with this name already exists in the folder; upload a new version "
                                 "of it instead."), code="document_exists")
            document = Document.objects.create(room=room, folder=folder, name=doc_name, created_by=actor,
                                               **_classification_flags(classifications))
            version = _store_version(document=document, inspected=inspected, f=f, actor=actor, number=1, stored=stored)
            document.current_version = version
            document.save(update_fields=["current_version"])
            audit_record(action=A.DOCUMENT_UPLOADED, actor=actor, target=document, company=room.owner_company,
                         details={"room": room.pk, "sha256": inspected.sha256, "size": inspected.size,
                                  "type": inspected.kind})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        raise
    return document


def document_version_upload(*, actor: Any, document: Document, f: BinaryIO, filename: str | None) -> DocumentVersion:
    """A new immutable version becomes current; earlier ones stay readable to the owner."""
    room = document.room
    _require(actor, CONTRIBUTE, document)
    inspected = _inspect_or_refuse(actor=actor, room=room, f=f, filename=filename)
    stored: list[str] = []
    try:
        with transaction.atomic():
            locked = Document.objects.select_for_update().get(pk=document.pk)
            number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
            version = _store_version(document=locked, inspected=inspected, f=f, actor=actor, number=number,
                                     stored=stored)
            locked.current_version = version
            locked.save(update_fields=["current_version", "updated_at"])
            audit_record(action=A.DOCUMENT_VERSION_UPLOADED, actor=actor, target=locked, company=room.owner_company,
                         details={"version": number, "sha256": inspected.sha256, "size": inspected.size})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        raise
    return version


@transaction.atomic
def document_update(*, actor: Any, document: Document, name: str | None = None, folder: Folder | None = None,
                    classifications: list[str] | None = None) -> Document:
    document = Document.objects.select_for_update().get(pk=document.pk)
    _require(actor, CONTRIBUTE, document)
    changed: list[str] = []
    if name is not None and clean_filename(name) != document.name:
        document.name = clean_filename(name)
        changed.append("name")
    if folder is not None and folder.pk != document.folder_id:
        if folder.room_id != document.room_id:
            raise ValidationFailed(_("The folder belongs to another data room."), code="wrong_room",
                                   fields={"folder": [_("Not in this data room.")]})
        document.folder = folder
        changed.append("folder")
    if classifications is not None:
        for key, value in _classification_flags(classifications).items():
            if getattr(document, key) != value:
                setattr(document, key, value)
                changed.append(key)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        raise Conflict(_("A document with this name already exists in the folder."), code="document_exists") from None
    audit_record(action=A.DOCUMENT_UPDATED, actor=actor, target=document, company=document.room.owner_company,
                 details={"changed": changed, "classifications": document.classifications})
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Managers remove a document with all its versions; the bytes go after commit."""
    _require(actor, MANAGE, document)
    names = [name for pair in document.versions.values_list("storage_name", "stamp_template_name")
             for name in pair if name]
    audit_record(action=A.DOCUMENT_DELETED, actor=actor, target=document, company=document.room.owner_company,
                 details={"versions": len(names)})
    Document.objects.filter(pk=document.pk).update(current_version=None)
    document.delete()
    for name in names:
        transaction.on_commit(partial(storage.delete_quietly, name))


# --- taking documents out --------------------------------------------------------------------------------------


@dataclass
class Handout:
    access: DocumentAccess
    version: DocumentVersion
    document: Document


def export_gate_missing(*, document: Document, company: Company | None) -> list[str]:
    """Classifications of `document` that may not go to `company` yet (empty: nothing blocks).

    Applies when the room's owner is in mainland China and the receiving company is a foreign party
    (outside mainland China; Hong Kong, Macau and Taiwan count as outside for data-export rules)."""
    controlled = gate_classifications(document)  # issue 18: declared, plus what the scan found or may find
    if not controlled or company is None:
        return []
    room = document.room
    if room.owner_company.country != MAINLAND_CHINA or company.country == MAINLAND_CHINA:
        return []
    today = timezone.now().date()
    held = set(ExportClearance.objects.filter(room=room, company=company, valid_until__gte=today)
               .values_list("clearance_type", flat=True))
    return [c for c in controlled if not held.intersection(CLEARS[c])]


def _refuse_handout(*, actor: Any, document: Document, company: Any, error: DomainError, details: dict) -> NoReturn:
    audit_record(action=A.DOCUMENT_REFUSED, actor=actor, target=document, company=company,
                 details={"code": error.code, **details})
    raise error


def _handout_rights(document: Document, scope: RoomScope) -> tuple[Company | None, bool]:
    """(the company the person takes the document for, whether a download is allowed), decided from the
    person's RoomScope plus, for folder-scoped grants, one query for the folder's ancestors. Callers have
    already checked the document is visible (grant, scope, CDA).

    Same rule as Document.access_q, evaluated for one document: owner-company members and the room's
    delegated managers are insiders; a partner's download needs an active download-level grant whose
    scope covers the document's folder (room-wide and not held back, or a chosen/released ancestor).
    When several grants apply, the oldest download-level one names the company."""
    room = document.room
    if room.pk in scope.member_rooms:
        return room.owner_company, True
    grants = [grant for grant in scope.grants if grant.room_id == room.pk]
    if grants:
        ancestors: set[int] = set()
        if any(grant.folders for grant in grants):
            ancestors = set(FolderClosure.objects.filter(descendant_id=document.folder_id)
                            .values_list("ancestor_id", flat=True))
        covering = [grant for grant in grants
                    if (grant.scope == GrantScope.ROOM and not document.folder.hidden) or ancestors & grant.folders]
        downloads = [grant for grant in covering if grant.level == GrantLevel.DOWNLOAD]
        chosen = (downloads or covering or grants)[0]
        return Company.objects.get(pk=chosen.company_id), bool(downloads)
    if room.pk in scope.managed_rooms:
        return room.owner_company, True
    return None, False


@dataclass
class HandoutPlan:
    """A checked, not yet recorded hand-out: the id and time that will be printed on every page."""

    document: Document
    version: DocumentVersion
    company: Company
    kind: str
    download_id: str
    at: datetime


def document_hand_out(*, actor: Any, document: Document, kind: str, ip_address: str | None = None) -> Handout:
    """Check, record and return one view or download of the document's current version."""
    plan = document_hand_out_check(actor=actor, document=document, kind=kind)
    return document_hand_out_record(actor=actor, plan=plan, ip_address=ip_address)


def document_hand_out_check(*, actor: Any, document: Document, kind: str,
                            scope: RoomScope | None = None) -> HandoutPlan:
    """Decide whether `actor` may take the document now (reads only). Refusals are audited with their
    reason: view-only grant asking for a download, the export gate, view-only access to a non-PDF.

    `scope`: the actor's RoomScope read earlier in the same request (the API reads it once for the restricted
    queryset that found the document); read here when not given."""
    room = document.room
    version = document.current_version
    if version is None:
        raise NotFound()
    company, may_download = _handout_rights(document, scope or room_scope(actor))
    if company is None:
        # Platform staff see the room's structure for support and compliance, never the documents' content.
        _refuse_handout(actor=actor, document=document, company=None, details={},
                        error=PermissionRefused(_("Only the owner's team and granted partners open documents."),
                                                code="no_document_access"))
    insider = company.pk == room.owner_company_id
    if not insider:
        if kind == DocumentAccessKind.DOWNLOAD and not may_download:
            _refuse_handout(actor=actor, document=document, company=company, details={},
                            error=PermissionRefused(_("Your access to this document is view only."),
                                                    code="view_only"))
        if kind == DocumentAccessKind.VIEW and version.kind != "pdf" and not may_download:
            _refuse_handout(actor=actor, document=document, company=company, details={},
                            error=PermissionRefused(_("With view-only access only PDF documents can be opened."),
                                                    code="view_only_pdf"))
        missing = export_gate_missing(document=document, company=company)
        scan_hold = scan_hold_error(document=document, missing=missing)  # issue 18: held by the scan, says why
        if scan_hold is not None:
            _refuse_handout(actor=actor, document=document, company=company, details={"missing": missing},
                            error=scan_hold)
        if missing:
            labels = ", ".join(str(DataClassification(c).label) for c in missing)
            _refuse_handout(
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


# --- getting in --------------------------------------------------------------------------------------------------


# Other apps may let a person ask for an asset's data room where the catalog does not show them the asset
# (financing: an investor admitted to the diligence of a round that funds it). Each callable answers for one
# (actor, asset); it only opens the door to asking: approval, grant, CDA, watermark, expiry, revocation and
# the export gate stay exactly as for any partner.
REQUEST_ADMISSIONS: list[Callable[[Any, Asset], bool]] = []


def may_request_access(actor: Any, asset: Asset) -> bool:
    """The one rule on who may ask for an asset's data room: whoever reads its teaser, or whom another app
    admits (REQUEST_ADMISSIONS). The company kind plays no part: an investor is a partner like any other."""
    if Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
        return True
    return any(admit(actor, asset) for admit in REQUEST_ADMISSIONS)


@transaction.atomic
def access_request_create(*, actor: Any, asset: Asset, message: str) -> AccessRequest:
    """A member of a verified partner company asks for access to the asset's data room."""
    if not may_request_access(actor, asset):
        raise NotFound()
    room = DataRoom.objects.filter(asset=asset).select_related("asset").first()
    if room is None:
        raise NotFound()
    membership = (Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES,
                                            company__verification_status="verified")
                  .exclude(company_id=room.owner_company_id).select_related("company").order_by("created_at").first())
    if membership is None:
        raise PermissionRefused(_("Only members of a verified partner company may request access."),
                                code="not_a_partner")
    company = membership.company
    if AccessRequest.objects.filter(room=room, company=company, status=AccessRequestStatus.PENDING).exists():
        raise Conflict(_("Your company already has a pending request for this data room."), code="request_pending")
    request = AccessRequest.objects.create(room=room, company=company, requested_by=actor, message=message)
    audit_record(action=A.ACCESS_REQUESTED, actor=actor, target=request, company=company, details={"room": room.pk})
    notify(kind="dataroom.access_requested", recipients=_managers(room), target=request, actor=actor,
           context={**_room_context(room), "company": company.name_en, "company_zh": company.name_zh})
    return request


def _check_grant_terms(*, room: DataRoom, scope: str, folders: list[Folder], expires_at: datetime) -> None:
    if expires_at <= timezone.now():
        raise ValidationFailed(_("The expiry must be in the future."), code="expiry_in_past",
                               fields={"expires_at": [_("Must be in the future.")]})
    if scope == GrantScope.FOLDERS and not folders:
        raise ValidationFailed(_("Choose at least one folder."), code="folders_required",
                               fields={"folders": [_("Required.")]})
    if any(f.room_id != room.pk for f in folders):
        raise ValidationFailed(_("A folder belongs to another data room."), code="wrong_room",
                               fields={"folders": [_("Not in this data room.")]})


def _grant_make(*, actor: Any, room: DataRoom, company: Company, user: Any, level: str, scope: str,
                folders: list[Folder], expires_at: datetime, request: AccessRequest | None = None) -> AccessGrant:
    if company.pk == room.owner_company_id:
        raise ValidationFailed(_("The owner company needs no grant."), code="owner_needs_no_grant")
    if not company.is_verified:
        raise ValidationFailed(_("Only verified companies can be granted access."), code="company_not_verified")
    if user is not None and not Membership.objects.filter(user=user, company=company).exists():
        raise ValidationFailed(_("The named person is not a member of the company."), code="not_a_member",
                               fields={"user": [_("Not a member of the company.")]})
    _check_grant_terms(room=room, scope=scope, folders=folders, expires_at=expires_at)
    grant = AccessGrant.objects.create(room=room, company=company, user=user, level=level, scope=scope,
                                       expires_at=expires_at, granted_by=actor, request=request)
    grant.folders.set(folders)
    audit_record(action=A.GRANT_CREATED, actor=actor, target=grant, company=room.owner_company,
                 details={"grantee": company.pk, "user": getattr(user, "pk", None), "level": level, "scope": scope,
                          "folders": [f.pk for f in folders], "expires_at": expires_at.isoformat()})
    notify(kind="dataroom.access_approved", recipients=_company_people(company.pk, user), target=room, actor=actor,
           context={**_room_context(room), "level": level, "expires": expires_at.date().isoformat()})
    return grant


@transaction.atomic
def access_request_approve(*, actor: Any, request: AccessRequest, level: str, scope: str, expires_at: datetime,
                           folders: list[Folder] | None = None, user: Any = None) -> AccessGrant:
    """The owner's admins approve: scope (room or chosen folders), level (view or download), expiry."""
    request = AccessRequest.objects.select_for_update().select_related("room__asset", "company").get(pk=request.pk)
    _require(actor, "decide", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be decided."), code="not_pending")
    grant = _grant_make(actor=actor, room=request.room, company=request.company, user=user, level=level, scope=scope,
                        folders=folders or [], expires_at=expires_at, request=request)
    request.status = AccessRequestStatus.APPROVED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(action=A.ACCESS_APPROVED, actor=actor, target=request, company=request.room.owner_company,
                 details={"grant": grant.pk})
    return grant


@transaction.atomic
def access_request_deny(*, actor: Any, request: AccessRequest, reason: str) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().select_related("room__asset").get(pk=request.pk)
    _require(actor, "decide", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be decided."), code="not_pending")
    if not reason.strip():
        raise ValidationFailed(_("Give a reason."), code="reason_required", fields={"reason": [_("Required.")]})
    request.status = AccessRequestStatus.DENIED
    request.reason = reason
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    audit_record(action=A.ACCESS_DENIED, actor=actor, target=request, company=request.room.owner_company,
                 details={"reason": reason[:500]})
    notify(kind="dataroom.access_denied", recipients=[request.requested_by], target=request, actor=actor,
           context={**_room_context(request.room), "reason": reason})
    return request


@transaction.atomic
def access_request_withdraw(*, actor: Any, request: AccessRequest) -> AccessRequest:
    request = AccessRequest.objects.select_for_update().get(pk=request.pk)
    _require(actor, "withdraw", request)
    if request.status != AccessRequestStatus.PENDING:
        raise Conflict(_("Only a pending request can be withdrawn."), code="not_pending")
    request.status = AccessRequestStatus.WITHDRAWN
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_at"])
    audit_record(action=A.ACCESS_WITHDRAWN, actor=actor, target=request, company=request.company)
    return request


@transaction.atomic
def grant_create(*, actor: Any, room: DataRoom, company: Company, level: str, scope: str, expires_at: datetime,
                 folders: list[Folder] | None = None, user: Any = None) -> AccessGrant:
    """The owner grants access without a request (e.g. after a meeting)."""
    _require(actor, MANAGE, room)
    return _grant_make(actor=actor, room=room, company=company, user=user, level=level, scope=scope,
                       folders=folders or [], expires_at=expires_at)


@transaction.atomic
def grant_update(*, actor: Any, grant: AccessGrant, level: str | None = None,
                 expires_at: datetime | None = None) -> AccessGrant:
    """The owner changes a grant's level or expiry; the partner is told when its access widened (view →
    download, a later expiry). Narrowing is not announced: it takes effect on the next request."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    _require(actor, MANAGE, grant)
    if grant.revoked_at is not None:
        raise Conflict(_("A revoked grant cannot change."), code="grant_revoked")
    widened = ((level == GrantLevel.DOWNLOAD and grant.level != GrantLevel.DOWNLOAD)
               or (expires_at is not None and expires_at > grant.expires_at))
    if expires_at is not None:
        if expires_at <= timezone.now():
            raise ValidationFailed(_("The expiry must be in the future."), code="expiry_in_past",
                                   fields={"expires_at": [_("Must be in the future.")]})
        grant.expires_at = expires_at
        grant.expiry_warned_at = None
    if level is not None:
        grant.level = level
    grant.save()
    audit_record(action=A.GRANT_UPDATED, actor=actor, target=grant, company=grant.room.owner_company,
                 details={"level": grant.level, "expires_at": grant.expires_at.isoformat()})
    if widened:
        notify(kind="dataroom.access_extended", recipients=_company_people(grant.company_id, grant.user),
               target=grant.room, actor=actor,
               context={**_room_context(grant.room), "level": grant.level,
                        "expires": grant.expires_at.date().isoformat()})
    return grant


@transaction.atomic
def grant_revoke(*, actor: Any, grant: AccessGrant) -> AccessGrant:
    """Effective on the very next request: every access rule compares revoked_at in SQL."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    _require(actor, MANAGE, grant)
    return _grant_mark_revoked(actor=actor, grant=grant, details={"grantee": grant.company_id})


@transaction.atomic
def grant_revoke_by_staff(*, actor: Any, grant: AccessGrant, reason: str) -> AccessGrant:
    """Staff revoke a grant from the console (a compliance or abuse concern), always with a reason; the
    room's owner is told as well as the partner."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("datarooms.change_accessgrant")):
        raise PermissionRefused()
    if not (reason or "").strip():
        raise ValidationFailed(_("A reason is required."), code="reason_required",
                               fields={"reason": [_("A reason is required.")]})
    grant = AccessGrant.objects.select_for_update().select_related("room__asset", "company").get(pk=grant.pk)
    grant = _grant_mark_revoked(actor=actor, grant=grant,
                                details={"grantee": grant.company_id, "by_staff": True, "reason": reason.strip()})
    # The partner got "your access was revoked" from _grant_mark_revoked; the owner's people learn what staff did.
    notify(kind="dataroom.grant_revoked_by_staff", recipients=_managers(grant.room), target=grant.room, actor=actor,
           context={**_room_context(grant.room), "company": grant.company.name_en,
                    "company_zh": grant.company.name_zh, "reason": reason.strip()})
    return grant


def _grant_mark_revoked(*, actor: Any, grant: AccessGrant, details: dict[str, Any]) -> AccessGrant:
    if grant.revoked_at is not None:
        raise Conflict(_("The grant is already revoked."), code="grant_revoked")
    grant.revoked_at = timezone.now()
    grant.revoked_by = actor
    grant.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(action=A.GRANT_REVOKED, actor=actor, target=grant, company=grant.room.owner_company, details=details)
    notify(kind="dataroom.access_revoked", recipients=_company_people(grant.company_id, grant.user), target=grant.room,
           actor=actor, context=_room_context(grant.room))
    return grant


@transaction.atomic
def grant_release_folders(*, actor: Any, grant: AccessGrant, folders: list[Folder]) -> AccessGrant:
    """Staged disclosure: open (held-back) folders to this partner now."""
    grant = AccessGrant.objects.select_for_update().select_related("room__asset").get(pk=grant.pk)
    _require(actor, MANAGE, grant)
    if grant.revoked_at is not None:
        raise Conflict(_("A revoked grant cannot change."), code="grant_revoked")
    if not folders or any(f.room_id != grant.room_id for f in folders):
        raise ValidationFailed(_("Choose folders of this data room."), code="wrong_room",
                               fields={"folders": [_("Choose folders of this data room.")]})
    grant.folders.add(*folders)
    audit_record(action=A.PHASE_CHANGED, actor=actor, target=grant, company=grant.room.owner_company,
                 details={"released": [f.pk for f in folders], "grantee": grant.company_id})
    notify(kind="dataroom.folders_released", recipients=_company_people(grant.company_id, grant.user),
           target=grant.room, actor=actor,
           context={**_room_context(grant.room), "folders": ", ".join(f.name for f in folders)})
    return grant


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
    notify(kind="dataroom.download_limit_reached", recipients=_managers(room), target=room, actor=actor,
           context={**_room_context(room), "person": actor.full_name or actor.email, "document": document.name,
                    "company": company.name_en if company is not None else actor.email,
                    "company_zh": (company.name_zh or company.name_en) if company is not None else actor.email})


# --- Q&A --------------------------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(*, actor: Any, room: DataRoom, text: str, document: Document | None = None) -> Question:
    """A partner with access asks; only its own company (and the owner's team) will ever see it."""
    company = _partner_company(actor, room)
    if company is None:
        _refuse_non_partner(actor, room)
    if room.current_cda_id and not CdaAcceptance.objects.filter(cda_id=room.current_cda_id, user=actor).exists():
        raise PermissionRefused(_("Accept the data room's confidentiality agreement first."), code="cda_required")
    if document is not None and (document.room_id != room.pk or not user_can(actor, VIEW, document)):
        raise ValidationFailed(_("Unknown document."), code="wrong_room", fields={"document": [_("Unknown document.")]})
    question = Question.objects.create(room=room, document=document, company=company, asked_by=actor, text=text)
    audit_record(action=A.QUESTION_ASKED, actor=actor, target=question, company=company, details={"room": room.pk})
    contributors = User.objects.filter(memberships__company_id=room.owner_company_id,
                                       memberships__role__in=CONTRIBUTING_ROLES, is_active=True).distinct()
    notify(kind="dataroom.question_asked", recipients=contributors, target=question, actor=actor,
           context={**_room_context(room), "question": text[:300]})
    return question


@transaction.atomic
def question_answer(*, actor: Any, question: Question, answer: str) -> Question:
    question = Question.objects.select_for_update().select_related("room__asset").get(pk=question.pk)
    _require(actor, "answer", question)
    if not answer.strip():
        raise ValidationFailed(_("The answer is empty."), code="answer_required", fields={"answer": [_("Required.")]})
    question.answer = answer
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(action=A.QUESTION_ANSWERED, actor=actor, target=question, company=question.room.owner_company)
    notify(kind="dataroom.question_answered", recipients=[question.asked_by], target=question, actor=actor,
           context={**_room_context(question.room), "answer": answer[:300]})
    return question


@transaction.atomic
def question_publish(*, actor: Any, question: Question, publish: bool = True) -> Question:
    """An answered question becomes a FAQ entry every partner with access reads, without the asker's identity."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    _require(actor, "publish", question)
    if publish and not question.answer:
        raise Conflict(_("Answer the question before publishing it."), code="not_answered")
    question.is_faq = publish
    question.save(update_fields=["is_faq"])
    audit_record(action=A.QUESTION_PUBLISHED, actor=actor, target=question, company=question.room.owner_company,
                 details={"published": publish})
    return question


# --- bulk import ------------------------------------------------------------------------------------------------


def bulk_import_create(*, actor: Any, room: DataRoom, parent: Folder | None, f: BinaryIO,
                       filename: str | None) -> BulkImport:
    """Check the archive's layout now (refused at once, nothing stored), keep it, import in the background."""
    _require(actor, CONTRIBUTE, room)
    if parent is not None and parent.room_id != room.pk:
        raise ValidationFailed(_("The folder belongs to another data room."), code="wrong_room",
                               fields={"parent": [_("Not in this data room.")]})
    inspected = _inspect_or_refuse(actor=actor, room=room, f=f, filename=filename, bulk=True)
    name = storage.store(f, room.public_id)
    try:
        with transaction.atomic():
            job = BulkImport.objects.create(room=room, parent=parent, original_name=inspected.name, storage_name=name,
                                            size=inspected.size, total_files=len(inspected.zip_plan.files),
                                            uploaded_by=actor)
            audit_record(action=A.BULK_IMPORT_QUEUED, actor=actor, target=job, company=room.owner_company,
                         details={"files": job.total_files, "size": job.size})
            from .tasks import bulk_import_run_task

            transaction.on_commit(partial(bulk_import_run_task.delay, job.pk))
    except BaseException:
        storage.delete_quietly(name)
        raise
    return job


def bulk_import_run(*, job_id: int) -> BulkImport | None:
    """Import a queued archive whole or not at all. Safe to repeat: the job is claimed with a conditional update
    and a lease; a job still running under another worker's lease is left alone."""
    from .files.gate import inspect_bulk

    if not _bulk_import_claim(job_id):
        return None
    job = BulkImport.objects.select_related("room", "parent", "uploaded_by").get(pk=job_id)
    room = job.room
    stored: list[str] = []
    try:
        def progress(done: int) -> None:
            # Outside any transaction: the uploader polls this while the archive is being checked.
            if done == job.total_files or done % 10 == 0:
                BulkImport.objects.filter(pk=job.pk).update(processed_files=done)

        with storage.local_copy(job.storage_name) as archive, inspect_bulk(
            archive, filename=job.original_name, limits=upload_limits(), progress=progress
        ) as bulk, transaction.atomic():
            folders: dict[tuple[str, ...], Folder | None] = {(): job.parent}
            for path in bulk.folders:
                folders[path] = _folder_get_or_create(room=room, parent=folders[path[:-1]], name=path[-1])
            created = 0
            for entry in bulk.entries:
                folder = folders[entry.path[:-1]]
                if folder is None:
                    folder = _folder_get_or_create(room=room, parent=None, name="Imported")
                if Document.objects.filter(folder=folder, name=entry.file.name).exists():
                    raise UploadRefused("zip_duplicate_name", detail=f"{'/'.join(entry.path)} already exists")
                document = Document.objects.create(room=room, folder=folder, name=entry.file.name,
                                                   created_by=job.uploaded_by)
                name = storage.store(entry.data, room.public_id)
                stored.append(name)
                version = DocumentVersion.objects.create(
                    document=document, number=1, storage_name=name, original_name=entry.file.name,
                    kind=entry.file.kind, content_type=entry.file.content_type, size=entry.file.size,
                    sha256=entry.file.sha256, pages=entry.file.pdf_pages, uploaded_by=job.uploaded_by,
                )
                version_scan_queue(version=version)  # issue 18: scan every new version
                _attach_stamp_template(version, entry.data, stored, room.public_id)
                Document.objects.filter(pk=document.pk).update(current_version=version)
                created += 1
            BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.DONE, created_documents=created,
                                                        finished_at=timezone.now())
            audit_record(action=A.BULK_IMPORT_DONE, actor=job.uploaded_by, target=job,
                         company=room.owner_company, details={"documents": created})
    except UploadRefused as refused:
        for name in stored:
            storage.delete_quietly(name)
        BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.FAILED, error_code=refused.code,
                                                    error_detail=refused.detail[:400], finished_at=timezone.now())
        audit_record(action=A.BULK_IMPORT_REFUSED, actor=job.uploaded_by, target=job, company=room.owner_company,
                     details={"code": refused.code, "detail": refused.detail[:300]})
    except BaseException:
        for name in stored:
            storage.delete_quietly(name)
        BulkImport.objects.filter(pk=job.pk).update(status=BulkImportStatus.PENDING)  # let a retry claim it
        raise
    storage.delete_quietly(job.storage_name)
    job.refresh_from_db()
    return job


def bulk_import_lease() -> timedelta:
    """How long one claim lasts: longer than the task's hard time limit (1,800 s), so a live worker never
    loses its job to the sweeper; past it, the worker is known to be gone."""
    return timedelta(seconds=int(getattr(settings, "DATAROOMS_IMPORT_LEASE_SECONDS", 1900)))


def bulk_import_max_attempts() -> int:
    return int(getattr(settings, "DATAROOMS_IMPORT_MAX_ATTEMPTS", 3))


def _bulk_import_claim(job_id: int) -> bool:
    """pending (or running past its lease) → running under a new lease, counting the attempt. One worker wins."""
    now = timezone.now()
    claimable = Q(status=BulkImportStatus.PENDING) | Q(status=BulkImportStatus.RUNNING, claimed_until__lt=now)
    return bool(BulkImport.objects.filter(claimable, pk=job_id, attempts__lt=bulk_import_max_attempts()).update(
        status=BulkImportStatus.RUNNING, claimed_until=now + bulk_import_lease(), attempts=F("attempts") + 1))


def bulk_imports_sweep(*, pending_after: timedelta | None = None) -> dict[str, int]:
    """Beat: nothing stays "pending" or "running" for ever. A job pending for longer than `pending_after`
    (its enqueue was lost) or running past its lease (its worker died: the import's transaction rolled back)
    is enqueued again; one that has used DATAROOMS_IMPORT_MAX_ATTEMPTS claims is failed (an archive that
    kills its worker every time), audited, with the reason the uploader reads."""
    from .tasks import bulk_import_run_task

    now = timezone.now()
    pending_after = pending_after if pending_after is not None else timedelta(
        seconds=int(getattr(settings, "DATAROOMS_IMPORT_SWEEP_AFTER_SECONDS", 60)))
    stale = (Q(status=BulkImportStatus.PENDING, created_at__lt=now - pending_after)
             | Q(status=BulkImportStatus.RUNNING, claimed_until__lt=now))
    counts = {"requeued": 0, "failed": 0}
    for job in BulkImport.objects.filter(stale).select_related("room__owner_company", "uploaded_by"):
        if job.attempts >= bulk_import_max_attempts():
            with transaction.atomic():
                if not BulkImport.objects.filter(stale, pk=job.pk).update(
                        status=BulkImportStatus.FAILED, error_code="import_interrupted", finished_at=now,
                        error_detail=f"The import stopped {job.attempts} times before it could finish."):
                    continue
                audit_record(action=A.BULK_IMPORT_REFUSED, actor=None, target=job, company=job.room.owner_company,
                             details={"code": "import_interrupted", "attempts": job.attempts})
            storage.delete_quietly(job.storage_name)
            counts["failed"] += 1
            continue
        # A running job past its lease goes back to pending (conditional: a live claim is never taken away).
        if job.status == BulkImportStatus.RUNNING and not BulkImport.objects.filter(
                pk=job.pk, status=BulkImportStatus.RUNNING, claimed_until__lt=now).update(
                status=BulkImportStatus.PENDING):
            continue
        try:
            bulk_import_run_task.delay(job.pk)
        except Exception:
            logger.warning("bulk import %s not enqueued (broker unavailable?); the next sweep retries", job.pk,
                           exc_info=True)
            continue
        counts["requeued"] += 1
    return counts


def bulk_import_fail(*, job_id: int, reason: str) -> None:
    """Called when the task gives up: the uploader sees a final state instead of a job stuck in progress."""
    BulkImport.objects.filter(pk=job_id).exclude(status=BulkImportStatus.DONE).update(
        status=BulkImportStatus.FAILED, error_code="import_failed", error_detail=reason[:400],
        finished_at=timezone.now())


# --- sweeps (beat) -----------------------------------------------------------------------------------------------


def grants_warn_expiring(*, days: int = 3) -> int:
    """Warn partners a few days before a grant expires; each grant is claimed once (conditional update)."""
    now = timezone.now()
    due = AccessGrant.objects.filter(revoked_at__isnull=True, expiry_warned_at__isnull=True, expires_at__gt=now,
                                     expires_at__lte=now + timedelta(days=days))
    warned = 0
    for grant in due.select_related("room__asset"):
        with transaction.atomic():
            if not AccessGrant.objects.filter(pk=grant.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now):
                continue
            notify(kind="dataroom.access_expiring", recipients=_company_people(grant.company_id, grant.user),
                   target=grant.room, context={**_room_context(grant.room),
                                               "expires": grant.expires_at.date().isoformat()})
            warned += 1
    return warned


def grants_record_expired() -> int:
    """Expiry already took effect in every query; this records it once in the audit trail and tells the partner."""
    now = timezone.now()
    recorded = 0
    for grant in AccessGrant.objects.filter(revoked_at__isnull=True, expires_at__lte=now,
                                            expired_recorded_at__isnull=True).select_related("room__asset"):
        with transaction.atomic():
            if not AccessGrant.objects.filter(pk=grant.pk, expired_recorded_at__isnull=True).update(
                expired_recorded_at=now
            ):
                continue
            audit_record(action=A.GRANT_EXPIRED, actor=None, target=grant, company=grant.room.owner_company,
                         details={"grantee": grant.company_id, "expired_at": grant.expires_at.isoformat()})
            notify(kind="dataroom.access_expired", recipients=_company_people(grant.company_id, grant.user),
                   target=grant.room, context={**_room_context(grant.room),
                                               "expires": grant.expires_at.date().isoformat()})
            recorded += 1
    return recorded


def clearance_recorded(*, actor: Any, clearance: ExportClearance) -> None:
    """Audit hook for the admin: a compliance officer recorded or changed a clearance."""
    audit_record(action=A.CLEARANCE_RECORDED, actor=actor, target=clearance.room, company=clearance.company,
                 details={"type": clearance.clearance_type, "reference": clearance.reference,
                          "valid_until": clearance.valid_until.isoformat()})

