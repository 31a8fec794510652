"""The foundation's kinds: invitations, company verification, role changes.

They are registered here because the companies app predates the registry; they may move to
apps/companies/notifications.py unchanged. Every app registers its own kinds in apps/<app>/notifications.py.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import Delivery, register

# The same words as apps.companies.models.Role, kept here so this catalog translates them too.
ROLE_LABELS: dict[str, Any] = {"owner": _("Owner"), "admin": _("Admin"), "member": _("Member"),
                                "viewer": _("Viewer")}


def _role_labels(context: dict[str, Any], language: str) -> dict[str, Any]:
    labels = {}
    for key in ("role", "previous_role"):
        code = str(context.get(key) or "")
        labels[key] = str(ROLE_LABELS.get(code, code))
    return labels


register(
    "membership.invited",
    label=_("Invitation to join a company"),
    title=_("{inviter} invited you to join {company} on GPC"),
    body=_("You are invited to join {company} as {role}. The invitation is personal and expires; "
           "accept it with this link: {accept_url}"),
    in_app=False,  # the invitee has no account yet: e-mail only
    default_delivery=Delivery.EMAIL,
    email_template="notifications/email/invitation",
    required_context=("company", "accept_url", "token"),
    sensitive_context=("token", "accept_url"),
    url="{accept_url}",
    prepare=_role_labels,
)

register(
    "company.verified",
    label=_("Company verified"),
    title=_("{company} is verified"),
    body=_("GPC staff verified {company}. It may now list assets and request data-room access."),
    default_delivery=Delivery.EMAIL,
    required_context=("company",),
)

register(
    "company.rejected",
    label=_("Company verification declined"),
    title=_("Verification of {company} was declined"),
    body=_("GPC staff declined to verify {company}. Reason: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("company",),
)

register(
    "company.suspended",
    label=_("Company suspended"),
    title=_("{company} is suspended"),
    body=_("GPC staff suspended {company}. It keeps its data but loses the rights of a verified company. "
           "Reason: {reason}"),
    default_delivery=Delivery.EMAIL,
    required_context=("company",),
)

register(
    "membership.role_changed",
    label=_("Role in a company changed"),
    title=_("Your role at {company} is now {role}"),
    body=_("Your role at {company} changed from {previous_role} to {role}."),
    default_delivery=Delivery.IN_APP,
    required_context=("company", "role"),
    prepare=_role_labels,
)
