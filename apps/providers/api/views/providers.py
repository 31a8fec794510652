"""Provider search and profiles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.companies.models import Company
from apps.core.api.filters import FilterBackend
from apps.core.api.pagination import CursorPagination
from apps.core.api.schema import doc
from apps.core.authz import VIEW
from apps.providers import selectors, services
from apps.providers.api import serializers as s
from apps.providers.api.filters import ProviderFilter, ProviderOrdering
from apps.providers.api.views.common import MarketplaceViewSet, _visible
from apps.providers.models import (
    ProviderProfile,
)
from apps.providers.taxonomy import ServiceCategory

# --- providers ------------------------------------------------------------------------------------------------


class ProviderPagination(CursorPagination):
    """Cursor pages in the list's order (the company's name by default, then the id): no COUNT of the matches, and a
    page walks an index of the profile in that order, stopping once it is full (B7)."""

    ordering = ("company_name_en", "id")  # type: ignore[assignment]  # DRF accepts a tuple



@extend_schema_view(
    list=doc(summary=_("Search service providers"),
             description=_("Verified service providers (your own company's profile in any state): full-text search `q` "
                           "in English and Chinese, filters on category, jurisdiction, agency, area, modality, "
                           "language, inspection or certification, price and rating. Sorted by the company's English "
                           "name unless `ordering` says otherwise. Pages are a cursor: follow `next` (it keeps your "
                           "search, filters and ordering); there is no total count."),
             errors={400: ["invalid_amount", "invalid_territory"]}),
    retrieve=doc(summary=_("Read a provider profile"),
             description=_("One verified provider's bilingual profile with its records and the average and count of its"
                           " reviews.")),
)
class ProviderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Verified service providers: search (English and Chinese) and filters on every structured field. A provider's
    own people edit its profile (owners and admins); staff verify the company in the console."""

    model = ProviderProfile
    serializer_class = s.ProviderSerializer
    filterset_class = ProviderFilter
    ordering_fields = ["updated_at", "rating_count", "company__name_en"]
    ordering = ("company_name_en", "id")
    filter_backends = [FilterBackend, ProviderOrdering]
    pagination_class = ProviderPagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return selectors.providers_base()

    @doc(summary=_("Open your provider profile"),
         description=_("An owner or admin of a company of kind service_provider opens its one bilingual profile: "
                       "categories, jurisdictions (region or country codes), agencies, areas, modalities, languages, "
                       "indicative prices, inspection and certification records. Biotechs see it once staff verified "
                       "the company."),
         errors={404: ["not_found"], 400: ["unknown_code", "required", "invalid_range", "invalid_amount",
                       "invalid_territory", "unknown_territory", "not_a_service_provider"],
                 409: ["profile_exists"]},
         request=s.ProviderCreateSerializer, responses={201: s.ProviderSerializer})
    def create(self, request: Request) -> Response:
        """Open your service-provider company's profile (one per company)."""
        serializer = s.ProviderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        company = _visible(Company.objects.for_user(request.user, VIEW), data.pop("company"), "company")
        profile = self.write_visible(lambda: services.profile_create(actor=request.user, company=company, **data))
        return Response(self.get_serializer(self.get_base_queryset().get(pk=profile.pk)).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("Edit your provider profile"),
         description=_("Owners and admins of the provider change any field; `records` replaces the list. Open requests "
                       "the profile now matches become visible to the provider, which is told."),
         errors={400: ["unknown_code", "required", "invalid_range", "invalid_amount", "invalid_territory",
                       "unknown_territory"]},
         request=s.ProviderUpdateSerializer, responses={200: s.ProviderSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        """Edit your profile (owners and admins of the provider)."""
        profile = self.get_object()
        serializer = s.ProviderUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(actor=request.user, profile=profile, **serializer.validated_data)
        return Response(self.get_serializer(self.get_base_queryset().get(pk=profile.pk)).data)

    @doc(summary=_("List the service categories"),
         description=_("The one taxonomy of services (US Agent, EU legal representative, NMPA agent, CRO, CDMO, "
                       "pharmacovigilance, IP counsel, market access, translation...), each label in the reader's "
                       "language and in both."),
         errors={},
         responses={200: s.CategorySerializer(many=True)})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def categories(self, request: Request) -> Response:
        """The service categories, in the reader's language and in both."""
        from django.utils import translation

        rows = []
        for code, label in ServiceCategory.choices:
            with translation.override("en"):
                label_en = str(label)
            with translation.override("zh-hans"):
                label_zh = str(label)
            rows.append({"code": code, "label": str(label), "label_en": label_en, "label_zh": label_zh})
        return Response(rows)
