"""Staff roles are groups: moderators moderate, compliance officers record clearances, superusers do the rest."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from apps.console.roles import COMPLIANCE_OFFICER, MODERATOR, ROLE_PERMISSIONS, is_compliance_officer, sync_roles

pytestmark = pytest.mark.django_db


def _perms(role):
    return {f"{p.content_type.app_label}.{p.codename}" for p in Group.objects.get(name=role).permissions.all()}


def test_migrations_create_both_role_groups_with_their_permissions():
    assert _perms(MODERATOR) >= {"companies.change_company", "audit.view_auditevent"}
    assert "companies.change_company" not in _perms(COMPLIANCE_OFFICER)
    assert "audit.view_auditevent" in _perms(COMPLIANCE_OFFICER)


def test_every_listed_permission_of_a_landed_model_is_granted():
    from django.contrib.auth.models import Permission

    for role, names in ROLE_PERMISSIONS.items():
        existing = {n for n in names if Permission.objects.filter(
            content_type__app_label=n.split(".")[0], codename=n.split(".")[1]).exists()}
        assert existing <= _perms(role), role


def test_syncing_again_adds_nothing_twice():
    before = {role: _perms(role) for role in ROLE_PERMISSIONS}
    sync_roles()
    assert {role: _perms(role) for role in ROLE_PERMISSIONS} == before
    assert Group.objects.filter(name__in=list(ROLE_PERMISSIONS)).count() == len(ROLE_PERMISSIONS)


def test_only_superusers_and_compliance_officers_count_as_compliance(moderator, compliance_officer, superuser,
                                                                      world):
    assert is_compliance_officer(compliance_officer)
    assert is_compliance_officer(superuser)
    assert not is_compliance_officer(moderator)
    assert not is_compliance_officer(world.staff)


@pytest.mark.parametrize("url", [
    reverse("admin:auth_group_changelist"),
    reverse("admin:accounts_user_add"),
    reverse("admin:otp_totp_totpdevice_changelist"),
])
def test_a_moderator_cannot_reach_what_only_superusers_may_do(console, moderator, url):
    assert console(moderator).get(url).status_code == 403


def test_a_moderator_may_read_people_but_not_change_them(console, moderator, world):
    client = console(moderator)
    url = reverse("admin:accounts_user_change", args=[world.owner.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": world.owner.email, "is_staff": "on"})
    assert response.status_code == 403
    world.owner.refresh_from_db()
    assert not world.owner.is_staff


def test_people_can_be_filtered_by_staff_role(console, superuser, moderator, compliance_officer):
    response = console(superuser).get(reverse("admin:accounts_user_changelist"), {"role": MODERATOR})
    assert [user.email for user in response.context["cl"].result_list] == [moderator.email]
