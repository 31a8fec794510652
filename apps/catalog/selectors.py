"""Reads for the catalog: restricted querysets, with the per-row confidential flag computed in SQL."""

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Value

from apps.catalog.models import Asset, InterestProfile, RegulatoryEvent, confidential_q, owner_q
from apps.companies.models import VerificationStatus, company_ids_of
from apps.core.authz import VIEW


def with_access_flags(queryset: QuerySet, user: Any) -> QuerySet:
    """Annotate `confidential_visible` and `is_owner` per row: the serializer picks teaser or full from them
    without another query. Both are evaluated only for the rows of the page (the grants as one probe per row)."""
    confidential: Any = (Value(True, output_field=BooleanField()) if getattr(user, "is_staff", False)
                         else ExpressionWrapper(confidential_q(user, per_row=True), output_field=BooleanField()))
    return queryset.annotate(confidential_visible=confidential,
                             is_owner=ExpressionWrapper(owner_q(user), output_field=BooleanField()))


def asset_list(user: Any) -> QuerySet:
    """Assets `user` may see (teaser or more), flagged per row."""
    return with_access_flags(Asset.objects.for_user(user, VIEW).select_related("owner_company"), user)


def only_confidential(queryset: QuerySet, user: Any, condition: Q) -> QuerySet:
    """Apply a filter on a confidential field only over rows whose core `user` may read: rows the caller
    sees as a teaser never match, so the filter cannot narrow results by data the caller cannot read."""
    return queryset.filter(confidential_q(user) & condition)


def designation_q(designation: str) -> Q:
    return Q(pk__in=RegulatoryEvent.objects.filter(event_type="designation", designation=designation)
             .values("asset_id"))


def interest_profile_of(user: Any, company_id: int | None = None) -> InterestProfile | None:
    """The interest profile of the caller's (verified) company, or of `company_id` if the caller belongs to it."""
    profiles = InterestProfile.objects.filter(company_id__in=company_ids_of(user),
                                              company__verification_status=VerificationStatus.VERIFIED)
    if company_id is not None:
        profiles = profiles.filter(company_id=company_id)
    return profiles.select_related("company").order_by("company_id").first()
