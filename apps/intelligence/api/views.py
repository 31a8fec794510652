"""Deal-intelligence API: views wire requests to services (writes) and selectors (reads)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.catalog.models import Stage
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import NotFound, ValidationFailed
from apps.intelligence import charts, selectors, services, valuation
from apps.intelligence.api import serializers as s
from apps.intelligence.models import DealImport, DealRecord, MarketFigure, PhaseTransition

# Comma-separated lists (form style, not exploded) of the values parse_analytics_params accepts, so the schema
# states exactly what the view refuses: a value outside the enum, more than two groupings, a year out of range.
ANALYTICS_PARAMETERS = [
    OpenApiParameter("group_by", {"type": "array", "items": {"type": "string", "enum": list(selectors.DIMENSIONS)},
                                  "maxItems": selectors.MAX_GROUP_BY, "uniqueItems": True},
                     style="form", explode=False,
                     description="Up to two of: " + ", ".join(selectors.DIMENSIONS)),
    *[OpenApiParameter(name, {"type": "array", "items": {"type": "string", "enum": sorted(choices)}},
                       style="form", explode=False, description="Comma-separated values")
      for name, choices in selectors.FILTER_CHOICES.items()],
    *[OpenApiParameter(name, {"type": "integer", "minimum": selectors.YEAR_MIN, "maximum": selectors.YEAR_MAX})
      for name in ("year_from", "year_to")],
    OpenApiParameter("china_out_licensing", bool, description="Licensor in mainland China, licensee outside"),
]
# A caller outside the analytics audience (staff and members of verified companies) gets 404, as for a missing page.
ANALYTICS_ERRORS = {400: ["invalid_parameters"], 404: ["not_found"]}


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


ANALYTICS_EXAMPLE = {
    "group_by": ["year"], "filters": {"china_out_licensing": False},
    "source": "Computed from public deal records on the platform (each with its source).",
    "usd_note": "USD figures use the exchange rate valid on each deal's announcement date.",
    "groups": [{"key": {"year": 2024}, "count": 4,
                "upfront_usd": {"n": 4, "sum": "975000000.00", "q1": "103000000.00", "median": "156000000.00",
                                "q3": "316000000.00"},
                "total_value_usd": {"n": 4, "sum": "7700000000.00", "q1": "1070000000.00",
                                    "median": "2600000000.00", "q3": "3990000000.00"},
                "by_currency": {"USD": {"count": 4, "upfront_sum": "975000000.00",
                                        "total_value_sum": "7700000000.00"}},
                "missing_usd_rate": 0}],
    "overall": {"count": 4, "upfront_usd": {"n": 4, "sum": "975000000.00", "q1": "103000000.00",
                                            "median": "156000000.00", "q3": "316000000.00"},
                "total_value_usd": {"n": 4, "sum": "7700000000.00", "q1": "1070000000.00",
                                    "median": "2600000000.00", "q3": "3990000000.00"}, "missing_usd_rate": 0},
    "platform": {"k": 5, "note": "Deals executed on the platform and contributed by their parties: shown only in "
                                 "groups of at least 5 deals.", "suppressed": True, "overall": None, "groups": []},
}
COMPARABLES_EXAMPLE = {
    "agreement": 42, "version": 2, "currency": "USD",
    "asset": {"id": 7, "code_name": "LMN-2201", "modality": "bispecific_antibody", "therapeutic_areas": ["oncology"],
              "stage": "phase_2"},
    "upfront": {"proposed_usd": "60000000.00", "percentile": 62, "n": 13,
                "text": "upfront at the 62nd percentile of 13 comparable deals"},
    "total_value": {"proposed_usd": "580000000.00", "percentile": 40, "n": 10,
                    "text": "total deal value at the 40th percentile of 10 comparable deals"},
    "comparables": [{"id": 3, "announced_on": "2025-05-20", "licensor": "3SBio", "licensee": "Pfizer",
                     "asset_name": "SSGJ-707 (PD-1/VEGF)", "stage": "phase_2", "currency": "USD",
                     "upfront": "1250000000.00", "total_value": "6050000000.00", "upfront_usd": "1250000000.00",
                     "total_value_usd": "6050000000.00", "source_url": "https://www.biospace.com/press-releases/"}],
}
VALUATION_EXAMPLE = {
    "rnpv": "26190833.95", "currency": "USD", "launch_probability": "0.4500",
    "transitions": [{"transition": "phase_3", "completes_in": 2027, "probability": "0.5"},
                    {"transition": "filed", "completes_in": 2028, "probability": "0.9"}],
    "years": [{"year": 2026, "probability": "1.0000", "net_sales": "0.00", "upfront": "10000000.00",
               "milestones": "0.00", "sales_milestones": "0.00", "royalties": "0.00", "expected": "10000000.00",
               "discount_factor": "1.000000", "present_value": "10000000.00"}],
    "sensitivity": {"discount_rates": ["0.08", "0.10", "0.12"],
                    "peak_sales": ["80000000.00", "100000000.00", "120000000.00"],
                    "rnpv": [["26400000.00", "26600000.00", "26800000.00"],
                             ["26000000.00", "26190833.95", "26380000.00"],
                             ["25700000.00", "25800000.00", "26000000.00"]]},
    "inputs": {"stage": "phase_3", "start_year": 2026, "launch_year": 2028, "peak_sales": "100000000",
               "discount_rate": "0.10", "years_to_peak": 1, "years_on_market": 2,
               "probabilities": {"filed": "0.9", "phase_3": "0.5"}, "probability_sources": {"phase_3": "given"}},
    "agreement": 42, "version": 2, "computed_on": "2026-11-30",
}
ASSET_COMPARABLES_EXAMPLE = {
    "asset": COMPARABLES_EXAMPLE["asset"], "count": 1,
    "upfront_usd": {"n": 1, "sum": "1250000000.00", "q1": "1250000000.00", "median": "1250000000.00",
                    "q3": "1250000000.00"},
    "total_value_usd": {"n": 1, "sum": "6050000000.00", "q1": "6050000000.00", "median": "6050000000.00",
                        "q3": "6050000000.00"},
    "comparables": COMPARABLES_EXAMPLE["comparables"],
}


@extend_schema_view(
    list=doc(summary=_("List deal records"), description=_(
        "Announced licensing deals with their terms and source, for staff and members of verified companies; a deal "
        "contributed from an agreement on the platform appears only to members of its parties. Filter by kind, "
        "modality, area, stage, deal type, territory, countries or currency; order by date or amounts.")),
    retrieve=doc(summary=_("Read a deal record"), description=_(
        "One deal record with its amounts in the deal currency and in USD (with the rate and its date).")),
    destroy=doc(summary=_("Remove a public deal record"), description=_(
        "Staff remove a public record; a contributed platform deal is never removed by hand."),
        errors={403: ["staff_only", "platform_deal"]}),
)
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

    @doc(summary=_("Add a public deal record"), description=_(
        "Staff add an announced deal: its source URL and the date it was read are required; amounts are exact "
        "decimal strings, and a figure that was not disclosed stays empty. The total deal value is upfront plus all "
        "milestones when not given. USD figures follow from the rate valid on the announcement date."),
        errors={403: ["staff_only"]}, request=s.DealRecordSerializer, responses={201: s.DealRecordSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.DealRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deal = self.write_visible(lambda: services.deal_create(actor=request.user, data=serializer.validated_data))
        return Response(s.DealRecordSerializer(deal).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Correct a public deal record"), description=_(
        "Staff correct fields of a public record (audited with what changed). Platform deals are never edited."),
        errors={403: ["staff_only", "platform_deal"]}, request=s.DealRecordUpdateSerializer,
        responses={200: s.DealRecordSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        deal = self.get_object()
        serializer = s.DealRecordUpdateSerializer(deal, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        deal = services.deal_update(actor=request.user, deal=deal, data=serializer.validated_data)
        return Response(s.DealRecordSerializer(deal).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.deal_delete(actor=request.user, deal=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @doc(summary=_("Recompute USD figures"), description=_(
        "After staff enter exchange rates, recompute every record's USD figures with the rate valid on its "
        "announcement date. Answers how many records changed."),
        errors={403: ["staff_only"]}, request=None, responses={200: OpenApiTypes.OBJECT}, example={"changed": 3})
    @action(detail=False, methods=["post"])
    def reprice(self, request: Request) -> Response:
        """Recompute every record's USD figures with the exchange rate of its announcement date (staff)."""
        return Response({"changed": services.deals_reprice(actor=request.user)})


