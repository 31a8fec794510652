"""Reads for data rooms: every selector returns an already-restricted queryset or restricted rows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from apps.core.authz import VIEW

from .models import DataRoom, Document, DocumentAccess, DocumentAccessKind, DocumentVersion


def documents_for(user: Any) -> QuerySet[Document]:
    return Document.objects.for_user(user, VIEW).select_related("current_version", "folder", "room")


def versions_for(user: Any, document: Document) -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.for_user(user, VIEW).filter(document=document)


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
