"""What every marketplace view shares: the guarded base class and the answers for a related id nobody may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.response import Response

from apps.companies.models import company_ids_of
from apps.core.api.viewsets import GuardedViewSet
from apps.core.authz import VIEW
from apps.datarooms.models import DataRoom, Folder
from apps.providers.models import (
    Engagement,
    EngagementMilestone,
)


def _unknown(field: str) -> serializers.ValidationError:
    """The answer of apps.core.api.fields.VisibleRelatedField for an id that is missing or that the caller may not
    see: the shared handler turns it into 404 `not_found`, the same body for both (the id is never repeated)."""
    return serializers.ValidationError({field: [serializers.ErrorDetail(str(_("Not found.")), code="does_not_exist")]})


def _visible(queryset: QuerySet, pk: Any, field: str) -> Any:
    """The object with `pk` inside the caller's restricted `queryset`, or the same 400 as for a missing id."""
    if pk is None:
        return None
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise _unknown(field)
    return obj


class MarketplaceViewSet(GuardedViewSet):
    """Puts the reader's company ids in the serializer context (bidder isolation in the shapes)."""

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        user = self.request.user
        if not hasattr(self, "_company_ids"):
            self._company_ids = (set(company_ids_of(user).values_list("company_id", flat=True))
                                 if user.is_authenticated else set())
        context["company_ids"] = self._company_ids
        context["is_staff"] = bool(getattr(user, "is_staff", False))
        return context

    def _paged(self, queryset: QuerySet, serializer_class: Any) -> Response:
        page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context=self.get_serializer_context()).data
        return self.get_paginated_response(data)


def _grant_args(user: Any, grant: dict[str, Any]) -> dict[str, Any]:
    grant["room"] = _visible(DataRoom.objects.for_user(user, "manage"), grant["room"], "room")
    folder_ids = grant.pop("folders", []) or []
    folders = list(Folder.objects.for_user(user, VIEW).filter(pk__in=folder_ids))
    if len(folders) != len(set(folder_ids)):
        raise _unknown("folders")
    grant["folders"] = folders
    return grant


def _engagements() -> QuerySet:
    return Engagement.objects.select_related("requester", "provider", "grant").prefetch_related(
        Prefetch("milestones", queryset=EngagementMilestone.objects.order_by("position")))
