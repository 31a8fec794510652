from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api.filters import AssetFilter, StrictOrderingFilter
from apps.catalog.api.renderers import FastJSONRenderer
from apps.catalog.api.serializers import (
    ASSET_ROW_COLUMNS,
    AssetSerializer,
    AssetWriteSerializer,
    InterestCreateSerializer,
    InterestSerializer,
    RecommendationSerializer,
    WatchlistEntrySerializer,
    asset_row_data,
)
from apps.catalog.matching import recommend
from apps.catalog.models import (
    Asset,
    Patent,
    RegulatoryEvent,
    confidential_q,
)
from apps.catalog.selectors import interest_profile_of, with_access_flags
from apps.core.api.filters import FilterBackend
from apps.core.api.pagination import CursorPagination
from apps.core.api.parsers import MAX_INT
from apps.core.api.schema import doc
from apps.core.api.serializers import ReasonSerializer, RequiredReasonSerializer
from apps.core.api.viewsets import ModeratedViewSet, ModerationServices
from apps.core.errors import ValidationFailed


class AssetPagination(CursorPagination):
    """Cursor pages: no COUNT over the permission filter, constant queries whatever the page size."""

    ordering = ("-id",)  # type: ignore[assignment]  # DRF accepts a tuple; see StrictOrderingFilter.default


# Territories read as named regions and exclusions; `?expand=territories` adds the same as country codes.
EXPAND_PARAMETER = OpenApiParameter(
    "expand", {"type": "string", "enum": ["territories"]}, required=False,
    description="territories: also answer `territory_countries`, the territory as ISO country codes.")


def _expand_territories(request: Request) -> bool:
    values = request.query_params.getlist("expand")
    if values not in ([], ["territories"]):
        raise ValidationFailed(_("Only ?expand=territories is known."), fields={"expand": ["territories"]})
    return bool(values)


