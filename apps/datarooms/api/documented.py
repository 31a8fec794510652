"""Refusals of schema-valid requests, per operation: rules no OpenAPI schema can state (a file's bytes, a
time in the future, a folder of the same room). For clients, and for the API fuzzer's allow-list
(tests/fuzz/test_schemathesis.py BUSINESS_RULES)."""

from django.utils.translation import gettext_lazy as _

from apps.datarooms.files.errors import REASONS as UPLOAD_REFUSALS
from apps.datarooms.services import BUSINESS_RULE_CODES

_UPLOAD = frozenset(UPLOAD_REFUSALS)
# An expiry the schema's date-time allows but no clock holds (year 9999 with a negative offset).
_EXPIRY = {"expiry_out_of_range"}

BUSINESS_RULES: dict[str, set[str]] = {
    "POST /api/v1/dataroom-documents/": {*_UPLOAD, "wrong_room"},
    "POST /api/v1/dataroom-documents/{id}/versions/": set(_UPLOAD),
    "POST /api/v1/dataroom-imports/": {*_UPLOAD, "wrong_room"},
    "POST /api/v1/dataroom-access-requests/{id}/approve/": {*BUSINESS_RULE_CODES, *_EXPIRY},
    "POST /api/v1/dataroom-access-requests/{id}/deny/": {"reason_required"},
    "POST /api/v1/dataroom-grants/": {*BUSINESS_RULE_CODES, *_EXPIRY},
    "PATCH /api/v1/dataroom-grants/{id}/": {*BUSINESS_RULE_CODES, *_EXPIRY},
    "POST /api/v1/dataroom-folders/": {"wrong_room"},
    "PATCH /api/v1/dataroom-documents/{id}/": {"wrong_room"},
    "POST /api/v1/dataroom-questions/": {"wrong_room"},
    "POST /api/v1/dataroom-questions/{id}/answer/": {"answer_required"},
    "POST /api/v1/datarooms/{id}/cda/": {"cda_incomplete"},
}

ERROR_CODES = {
    **{code: message for code, (_status, message) in UPLOAD_REFUSALS.items()},
    "room_exists": _("The asset already has a data room."),
    "cda_incomplete": _("A confidentiality agreement needs both the English and the Chinese text."),
    "no_cda": _("The data room has no confidentiality agreement to accept."),
    "cda_outdated": _("The CDA version you accepted is no longer current: read the current one and accept it."),
    "cda_required": _("Accept the data room's current confidentiality agreement first."),
    "not_a_partner": _("Only a verified company other than the owner may do this."),
    "wrong_room": _("A folder or document named in the request belongs to another data room."),
    "folder_exists": _("A folder with this name already exists there."),
    "folder_not_empty": _("The folder still holds documents."),
    "document_exists": _("A document with this name already exists in the folder."),
    "no_document_access": _("Your grant does not open this document's folder."),
    "export_clearance_required": _("The document is classified (human genetic resources, personal information or "
                                   "important data) and leaves mainland China only under an export clearance for "
                                   "your company; `fields.missing` names what is missing."),
    "view_only": _("Your grant is view-only: view the document instead of downloading it."),
    "view_only_pdf": _("A view-only grant shows PDFs only; ask the owner for download access to this file."),
    "request_pending": _("Your company already has a pending request for this data room."),
    "expiry_in_past": _("The expiry must be in the future."),
    "expiry_out_of_range": _("The expiry is too far in the future."),
    "folders_required": _("Choose at least one folder."),
    "owner_needs_no_grant": _("The owner company needs no grant to its own data room."),
    "not_a_member": _("A person named is not a member of the company."),
    "reason_required": _("Give a reason."),
    "grant_revoked": _("The grant is revoked and cannot change."),
    "answer_required": _("The answer is empty."),
    "not_answered": _("Answer the question before publishing it."),
}

FIELD_EXAMPLES = {
    "DataRoom.name": "LMN-2201 due diligence",
    "DataRoom.description": "Clinical, CMC and IP documents for partnering discussions.",
    "DataRoom.asset_code_name": "LMN-2201",
    "DataRoomCreate.name": "LMN-2201 due diligence",
    "DataRoomUpdate.name": "LMN-2201 due diligence",
    "RoomFolderUpdate.name": "Clinical",
    "RoomDocumentUpdate.name": "Phase 1 clinical study report.pdf",
    "RoomDocumentUpload.name": "Phase 1 clinical study report.pdf",
    "text_en": "The recipient keeps all information in this data room confidential and uses it only to evaluate a "
               "licence of LMN-2201.",
    "text_zh": "接收方应对本数据室中的全部信息保密，且仅可用于评估LMN-2201的许可交易。",
    "RoomFolder.name": "Clinical",
    "RoomFolderCreate.name": "Clinical",
    "RoomDocument.name": "Phase 1 clinical study report.pdf",
    "RoomDocument.classifications": ["clinical"],
    "original_name": "Phase 1 clinical study report.pdf",
    "RoomVersion.content_type": "application/pdf",
    "RoomVersion.kind": "pdf",
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "company_name": "Northbridge Pharma",
    "RoomAccessRequest.message": "Rhine Valley would like to evaluate EU rights for LMN-2201.",
    "RoomAccessRequestCreate.message": "Rhine Valley would like to evaluate EU rights for LMN-2201.",
    "RoomBulkImport.error_code": "",
    "RoomBulkImport.error_detail": "",
    "RoomQuestion.text": "Which stability conditions does the 12-month drug substance study cover?",
    "RoomQuestionCreate.text": "Which stability conditions does the 12-month drug substance study cover?",
    "RoomQuestion.answer": "25 °C/60% RH and 40 °C/75% RH; the report is in the CMC folder.",
    "RoomAnswer.answer": "25 °C/60% RH and 40 °C/75% RH; the report is in the CMC folder.",
    "download_id": "3f9c2a7e81d04b6c",
    "ip_address": "203.0.113.24",
    "person": "Nora Northbridge",
    "RoomEngagementRow.company": "Northbridge Pharma",
    "RoomEngagementRow.document": "Phase 1 clinical study report.pdf",
}

# Issue 18: the document scan's operations (apps/datarooms/scan/api/documented.py).
from apps.datarooms.scan.api import documented as _scan_documented  # noqa: E402

BUSINESS_RULES.update(_scan_documented.BUSINESS_RULES)
ERROR_CODES.update(_scan_documented.ERROR_CODES)
FIELD_EXAMPLES.update(_scan_documented.FIELD_EXAMPLES)
