"""Verify, reject and suspend companies from the admin: a reason page first, then the service does the act."""

import pytest
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.companies import audit_actions as company_acts
from apps.companies.models import VerificationStatus
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:companies_company_changelist"


@pytest.fixture
def jade(db):
    return CompanyFactory(name_en="Hangzhou Jade Peak Pharmaceuticals", verification_status=VerificationStatus.PENDING)


def _act(client, action, companies, **extra):
    data = {"action": action, "_selected_action": [c.pk for c in companies], "index": 0, **extra}
    return client.post(reverse(CHANGELIST), data)


def test_an_action_first_asks_for_the_reason(console, moderator, jade):
    response = _act(console(moderator), "reject_companies", [jade])
    assert response.status_code == 200
    assert response.templates[0].name == "admin/console/reason_action.html"
    assert 'name="reason"' in response.content.decode()
    jade.refresh_from_db()
    assert jade.verification_status == VerificationStatus.PENDING


def test_a_moderator_verifies_a_company_and_the_act_is_audited(console, moderator, jade):
    response = _act(console(moderator), "verify_companies", [jade], apply="1", reason="Registry extract checked")
    assert response.status_code == 302
    jade.refresh_from_db()
    assert jade.verification_status == VerificationStatus.VERIFIED
    event = AuditEvent.objects.get(action=company_acts.COMPANY_VERIFIED, target_id=str(jade.pk))
    assert event.actor == moderator
    assert event.details == {"reason": "Registry extract checked"}


def test_rejection_without_a_reason_is_sent_back_to_the_form(console, moderator, jade):
    response = _act(console(moderator), "reject_companies", [jade], apply="1", reason="  ")
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    jade.refresh_from_db()
    assert jade.verification_status == VerificationStatus.PENDING


def test_a_suspension_records_its_reason_on_the_company(console, moderator, world):
    reason = "Sanctions screening pending"
    _act(console(moderator), "suspend_companies", [world.partner], apply="1", reason=reason)
    world.partner.refresh_from_db()
    assert world.partner.verification_status == VerificationStatus.SUSPENDED
    assert world.partner.status_reason == reason
    assert AuditEvent.objects.filter(action=company_acts.COMPANY_SUSPENDED, details__reason=reason).exists()


def test_a_refused_transition_is_reported_next_to_its_company(console, moderator, world, jade):
    # Lumina is already verified: the service refuses, Jade still gets verified.
    response = _act(console(moderator), "verify_companies", [world.licensor, jade], apply="1", reason="")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(world.licensor.name_en in m for m in messages)
    jade.refresh_from_db()
    assert jade.verification_status == VerificationStatus.VERIFIED


def test_a_compliance_officer_cannot_moderate_companies(console, compliance_officer, jade):
    client = console(compliance_officer)
    assert client.get(reverse(CHANGELIST)).status_code == 200  # may look
    response = _act(client, "verify_companies", [jade], apply="1", reason="")
    jade.refresh_from_db()
    assert jade.verification_status == VerificationStatus.PENDING
    assert response.status_code in (200, 302, 403)


def test_object_permissions_of_a_company_are_visible_per_object(console, superuser, world):
    url = reverse("admin:companies_company_permissions", args=[world.licensor.pk])
    response = console(superuser).get(url)
    assert response.status_code == 200
    # The company's own group is what carries its grants.
    assert world.licensor.group.name in response.content.decode() or response.context["groups_perms"] is not None
