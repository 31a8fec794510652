"""The marketplace of verified service providers: profiles, service requests (RFPs), proposals, engagements.

Who sees what is decided here, once per model (`access_q`), and evaluated in SQL on every request:

* A provider profile is read by members of any verified company once the provider's company is verified
  (its own people see it in any state).
* A service request is read by the requester company's people and by its *audience*: providers invited to it,
  or (for an open request) verified providers whose categories and jurisdictions matched when it was published
  or when they later updated their profile. A provider whose company is no longer verified loses it at once.
* Bidder isolation, as in data-room Q&A: a proposal is read only by its provider and the requester; a question
  only by its provider and the requester, except an answer published "to all bidders", which every member of
  the audience reads without the asker's identity (the serializers never name another bidder).
* An engagement (awarded work) and its milestones are read by the two companies; reviews by everyone in a
  verified company unless staff hid them (then only the two companies and staff).
* Confidential attachments of a request: the requester's people, and invited providers' people who accepted
  the request's current confidentiality terms (version compared in SQL: a new version locks them out again).

By subject: common.py (the actions beyond view/change), profiles.py, requests.py, proposals.py (with the
bidders' questions), engagements.py (with milestones and reviews). Import from here.
"""

from apps.providers.taxonomy import RecordOutcome, RecordType, ServiceCategory

from .common import COMPARE, DECIDE, MANAGE, PROPOSE, REVISE
from .engagements import Engagement, EngagementMilestone, EngagementStatus, MilestoneStatus, Review
from .profiles import COMPANY_NAME_FIELDS, ProviderProfile, ProviderRecord, company_names, copy_company_names
from .proposals import DeclineReason, PricingModel, Proposal, ProposalStatus, ProposalVersion, RequestQuestion
from .requests import (
    AudienceSource,
    RequestAttachment,
    RequestAudience,
    RequestStatus,
    RequestTermsAcceptance,
    RequestVisibility,
    ServiceRequest,
)

__all__ = [
    "COMPANY_NAME_FIELDS",
    "COMPARE",
    "DECIDE",
    "MANAGE",
    "PROPOSE",
    "REVISE",
    "AudienceSource",
    "DeclineReason",
    "Engagement",
    "EngagementMilestone",
    "EngagementStatus",
    "MilestoneStatus",
    "PricingModel",
    "Proposal",
    "ProposalStatus",
    "ProposalVersion",
    "ProviderProfile",
    "ProviderRecord",
    "RecordOutcome",
    "RecordType",
    "RequestAttachment",
    "RequestAudience",
    "RequestQuestion",
    "RequestStatus",
    "RequestTermsAcceptance",
    "RequestVisibility",
    "Review",
    "ServiceCategory",
    "ServiceRequest",
    "company_names",
    "copy_company_names",
]
