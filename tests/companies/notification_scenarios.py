"""Delivery scenarios of the company and membership kinds (runner: test_every_kind_is_delivered.py)."""

from __future__ import annotations

from django.utils import translation

from apps.companies import services
from apps.companies.models import Membership, Role
from tests.factories import CompanyFactory, UserFactory, add_member
from tests.notifications.scenarios import Told, scenario


def _applicant(world):
    """A company waiting for verification, with its owner."""
    company = CompanyFactory(name_en="Qilin Bio", name_zh="麒麟生物", verification_status="pending")
    owner = UserFactory(email="owner@qilin.test", full_name="Qiu Qilin")
    add_member(company, owner, Role.OWNER)
    return company, owner


@scenario("company.verified")
def _company_verified(world):
    company, owner = _applicant(world)
    services.company_verify(actor=world.staff, company=company)
    return Told(owner, says="Qilin Bio is verified", says_zh="麒麟生物 已通过认证", not_told=[world.owner])


@scenario("company.rejected")
def _company_rejected(world):
    company, owner = _applicant(world)
    services.company_reject(actor=world.staff, company=company, reason="Licence number does not match.")
    return Told(owner, says="declined to verify Qilin Bio. Reason: Licence number does not match.",
                says_zh="GPC 工作人员拒绝认证麒麟生物", not_told=[world.owner])


@scenario("company.suspended")
def _company_suspended(world):
    services.company_suspend(actor=world.staff, company=world.licensor, reason="Expired business licence.")
    # Its owners and admins are told (they still see their own company); its plain members are not.
    return Told(world.admin, says="GPC staff suspended Shanghai Lumina Biotherapeutics",
                says_zh="上海流明生物 已被暂停", not_told=[world.member, world.other_member])


@scenario("membership.role_changed")
def _role_changed(world):
    membership = Membership.objects.get(user=world.member, company=world.licensor)
    services.membership_change_role(actor=world.owner, membership=membership, role=Role.ADMIN)
    return Told(world.member, says="Your role at Shanghai Lumina Biotherapeutics is now Admin",
                says_zh="您在上海流明生物的角色已变更为管理员", not_told=[world.owner, world.admin])


@scenario("membership.invited")
def _invited(world):
    with translation.override("zh-hans"):
        services.invitation_create(actor=world.owner, company=world.licensor, email="newcomer@example.test",
                                   role=Role.MEMBER)
    return Told(address="newcomer@example.test", says="invited you to join Shanghai Lumina Biotherapeutics",
                says_zh="邀请您加入 GPC 上的上海流明生物")
