"""Reviews after a completed engagement: each side reviews the other once; staff hide abusive ones."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.audit.services import audit_record
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Membership,
)
from apps.companies.selectors import company_people
from apps.core.authz import VIEW, user_can
from apps.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from apps.core.validation import required_reason
from apps.notifications.services import notify
from apps.providers import audit_actions as A
from apps.providers.models import (
    Engagement,
    EngagementStatus,
    ProviderProfile,
    Review,
)
from apps.providers.services.common import (
    _locked,
    _request_context,
)


def _rating_refresh(company_id: int) -> None:
    """The provider profile's average and count, from its visible reviews (hidden ones do not count)."""
    from django.db.models import Count, Sum

    figures = Review.objects.filter(subject_company_id=company_id, hidden=False).aggregate(n=Count("id"),
                                                                                           total=Sum("rating"))
    ProviderProfile.objects.filter(company_id=company_id).update(rating_count=figures["n"] or 0,
                                                                 rating_sum=figures["total"] or 0)


@transaction.atomic
def review_create(*, actor: Any, engagement: Engagement, rating: int, text: str = "") -> Review:
    """Each side of a completed engagement reviews the other once (1-5 and text)."""
    engagement = _locked(Engagement).select_related("request", "requester", "provider").get(
        pk=engagement.pk)
    if not user_can(actor, VIEW, engagement):
        raise NotFound()
    side = (Membership.objects.filter(user=actor, company_id__in=[engagement.requester_id, engagement.provider_id],
                                      role__in=CONTRIBUTING_ROLES).order_by("created_at").first())
    if side is None:
        raise PermissionRefused(_("Only the two companies of the engagement review it."), code="not_a_party")
    if engagement.status != EngagementStatus.COMPLETED:
        raise Conflict(_("Only a completed engagement can be reviewed."), code="engagement_not_completed")
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise ValidationFailed(_("The rating is a whole number from 1 to 5."), code="invalid",
                               fields={"rating": [_("From 1 to 5.")]})
    author_company = engagement.requester if side.company_id == engagement.requester_id else engagement.provider
    subject = engagement.provider if author_company.pk == engagement.requester_id else engagement.requester
    try:
        with transaction.atomic():
            review = Review.objects.create(engagement=engagement, author_company=author_company, author=actor,
                                           subject_company=subject, rating=rating, text=text.strip())
    except IntegrityError:
        raise Conflict(_("Your company already reviewed this engagement."), code="review_exists") from None
    _rating_refresh(subject.pk)
    audit_record(action=A.REVIEW_WRITTEN, actor=actor, target=review, company=author_company,
                 details={"rating": rating, "subject": subject.pk})
    notify(kind="provider.review_received", recipients=company_people(subject.pk), target=review, actor=actor,
           context={**_request_context(engagement.request), "engagement_id": str(engagement.public_id),
                    "company": author_company.name_en, "company_zh": author_company.name_zh or author_company.name_en,
                    "rating": rating, "text": text.strip()[:300]})
    return review


@transaction.atomic
def review_hide(*, actor: Any, review: Review, reason: str) -> Review:
    """Staff hide an abusive review with a reason: audited, the author's company told, the average recomputed."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("providers.change_review")):
        raise PermissionRefused()
    required_reason(reason)
    review = _locked(Review).select_related("engagement__request__company").get(pk=review.pk)
    if review.hidden:
        raise Conflict(_("The review is already hidden."), code="review_hidden")
    review.hidden = True
    review.hidden_reason = reason.strip()
    review.hidden_by = actor
    review.hidden_at = timezone.now()
    review.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    _rating_refresh(review.subject_company_id)
    audit_record(action=A.REVIEW_HIDDEN, actor=actor, target=review, company=review.author_company,
                 details={"reason": reason.strip()[:500]})
    recipients = [review.author] if review.author is not None else company_people(review.author_company_id)
    notify(kind="provider.review_hidden", recipients=recipients, target=review, actor=actor,
           context={**_request_context(review.engagement.request),
                    "engagement_id": str(review.engagement.public_id), "reason": reason.strip()})
    return review


