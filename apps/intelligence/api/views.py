"""Deal-intelligence API: views wire requests to services (writes) and selectors (reads)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalog.models import Stage
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import NotFound, ValidationFailed
from apps.intelligence import charts, selectors, services, valuation
from apps.intelligence.api import serializers as s
from apps.intelligence.models import DealImport, DealRecord, MarketFigure, PhaseTransition

ANALYTICS_PARAMETERS = [
    OpenApiParameter("group_by", str, description="Up to two of: " + ", ".join(selectors.DIMENSIONS)),
    *[OpenApiParameter(name, str, description="Comma-separated values") for name in selectors.FILTER_CHOICES],
    OpenApiParameter("year_from", int), OpenApiParameter("year_to", int),
    OpenApiParameter("china_out_licensing", bool, description="Licensor in mainland China, licensee outside"),
]


class ImageRenderer(BaseRenderer):
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data


class PNGRenderer(ImageRenderer):
    media_type = "image/png"
    format = "png"


class SVGRenderer(ImageRenderer):
    media_type = "image/svg+xml"
    format = "svg"


def _image(content: bytes, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=charts.FORMATS[fmt])
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Language"] = charts.language()
    return response


class DealRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Deal records: public records (announced deals with their sources) for staff and members of verified
    companies; a platform deal only for members of its parties. Staff curate public records."""

    model = DealRecord
    serializer_class = s.DealRecordSerializer
    filterset_fields = ["source_kind", "modality", "therapeutic_area", "stage", "deal_type", "territory",
                        "licensor_country", "licensee_country", "currency"]
    ordering_fields = ["announced_on", "upfront_usd", "total_value_usd", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {"partial_update": "change", "destroy": "delete"}

    def get_base_queryset(self) -> QuerySet:
        return DealRecord.objects.all()

    @extend_schema(request=s.DealRecordSerializer, responses={201: s.DealRecordSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.DealRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            deal = services.deal_create(actor=request.user, data=serializer.validated_data)
            self.recheck_visible(deal)
        return Response(s.DealRecordSerializer(deal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DealRecordUpdateSerializer, responses={200: s.DealRecordSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        deal = self.get_object()
        serializer = s.DealRecordUpdateSerializer(deal, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_update(actor=request.user, deal=deal, data=serializer.validated_data)
        return Response(s.DealRecordSerializer(deal).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.deal_delete(actor=request.user, deal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"])
    def reprice(self, request: Request) -> Response:
        """Recompute every record's USD figures with the exchange rate of its announcement date (staff)."""
        return Response({"changed": services.deals_reprice(actor=request.user)})


class DealImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """CSV/XLSX imports of public deal records (staff): upload gives a preview of every row's outcome and
    errors, and nothing is written until the preview is confirmed."""

    model = DealImport
    serializer_class = s.DealImportSerializer
    parser_classes = [MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"confirm": "change"}

    def get_base_queryset(self) -> QuerySet:
        return DealImport.objects.defer("content")

    @extend_schema(request={"multipart/form-data": s.DealImportUploadSerializer},
                   responses={201: s.DealImportSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.DealImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            raise ValidationFailed(_("The file is larger than 5 MB."), code="import_too_big")
        deal_import = services.import_preview(actor=request.user, file_name=upload.name, content=upload.read())
        return Response(s.DealImportSerializer(deal_import).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.DealImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Write the previewed file (refused while any row has errors)."""
        deal_import = services.import_confirm(actor=request.user, deal_import=self.get_object())
        return Response(s.DealImportSerializer(deal_import).data)


class MarketFigureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Figures published by others (with their source), kept apart from figures computed from records."""

    model = MarketFigure
    serializer_class = s.MarketFigureSerializer
    filterset_fields = ["metric"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @extend_schema(request=s.MarketFigureSerializer, responses={201: s.MarketFigureSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.MarketFigureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            figure = services.market_figure_create(actor=request.user, data=serializer.validated_data)
            self.recheck_visible(figure)
        return Response(s.MarketFigureSerializer(figure).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MarketFigureUpdateSerializer, responses={200: s.MarketFigureSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        figure = self.get_object()
        serializer = s.MarketFigureUpdateSerializer(figure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        figure = services.market_figure_update(actor=request.user, figure=figure, data=serializer.validated_data)
        return Response(s.MarketFigureSerializer(figure).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.market_figure_delete(actor=request.user, figure=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhaseTransitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Default phase-transition probabilities used by the rNPV (cited source; staff may edit)."""

    model = PhaseTransition
    serializer_class = s.PhaseTransitionSerializer
    filterset_fields = ["phase", "therapeutic_area"]
    http_method_names = ["get", "patch", "head", "options"]
    action_permissions = {"partial_update": "change"}

    @extend_schema(request=s.PhaseTransitionUpdateSerializer, responses={200: s.PhaseTransitionSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        transition = self.get_object()
        serializer = s.PhaseTransitionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transition = services.phase_transition_update(actor=request.user, transition=transition,
                                                      **serializer.validated_data)
        return Response(s.PhaseTransitionSerializer(transition).data)


def _require_reader(request: Request) -> None:
    if not selectors.may_read_analytics(request.user):
        raise NotFound()


class DealAnalyticsView(APIView):
    """Counts, sums and quartiles of public deals by year/quarter, area, modality, stage, territory and countries,
    filterable in any combination; platform deals only in a k-anonymous block that filters never touch."""

    @extend_schema(parameters=ANALYTICS_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        _require_reader(request)
        return Response(selectors.deal_analytics(request.user, selectors.parse_analytics_params(request.query_params)))


class ChinaOutLicensingView(APIView):
    """The same analytics restricted to China out-licensing: licensor in mainland China, licensee outside."""

    @extend_schema(parameters=ANALYTICS_PARAMETERS[:-1], responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request) -> Response:
        _require_reader(request)
        spec = selectors.parse_analytics_params(request.query_params)
        spec["china_out_licensing"] = True
        return Response(selectors.deal_analytics(request.user, spec))


class ChartView(APIView):
    """A chart of public deals as PNG or SVG, labelled in the reader's language (filters as in analytics)."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, PNGRenderer, SVGRenderer]

    @extend_schema(parameters=ANALYTICS_PARAMETERS, responses={(200, "image/png"): OpenApiTypes.BINARY,
                                                              (200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request: Request, name: str, fmt: str) -> HttpResponse:
        _require_reader(request)
        spec = selectors.parse_analytics_params(request.query_params)
        if name == "deals-per-year":
            return _image(charts.deals_per_year(selectors.chart_deals_per_year(request.user, spec), fmt), fmt)
        if name == "upfront-vs-total":
            return _image(charts.upfront_vs_total(selectors.chart_upfront_vs_total(request.user, spec), fmt), fmt)
        raise NotFound()


ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)


@extend_schema_view(retrieve=extend_schema(parameters=[ID_PARAMETER]))
class AssetComparablesViewSet(viewsets.ViewSet):
    """Comparable public deals for an asset you may see: same modality and area, stage within one step."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(selectors.asset_comparables(request.user, pk))


@extend_schema_view(comparables=extend_schema(parameters=[ID_PARAMETER]),
                    valuation=extend_schema(parameters=[ID_PARAMETER]),
                    contribution=extend_schema(parameters=[ID_PARAMETER]))
class AgreementIntelligenceViewSet(viewsets.ViewSet):
    """Deal intelligence around one agreement, for its parties only: comparables of the current term-sheet version,
    the rNPV under it, and the consent to contribute the executed deal to statistics."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, PNGRenderer, SVGRenderer]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def comparables(self, request: Request, pk: Any = None) -> Response:
        """Where the current version's upfront and total fall among comparable public deals."""
        return Response(selectors.agreement_comparables(request.user, pk))

    @extend_schema(parameters=[ID_PARAMETER, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["png", "svg"])],
                   responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY})
    def comparables_chart(self, request: Request, pk: Any = None, fmt: str = "png") -> HttpResponse:
        """The comparables strip with the proposed terms marked."""
        return _image(charts.comparables_strip(selectors.agreement_comparables(request.user, pk), fmt), fmt)

    @extend_schema(request=s.ValuationRequestSerializer, responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post"])
    def valuation(self, request: Request, pk: Any = None) -> Response:
        """Risk-adjusted NPV of the agreement's asset under its current version (licensor's view)."""
        agreement = selectors.party_agreement(request.user, pk)
        serializer = s.ValuationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = agreement.current_version
        asset = agreement.assets.order_by("pk").first()
        if version is None or asset is None:
            raise ValidationFailed(_("The agreement has no terms or no asset yet."), code="no_terms")
        areas = list(asset.therapeutic_areas or [])
        defaults, sources = selectors.default_probabilities(areas[0] if areas else "")
        probabilities = {**defaults, **{k: Decimal(v) for k, v in (data.get("probabilities") or {}).items()}}
        for name in data.get("probabilities") or {}:
            sources[name] = "given"
        unknown = set(data.get("probabilities") or {}) - set(valuation.TRANSITIONS)
        if unknown:
            raise ValidationFailed(_("Unknown phase transition."), code="invalid_valuation",
                                   fields={"probabilities": sorted(unknown)})
        result = valuation.valuate(valuation.ValuationInput(
            stage=asset.stage or Stage.DISCOVERY, currency=version.currency, terms=version.terms,
            start_year=data.get("start_year") or timezone.localdate().year, launch_year=data["launch_year"],
            peak_sales=data["peak_sales"], discount_rate=data["discount_rate"], probabilities=probabilities,
            years_to_peak=data.get("years_to_peak", 5), years_on_market=data.get("years_on_market", 10),
            sources=sources))
        result.update({"agreement": agreement.pk, "version": version.number,
                       "computed_on": datetime.date.today().isoformat()})
        return Response(result)

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["post", "delete"])
    def contribution(self, request: Request, pk: Any = None) -> Response:
        """Consent (POST) or withdraw consent (DELETE) to contribute the executed agreement to statistics."""
        agreement = selectors.party_agreement(request.user, pk)
        if request.method == "DELETE":
            services.contribution_withdraw(actor=request.user, agreement=agreement)
            return Response(status=status.HTTP_204_NO_CONTENT)
        consent = services.contribution_consent(actor=request.user, agreement=agreement)
        contributed = DealRecord.objects.filter(agreement=agreement).exists()
        return Response({"agreement": agreement.pk, "company": consent.company_id, "contributed": contributed},
                        status=status.HTTP_201_CREATED)