@extend_schema_view(
    list=doc(summary=_("List deal imports"), description=_(
        "Staff's uploaded CSV/XLSX files with their preview and, once confirmed, their result. Others see none.")),
    retrieve=doc(summary=_("Read a deal import"), description=_(
        "One upload with the preview of every row: its line number, what it would do (new, update, skip) and its "
        "errors.")),
)
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

    @doc(summary=_("Upload a CSV or XLSX file of deals for preview"), description=_(
        "Staff upload a file with the import columns (reference, announced_on, licensor and licensee names and "
        "countries, asset, modality, area, stage, deal type, territory, currency, amounts, royalties, source_url, "
        "source_read_on). Nothing is written: the answer previews every row and its errors. Rows are matched on "
        "`reference`, so the same file again skips every row."),
        errors={400: ["import_format", "import_encoding", "import_unreadable", "import_columns", "import_too_big"],
                403: ["staff_only"]},
        request={"multipart/form-data": s.DealImportUploadSerializer}, responses={201: s.DealImportSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.DealImportUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > services.MAX_IMPORT_BYTES:
            raise ValidationFailed(_("The file is larger than 5 MB."), code="import_too_big")
        deal_import = services.import_preview(actor=request.user, file_name=upload.name, content=upload.read())
        return Response(s.DealImportSerializer(deal_import).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Confirm a previewed import"), description=_(
        "Writes the previewed file in one transaction; refused while any row has errors, and a file is imported "
        "once."), errors={409: ["import_has_errors", "already_imported"], 403: ["staff_only"]},
        request=None, responses={200: s.DealImportSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        """Write the previewed file (refused while any row has errors)."""
        deal_import = services.import_confirm(actor=request.user, deal_import=self.get_object())
        return Response(s.DealImportSerializer(deal_import).data)


@extend_schema_view(
    list=doc(summary=_("List market figures"), description=_(
        "Aggregate figures published by others (figure, period, scope, value, currency, source, as-of date), kept "
        "apart from figures computed from records. For staff and members of verified companies.")),
    retrieve=doc(summary=_("Read a market figure"), description=_("One published figure with its source.")),
    destroy=doc(summary=_("Remove a market figure"), description=_("Staff remove a figure (audited)."),
                errors={403: ["staff_only"]}),
)
class MarketFigureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Figures published by others (with their source), kept apart from figures computed from records."""

    model = MarketFigure
    serializer_class = s.MarketFigureSerializer
    filterset_fields = ["metric"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @doc(summary=_("Add a market figure"), description=_(
        "Staff record a figure someone else published; its source name, URL and as-of date are required. A count "
        "has no currency; an amount needs one."), errors={403: ["staff_only"]},
        request=s.MarketFigureSerializer, responses={201: s.MarketFigureSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.MarketFigureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        figure = self.write_visible(
            lambda: services.market_figure_create(actor=request.user, data=serializer.validated_data))
        return Response(s.MarketFigureSerializer(figure).data, status=status.HTTP_201_CREATED)

    @doc(summary=_("Correct a market figure"), description=_("Staff correct a published figure (audited)."),
         errors={403: ["staff_only"]}, request=s.MarketFigureUpdateSerializer,
         responses={200: s.MarketFigureSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        figure = self.get_object()
        serializer = s.MarketFigureUpdateSerializer(figure, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        figure = services.market_figure_update(actor=request.user, figure=figure, data=serializer.validated_data)
        return Response(s.MarketFigureSerializer(figure).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.market_figure_delete(actor=request.user, figure=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=doc(summary=_("List phase-transition probabilities"), description=_(
        "The default probability of moving from each phase to the next, for all areas and per area, with the public "
        "source it comes from. Valuations use them unless the caller gives their own.")),
    retrieve=doc(summary=_("Read a phase-transition probability"), description=_(
        "One default probability with its source.")),
)
class PhaseTransitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Default phase-transition probabilities used by the rNPV (cited source; staff may edit)."""

    model = PhaseTransition
    serializer_class = s.PhaseTransitionSerializer
    filterset_fields = ["phase", "therapeutic_area"]
    http_method_names = ["get", "patch", "head", "options"]
    action_permissions = {"partial_update": "change"}

    @doc(summary=_("Change a default probability"), description=_(
        "Staff change a default phase-transition probability (0 to 1), naming the source of the new value."),
        errors={403: ["staff_only"]}, request=s.PhaseTransitionUpdateSerializer,
        responses={200: s.PhaseTransitionSerializer})
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

    @doc(summary=_("Deal analytics"), description=_(
        "Counts, sums, medians and quartiles of upfront and total value (USD, and sums per deal currency) of public "
        "deals, grouped by up to two of year, quarter, area, modality, stage, territory, licensor or licensee "
        "country and deal type, with filters in any combination. Platform deals appear only in the `platform` "
        "block: never filtered, groups of at least 5, amounts rounded."), errors=ANALYTICS_ERRORS,
        parameters=ANALYTICS_PARAMETERS, responses={200: OpenApiTypes.OBJECT}, example=ANALYTICS_EXAMPLE)
    def get(self, request: Request) -> Response:
        _require_reader(request)
        return Response(selectors.deal_analytics(request.user, selectors.parse_analytics_params(request.query_params)))


class ChinaOutLicensingView(APIView):
    """The same analytics restricted to China out-licensing: licensor in mainland China, licensee outside."""

    @doc(summary=_("China out-licensing analytics"), description=_(
        "The deal analytics restricted to licensors in mainland China and licensees outside it (Hong Kong, Macau "
        "and Taiwan count as outside). Same groups and filters."), errors=ANALYTICS_ERRORS,
        parameters=ANALYTICS_PARAMETERS[:-1], responses={200: OpenApiTypes.OBJECT}, example=ANALYTICS_EXAMPLE)
    def get(self, request: Request) -> Response:
        _require_reader(request)
        spec = selectors.parse_analytics_params(request.query_params)
        spec["china_out_licensing"] = True
        return Response(selectors.deal_analytics(request.user, spec))


class ChartView(APIView):
    """A chart of public deals as PNG or SVG, labelled in the reader's language (filters as in analytics)."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, PNGRenderer, SVGRenderer]

    @doc(summary=_("A chart of public deals"), description=_(
        "`deals-per-year` (stacked by area) or `upfront-vs-total`, as `.png` or `.svg`, labelled in the reader's "
        "language (Accept-Language), with the analytics filters. Platform deals are never drawn."),
        errors=ANALYTICS_ERRORS,
        parameters=[*ANALYTICS_PARAMETERS, OpenApiParameter("name", str, OpenApiParameter.PATH,
                                                            enum=["deals-per-year", "upfront-vs-total"]),
                    OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["png", "svg"])],
        responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY})
    def get(self, request: Request, name: str, fmt: str) -> HttpResponse:
        _require_reader(request)
        spec = selectors.parse_analytics_params(request.query_params)
        if name == "deals-per-year":
            return _image(charts.deals_per_year(selectors.chart_deals_per_year(request.user, spec), fmt), fmt)
        if name == "upfront-vs-total":
            return _image(charts.upfront_vs_total(selectors.chart_upfront_vs_total(request.user, spec), fmt), fmt)
        raise NotFound()


ID_PARAMETER = OpenApiParameter("id", int, OpenApiParameter.PATH)


@extend_schema_view(retrieve=doc(summary=_("Comparable deals for an asset"), description=_(
    "Public deals of the same modality and therapeutic area as an asset you may see, stage at signing within one "
    "step, with quartiles of upfront and total (USD)."), parameters=[ID_PARAMETER],
    responses={200: OpenApiTypes.OBJECT},
    example=ASSET_COMPARABLES_EXAMPLE))
class AssetComparablesViewSet(viewsets.ViewSet):
    """Comparable public deals for an asset you may see: same modality and area, stage within one step."""

    def retrieve(self, request: Request, pk: Any = None) -> Response:
        return Response(selectors.asset_comparables(request.user, pk))


@extend_schema_view(
    comparables=doc(summary=_("Comparables of an agreement under negotiation"), description=_(
        "Where the current term-sheet version's upfront and total (in USD) fall among comparable public deals, e.g. "
        "'upfront at the 62nd percentile of 13 comparable deals'. Members of the parties only; staff get 403."),
        errors={400: ["no_terms"], 403: ["parties_only"]}, parameters=[ID_PARAMETER],
        responses={200: OpenApiTypes.OBJECT}, example=COMPARABLES_EXAMPLE),
    valuation=doc(summary=_("Risk-adjusted NPV under the current version"), description=_(
        "The licensor's rNPV of the agreement's asset under the current version: upfront, milestones and royalty "
        "tiers, phase-transition probabilities (stored defaults with their source, or yours), launch year, peak "
        "sales and discount rate, in Decimal; with the per-year breakdown and a sensitivity table (rate +-2 points, "
        "peak sales +-20%). Members of the parties only."),
        errors={400: ["no_terms", "invalid_valuation"], 403: ["parties_only"]}, parameters=[ID_PARAMETER],
        request=s.ValuationRequestSerializer, responses={200: OpenApiTypes.OBJECT}, example=VALUATION_EXAMPLE),
)
class AgreementIntelligenceViewSet(viewsets.ViewSet):
    """Deal intelligence around one agreement, for its parties only: comparables of the current term-sheet version,
    the rNPV under it, and the consent to contribute the executed deal to statistics."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, PNGRenderer, SVGRenderer]

    @action(detail=True, methods=["get"])
    def comparables(self, request: Request, pk: Any = None) -> Response:
        """Where the current version's upfront and total fall among comparable public deals."""
        return Response(selectors.agreement_comparables(request.user, pk))

    @doc(summary=_("Comparables strip of an agreement"), description=_(
        "The comparable public deals' upfront and total as two strips with the current version's terms marked, as "
        "PNG or SVG in the reader's language. Members of the parties only."),
        errors={400: ["no_terms"], 403: ["parties_only"]},
        parameters=[ID_PARAMETER, OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=["png", "svg"])],
        responses={(200, "image/png"): OpenApiTypes.BINARY, (200, "image/svg+xml"): OpenApiTypes.BINARY})
    def comparables_chart(self, request: Request, pk: Any = None, fmt: str = "png") -> HttpResponse:
        """The comparables strip with the proposed terms marked."""
        return _image(charts.comparables_strip(selectors.agreement_comparables(request.user, pk), fmt), fmt)

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

    @doc(methods=["POST"], summary=_("Consent to contribute the deal to statistics"), description=_(
        "An owner or admin of a party consents, for their company, to add the executed agreement to the platform's "
        "deal statistics, where it is only ever shown aggregated with at least 4 other deals. The other parties' "
        "signatories are asked; once every party consented the deal is contributed (`contributed`: true)."),
        errors={403: ["not_signatory", "parties_only"], 409: ["not_executed", "already_consented"]},
        parameters=[ID_PARAMETER], request=None, responses={201: OpenApiTypes.OBJECT},
        example={"agreement": 42, "company": 3, "contributed": False})
    @doc(methods=["DELETE"], summary=_("Withdraw the consent to contribute"), description=_(
        "An owner or admin of a party withdraws their company's consent, as long as the deal has not entered the "
        "statistics (after that, removing it would move the figures by exactly one deal)."),
        errors={403: ["not_signatory", "parties_only"], 409: ["not_consented", "already_released"]},
        parameters=[ID_PARAMETER], request=None, responses={204: None})
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
