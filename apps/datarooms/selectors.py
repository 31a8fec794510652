"""Reads for data rooms: every selector returns an already-restricted queryset or restricted rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from apps.core.authz import VIEW

from .models import (
    MANAGE,
    AccessGrant,
    AccessRequest,
    BulkImport,
    CdaVersion,
    DataRoom,
    Document,
    DocumentAccess,
    DocumentAccessKind,
    DocumentVersion,
    Folder,
    Question,
    room_scope,
)


def rooms_for(user: Any) -> QuerySet[DataRoom]:
    return DataRoom.objects.for_user(user, VIEW).select_related("asset", "owner_company", "current_cda")


def folders_for(user: Any) -> QuerySet[Folder]:
    return Folder.objects.for_user(user, VIEW)


def documents_for(user: Any) -> QuerySet[Document]:
    return Document.objects.for_user(user, VIEW).select_related("current_version", "folder", "room")


def versions_for(user: Any, document: Document) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.for_user(user, VIEW).filter(document=document)


def access_requests_for(user: Any) -> QuerySet[AccessRequest]:
    return AccessRequest.objects.for_user(user, VIEW).select_related("room", "company", "requested_by")


def grants_for(user: Any) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.for_user(user, VIEW).select_related("room", "company", "user").prefetch_related(
        "folders")


def questions_for(user: Any) -> QuerySet[Question]:
    return Question.objects.for_user(user, VIEW).select_related("company", "asked_by", "answered_by")


def imports_for(user: Any) -> QuerySet[BulkImport]:
    return BulkImport.objects.for_user(user, VIEW)


def download_traces_for(user: Any) -> QuerySet[DocumentAccess]:
    return DocumentAccess.objects.for_user(user, VIEW).select_related("user", "company", "document", "version")


def engagement_report(*, room: DataRoom) -> list[dict[str, Any]]:
    """Per partner company and per document: views, downloads, last activity. Owner-side only (callers
    check MANAGE on the room); rows are aggregated in SQL."""
    rows = (
        DocumentAccess.objects.filter(room=room)
        .exclude(company_id=room.owner_company_id)
        .values("company_id", "company__name_en", "document_id", "document__name")
        .annotate(
            views=Count("pk", filter=Q(kind=DocumentAccessKind.VIEW)),
            downloads=Count("pk", filter=Q(kind=DocumentAccessKind.DOWNLOAD)),
            last_activity=Max("created_at"),
        )
        .order_by("company__name_en", "document__name")
    )
    return [
        {
            "company_id": r["company_id"], "company": r["company__name_en"] or "",
            "document_id": r["document_id"], "document": r["document__name"],
            "views": r["views"], "downloads": r["downloads"],
            "last_activity": r["last_activity"].isoformat() if r["last_activity"] else None,
        }
        for r in rows
    ]


def managed_rooms_for(user: Any) -> QuerySet[DataRoom]:
    return DataRoom.objects.for_user(user, MANAGE)


def cda_pending_rooms(user: Any) -> set[int]:
    """Rooms the person holds an active grant to but whose current CDA they have not accepted (yet)."""
    scope = room_scope(user)
    return set(scope.granted_rooms) - set(scope.cleared_rooms)


def cda_required_for_document(user: Any, pk: Any) -> CdaVersion | None:
    """The CDA to accept when `user` may not see document `pk` only because they have not accepted its room's
    current CDA: the same rule as Document.access_q, read as if every CDA were accepted. None otherwise (the
    document is not theirs to see either way, or does not exist): those stay a plain 404."""
    if not (isinstance(pk, str) and pk.isdigit() and len(pk) < 19):  # a malformed or out-of-range id: a 404
        return None
    pending = cda_pending_rooms(user)
    if not pending:
        return None
    assumed = room_scope(user, cda_accepted_everywhere=True)
    document = (Document.objects.for_user(user, VIEW, scope=assumed).filter(pk=pk, room_id__in=pending)
                .select_related("room__current_cda").first())
    return document.room.current_cda if document is not None else None


def cda_required_for_room(user: Any, room_id: int) -> CdaVersion | None:
    """The room's current CDA when `user` holds a grant to it but has not accepted that CDA; None otherwise."""
    if room_id not in cda_pending_rooms(user):
        return None
    return DataRoom.objects.filter(pk=room_id).select_related("current_cda").get().current_cda
