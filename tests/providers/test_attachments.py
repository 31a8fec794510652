"""Confidential attachments of a request: invited providers read them only after accepting the current terms."""

import io

import pytest

from apps.audit.models import AuditEvent
from apps.providers import attachments, services
from tests.datarooms.hostile import good_pdf
from tests.providers import helpers

pytestmark = pytest.mark.django_db


def _attach(world):
    request = helpers.rfp(world, terms=True)
    attachment = attachments.attachment_upload(actor=world.member, request=request, f=io.BytesIO(good_pdf(1)),
                                               filename="protocol-synopsis.pdf")
    return request, attachment


def test_invited_provider_reads_attachments_only_after_accepting_the_terms(world):
    request, attachment = _attach(world)
    client = world.client("invited_provider")
    assert client.get(f"/api/v1/service-requests/{request.pk}/attachments/").json() == []
    assert client.get(f"/api/v1/request-attachments/{attachment.pk}/download/").status_code == 404
    assert client.post(f"/api/v1/service-requests/{request.pk}/accept-terms/", {"version": 1},
                       format="json").status_code == 204
    listed = client.get(f"/api/v1/service-requests/{request.pk}/attachments/").json()
    assert [row["name"] for row in listed] == ["protocol-synopsis.pdf"]
    response = client.get(f"/api/v1/request-attachments/{attachment.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="provider.attachment_downloaded", actor=world.people["invited_provider"])


def test_new_terms_lock_the_attachments_until_accepted_again(world):
    request, attachment = _attach(world)
    services.terms_accept(actor=world.people["invited_provider"], request=request, version=1)
    services.request_update(actor=world.admin, request=request, terms_en="Stricter terms.", terms_zh="更严格的条款。")
    client = world.client("invited_provider")
    assert client.get(f"/api/v1/request-attachments/{attachment.pk}/").status_code == 404
    stale = client.post(f"/api/v1/service-requests/{request.pk}/accept-terms/", {"version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "terms_outdated"
    client.post(f"/api/v1/service-requests/{request.pk}/accept-terms/", {"version": 2}, format="json")
    assert client.get(f"/api/v1/request-attachments/{attachment.pk}/").status_code == 200


def test_matched_but_uninvited_provider_never_reads_attachments(world):
    request = helpers.rfp(world, visibility="open", terms=True)
    attachment = attachments.attachment_upload(actor=world.member, request=request, f=io.BytesIO(good_pdf(1)),
                                               filename="scope.pdf")
    client = world.client("matching_provider")
    assert client.get(f"/api/v1/service-requests/{request.pk}/").status_code == 200
    refused = client.post(f"/api/v1/service-requests/{request.pk}/accept-terms/", {"version": 1}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_invited"
    assert client.get(f"/api/v1/request-attachments/{attachment.pk}/").status_code == 404


def test_an_executable_is_refused_and_nothing_is_stored(world):
    request = helpers.rfp(world, terms=True)
    upload = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    upload.name = "tool.pdf"
    response = world.client("member").post(f"/api/v1/service-requests/{request.pk}/attachments/", {"file": upload},
                                           format="multipart")
    assert 400 <= response.status_code < 500
    assert not request.attachments.exists()
