"""Input no column can store is a 400 naming the field, never a database error (apps/core/api/parsers.py,
apps/core/api/filters.py Int64Field, GuardedViewSet.get_object).

NUL characters: PostgreSQL text cannot hold them (DataError, a 500 before: the e-mail of POST /auth/token/
reached django-axes' lockout query). Integers beyond 64 bits: SQLite raises OverflowError (a 500 on the
embedded default). These tests run on PostgreSQL in `make test` and on SQLite in its SQLite fuzz run.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.companies.models import Company
from tests.datarooms.hostile import good_pdf
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db

HUGE = 46176053421703684096  # > 2**64


def _fields(response):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


def test_nul_in_the_sign_in_email_is_a_400_naming_it(api, world):
    response = api.post("/api/v1/auth/token/", {"email": "owner@lumina.test\x00", "password": "x"}, format="json")
    assert "email" in _fields(response)


def test_nul_in_a_text_field_is_a_400_naming_it_and_nothing_is_written(world):
    before = Company.objects.count()
    response = world.client("outsider").post(
        "/api/v1/companies/", {"kind": "pharma", "country": "DE", "name_en": "Nul\x00 GmbH"}, format="json")
    assert _fields(response) == {"name_en": ["NUL characters are not allowed."]}
    assert Company.objects.count() == before


def test_nul_deep_in_a_body_names_the_path(world):
    body = json.dumps({"code_name": "LMN-1", "modality": "small_molecule", "stage": "phase_1",
                       "targets": ["PD-1", "VEGF\u0000"]})
    response = world.client("admin").post("/api/v1/assets/", body, content_type="application/json")
    assert _fields(response) == {"targets.1": ["NUL characters are not allowed."]}


def test_nul_in_a_key_is_refused(world):
    response = world.client("admin").patch("/api/v1/me/", json.dumps({"full_\u0000name": "X"}),
                                           content_type="application/json")
    assert _fields(response) == {"full_\\u0000name": ["NUL characters are not allowed."]}


def test_nul_in_a_multipart_text_field_is_refused(world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                          "OPTIONS": {"location": str(tmp_path)}}}
    room = build_room(world)
    upload = SimpleUploadedFile("a.pdf", good_pdf(1), content_type="application/pdf")
    response = world.client("admin").post("/api/v1/dataroom-documents/",
                                          {"folder": room.clinical.pk, "name": "csr\x00.pdf", "file": upload},
                                          format="multipart")
    assert _fields(response) == {"name": ["NUL characters are not allowed."]}


def test_a_body_integer_beyond_64_bits_is_a_400_naming_it(world):
    room = build_room(world, grant="download")
    response = world.client("other_member").post("/api/v1/dataroom-questions/",
                                                 {"room": room.room.pk, "document": HUGE, "text": "?"}, format="json")
    assert _fields(response) == {"document": ["This number is out of range."]}
    response = world.client("other_member").post(f"/api/v1/datarooms/{room.room.pk}/accept-cda/",
                                                 {"version": -HUGE}, format="json")
    assert _fields(response) == {"version": ["This number is out of range."]}


@pytest.mark.parametrize("query", ["/api/v1/assets/recommended/?company=46176053421703684096",
                                   "/api/v1/agreements/?licensor=9337554519126515712",
                                   "/api/v1/dataroom-folders/?room=-9337554519126515712"])
def test_a_filter_integer_beyond_64_bits_is_a_400(world, query):
    name = query.split("?")[1].split("=")[0]
    assert name in _fields(world.client("other_member").get(query))


def test_a_path_id_beyond_64_bits_is_not_found(world):
    response = world.client("other_member").get(f"/api/v1/assets/{HUGE}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
