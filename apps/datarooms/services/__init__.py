"""Writes for data rooms, one module per subject. Each service re-checks the actor's right inside its transaction
(through apps/datarooms/access.py, like the API's restricted querysets), records an audit event with the act,
and queues its notifications in the same transaction (outbox).

    rooms      rooms, the CDA, the folder tree
    documents  uploads, versions (made in one place: version_create), renames, deletion
    hand_out   one view or download: check, stamp, record
    grants     access requests, grants, the expiry sweeps, the clearance hook
    questions  Q&A and the FAQ
    imports    zip uploads imported in the background

Callers import from here (`from apps.datarooms.services import grant_revoke`); the names below are the API.
"""

# Rules of apps/datarooms/access.py that callers have always found here: the export gate (the console), who may
# ask for a room (the request serializer) and the other apps' admissions to asking (financing).
from ..access import REQUEST_ADMISSIONS, export_gate_missing, may_request_access
from .common import BUSINESS_RULE_CODES, UploadRefusedError, upload_limits
from .documents import (
    document_delete,
    document_update,
    document_upload,
    document_version_upload,
    version_create,
    version_forget_stamp_template,
    version_stamp_template,
)
from .grants import (
    access_request_approve,
    access_request_create,
    access_request_deny,
    access_request_withdraw,
    clearance_recorded,
    grant_create,
    grant_release_folders,
    grant_revoke,
    grant_revoke_by_staff,
    grant_update,
    grants_record_expired,
    grants_warn_expiring,
)
from .hand_out import (
    ExportBlocked,
    Handout,
    HandoutPlan,
    document_hand_out,
    document_hand_out_check,
    document_hand_out_record,
    download_limit_reached,
)
from .imports import (
    bulk_import_create,
    bulk_import_fail,
    bulk_import_lease,
    bulk_import_max_attempts,
    bulk_import_run,
    bulk_imports_sweep,
)
from .questions import question_answer, question_ask, question_publish
from .rooms import cda_accept, cda_publish, folder_create, folder_delete, folder_update, room_create, room_update

__all__ = [
    "BUSINESS_RULE_CODES", "REQUEST_ADMISSIONS", "ExportBlocked", "Handout", "HandoutPlan", "UploadRefusedError",
    "access_request_approve", "access_request_create", "access_request_deny", "access_request_withdraw",
    "bulk_import_create", "bulk_import_fail", "bulk_import_lease", "bulk_import_max_attempts", "bulk_import_run",
    "bulk_imports_sweep", "cda_accept", "cda_publish", "clearance_recorded", "document_delete", "document_hand_out",
    "document_hand_out_check", "document_hand_out_record", "document_update", "document_upload",
    "document_version_upload", "download_limit_reached", "export_gate_missing", "folder_create", "folder_delete",
    "folder_update", "grant_create", "grant_release_folders", "grant_revoke", "grant_revoke_by_staff",
    "grant_update", "grants_record_expired", "grants_warn_expiring", "may_request_access", "question_answer",
    "question_ask", "question_publish", "room_create", "room_update", "upload_limits", "version_create",
    "version_forget_stamp_template", "version_stamp_template",
]
