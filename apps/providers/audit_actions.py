"""Audit action codes of the provider marketplace (stored in AuditEvent.action), each with its label.

A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md)."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

PROFILE_CREATED = action("provider.profile_created", _("Provider profile created"))
PROFILE_UPDATED = action("provider.profile_updated", _("Provider profile updated"))
REQUEST_CREATED = action("provider.request_created", _("Service request opened"))
REQUEST_UPDATED = action("provider.request_updated", _("Service request changed"))
REQUEST_CANCELLED = action("provider.request_cancelled", _("Service request cancelled"))
PROVIDERS_INVITED = action("provider.providers_invited", _("Providers invited to a service request"))
TERMS_ACCEPTED = action("provider.terms_accepted", _("Confidentiality terms of a service request accepted"))
ATTACHMENT_UPLOADED = action("provider.attachment_uploaded", _("Service request attachment uploaded"))
ATTACHMENT_DOWNLOADED = action("provider.attachment_downloaded", _("Service request attachment downloaded"))
ATTACHMENT_DELETED = action("provider.attachment_deleted", _("Service request attachment deleted"))
PROPOSAL_SUBMITTED = action("provider.proposal_submitted", _("Proposal submitted"))
PROPOSAL_REVISED = action("provider.proposal_revised", _("Proposal revised"))
PROPOSAL_WITHDRAWN = action("provider.proposal_withdrawn", _("Proposal withdrawn"))
PROPOSAL_AWARDED = action("provider.proposal_awarded", _("Proposal awarded"))
PROPOSAL_DECLINED = action("provider.proposal_declined", _("Proposal declined"))
QUESTION_ASKED = action("provider.question_asked", _("Clarification question asked"))
QUESTION_ANSWERED = action("provider.question_answered", _("Clarification question answered"))
ENGAGEMENT_CREATED = action("provider.engagement_created", _("Engagement started"))
ENGAGEMENT_GRANT_CREATED = action("provider.engagement_grant_created", _("Data room opened to an engaged provider"))
ENGAGEMENT_GRANT_REVOKED = action("provider.engagement_grant_revoked",
                                  _("Engaged provider's data-room access revoked"))
ENGAGEMENT_COMPLETED = action("provider.engagement_completed", _("Engagement completed"))
MILESTONE_CHANGED = action("provider.milestone_changed", _("Engagement milestone moved"))
REVIEW_WRITTEN = action("provider.review_written", _("Review written"))
REVIEW_HIDDEN = action("provider.review_hidden", _("Review hidden by staff"))
