"""Audit action codes the data rooms emit (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

ROOM_CREATED = action("dataroom.room_created", _("Data room created"))
ROOM_UPDATED = action("dataroom.room_updated", _("Data room updated"))
FOLDER_CREATED = action("dataroom.folder_created", _("Folder created"))
FOLDER_UPDATED = action("dataroom.folder_updated", _("Folder updated"))
FOLDER_DELETED = action("dataroom.folder_deleted", _("Folder deleted"))
DOCUMENT_UPLOADED = action("dataroom.document_uploaded", _("Document uploaded"))
DOCUMENT_VERSION_UPLOADED = action("dataroom.document_version_uploaded", _("New document version uploaded"))
DOCUMENT_UPDATED = action("dataroom.document_updated", _("Document updated"))
DOCUMENT_DELETED = action("dataroom.document_deleted", _("Document deleted"))
DOCUMENT_VIEWED = action("dataroom.document_viewed", _("Document viewed"))
DOCUMENT_DOWNLOADED = action("dataroom.document_downloaded", _("Document downloaded"))
UPLOAD_REFUSED = action("dataroom.upload_refused", _("Upload refused"))
BULK_IMPORT_QUEUED = action("dataroom.bulk_import_queued", _("Bulk import queued"))
BULK_IMPORT_DONE = action("dataroom.bulk_import_done", _("Bulk import finished"))
BULK_IMPORT_REFUSED = action("dataroom.bulk_import_refused", _("Bulk import refused"))
CDA_PUBLISHED = action("dataroom.cda_published", _("Confidentiality agreement published"))
CDA_ACCEPTED = action("dataroom.cda_accepted", _("Confidentiality agreement accepted"))
ACCESS_REQUESTED = action("dataroom.access_requested", _("Data room access requested"))
ACCESS_APPROVED = action("dataroom.access_approved", _("Access request approved"))
ACCESS_DENIED = action("dataroom.access_denied", _("Access request declined"))
ACCESS_WITHDRAWN = action("dataroom.access_withdrawn", _("Access request withdrawn"))
GRANT_CREATED = action("dataroom.grant_created", _("Access granted"))
GRANT_UPDATED = action("dataroom.grant_updated", _("Access grant changed"))
GRANT_REVOKED = action("dataroom.grant_revoked", _("Access grant revoked"))
GRANT_EXPIRED = action("dataroom.grant_expired", _("Access grant expired"))
PHASE_CHANGED = action(
    "dataroom.phase_changed", _("Disclosure phase changed"),
)  # staged disclosure: folders released to a partner
DOCUMENT_REFUSED = action(
    "dataroom.document_refused", _("Document view or download refused"),
)  # a denied view/download (export gate, view-only, ...)
QUESTION_ASKED = action("dataroom.question_asked", _("Question asked"))
QUESTION_ANSWERED = action("dataroom.question_answered", _("Question answered"))
QUESTION_PUBLISHED = action("dataroom.question_published", _("Question published to the FAQ"))
DOWNLOAD_TRACED = action("dataroom.download_traced", _("Download traced"))
REPORT_EXPORTED = action("dataroom.report_exported", _("Data room report exported"))
CLEARANCE_RECORDED = action("dataroom.clearance_recorded", _("Export clearance recorded"))
DOWNLOAD_LIMIT_REACHED = action(
    "dataroom.download_limit_reached", _("Download limit reached"),
)  # a partner hit the view/download rate limit

# Issue 18: the document scan's codes (apps/datarooms/scan/audit_actions.py).
from apps.datarooms.scan.audit_actions import SCAN_CONFIRMED, SCAN_INTERRUPTED, SCAN_OVERRIDDEN  # noqa: E402,F401
