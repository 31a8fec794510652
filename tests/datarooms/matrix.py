"""Authorization-matrix rows for every data-room operation (see tests/authz/matrix.py).

Personas: Lumina (licensor) owner/admin manage, member contributes, viewer reads; other_member is
Northbridge (partner), granted where the row says so; outsider has no company; staff run the platform.
"""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.datarooms import services
from apps.datarooms.models import AccessRequest
from tests.authz.matrix import Row, expect
from tests.datarooms.hostile import good_pdf, zip_bytes
from tests.datarooms.rooms import build_room, make_asset

MANAGERS = {"owner": 200, "admin": 200}
INSIDERS = {"owner": 200, "admin": 200, "member": 200, "viewer": 200}


def _granted(world, level="download", **kw):
    return build_room(world, grant=level, **kw)


def _room_id(world):
    return {"id": _granted(world).room.pk}


def _room_no_grant(world):
    return {"id": build_room(world).room.pk}


def _room_with_cda(world):
    return {"id": build_room(world, grant="download", cda=True).room.pk}


def _clinical(world):
    return {"id": _granted(world).clinical.pk}


def _held_back(world):
    return {"id": _granted(world).cmc.pk}


def _empty_folder(world):
    room = _granted(world)
    return {"id": services.folder_create(actor=world.admin, room=room.room, name="Empty").pk}


def _csr(world):
    return {"id": _granted(world).csr.pk}


def _csr_view_only(world):
    return {"id": _granted(world, "view").csr.pk}


def _import(world):
    room = _granted(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=None,
                                      f=_zip_file(), filename="tree.zip")
    return {"id": job.pk}


def _zip_file():
    import io

    return io.BytesIO(zip_bytes([("Clinical/extra.txt", b"more data")]))


def _pending_request(world):
    room = build_room(world)
    request = AccessRequest.objects.create(room=room.room, company=world.partner, requested_by=world.other_member,
                                           message="We would like to run diligence.")
    return {"id": request.pk}


def _grant(world):
    return {"id": _granted(world).grant.pk}


def _question(world):
    room = _granted(world)
    question = services.question_ask(actor=world.other_member, room=room.room, text="What is the ORR?")
    world.extra["question"] = question
    return {"id": question.pk}


def _answered_question(world):
    params = _question(world)
    services.question_answer(actor=world.admin, question=world.extra["question"], answer="42% in 2L NSCLC.")
    return params


def _download_id(world):
    room = _granted(world)
    handout = services.document_hand_out(actor=world.other_member, document=room.csr, kind="download")
    return {"download_id": handout.access.download_id}


def _future():
    return (timezone.now() + timedelta(days=20)).isoformat()


def _new_asset_body(world, persona):
    return {"asset": make_asset(world, "LMN-3301").pk, "name": "LMN-3301 diligence"}


def _upload_body(world, persona):
    return {"folder": world.extra["room"].clinical.pk,
            "file": SimpleUploadedFile("protocol.pdf", good_pdf(1), content_type="application/pdf")}


def _version_body(world, persona):
    return {"file": SimpleUploadedFile("csr-v2.pdf", good_pdf(2), content_type="application/pdf")}


def _import_body(world, persona):
    return {"room": world.extra["room"].room.pk, "file": SimpleUploadedFile("tree.zip", _zip_file().getvalue())}


DENIED_TO_OTHERS = dict(member=403, viewer=403, other_member=403, staff=403, outsider=404)
MANAGE_ONLY = expect(403, outsider=404, owner=200, admin=200)
GRANT_MANAGE = expect(404, owner=200, admin=200, other_member=403, staff=403)

