"""Staff's admin pages and the demo loader."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from apps.agreements import demo
from apps.agreements.models import Agreement, AgreementStatus, ExchangeRate
from tests.agreements import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(world):
    """A superuser past the admin's two-factor sign-in (a confirmed TOTP device in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    world.staff.is_superuser = True
    world.staff.save()
    device = TOTPDevice.objects.create(user=world.staff, name="phone", confirmed=True)
    client = Client()
    client.force_login(world.staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _otp_free(client, url):
    return client.get(url)


@pytest.mark.parametrize("model", ["agreement", "agreementversion", "milestone", "exchangerate"])
def test_admin_lists_render(world, admin_client, model):
    helpers.executed(world)
    response = _otp_free(admin_client, f"/admin/agreements/{model}/?q=LMN")
    assert response.status_code == 200


def test_admin_change_pages_render(world, admin_client):
    agreement = helpers.executed(world)
    for url in (f"/admin/agreements/agreement/{agreement.pk}/change/",
                f"/admin/agreements/agreementversion/{agreement.current_version.pk}/change/",
                f"/admin/agreements/milestone/{helpers.milestone(agreement).pk}/change/"):
        assert _otp_free(admin_client, url).status_code == 200


def test_staff_add_exchange_rates_in_the_admin(world, admin_client):
    _otp_free(admin_client, "/admin/agreements/exchangerate/add/")
    response = admin_client.post("/admin/agreements/exchangerate/add/", {
        "currency": "CNY", "usd_per_unit": "0.1385", "valid_on": "2026-05-01", "source": "PBoC"})
    assert response.status_code == 302, response.content[:500]
    assert ExchangeRate.objects.get(currency="CNY").usd_per_unit == Decimal("0.1385")


def test_demo_loads_a_deal_in_negotiation_with_two_versions_and_is_idempotent(world):
    from apps.companies.models import Role
    from tests.factories import UserFactory, add_member

    northbridge_admin = UserFactory()
    add_member(world.partner, northbridge_admin, Role.ADMIN)
    ctx = {"companies": {"lumina": world.licensor, "northbridge": world.partner},
           "people": {"lumina_admin": world.admin, "northbridge_admin": northbridge_admin},
           "assets": {"LMN-2201": helpers.asset(world)}}
    demo.load(ctx)
    demo.load(ctx)
    agreement = Agreement.objects.get()
    assert agreement.status == AgreementStatus.NEGOTIATION
    assert [v.number for v in agreement.versions.all()] == [1, 2]
    assert agreement.current_version.terms["territory"] == {"include": ["worldwide_ex_greater_china"], "exclude": []}
    assert agreement.current_version.terms["upfront"] == "60000000.00"
    assert ExchangeRate.objects.filter(currency="CNY", valid_on=datetime.date(2026, 1, 2)).count() == 1


def test_demo_without_catalog_assets_creates_nothing_asset_dependent(world):
    demo.load({"companies": {"lumina": world.licensor, "northbridge": world.partner}, "people": {}})
    assert not Agreement.objects.exists()
    assert ExchangeRate.objects.exists()