@extend_schema_view(
    list=doc(
        summary=_("Search the catalog"),
        description=_(
            "Published assets of verified companies, plus your own company's in any state. Every verified company "
            "reads the teaser; the confidential core (`confidential_visible`) only the owner company, companies it "
            "shared the core with, and staff. Search with `q` (English and Chinese) and filter by modality, stage "
            "range, therapeutic area, territory or deal type; filters on confidential fields only match assets whose "
            "core you may read. Pages are a cursor: follow `next`."
        ),
        errors={400: ["reversed_range", "invalid_territory", "unknown_territory"]},
        parameters=[EXPAND_PARAMETER],
    ),
    retrieve=doc(
        summary=_("Read an asset"),
        description=_(
            "The teaser, and the confidential core with its regulatory events and patents when you may read it "
            "(the owner is told that your company viewed it)."
        ),
        parameters=[EXPAND_PARAMETER],
    ),
    submit=doc(
        summary=_("Submit an asset for review"),
        description=_(
            "Sends a draft (or a listing sent back for changes) to staff for review; its teaser must be complete. "
            "Staff publish it or ask for changes, and you are told either way."
        ),
        errors={403: ["company_not_verified"], 400: ["teaser_incomplete"], 409: ["invalid_transition"]},
        request=None, responses={200: AssetSerializer},
    ),
    publish=doc(
        summary=_("Publish a submitted asset (staff)"),
        description=_(
            "Staff publish a submitted listing, with an optional note: every verified company can find it from now "
            "on, and its owner is told."
        ),
        errors={403: ["permission_denied"], 409: ["invalid_transition", "company_not_verified"]},
        request=ReasonSerializer, responses={200: AssetSerializer},
    ),
    request_changes=doc(
        summary=_("Send an asset back for changes (staff)"),
        description=_("Staff return a submitted listing to its owner with the reason, which the owner is told."),
        errors={403: ["permission_denied"], 409: ["invalid_transition"]},
        request=RequiredReasonSerializer, responses={200: AssetSerializer},
    ),
)
class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ModeratedViewSet):
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
    moderation = ModerationServices("asset", services.asset_submit, services.asset_publish,
                                    services.asset_request_changes)

    def get_base_queryset(self) -> QuerySet:
        return Asset.objects.select_related("owner_company")

    # created_at and updated_at are core fields (asset_row_data): a reader who sees any listed asset as a teaser
    # may not order by them (apps/core/api/filters.py). The only fields this view ever hides: the filter backend
    # need not run the probe below for filters that are none of them (a search).
    hideable_fields = ("created_at", "updated_at")

    def fields_hidden_from_reader(self) -> set[str]:
        user = self.request.user
        if user.is_staff:
            return set()
        # The confidential rule as a condition on the listed rows (the for_user rule itself, catalog.confidential_q),
        # not as `pk IN (every asset whose core the user reads)`: that subquery walks the whole table (B1).
        teasers = self.get_queryset().exclude(confidential_q(user))
        return set(self.hideable_fields) if teasers.exists() else set()

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
        context["expand_territories"] = self.action == "retrieve" and _expand_territories(self.request)
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
        expand = _expand_territories(request)
        data = [asset_row_data(row, is_staff=is_staff, expand_territories=expand)
                for row in (rows if page is None else page)]
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = self.get_object()
        if asset.confidential_visible and not asset.is_owner:
            services.asset_confidential_viewed(actor=request.user, asset=asset)
        return Response(self.get_serializer(asset).data)

    @doc(
        summary=_("List a new asset (as a draft)"),
        description=_(
            "Contributors of a verified licensor company create a listing as a `draft`: the teaser everyone will "
            "read and the confidential core. Submit it for review next (`POST .../submit/`)."
        ),
        errors={403: ["company_not_verified"], 400: ["unknown_choice", "invalid_territory", "unknown_territory"],
                409: ["duplicate_code_name"]},
        request=AssetWriteSerializer, responses={201: AssetSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = AssetWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        asset = self.write_visible(lambda: services.asset_create(actor=request.user, **serializer.validated_data))
        return self._read(asset, status.HTTP_201_CREATED)

    @doc(
        summary=_("Edit an asset"),
        description=_(
            "The owner company's contributors edit a draft or a listing sent back for changes; send only the fields "
            "to change. A published listing is not edited in place."
        ),
        errors={400: ["unknown_choice", "invalid_territory", "unknown_territory"],
                409: ["not_editable", "duplicate_code_name"]},
        request=AssetWriteSerializer, responses={200: AssetSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        asset = self.get_object()
        serializer = AssetWriteSerializer(data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        # The owner company read back unchanged is no move: what the API answers, it accepts back.
        if fields.pop("owner_company", asset.owner_company) != asset.owner_company:
            raise ValidationFailed(_("A listing cannot move to another company."),
                                   fields={"owner_company": [_("Cannot be changed.")]})
        asset = services.asset_update(actor=request.user, asset=asset, **fields)
        return self._read(asset)

    @doc(
        summary=_("Archive an asset"),
        description=_(
            "The owner company's managers (or staff) withdraw a listing from the catalog, with an optional reason. "
            "It stays visible to its owner and staff only."
        ),
        errors={403: ["permission_denied"], 409: ["invalid_transition"]},
        request=ReasonSerializer, responses={200: AssetSerializer},
    )
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

    @doc(
        methods=["post"],
        summary=_("Watch an asset"),
        description=_("Adds the asset to your watchlist: you are told when its listing changes."),
        errors={409: ["already_watched"]},
        request=None, responses={201: WatchlistEntrySerializer},
    )
    @doc(
        methods=["delete"],
        summary=_("Stop watching an asset"),
        description=_("Removes the asset from your watchlist; not watching it already is no error."),
        request=None, responses={204: None},
    )
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        if request.method == "DELETE":
            services.watchlist_remove(actor=request.user, asset=asset)
            return Response(status=status.HTTP_204_NO_CONTENT)
        entry = services.watchlist_add(actor=request.user, asset=asset)
        return Response(WatchlistEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @doc(
        summary=_("Express interest in an asset"),
        description=_(
            "A contributor of another verified company tells the licensor it is interested, with a message and the "
            "deal types and territories it has in mind. The licensor's managers are told. A person in several "
            "companies names the one they act for in `company`."
        ),
        errors={403: ["not_a_partner"], 409: ["already_interested", "not_published"]},
        request=InterestCreateSerializer, responses={201: InterestSerializer},
    )
    @action(detail=True, methods=["post"])
    def interest(self, request: Request, pk: str | None = None) -> Response:
        asset = self.get_object()
        serializer = InterestCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        interest = services.interest_express(actor=request.user, asset=asset, **serializer.validated_data)
        return Response(InterestSerializer(interest).data, status=status.HTTP_201_CREATED)

    @doc(
        summary=_("Assets recommended for your company"),
        description=_(
            "Published assets ranked against your company's interest profile (`/interest-profiles/`), each with the "
            "criteria it matched and a score. Without a profile the list is empty."
        ),
        parameters=[
            OpenApiParameter("company", {"type": "integer", "minimum": 1, "maximum": MAX_INT}, required=False,
                             description=_("One of your companies (default: the first with a profile).")),
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
        if company_id is not None and not 1 <= company_id <= MAX_INT:  # SQLite: OverflowError beyond 64 bits
            raise ValidationFailed(_("This number is out of range."),
                                   fields={"company": [_("This number is out of range.")]})
        if not 1 <= limit <= 100:
            raise ValidationFailed(_("limit must be between 1 and 100."), fields={"limit": ["1..100"]})
        profile = interest_profile_of(request.user, company_id)
        if profile is None:
            return Response([])
        context = self.get_serializer_context()
        ranked = recommend(self.get_queryset(), profile, limit=limit)
        return Response([{"asset": AssetSerializer(asset, context=context).data, "matched": matched,
                          "score": len(matched)} for asset, matched in ranked])