ROWS = [
    # rooms
    Row("GET /api/v1/datarooms/", expect(200)),
    Row("POST /api/v1/datarooms/", expect(403, outsider=404, owner=201, admin=201), body=_new_asset_body),
    Row("GET /api/v1/datarooms/{id}/", expect(200, outsider=404), params=_room_id, variant="partner granted"),
    Row("GET /api/v1/datarooms/{id}/", expect(200, outsider=404, other_member=404), params=_room_no_grant,
        variant="no grant"),
    Row("PATCH /api/v1/datarooms/{id}/", MANAGE_ONLY, params=_room_id, body=lambda w, p: {"name": "Renamed"}),
    Row("POST /api/v1/datarooms/{id}/cda/", expect(403, outsider=404, owner=201, admin=201), params=_room_id,
        body=lambda w, p: {"text_en": "Confidential.", "text_zh": "保密。"}),
    Row("POST /api/v1/datarooms/{id}/accept-cda/", expect(403, outsider=404, other_member=201),
        params=_room_with_cda, body=lambda w, p: {"version": 1}),
    Row("GET /api/v1/datarooms/{id}/engagement/", MANAGE_ONLY, params=_room_id),
    # folders
    Row("GET /api/v1/dataroom-folders/", expect(200)),
    Row("POST /api/v1/dataroom-folders/", expect(403, outsider=404, owner=201, admin=201, member=201),
        params=_room_id, body=lambda w, p: {"room": w.extra["room"].room.pk, "name": "Regulatory"}),
    Row("GET /api/v1/dataroom-folders/{id}/", expect(200, outsider=404), params=_clinical, variant="in scope"),
    Row("GET /api/v1/dataroom-folders/{id}/", expect(200, outsider=404, other_member=404), params=_held_back,
        variant="held back"),
    Row("PATCH /api/v1/dataroom-folders/{id}/", MANAGE_ONLY, params=_clinical, body=lambda w, p: {"name": "Clin"}),
    Row("DELETE /api/v1/dataroom-folders/{id}/", expect(403, outsider=404, owner=204, admin=204),
        params=_empty_folder),
    # documents
    Row("GET /api/v1/dataroom-documents/", expect(200)),
    Row("POST /api/v1/dataroom-documents/", expect(403, outsider=404, owner=201, admin=201, member=201),
        params=_room_id, body=_upload_body, multipart=True),
    Row("GET /api/v1/dataroom-documents/{id}/", expect(200, outsider=404), params=_csr),
    Row("PATCH /api/v1/dataroom-documents/{id}/", expect(403, outsider=404, owner=200, admin=200, member=200),
        params=_csr, body=lambda w, p: {"classifications": ["clinical", "personal_information"]}),
    Row("DELETE /api/v1/dataroom-documents/{id}/", expect(403, outsider=404, owner=204, admin=204), params=_csr),
    Row("GET /api/v1/dataroom-documents/{id}/versions/", expect(200, outsider=404, other_member=403), params=_csr),
    Row("POST /api/v1/dataroom-documents/{id}/versions/",
        expect(403, outsider=404, owner=201, admin=201, member=201), params=_csr, body=_version_body,
        multipart=True),
    Row("GET /api/v1/dataroom-documents/{id}/download/", expect(200, outsider=404, staff=403), params=_csr),
    Row("GET /api/v1/dataroom-documents/{id}/download/", expect(200, outsider=404, staff=403, other_member=403),
        params=_csr_view_only, variant="view-only grant"),
    Row("GET /api/v1/dataroom-documents/{id}/view/", expect(200, outsider=404, staff=403), params=_csr_view_only),
    # bulk import
    Row("GET /api/v1/dataroom-imports/", expect(200)),
    Row("POST /api/v1/dataroom-imports/", expect(403, outsider=404, owner=202, admin=202, member=202),
        params=_room_id, body=_import_body, multipart=True),
    Row("GET /api/v1/dataroom-imports/{id}/", expect(404, owner=200, admin=200, member=200, staff=200),
        params=_import),
    # access requests
    Row("GET /api/v1/dataroom-access-requests/", expect(200)),
    Row("POST /api/v1/dataroom-access-requests/", expect(403, outsider=404, other_member=201),
        params=lambda w: {"asset": build_room(w).asset.pk},
        body=lambda w, p: {"asset": w.extra["room"].asset.pk, "message": "Interested in ex-China rights."}),
    Row("GET /api/v1/dataroom-access-requests/{id}/", expect(404, owner=200, admin=200, other_member=200, staff=200),
        params=_pending_request),
    Row("POST /api/v1/dataroom-access-requests/{id}/approve/",
        expect(404, owner=201, admin=201, other_member=403, staff=403), params=_pending_request,
        body=lambda w, p: {"level": "view", "scope": "room", "expires_at": _future()}),
    Row("POST /api/v1/dataroom-access-requests/{id}/deny/",
        expect(404, owner=200, admin=200, other_member=403, staff=403), params=_pending_request,
        body=lambda w, p: {"reason": "Rights already optioned."}),
    Row("POST /api/v1/dataroom-access-requests/{id}/withdraw/",
        expect(404, owner=403, admin=403, other_member=200, staff=403), params=_pending_request),
    # grants
    Row("GET /api/v1/dataroom-grants/", expect(200)),
    Row("POST /api/v1/dataroom-grants/", expect(403, outsider=404, other_member=404, owner=201, admin=201),
        params=_room_no_grant,
        body=lambda w, p: {"room": w.extra["room"].room.pk, "company": w.partner.pk, "level": "download",
                           "expires_at": _future()}),
    Row("GET /api/v1/dataroom-grants/{id}/", expect(404, owner=200, admin=200, other_member=200, staff=200),
        params=_grant),
    Row("PATCH /api/v1/dataroom-grants/{id}/", GRANT_MANAGE, params=_grant, body=lambda w, p: {"level": "view"}),
    Row("POST /api/v1/dataroom-grants/{id}/revoke/", GRANT_MANAGE, params=_grant),
    Row("POST /api/v1/dataroom-grants/{id}/release-folders/", GRANT_MANAGE, params=_grant,
        body=lambda w, p: {"folders": [w.extra["room"].cmc.pk]}),
    # Q&A
    Row("GET /api/v1/dataroom-questions/", expect(200)),
    Row("POST /api/v1/dataroom-questions/", expect(403, outsider=404, other_member=201), params=_room_id,
        body=lambda w, p: {"room": w.extra["room"].room.pk, "text": "Is the CMC package GMP?"}),
    Row("GET /api/v1/dataroom-questions/{id}/", expect(200, outsider=404), params=_question),
    Row("POST /api/v1/dataroom-questions/{id}/answer/",
        expect(403, outsider=404, owner=200, admin=200, member=200), params=_question,
        body=lambda w, p: {"answer": "Yes, GMP lots since 2024."}),
    Row("POST /api/v1/dataroom-questions/{id}/publish/", MANAGE_ONLY, params=_answered_question,
        body=lambda w, p: {"publish": True}),
    # download traces
    Row("GET /api/v1/dataroom-downloads/", expect(200)),
    Row("GET /api/v1/dataroom-downloads/{download_id}/", expect(404, owner=200, admin=200, staff=200),
        params=_download_id),
]

# Issue 18: the document scan's operations (tests/datarooms/scan_matrix.py).
from tests.datarooms.scan_matrix import ROWS as SCAN_ROWS  # noqa: E402

ROWS += SCAN_ROWS
