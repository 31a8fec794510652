"""Authorization-matrix rows of the scan operations (added to tests/datarooms/matrix.py ROWS).

The scan is the owner company's business: its people read it, its managers decide, partners (even with a
download grant) and plain staff get 404 — only compliance officers among staff read scans."""

from tests.authz.matrix import Row, expect
from tests.datarooms.scan_world import scan_of, upload_patient_list

INSIDERS_READ = expect(404, owner=200, admin=200, member=200, viewer=200)
MANAGERS_DECIDE = expect(404, owner=200, admin=200, member=403, viewer=403)


def _positive_scan(world):
    return {"id": scan_of(upload_patient_list(world)).pk}


ROWS = [
    Row("GET /api/v1/dataroom-scans/", expect(200)),
    Row("GET /api/v1/dataroom-scans/{id}/", INSIDERS_READ, params=_positive_scan),
    Row("POST /api/v1/dataroom-scans/{id}/confirm/", MANAGERS_DECIDE, params=_positive_scan),
    Row("POST /api/v1/dataroom-scans/{id}/override/", MANAGERS_DECIDE, params=_positive_scan,
        body=lambda w, p: {"classifications": [], "reason": "Synthetic identities generated for a validation run."}),
]
