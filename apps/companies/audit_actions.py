"""Audit action codes of companies and memberships (stored in AuditEvent.action), each with its label.
A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

COMPANY_REGISTERED = action("company.registered", _("Company registered"))
COMPANY_UPDATED = action("company.updated", _("Company updated"))
COMPANY_VERIFIED = action("company.verified", _("Company verified"))
COMPANY_REJECTED = action("company.rejected", _("Company rejected"))
COMPANY_SUSPENDED = action("company.suspended", _("Company suspended"))
INVITATION_SENT = action("membership.invitation_sent", _("Invitation sent"))
INVITATION_ACCEPTED = action("membership.invitation_accepted", _("Invitation accepted"))
INVITATION_REVOKED = action("membership.invitation_revoked", _("Invitation revoked"))
MEMBER_ROLE_CHANGED = action("membership.role_changed", _("Member role changed"))
MEMBER_REMOVED = action("membership.removed", _("Member removed"))
