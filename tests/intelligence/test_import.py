"""CSV/XLSX import through django-import-export: a preview with every row's errors, nothing written before
confirmation, and re-importing the same file changes nothing."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.intelligence.models import DealRecord
from apps.intelligence.resources import IMPORT_COLUMNS

pytestmark = pytest.mark.django_db

GOOD = {
    "reference": "hansoh-gsk-hs20093", "announced_on": "2023-12-20", "licensor_name_en": "Hansoh Pharma",
    "licensor_country": "CN", "licensee_name_en": "GSK", "licensee_country": "GB", "asset_name": "HS-20093",
    "modality": "adc", "therapeutic_area": "oncology", "stage": "phase_1b_2", "deal_type": "exclusive_license",
    "territory": "worldwide_ex_greater_china", "currency": "USD", "upfront": "185000000",
    "milestones_total": "1525000000", "source_url": "https://news.example.test/hansoh-gsk",
    "source_read_on": "2026-11-30",
}


def _csv(rows):
    lines = [",".join(IMPORT_COLUMNS)]
    for row in rows:
        lines.append(",".join(str(row.get(column, "")) for column in IMPORT_COLUMNS))
    return ("\n".join(lines) + "\n").encode()


def _upload(world, content, name="deals.csv"):
    return world.client("staff").post("/api/v1/intelligence/deal-imports/",
                                      {"file": SimpleUploadedFile(name, content)}, format="multipart")


def test_preview_lists_every_rows_errors_and_writes_nothing(world):
    bad_country = {**GOOD, "reference": "bad-country", "licensee_country": "XX"}
    no_source = {**GOOD, "reference": "no-source", "source_url": ""}
    response = _upload(world, _csv([GOOD, bad_country, no_source]))
    assert response.status_code == 201, response.content
    preview = response.json()["preview"]
    assert preview["valid"] is False
    rows = {row["reference"]: row for row in preview["rows"]}
    assert rows["hansoh-gsk-hs20093"]["action"] == "new" and "errors" not in rows["hansoh-gsk-hs20093"]
    assert "licensee_country" in rows["bad-country"]["errors"]
    assert "source_url" in rows["no-source"]["errors"]
    assert rows["no-source"]["row"] == 4  # the spreadsheet's line number
    assert not DealRecord.objects.exists()
    confirm = world.client("staff").post(f"/api/v1/intelligence/deal-imports/{response.json()['id']}/confirm/")
    assert confirm.status_code == 409 and confirm.json()["error"]["code"] == "import_has_errors"
    assert not DealRecord.objects.exists()


def test_confirm_writes_and_reimporting_the_same_file_changes_nothing(world):
    content = _csv([GOOD, {**GOOD, "reference": "second", "asset_name": "HS-20089", "upfront": "85000000",
                           "milestones_total": "1485000000"}])
    first = _upload(world, content)
    assert first.json()["preview"]["totals"]["new"] == 2
    confirmed = world.client("staff").post(f"/api/v1/intelligence/deal-imports/{first.json()['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "imported"
    assert DealRecord.objects.count() == 2
    before = list(DealRecord.objects.order_by("pk").values())
    assert AuditEvent.objects.filter(action="intelligence.import_confirmed").count() == 1

    again = _upload(world, content)
    assert again.json()["preview"]["totals"]["skip"] == 2 and again.json()["preview"]["totals"]["new"] == 0
    world.client("staff").post(f"/api/v1/intelligence/deal-imports/{again.json()['id']}/confirm/")
    assert list(DealRecord.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_its_record(world):
    first = _upload(world, _csv([GOOD]))
    world.client("staff").post(f"/api/v1/intelligence/deal-imports/{first.json()['id']}/confirm/")
    changed = _upload(world, _csv([{**GOOD, "royalty_description": "tiered"}]))
    assert changed.json()["preview"]["totals"]["update"] == 1
    world.client("staff").post(f"/api/v1/intelligence/deal-imports/{changed.json()['id']}/confirm/")
    assert DealRecord.objects.get().royalty_description == "tiered"


def test_a_file_is_imported_once(world):
    first = _upload(world, _csv([GOOD]))
    url = f"/api/v1/intelligence/deal-imports/{first.json()['id']}/confirm/"
    assert world.client("staff").post(url).status_code == 200
    assert world.client("staff").post(url).status_code == 409


def test_xlsx_imports_like_csv(world):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(IMPORT_COLUMNS)
    sheet.append([GOOD.get(column) for column in IMPORT_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(world, buffer.getvalue(), name="deals.xlsx")
    assert response.status_code == 201, response.content
    assert response.json()["preview"]["valid"] is True
    world.client("staff").post(f"/api/v1/intelligence/deal-imports/{response.json()['id']}/confirm/")
    assert str(DealRecord.objects.get().upfront) == "185000000.00"


@pytest.mark.parametrize(("name", "content", "code"), [
    ("deals.txt", b"x", "import_format"),
    ("deals.csv", b"\xff\xfe\x00bad", "import_encoding"),
    ("deals.csv", b"reference,colour\nx,red\n", "import_columns"),
    ("deals.xlsx", b"not a workbook", "import_unreadable"),
])
def test_unreadable_files_are_a_clear_400(world, name, content, code):
    response = _upload(world, content, name=name)
    assert response.status_code == 400 and response.json()["error"]["code"] == code


def test_only_staff_import(world):
    assert _upload(world, _csv([GOOD])).status_code == 201
    response = world.client("admin").post("/api/v1/intelligence/deal-imports/",
                                          {"file": SimpleUploadedFile("d.csv", _csv([GOOD]))}, format="multipart")
    assert response.status_code == 403
