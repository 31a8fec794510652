"""platform/nginx.conf for real, in front of the app: a document's bytes leave only after the app has checked the
grant (X-Accel-Redirect), with the same headers as every other answer, and the files' location cannot be asked
for directly. The production file is rendered for loopback by bench/nginx.py (only addresses and paths change).
"""

import http.client
from typing import Any
from urllib.parse import urlsplit

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from apps.datarooms import services
from apps.datarooms.models import DocumentAccess
from bench.nginx import Nginx
from tests.datarooms.rooms import build_room

pytestmark = pytest.mark.django_db(transaction=True)  # the live server reads what the test wrote


@pytest.fixture
def nginx(live_server, settings):
    settings.DOWNLOAD_X_ACCEL_PREFIX = "/_protected/"
    with Nginx(upstream=urlsplit(live_server.url).netloc,
               private_root=settings.STORAGES["private"]["OPTIONS"]["location"],
               static_root=str(settings.STATIC_ROOT)) as server:
        yield server


def get(nginx: Nginx, path: str, user: Any = None) -> tuple[int, dict[str, list[str]], bytes]:
    headers = {"Authorization": f"Bearer {AccessToken.for_user(user)}"} if user is not None else {}
    connection = http.client.HTTPConnection("127.0.0.1", nginx.port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        seen: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            seen.setdefault(name.lower(), []).append(value)
        return response.status, seen, response.read()
    finally:
        connection.close()


def download_path(document: Any) -> str:
    return f"/api/v1/dataroom-documents/{document.pk}/download/"


def test_a_granted_partner_gets_the_file_from_nginx_with_every_header_once(world, nginx):
    room = build_room(world, grant="download")
    status, headers, body = get(nginx, download_path(room.listings), world.other_member)
    assert status == 200, body[:300]
    assert body == b"patient,arm,response\n001,A,-12.5\n002,B,3.1\n"
    assert headers["content-type"] == ["text/csv"]
    assert headers["content-disposition"] == ['attachment; filename="listings.csv"']
    assert headers["cache-control"] == ["private, no-store"]
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["x-frame-options"] == ["DENY"]
    assert len(headers["content-security-policy"]) == 1
    assert "frame-ancestors 'none'" in headers["content-security-policy"][0]
    # The id on the response is the one the owner traces the hand-out by.
    access = DocumentAccess.objects.get(document=room.listings, user=world.other_member)
    assert headers["x-download-id"] == [access.download_id]


def test_the_files_location_answers_404_to_a_direct_request(world, nginx):
    room = build_room(world, grant="download")
    stored = room.listings.current_version.storage_name
    for user in (None, world.other_member, world.admin):
        status, _headers, body = get(nginx, f"/_protected/{stored}", user)
        assert status == 404
        assert b"patient,arm" not in body


def test_revoking_the_grant_stops_the_very_next_download_through_nginx(world, nginx):
    room = build_room(world, grant="download")
    assert get(nginx, download_path(room.listings), world.other_member)[0] == 200
    services.grant_revoke(actor=world.admin, grant=room.grant)
    status, headers, body = get(nginx, download_path(room.listings), world.other_member)
    assert status == 404
    assert headers["content-type"] == ["application/json"]
    assert b"patient,arm" not in body


def test_a_view_only_partner_gets_the_refusal_not_the_bytes(world, nginx):
    room = build_room(world, grant="view")
    status, headers, body = get(nginx, download_path(room.listings), world.other_member)
    assert status == 403
    assert headers["content-type"] == ["application/json"]
    assert b"patient,arm" not in body
    assert not DocumentAccess.objects.filter(document=room.listings).exists()
