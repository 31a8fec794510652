"""Bursts on the flows that can be abused get 429, in the error format, with Retry-After.

Login and registration are exercised at their configured rates (a real burst); invitations at a small
rate patched in, since the configured hourly budget would take long to exhaust in a test.
"""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import PASSWORD


def _rate(scope: str) -> int:
    return SimpleRateThrottle.THROTTLE_RATES[scope].split("/")[0] and int(SimpleRateThrottle.THROTTLE_RATES[scope]
                                                                          .split("/")[0])


def assert_throttled(response):
    assert response.status_code == 429, response.content
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_a_login_burst_is_throttled(world):
    client = APIClient()
    # Different unknown e-mails: the per-account lockout never trips, only the per-IP rate limit can.
    for n in range(_rate("login")):
        response = client.post("/api/v1/auth/token/", {"email": f"guess{n}@example.test", "password": "x"},
                               format="json")
        assert response.status_code == 401
    assert_throttled(client.post("/api/v1/auth/token/", {"email": "owner@lumina.test", "password": PASSWORD},
                                 format="json"))


@pytest.mark.django_db
def test_a_login_burst_from_one_address_leaves_another_address_alone(world):
    client = APIClient()
    for n in range(_rate("login")):
        client.post("/api/v1/auth/token/", {"email": f"guess{n}@example.test", "password": "x"}, format="json")
    other = client.post("/api/v1/auth/token/", {"email": "owner@lumina.test", "password": PASSWORD}, format="json",
                        REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_registration_burst_is_throttled():
    client = APIClient()
    for n in range(_rate("registration")):
        response = client.post("/api/v1/auth/register/", {"email": f"new{n}@example.test", "full_name": f"New {n}",
                                                           "password": PASSWORD}, format="json")
        assert response.status_code == 201, response.content
    assert_throttled(client.post("/api/v1/auth/register/", {"email": "one-more@example.test", "full_name": "More",
                                                            "password": PASSWORD}, format="json"))


@pytest.mark.django_db
def test_refresh_is_throttled_like_login(world):
    client = APIClient()
    for _ in range(_rate("login")):
        client.post("/api/v1/auth/token/refresh/", {"refresh": "not-a-token"}, format="json")
    assert_throttled(client.post("/api/v1/auth/token/refresh/", {"refresh": "not-a-token"}, format="json"))


@pytest.mark.django_db
def test_an_invitation_burst_is_throttled(world, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "invitation", "3/hour")
    client = world.client("admin")
    for n in range(3):
        response = client.post("/api/v1/invitations/", {"company": world.licensor.pk, "email": f"x{n}@example.test",
                                                         "role": "member"}, format="json")
        assert response.status_code == 201, response.content
    assert_throttled(client.post("/api/v1/invitations/", {"company": world.licensor.pk, "email": "y@example.test",
                                                           "role": "member"}, format="json"))


@pytest.mark.django_db
def test_company_registration_is_throttled(world, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "registration", "2/hour")
    client = world.client("outsider")
    for n in range(2):
        response = client.post("/api/v1/companies/", {"kind": "biotech", "country": "CN", "name_en": f"Fictional {n}",
                                                      "name_zh": f"虚构{n}"}, format="json")
        assert response.status_code == 201, response.content
    assert_throttled(client.post("/api/v1/companies/", {"kind": "biotech", "country": "CN", "name_en": "Fictional X",
                                                        "name_zh": "虚构X"}, format="json"))


def test_the_configured_rates_are_tight_enough():
    rates = SimpleRateThrottle.THROTTLE_RATES
    assert rates["login"] == "30/min"
    assert rates["registration"] == "20/hour"
    assert rates["invitation"] == "60/hour"


@pytest.fixture
def room(world, settings, tmp_path):
    from tests.datarooms.rooms import build_room

    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}
    return build_room(world, grant="download")


@pytest.mark.django_db
def test_a_partner_scraping_documents_is_throttled(world, room, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "download", "3/min")
    client = world.client("other_member")
    for _ in range(3):
        assert client.get(f"/api/v1/dataroom-documents/{room.csr.pk}/download/").status_code == 200
    # Views count too: switching from downloads to inline views does not reset the budget.
    assert_throttled(client.get(f"/api/v1/dataroom-documents/{room.listings.pk}/view/"))


@pytest.mark.django_db
def test_access_requests_are_throttled(world, room, monkeypatch):
    from apps.catalog.models import Asset

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "access_request", "2/hour")
    client = world.client("other_member")
    others = [Asset.objects.create(owner_company=world.licensor, code_name=f"LMN-30{n}", modality="adc",
                                   stage="phase_1", status="published") for n in range(3)]
    statuses = [client.post("/api/v1/dataroom-access-requests/", {"asset": asset.pk, "message": "Diligence, please."},
                            format="json").status_code for asset in [room.asset, *others[:1]]]
    assert all(status != 429 for status in statuses), statuses
    assert_throttled(client.post("/api/v1/dataroom-access-requests/", {"asset": others[2].pk, "message": "More."},
                                 format="json"))


@pytest.mark.django_db
def test_the_view_hears_once_per_window_that_someone_hit_the_download_limit(world, monkeypatch):
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    from apps.core.throttles import DownloadThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "download", "2/min")
    heard = []

    class Documents(APIView):
        throttle_classes = [DownloadThrottle]

        def get(self, request):
            from rest_framework.response import Response

            return Response({})

        def on_download_throttled(self, request):
            heard.append(request.user)

    view = Documents.as_view()
    statuses = []
    for _ in range(5):
        request = APIRequestFactory().get("/documents/")
        force_authenticate(request, user=world.other_member)
        statuses.append(view(request).status_code)
    assert statuses == [200, 200, 429, 429, 429]
    assert heard == [world.other_member]
