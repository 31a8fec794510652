"""Companies, memberships and invitations as their people experience them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from apps.audit.models import AuditEvent
from apps.catalog.models import Asset, AssetStatus
from apps.companies import audit_actions as company_acts
from apps.companies import services
from apps.companies.models import Invitation, Membership, Role, VerificationStatus
from apps.core.authz import user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from tests.factories import UserFactory


@pytest.mark.django_db
class TestRegistration:
    def test_a_registered_company_starts_pending_with_its_registrant_as_owner(self, world):
        response = world.client("outsider").post(
            "/api/v1/companies/", {"kind": "pharma", "country": "de", "name_en": "Rheinwald Therapeutics",
                                   "name_zh": "莱茵森林治疗"}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["verification_status"] == "pending"
        assert body["country"] == "DE"
        membership = Membership.objects.get(company_id=body["id"], user=world.outsider)
        assert membership.role == Role.OWNER
        assert world.outsider.groups.filter(pk=membership.company.group_id).exists()

    def test_nobody_can_verify_their_own_company_through_the_api(self, world):
        response = world.client("owner").patch(f"/api/v1/companies/{world.licensor.pk}/",
                                               {"verification_status": "verified"}, format="json")
        assert response.status_code == 400


@pytest.mark.django_db
class TestVerification:
    def test_staff_verify_reject_and_suspend_with_an_audit_trail(self, world):
        company = world.partner
        services.company_suspend(actor=world.staff, company=company, reason="Sanctions screening pending")
        company.refresh_from_db()
        assert company.verification_status == VerificationStatus.SUSPENDED
        assert company.status_reason == "Sanctions screening pending"
        services.company_verify(actor=world.staff, company=company)
        assert AuditEvent.objects.filter(action=company_acts.COMPANY_SUSPENDED, target_id=str(company.pk)).exists()
        assert AuditEvent.objects.filter(action=company_acts.COMPANY_VERIFIED, target_id=str(company.pk)).exists()

    def test_rejection_needs_a_reason(self, world):
        with pytest.raises(ValidationFailed):
            services.company_reject(actor=world.staff, company=world.partner, reason="  ")

    def test_only_staff_change_verification(self, world):
        with pytest.raises(PermissionRefused):
            services.company_verify(actor=world.owner, company=world.licensor)


@pytest.mark.django_db
class TestInvitations:
    def test_an_invited_person_joins_with_the_invited_role(self, world):
        invitation, token = services.invitation_create(actor=world.admin, company=world.licensor,
                                                       email="New.Hire@Example.test", role=Role.VIEWER)
        newcomer = UserFactory(email="new.hire@example.test")
        response = world.client("owner").post("/api/v1/invitations/accept/", {"token": token}, format="json")
        assert response.status_code == 404  # not addressed to the owner
        from rest_framework.test import APIClient

        client = APIClient()
        client.force_authenticate(newcomer)
        response = client.post("/api/v1/invitations/accept/", {"token": token}, format="json")
        assert response.status_code == 201
        assert Membership.objects.get(company=world.licensor, user=newcomer).role == Role.VIEWER
        invitation.refresh_from_db()
        assert invitation.accepted_by == newcomer

    def test_a_token_works_once(self, world):
        _, token = services.invitation_create(actor=world.admin, company=world.licensor,
                                              email="outsider@example.test", role=Role.MEMBER)
        services.invitation_accept(actor=world.outsider, token=token)
        services.membership_remove(actor=world.admin,
                                   membership=Membership.objects.get(company=world.licensor, user=world.outsider))
        with pytest.raises(Conflict) as exc:
            services.invitation_accept(actor=world.outsider, token=token)
        assert exc.value.code == "invitation_used"

    def test_an_expired_invitation_is_refused(self, world):
        invitation, token = services.invitation_create(actor=world.admin, company=world.licensor,
                                                       email="outsider@example.test", role=Role.MEMBER)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        with pytest.raises(Conflict) as exc:
            services.invitation_accept(actor=world.outsider, token=token)
        assert exc.value.code == "invitation_expired"
        assert not Membership.objects.filter(user=world.outsider).exists()

    def test_a_new_invitation_replaces_the_pending_one(self, world):
        _, first = services.invitation_create(actor=world.admin, company=world.licensor,
                                              email="outsider@example.test", role=Role.MEMBER)
        services.invitation_create(actor=world.admin, company=world.licensor, email="outsider@example.test",
                                   role=Role.MEMBER)
        with pytest.raises(Conflict):
            services.invitation_accept(actor=world.outsider, token=first)

    def test_a_made_up_token_is_not_found(self, world):
        with pytest.raises(NotFound):
            services.invitation_accept(actor=world.outsider, token="made-up")

    def test_only_the_token_hash_is_stored(self, world):
        invitation, token = services.invitation_create(actor=world.admin, company=world.licensor,
                                                       email="outsider@example.test", role=Role.MEMBER)
        assert token not in invitation.token_hash
        assert len(invitation.token_hash) == 64

    def test_admins_cannot_invite_owners(self, world):
        with pytest.raises(PermissionRefused):
            services.invitation_create(actor=world.admin, company=world.licensor, email="x@example.test",
                                       role=Role.OWNER)


@pytest.mark.django_db
class TestRoles:
    def _membership(self, world, user):
        return Membership.objects.get(company=world.licensor, user=user)

    def test_admins_change_a_members_role(self, world):
        response = world.client("admin").patch(f"/api/v1/memberships/{self._membership(world, world.member).pk}/",
                                               {"role": "viewer"}, format="json")
        assert response.status_code == 200
        assert self._membership(world, world.member).role == Role.VIEWER

    def test_an_admin_cannot_demote_the_owner(self, world):
        response = world.client("admin").patch(f"/api/v1/memberships/{self._membership(world, world.owner).pk}/",
                                               {"role": "member"}, format="json")
        assert response.status_code == 403
        assert self._membership(world, world.owner).role == Role.OWNER

    def test_the_last_owner_cannot_leave(self, world):
        response = world.client("owner").delete(f"/api/v1/memberships/{self._membership(world, world.owner).pk}/")
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "last_owner"

    def test_an_unknown_role_is_refused(self, world):
        response = world.client("admin").patch(f"/api/v1/memberships/{self._membership(world, world.member).pk}/",
                                               {"role": "emperor"}, format="json")
        assert response.status_code == 400

    def test_a_removed_member_loses_the_companys_grants_at_once(self, world):
        asset = Asset.objects.create(owner_company=world.licensor, code_name="LMN-3300", modality="adc",
                                     stage="phase_1", status=AssetStatus.PUBLISHED)
        assign_perm("catalog.view_confidential_asset", world.partner.group, asset)
        partner_admin = UserFactory()
        Membership.objects.create(company=world.partner, user=partner_admin, role=Role.ADMIN)
        partner_admin.groups.add(world.partner.group)
        assert user_can(world.other_member, "view_confidential", asset)
        services.membership_remove(actor=partner_admin,
                                   membership=Membership.objects.get(company=world.partner, user=world.other_member))
        assert not user_can(world.other_member, "view_confidential", asset)
        assert not user_can(world.other_member, "view", asset)  # no verified company left either


@pytest.mark.django_db
def test_the_invitation_link_shows_the_invitee_what_it_offers(world):
    _, token = services.invitation_create(actor=world.admin, company=world.licensor, email="outsider@example.test",
                                          role=Role.VIEWER)
    response = world.client("outsider").get(f"/api/v1/invitations/accept/?token={token}")
    assert response.status_code == 200
    body = response.json()
    assert (body["company_name_en"], body["role"], body["status"]) == ("Shanghai Lumina Biotherapeutics", "viewer",
                                                                       "pending")
    assert not Membership.objects.filter(user=world.outsider).exists()  # looking is not accepting
    assert world.client("member").get(f"/api/v1/invitations/accept/?token={token}").status_code == 404
