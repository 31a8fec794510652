"""A partner's side of the catalog: the watchlist, expressions of interest and the interest profile that
feeds recommendations."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins

from apps.catalog import services
from apps.catalog.api.filters import GUARDED_FILTERS
from apps.catalog.api.serializers import (
    InterestProfileSerializer,
    InterestSerializer,
    WatchlistEntrySerializer,
)
from apps.catalog.models import (
    ExpressionOfInterest,
    InterestProfile,
    WatchlistEntry,
)
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet, GuardedWriteMixin


@extend_schema_view(list=doc(
    summary=_("List your watchlist"),
    description=_("The assets you watch. Add and remove with `POST` and `DELETE /api/v1/assets/{id}/watch/`."),
))
class WatchlistViewSet(mixins.ListModelMixin, GuardedViewSet):
    """The caller's own watchlist (add and remove with POST/DELETE /assets/{id}/watch/)."""

    model = WatchlistEntry
    serializer_class = WatchlistEntrySerializer
    filter_backends = GUARDED_FILTERS
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return WatchlistEntry.objects.select_related("asset")


@extend_schema_view(
    list=doc(summary=_("List expressions of interest"),
             description=_("As a licensor, the interest expressed in your assets; as a partner, your company's own. "
                           "Filter by `asset` or `company`.")),
    retrieve=doc(summary=_("Read an expression of interest"),
                 description=_("One expression of interest in your asset, or one your company made.")),
)
class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Expressions of interest: the licensor sees those in its own assets; a partner only its company's own."""

    model = ExpressionOfInterest
    serializer_class = InterestSerializer
    filterset_fields = ["asset", "company"]
    filter_backends = GUARDED_FILTERS
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return ExpressionOfInterest.objects.select_related("asset", "company", "created_by")


@extend_schema_view(
    list=doc(summary=_("List your companies' interest profiles"),
             description=_("What your companies look for: modalities, stages, therapeutic areas, territories and "
                           "deal types. Recommendations are ranked against it.")),
    retrieve=doc(summary=_("Read an interest profile"), description=_("One interest profile of your companies.")),
    create=doc(summary=_("Set your company's interest profile"),
               description=_("Contributors of a verified company create its profile, or replace the one it has "
                             "(a company has one)."),
               errors={400: ["unknown_choice", "reversed_range", "invalid_territory", "unknown_territory"]}),
    partial_update=doc(summary=_("Change your company's interest profile"),
                       description=_("Contributors change the profile's criteria; send only those to change."),
                       errors={400: ["unknown_choice", "reversed_range", "invalid_territory", "unknown_territory"]}),
)
class InterestProfileViewSet(GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, mixins.UpdateModelMixin, GuardedViewSet):
    """What a partner company looks for. POST creates or replaces the company's one profile."""

    model = InterestProfile
    serializer_class = InterestProfileSerializer
    filter_backends = GUARDED_FILTERS
    ordering_fields = ["updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _fields(self, serializer: Any) -> dict[str, Any]:
        data = dict(serializer.validated_data)
        data.pop("company", None)
        return data

    def create_object(self, serializer: Any) -> InterestProfile:
        return services.interest_profile_save(actor=self.request.user, company=serializer.validated_data["company"],
                                              **self._fields(serializer))

    def update_object(self, serializer: Any) -> InterestProfile:
        profile = self.get_object()
        return services.interest_profile_save(actor=self.request.user, company=profile.company,
                                              **self._fields(serializer))
