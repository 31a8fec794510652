"""Rooms, their confidentiality agreement and their folder tree: opening a room, publishing and accepting the CDA,
adding, renaming, holding back and deleting folders."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.catalog.models import Asset
from apps.companies.models import MANAGING_ROLES, Company, Membership
from apps.core.authz import VIEW, require_permission
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from .. import audit_actions as A
from ..access import CONTRIBUTE, MANAGE, partner_grant, room_scope
from ..files.names import clean_filename
from ..models import CdaAcceptance, CdaVersion, DataRoom, Document, Folder, FolderClosure
from .common import refuse_non_partner


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
    require_permission(actor, MANAGE, room)
    for key in ("name", "description"):
        if key in fields:
            setattr(room, key, fields[key])
    room.save()
    audit_record(action=A.ROOM_UPDATED, actor=actor, target=room, company=room.owner_company,
                 details={"changed": sorted(fields)})
    return room


@transaction.atomic
def cda_publish(*, actor: Any, room: DataRoom, text_en: str, text_zh: str) -> CdaVersion:
    """A new CDA version becomes current; every partner must accept it before seeing anything again."""
    room = DataRoom.objects.select_for_update().get(pk=room.pk)
    require_permission(actor, MANAGE, room)
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
    grant = partner_grant(room_scope(actor), room.pk)
    if grant is None:
        refuse_non_partner(actor, room)
    company = Company.objects.get(pk=grant.company_id)
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


@transaction.atomic
def folder_create(*, actor: Any, room: DataRoom, name: str, parent: Folder | None = None,
                  held_back: bool = False) -> Folder:
    """Contributors add folders; the closure rows make subtree checks one join."""
    require_permission(actor, CONTRIBUTE, room)
    if parent is not None and parent.room_id != room.pk:
        raise ValidationFailed(_("The parent folder belongs to another data room."), code="wrong_room",
                               fields={"parent": [_("Not in this data room.")]})
    folder = folder_get_or_create(room=room, parent=parent, name=name, held_back=held_back, must_be_new=True)
    audit_record(action=A.FOLDER_CREATED, actor=actor, target=folder, company=room.owner_company,
                 details={"room": room.pk, "held_back": held_back})
    return folder


def folder_get_or_create(*, room: DataRoom, parent: Folder | None, name: str, held_back: bool = False,
                          must_be_new: bool = False) -> Folder:
    """The folder `name` under `parent`, made (with its closure rows) if it is not there yet. No permission
    check: for services that have made theirs (folder_create, the bulk import)."""
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
    require_permission(actor, MANAGE, folder)
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
    require_permission(actor, MANAGE, folder)
    subtree = FolderClosure.objects.filter(ancestor=folder).values("descendant_id")
    if Document.objects.filter(folder_id__in=subtree).exists():
        raise Conflict(_("The folder still holds documents."), code="folder_not_empty")
    audit_record(action=A.FOLDER_DELETED, actor=actor, target=folder, company=folder.room.owner_company)
    folder.delete()
