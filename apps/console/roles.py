"""Staff roles are groups. Moderators run the queues; compliance officers alone record export clearances.

The third role, superuser, is Django's `is_superuser` flag: a group cannot confer it, and a superuser passes
every permission check below. Permissions are listed by "app_label.codename"; a permission whose model has
not landed yet is skipped, and `sync_roles_after_migrate` adds it once its migration has run.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MODERATOR = "moderator"
COMPLIANCE_OFFICER = "compliance officer"

ROLE_LABELS = {MODERATOR: _("Moderator"), COMPLIANCE_OFFICER: _("Compliance officer")}

# What every staff role may read in the console.
_COMMON_VIEW = [
    "accounts.view_user",
    "companies.view_company",
    "companies.view_membership",
    "companies.view_invitation",
    "audit.view_auditevent",
    "catalog.view_asset",
    "datarooms.view_dataroom",
    "datarooms.view_accessrequest",
    "datarooms.view_accessgrant",
    "datarooms.view_exportclearance",
    "financing.view_round",
    "financing.view_investorprofile",
    "partnering.view_callforassets",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    MODERATOR: [
        *_COMMON_VIEW,
        # verify, reject, suspend companies; publish assets or ask for changes; revoke grants.
        "companies.change_company",
        "catalog.change_asset",
        "datarooms.change_accessgrant",
        # verify or suspend service providers, hide abusive reviews (apps/providers/admin.py).
        "providers.view_providerprofile",
        "providers.change_providerprofile",
        "providers.view_review",
        "providers.change_review",
        "providers.view_servicerequest",
        "providers.view_engagement",
        "financing.change_round",  # publish rounds or send them back
        "partnering.change_callforassets",  # publish calls for assets, send them back or close them
        # failed deliveries are on the dashboard; the notifications admin lets staff retry them.
        "notifications.view_outboxevent",
        "notifications.view_notification",
        "notifications.view_directemail",
    ],
    COMPLIANCE_OFFICER: [
        *_COMMON_VIEW,
        # Only this role records export clearances (the data-room admin also checks the role itself).
        "datarooms.add_exportclearance",
        "datarooms.change_exportclearance",
        "datarooms.view_document",
    ],
}


def in_role(user: Any, role: str) -> bool:
    """True for superusers and for active staff in the role's group."""
    if not (user and user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    # Cached on the user object, i.e. for one request: the admin asks once per model on every page.
    names = getattr(user, "_console_role_names", None)
    if names is None:
        names = set(user.groups.filter(name__in=list(ROLE_PERMISSIONS)).values_list("name", flat=True))
        user._console_role_names = names
    return role in names


def is_compliance_officer(user: Any) -> bool:
    return in_role(user, COMPLIANCE_OFFICER)


def is_moderator(user: Any) -> bool:
    return in_role(user, MODERATOR)


def sync_roles(*, apps: Any = global_apps, using: str = "default") -> None:
    """Create the role groups and give them every listed permission that exists. Adds, never removes."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role, dotted in ROLE_PERMISSIONS.items():
        group, _created = group_model.objects.using(using).get_or_create(name=role)
        wanted = Q(pk__in=[])
        for name in dotted:
            app_label, codename = name.split(".", 1)
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.add(*permission_model.objects.using(using).filter(wanted))


def sync_roles_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # post_migrate fires once per app with models, in INSTALLED_APPS order; by the last one every app's
    # permissions exist. It also fires after a test flush, which re-creates the groups.
    last = [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]
    if getattr(sender, "label", None) != last.label:
        return
    sync_roles(apps=kwargs.get("apps") or global_apps, using=using)
