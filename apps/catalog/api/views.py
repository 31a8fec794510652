from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api.filters import AssetFilter, ChoiceOrderingFilter, StrictOrderingFilter
from apps.catalog.api.renderers import FastJSONRenderer
from apps.catalog.api.serializers import (
    ASSET_ROW_COLUMNS,
    AssetSerializer,
    AssetWriteSerializer,
    InterestCreateSerializer,
    InterestProfileSerializer,
    InterestSerializer,
    PatentSerializer,
    ReasonSerializer,
    RecommendationSerializer,
    RegionSerializer,
    RegulatoryEventSerializer,
    RequiredReasonSerializer,
    WatchlistEntrySerializer,
    asset_row_data,
)
from apps.catalog.matching import recommend
from apps.catalog.models import (
    Asset,
    ExpressionOfInterest,
    InterestProfile,
    Patent,
    RegulatoryEvent,
    WatchlistEntry,
)
from apps.catalog.selectors import interest_profile_of, with_access_flags
from apps.catalog.territories import regions
from apps.core.api.filters import FilterBackend
from apps.core.api.pagination import CursorPagination
from apps.core.api.viewsets import GuardedViewSet, GuardedWriteMixin
from apps.core.errors import ValidationFailed


class AssetPagination(CursorPagination):
    """Cursor pages: no COUNT over the permission filter, constant queries whatever the page size."""

    ordering = ("-created_at", "-id")  # type: ignore[assignment]  # DRF accepts a tuple


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """The catalog. Every verified company reads published teasers; the confidential core only the owner
    company, companies granted `view_confidential_asset`, and staff. Filters on confidential fields match
    only rows whose core the caller may read; search and ordering use teaser fields only."""

    model = Asset
    serializer_class = AssetSerializer
    filterset_class = AssetFilter
    filter_backends = [FilterBackend, StrictOrderingFilter]  # FilterBackend: a one-value filter given twice is a 400
    pagination_class = AssetPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]  # same bytes as JSONRenderer, faster (B2)
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {"submit": "change", "partial_update": "change"}

    def get_base_queryset(self) -> QuerySet:
        return Asset.objects.select_related("owner_company")

    def get_queryset(self) -> QuerySet:
        restricted = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return restricted
        queryset: Any = with_access_flags(restricted, self.request.user)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch("regulatory_events", queryset=RegulatoryEvent.objects.order_by("date", "id")),
                Prefetch("patents", queryset=Patent.objects.order_by("family", "jurisdiction", "number")),
            )
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["is_staff"] = bool(getattr(self.request.user, "is_staff", False))
        context["detail"] = self.action == "retrieve"
        return context

    def _read(self, asset: Asset, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=asset.pk)
        return Response(AssetSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """List pages read `.values()` rows and shape them with asset_row_data: no model instance, owner
        company instance or serializer field per row (B2). Same shape as AssetSerializer."""
        rows = self.filter_queryset(self.get_queryset()).values(*ASSET_ROW_COLUMNS)
        page = self.paginate_queryset(rows)
        is_staff = bool(getattr(request.user, "is_staff", False))
        data = [asset_row_data(row, is_staff=is_staff) for row in (rows if page is None else page)]
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = self.get_object()
        if asset.confidential_visible and not asset.is_owner:
            services.asset_confidential_viewed(actor=request.user, asset=asset)
        return Response(self.get_serializer(asset).data)

    @extend_schema(request=AssetWriteSerializer, responses={201: AssetSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AssetWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        asset = services.asset_create(actor=request.user, **serializer.validated_data)
        self.recheck_visible(asset)
        return self._read(asset, status.HTTP_201_CREATED)

    @extend_schema(request=AssetWriteSerializer, responses={200: AssetSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = self.get_object()
        serializer = AssetWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        if fields.pop("owner_company", None) is not None:
            raise ValidationFailed(_("A listing cannot move to another company."),
                                   fields={"owner_company": [_("Cannot be changed.")]})
        asset = services.asset_update(actor=request.user, asset=asset, **fields)
        return self._read(asset)

    @extend_schema(request=None, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        return self._read(services.asset_submit(actor=request.user, asset=self.get_object()))

    @extend_schema(request=ReasonSerializer, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        serializer = ReasonSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        note = serializer.validated_data.get("reason", "")
        return self._read(services.asset_publish(actor=request.user, asset=asset, note=note))

    @extend_schema(request=RequiredReasonSerializer, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        serializer = RequiredReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._read(services.asset_request_changes(actor=request.user, asset=asset,
                                                         reason=serializer.validated_data["reason"]))

    @extend_schema(request=ReasonSerializer, responses={200: AssetSerializer})
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        serializer = ReasonSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        asset = services.asset_archive(actor=request.user, asset=asset,
                                       reason=serializer.validated_data.get("reason", ""))
        # An archived asset stays visible to its owner and staff only.
        data = AssetSerializer(with_access_flags(Asset.objects.filter(pk=asset.pk).select_related("owner_company"),
                                                 request.user).get(), context=self.get_serializer_context()).data
        return Response(data)

    @extend_schema(methods=["post"], request=None, responses={201: WatchlistEntrySerializer})
    @extend_schema(methods=["delete"], request=None, responses={204: None})
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        if request.method == "DELETE":
            services.watchlist_remove(actor=request.user, asset=asset)
            return Response(status=status.HTTP_204_NO_CONTENT)
        entry = services.watchlist_add(actor=request.user, asset=asset)
        return Response(WatchlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=InterestCreateSerializer, responses={201: InterestSerializer})
    @action(detail=True, methods=["post"])
    def interest(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        serializer = InterestCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        interest = services.interest_express(actor=request.user, asset=asset, **serializer.validated_data)
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("company", int, required=False,
                             description="One of your companies (default: the first with a profile)."),
            OpenApiParameter("limit", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                             required=False),
        ],
        responses={200: RecommendationSerializer(many=True)},
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def recommended(self, request: Request) -> Response:
        """Published assets ranked for the caller's company profile, each with the criteria it matched."""
        for name in ("company", "limit"):
            if len(request.query_params.getlist(name)) > 1:
                raise ValidationFailed(_("Give this parameter once."), fields={name: [_("Give this parameter once.")]})
        try:
            company_id = int(request.query_params["company"]) if "company" in request.query_params else None
            limit = int(request.query_params.get("limit", 20))
        except ValueError:
            raise ValidationFailed(_("company and limit must be whole numbers.")) from None
        if not 1 <= limit <= 100:
            raise ValidationFailed(_("limit must be between 1 and 100."), fields={"limit": ["1..100"]})
        profile = interest_profile_of(request.user, company_id)
        if profile is None:
            return Response([])
        context = self.get_serializer_context()
        ranked = recommend(self.get_queryset(), profile, limit=limit)
        return Response([{"asset": AssetSerializer(asset, context=context).data, "matched": matched,
                          "score": len(matched)} for asset, matched in ranked])


# The guarded filter backend, and ordering only by the fields each view names (an enum in the schema).
FILTERS = [FilterBackend, ChoiceOrderingFilter]


class RegionViewSet(viewsets.ViewSet):
    """The named territory regions (worldwide, Greater China, EU, emerging markets...) with their countries."""

    pagination_class = None

    @extend_schema(responses={200: RegionSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([region.as_dict() for region in regions()])


class RegulatoryEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             mixins.DestroyModelMixin, GuardedViewSet):
    """Regulatory events of assets whose core the caller may read. Owner contributors record and delete."""

    model = RegulatoryEvent
    serializer_class = RegulatoryEventSerializer
    filterset_fields = ["asset", "agency", "event_type", "designation"]
    filter_backends = FILTERS
    ordering_fields = ["date", "created_at"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        asset = data.pop("asset")
        serializer.instance = services.regulatory_event_record(actor=self.request.user, asset=asset, **data)
        self.recheck_visible(serializer.instance)

    def perform_destroy(self, instance: RegulatoryEvent) -> None:
        services.regulatory_event_delete(actor=self.request.user, event=instance)


class PatentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.DestroyModelMixin, GuardedViewSet):
    """Patents of assets whose core the caller may read. Owner contributors record and delete."""

    model = Patent
    serializer_class = PatentSerializer
    filterset_fields = ["asset", "jurisdiction"]
    filter_backends = FILTERS
    ordering_fields = ["expiry", "created_at"]

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        asset = data.pop("asset")
        serializer.instance = services.patent_record(actor=self.request.user, asset=asset, **data)
        self.recheck_visible(serializer.instance)

    def perform_destroy(self, instance: Patent) -> None:
        services.patent_delete(actor=self.request.user, patent=instance)


class WatchlistViewSet(mixins.ListModelMixin, GuardedViewSet):
    """The caller's own watchlist (add and remove with POST/DELETE /assets/{id}/watch/)."""

    model = WatchlistEntry
    serializer_class = WatchlistEntrySerializer
    filter_backends = FILTERS
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return WatchlistEntry.objects.select_related("asset")


class InterestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Expressions of interest: the licensor sees those in its own assets; a partner only its company's own."""

    model = ExpressionOfInterest
    serializer_class = InterestSerializer
    filterset_fields = ["asset", "company"]
    filter_backends = FILTERS
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return ExpressionOfInterest.objects.select_related("asset", "company", "created_by")


class InterestProfileViewSet(GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, mixins.UpdateModelMixin, GuardedViewSet):
    """What a partner company looks for. POST creates or replaces the company's one profile."""

    model = InterestProfile
    serializer_class = InterestProfileSerializer
    filter_backends = FILTERS
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
