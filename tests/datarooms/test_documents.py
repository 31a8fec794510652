"""Uploads, versions and taking documents out, through the API."""

import io
import os
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.datarooms import services
from apps.datarooms.models import BulkImport, Document, DocumentAccess, DocumentVersion
from tests.datarooms.hostile import GOOD, HOSTILE, Case, good_pdf, zip_bytes, zip_with_chinese_gbk_names
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(settings.STORAGES["private"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _upload(client, folder, data: bytes, filename: str):
    return client.post("/api/v1/dataroom-documents/",
                       {"folder": folder.pk, "file": SimpleUploadedFile(filename, data)}, format="multipart")


@pytest.mark.parametrize("case", [c for c in HOSTILE if not c.bulk], ids=lambda c: c.id)
def test_hostile_upload_answers_4xx_and_stores_nothing(world, settings, case: Case):
    room = build_room(world)
    if "max_bytes" in case.limits:
        settings.UPLOAD_MAX_BYTES = case.limits["max_bytes"]
    before_files, before_versions = set(_stored_files()), DocumentVersion.objects.count()
    response = _upload(world.client("admin"), room.clinical, case.content(), case.filename)
    assert 400 <= response.status_code < 500, response.content[:300]
    if case.id != "nul_truncation_name":
        assert response.json()["error"]["code"] == case.code
    assert set(_stored_files()) == before_files
    assert DocumentVersion.objects.count() == before_versions
    assert AuditEvent.objects.filter(action="dataroom.upload_refused").exists()


# Archives whose limit is only reachable through ZipLimits are covered by the pure file-layer tests.
@pytest.mark.parametrize("case", [c for c in HOSTILE if c.bulk and "zip_max_total_bytes" not in c.limits],
                         ids=lambda c: c.id)
def test_hostile_archive_is_refused_whole_and_nothing_is_imported(world, settings, case: Case):
    room = build_room(world)
    docs_before, files_before = Document.objects.count(), set(_stored_files())
    response = world.client("admin").post(
        "/api/v1/dataroom-imports/", {"room": room.room.pk, "file": SimpleUploadedFile(case.filename, case.content())},
        format="multipart")
    if response.status_code == 202:
        # The layout was fine; an entry is bad: the background import refuses the archive whole.
        job = services.bulk_import_run(job_id=response.json()["id"])
        assert job.status == "failed" and job.error_code == case.code
    else:
        assert 400 <= response.status_code < 500
        assert response.json()["error"]["code"] == case.code
    assert Document.objects.count() == docs_before
    assert set(_stored_files()) == files_before


@pytest.mark.parametrize(("filename", "build", "kind"), GOOD, ids=[g[0] for g in GOOD])
def test_good_upload_is_stored_under_a_random_name_with_its_checksum(world, filename, build, kind):
    room = build_room(world)
    folder = services.folder_create(actor=world.admin, room=room.room, name="Uploads")
    data = build()
    response = _upload(world.client("member"), folder, data, filename)
    assert response.status_code == 201, response.content[:300]
    version = Document.objects.get(pk=response.json()["id"]).current_version
    assert version.kind == kind
    import hashlib

    assert version.sha256 == hashlib.sha256(data).hexdigest() and version.size == len(data)
    stored_as = os.path.basename(version.storage_name)
    assert filename.split(".")[0] not in stored_as
    assert stored_as.isalnum() and len(stored_as) == 32


def test_new_version_becomes_current_and_old_stays_readable_to_the_owner(world):
    room = build_room(world, grant="download")
    response = world.client("member").post(f"/api/v1/dataroom-documents/{room.csr.pk}/versions/",
                                           {"file": SimpleUploadedFile("csr.pdf", good_pdf(5))}, format="multipart")
    assert response.status_code == 201 and response.json()["number"] == 2
    listed = world.client("viewer").get(f"/api/v1/dataroom-documents/{room.csr.pk}/versions/").json()["results"]
    assert [v["number"] for v in listed] == [2, 1]
    assert world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/versions/").status_code == 403
    text = _pdf_texts(world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/"))
    assert len(text) == 5


def _pdf_texts(response) -> list[str]:
    body = b"".join(response.streaming_content)
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages]


def _assert_every_page_stamped(response, *, pages: int) -> None:
    """All `pages` pages came back (an empty or truncated PDF is no proof) and each carries the download id."""
    texts = _pdf_texts(response)
    assert len(texts) == pages
    assert [response["X-Download-Id"] in text for text in texts] == [True] * pages


def test_every_downloaded_page_names_the_person_and_the_download_id(world):
    room = build_room(world, grant="download")
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    download_id = response["X-Download-Id"]
    pages = _pdf_texts(response)
    assert len(pages) == 3
    for text in pages:
        assert "Nora Northbridge" in text and "member@northbridge.test" in text
        assert download_id in text and "Northbridge Pharma" in text


def test_download_id_leads_the_owner_back_to_who_took_it(world):
    room = build_room(world, grant="download")
    download_id = world.client("other_member").get(
        f"/api/v1/dataroom-documents/{room.csr.pk}/download/")["X-Download-Id"]
    trace = world.client("admin").get(f"/api/v1/dataroom-downloads/{download_id}/").json()
    assert trace["email"] == "member@northbridge.test"
    assert trace["company"] == world.partner.pk and trace["kind"] == "download"
    assert world.client("other_member").get(f"/api/v1/dataroom-downloads/{download_id}/").status_code == 404


def test_other_files_stream_as_stored_as_attachments(world):
    room = build_room(world, grant="download")
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"patient,arm")
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="listings.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_accel_redirect_hands_non_pdf_files_to_nginx(world, settings):
    settings.DOWNLOAD_X_ACCEL_PREFIX = "/_protected/"
    room = build_room(world, grant="download")
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/")
    assert response["X-Accel-Redirect"] == "/_protected/" + room.listings.current_version.storage_name
    assert response.content == b""


def test_chinese_document_name_in_content_disposition(world):
    room = build_room(world, grant="download")
    services.document_update(actor=world.admin, document=room.listings, name="临床数据.csv")
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.listings.pk}/download/")
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_n_views_and_downloads_leave_exactly_n_audit_events(world):
    room = build_room(world, grant="download")
    client = world.client("other_member")
    before = AuditEvent.objects.filter(action__in=["dataroom.document_viewed", "dataroom.document_downloaded"]).count()
    for i in range(7):
        kind = "view" if i % 2 else "download"
        response = client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/{kind}/")
        assert response.status_code == 200
        b"".join(response.streaming_content)
    after = AuditEvent.objects.filter(action__in=["dataroom.document_viewed", "dataroom.document_downloaded"]).count()
    assert after - before == 7
    assert DocumentAccess.objects.filter(user=world.other_member).count() == 7


