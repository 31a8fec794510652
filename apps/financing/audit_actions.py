"""Audit action codes the financing app emits (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

INVESTOR_PROFILE_SAVED = action("financing.investor_profile_saved", _("Investor profile saved"))
ROUND_CREATED = action("financing.round_created", _("Financing round created"))
ROUND_UPDATED = action("financing.round_updated", _("Financing round updated"))
ROUND_SUBMITTED = action("financing.round_submitted", _("Financing round submitted for review"))
ROUND_PUBLISHED = action("financing.round_published", _("Financing round published"))
ROUND_CHANGES_REQUESTED = action("financing.round_changes_requested", _("Changes requested on a financing round"))
ROUND_LEAD_NAMED = action("financing.round_lead_named", _("Lead investor named"))
ROUND_CORE_VIEWED = action("financing.round_core_viewed", _("Protected round details viewed"))
INTEREST_EXPRESSED = action("financing.interest_expressed", _("Investor entered a round's book"))
ENTRY_ADVANCED = action("financing.entry_advanced", _("Book entry moved forward"))
ENTRY_PASSED = action("financing.entry_passed", _("Investor passed on a round"))
ENTRY_SOFT_CIRCLED = action("financing.entry_soft_circled", _("Amount soft-circled"))
