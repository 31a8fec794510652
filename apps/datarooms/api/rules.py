"""Refusals of schema-valid requests, per operation: rules no OpenAPI schema can state (a file's bytes, a
time in the future, a folder of the same room). For clients, and for the API fuzzer's allow-list
(tests/fuzz/test_schemathesis.py BUSINESS_RULES)."""

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