def test_engagement_report_per_partner_and_document_as_json_and_csv(world):
    room = build_room(world, grant="download")
    client = world.client("other_member")
    for kind in ("view", "view", "download"):
        b"".join(client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/{kind}/").streaming_content)
    rows = world.client("owner").get(f"/api/v1/datarooms/{room.room.pk}/engagement/").json()["results"]
    assert rows == [{"company_id": world.partner.pk, "company": "Northbridge Pharma", "document_id": room.csr.pk,
                     "document": "csr.pdf", "views": 2, "downloads": 1, "last_activity": rows[0]["last_activity"]}]
    csv = world.client("owner").get(f"/api/v1/datarooms/{room.room.pk}/engagement/?export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert "Northbridge Pharma" in csv.content.decode()


def test_bulk_import_creates_the_tree_and_reports_progress(world):
    room = build_room(world)
    archive = zip_bytes([("Safety/Q1/ae-listing.csv", b"id,term\n1,rash\n"), ("Safety/summary.pdf", good_pdf(1)),
                         ("__MACOSX/._summary.pdf", b"junk")])
    response = world.client("member").post("/api/v1/dataroom-imports/",
                                           {"room": room.room.pk, "file": SimpleUploadedFile("tree.zip", archive)},
                                           format="multipart")
    assert response.status_code == 202 and response.json()["status"] == "pending"
    job = services.bulk_import_run(job_id=response.json()["id"])
    assert (job.status, job.created_documents, job.total_files, job.processed_files) == ("done", 2, 2, 2)
    assert Document.objects.filter(room=room.room, folder__name="Q1", name="ae-listing.csv").exists()
    progress = world.client("member").get(f"/api/v1/dataroom-imports/{job.pk}/").json()
    assert progress["status"] == "done"
    assert services.bulk_import_run(job_id=job.pk) is None  # a repeated task does nothing


def test_bulk_import_keeps_chinese_names(world):
    room = build_room(world)
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=room.clinical,
                                      f=io.BytesIO(zip_with_chinese_gbk_names()), filename="资料.zip")
    services.bulk_import_run(job_id=job.pk)
    assert Document.objects.filter(folder__name="临床", name="研究报告.txt").exists()


def test_bulk_import_refuses_whole_when_a_name_already_exists(world):
    room = build_room(world)
    archive = zip_bytes([("new.txt", b"x"), ("csr.pdf", good_pdf(1))])
    job = services.bulk_import_create(actor=world.admin, room=room.room, parent=room.clinical,
                                      f=io.BytesIO(archive), filename="tree.zip")
    files_before = set(_stored_files())
    job = services.bulk_import_run(job_id=job.pk)
    assert job.status == "failed"
    assert not Document.objects.filter(name="new.txt").exists()
    assert set(_stored_files()) <= files_before
    assert BulkImport.objects.get(pk=job.pk).error_code == "zip_duplicate_name"


def test_folder_with_documents_cannot_be_deleted(world):
    room = build_room(world)
    assert world.client("admin").delete(f"/api/v1/dataroom-folders/{room.clinical.pk}/").status_code == 409


def test_owner_deletes_a_document_and_its_bytes(world, django_capture_on_commit_callbacks):
    room = build_room(world)
    path = Path(settings.STORAGES["private"]["OPTIONS"]["location"]) / room.listings.current_version.storage_name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert world.client("admin").delete(f"/api/v1/dataroom-documents/{room.listings.pk}/").status_code == 204
    assert not path.exists()


def test_refusal_reason_is_in_the_callers_language(world):
    room = build_room(world)
    client = world.client("admin", language="zh-hans")
    response = _upload(client, room.clinical, b"MZ\x90\x00" + b"\x00" * 64, "tool.exe")
    assert response.status_code == 415
    assert response.json()["error"] == {"code": "executable", "message": "不接受可执行文件和脚本。", "fields": {}}


def test_versions_without_a_template_get_one_on_first_download(world):
    room = build_room(world, grant="download")
    DocumentVersion.objects.filter(pk=room.csr.current_version_id).update(stamp_template_name="", stamp_template={})
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 200
    _assert_every_page_stamped(response, pages=3)
    assert DocumentVersion.objects.get(pk=room.csr.current_version_id).stamp_template_name


def test_download_falls_back_to_pikepdf_when_no_template_can_be_made(world, monkeypatch):
    from apps.datarooms.services import documents as document_services

    room = build_room(world, grant="download")
    DocumentVersion.objects.filter(pk=room.csr.current_version_id).update(stamp_template_name="", stamp_template={})

    def broken(*args, **kwargs):
        raise RuntimeError("template builder down")

    monkeypatch.setattr(document_services, "build_template", broken)
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 200
    _assert_every_page_stamped(response, pages=3)


def test_a_missing_template_is_forgotten_and_the_download_still_stamped(world):
    room = build_room(world, grant="download")
    version = room.csr.current_version
    Path(settings.STORAGES["private"]["OPTIONS"]["location"], version.stamp_template_name).unlink()
    response = world.client("other_member").get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/")
    assert response.status_code == 200
    _assert_every_page_stamped(response, pages=3)
    assert DocumentVersion.objects.get(pk=version.pk).stamp_template_name == ""
