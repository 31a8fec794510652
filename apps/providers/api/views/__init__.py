"""Provider marketplace API: views wire requests to services (writes) and selectors (reads), nothing more; one
module per subject (providers; requests and attachments; proposals; questions, engagements, milestones, reviews).

Ids in bodies (companies to invite, an asset, a data room, folders, an engagement) resolve through the caller's
own restricted querysets: an id the caller may not see answers exactly like an id that does not exist."""

from apps.providers.api.views.engagements import EngagementViewSet, MilestoneViewSet, QuestionViewSet, ReviewViewSet
from apps.providers.api.views.proposals import ProposalViewSet
from apps.providers.api.views.providers import ProviderViewSet
from apps.providers.api.views.requests import AttachmentViewSet, ServiceRequestViewSet

__all__ = ["AttachmentViewSet", "EngagementViewSet", "MilestoneViewSet", "ProposalViewSet", "ProviderViewSet",
           "QuestionViewSet", "ReviewViewSet", "ServiceRequestViewSet"]
