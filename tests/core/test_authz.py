"""The authorization core fails closed and answers 404 for what a caller may not see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm

from apps.audit import audit_actions as audit_acts
from apps.audit.models import AuditEvent
from apps.catalog.models import Asset, AssetGroupObjectPermission, AssetStatus
from apps.companies.models import Company, VerificationStatus
from apps.core.authz import user_can


@pytest.fixture
def asset(world):
    return Asset.objects.create(owner_company=world.licensor, code_name="LMN-2201", modality="bispecific_antibody",
                                stage="phase_2", status=AssetStatus.PUBLISHED)


@pytest.mark.django_db
class TestForUser:
    def test_anonymous_gets_nothing(self, asset):
        assert not Asset.objects.for_user(AnonymousUser(), "view").exists()
        assert not Asset.objects.for_user(None, "view").exists()

    def test_an_inactive_member_gets_nothing(self, world, asset):
        world.owner.is_active = False
        world.owner.save()
        assert not Asset.objects.for_user(world.owner, "view").exists()

    def test_an_unknown_action_gets_nothing(self, world, asset):
        assert not Asset.objects.for_user(world.owner, "teleport").exists()

    def test_a_grant_to_the_company_reaches_every_member(self, world, asset):
        assert not user_can(world.other_member, "view_confidential", asset)
        assign_perm("catalog.view_confidential_asset", world.partner.group, asset)
        assert user_can(world.other_member, "view_confidential", asset)
        # Grants live in the direct foreign-key table, not guardian's generic one.
        assert AssetGroupObjectPermission.objects.filter(content_object=asset, group=world.partner.group).exists()

    def test_a_grant_to_one_person_reaches_only_that_person(self, world, asset):
        assign_perm("catalog.view_confidential_asset", world.outsider, asset)
        assert user_can(world.outsider, "view_confidential", asset)
        assert not user_can(world.other_member, "view_confidential", asset)

    def test_a_suspended_partner_no_longer_sees_published_teasers(self, world, asset):
        assert user_can(world.other_member, "view", asset)
        Company.objects.filter(pk=world.partner.pk).update(verification_status=VerificationStatus.SUSPENDED)
        assert not user_can(world.other_member, "view", asset)


@pytest.mark.django_db
class TestApiAnswers:
    def test_hidden_and_missing_objects_look_the_same(self, world):
        from tests.factories import CompanyFactory

        hidden = CompanyFactory(verification_status=VerificationStatus.PENDING)
        client = world.client("other_member")
        hidden_response = client.get(f"/api/v1/companies/{hidden.pk}/")
        missing_response = client.get("/api/v1/companies/99999999/")
        assert hidden_response.status_code == missing_response.status_code == 404
        assert hidden_response.json() == missing_response.json()

    def test_a_denied_attempt_is_audited(self, world):
        world.client("viewer").patch(f"/api/v1/companies/{world.licensor.pk}/", {"website": "https://x.example"},
                                     format="json")
        event = AuditEvent.objects.filter(action=audit_acts.ACCESS_DENIED).latest("id")
        assert event.actor == world.viewer
        assert event.details["status"] == 403
        assert event.details["method"] == "PATCH"

    def test_a_list_only_shows_what_the_caller_may_see(self, world):
        from tests.factories import CompanyFactory

        CompanyFactory(name_en="Hidden Pending Co", verification_status=VerificationStatus.PENDING)
        names = {c["name_en"] for c in world.client("other_member").get("/api/v1/companies/").json()["results"]}
        assert "Hidden Pending Co" not in names
        assert {"Shanghai Lumina Biotherapeutics", "Northbridge Pharma"} <= names
