"""Territory regions, regulatory events and patents: what backs an asset's teaser and core."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apps.catalog import services
from apps.catalog.api.filters import GUARDED_FILTERS
from apps.catalog.api.serializers import (
    PatentSerializer,
    RegionSerializer,
    RegulatoryEventSerializer,
)
from apps.catalog.models import (
    Patent,
    RegulatoryEvent,
)
from apps.catalog.territories import regions
from apps.core.api.schema import doc
from apps.core.api.viewsets import GuardedViewSet, GuardedWriteMixin


@extend_schema_view(list=doc(
    summary=_("List the named territory regions"),
    description=_(
        "The regions a territory can name (worldwide, Greater China, the EU, emerging markets...) with their "
        "countries. Territories elsewhere accept these codes, ISO country codes, and exclusions."
    ),
))
class RegionViewSet(viewsets.ViewSet):
    """The named territory regions (worldwide, Greater China, EU, emerging markets...) with their countries."""

    pagination_class = None

    @extend_schema(responses={200: RegionSerializer(many=True)})
    def list(self, request: Request) -> Response:
        return Response([region.as_dict() for region in regions()])


@extend_schema_view(
    list=doc(summary=_("List regulatory events"),
             description=_("Regulatory events (filings, approvals, designations) of assets whose confidential core "
                           "you may read. Filter by `asset`, `agency`, `event_type` or `designation`.")),
    retrieve=doc(summary=_("Read a regulatory event"),
                 description=_("One regulatory event of an asset whose confidential core you may read.")),
    create=doc(summary=_("Record a regulatory event"),
               description=_("The owner company's contributors record a regulatory step of an editable asset; "
                             "watchers of the asset are told."),
               errors={400: ["unknown_choice"], 409: ["not_editable"]}),
    destroy=doc(summary=_("Delete a regulatory event"),
                description=_("The owner company's contributors delete an event of an editable asset."),
                errors={409: ["not_editable"]}),
)
class RegulatoryEventViewSet(GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, mixins.DestroyModelMixin, GuardedViewSet):
    """Regulatory events of assets whose core the caller may read. Owner contributors record and delete."""

    model = RegulatoryEvent
    serializer_class = RegulatoryEventSerializer
    filterset_fields = ["asset", "agency", "event_type", "designation"]
    filter_backends = GUARDED_FILTERS
    ordering_fields = ["date", "created_at"]

    def create_object(self, serializer: Any) -> RegulatoryEvent:
        data = dict(serializer.validated_data)
        asset = data.pop("asset")
        return services.regulatory_event_record(actor=self.request.user, asset=asset, **data)

    def perform_destroy(self, instance: RegulatoryEvent) -> None:
        services.regulatory_event_delete(actor=self.request.user, event=instance)


@extend_schema_view(
    list=doc(summary=_("List patents"),
             description=_("Patents of assets whose confidential core you may read. Filter by `asset` or "
                           "`jurisdiction`.")),
    retrieve=doc(summary=_("Read a patent"),
                 description=_("One patent of an asset whose confidential core you may read.")),
    create=doc(summary=_("Record a patent"),
               description=_("The owner company's contributors add a patent (family, jurisdiction, number, expiry) "
                             "to an editable asset."),
               errors={400: ["unknown_choice"], 409: ["duplicate_patent", "not_editable"]}),
    destroy=doc(summary=_("Delete a patent"),
                description=_("The owner company's contributors delete a patent of an editable asset."),
                errors={409: ["not_editable"]}),
)
class PatentViewSet(GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.DestroyModelMixin, GuardedViewSet):
    """Patents of assets whose core the caller may read. Owner contributors record and delete."""

    model = Patent
    serializer_class = PatentSerializer
    filterset_fields = ["asset", "jurisdiction"]
    filter_backends = GUARDED_FILTERS
    ordering_fields = ["expiry", "created_at"]

    def create_object(self, serializer: Any) -> Patent:
        data = dict(serializer.validated_data)
        asset = data.pop("asset")
        return services.patent_record(actor=self.request.user, asset=asset, **data)

    def perform_destroy(self, instance: Patent) -> None:
        services.patent_delete(actor=self.request.user, patent=instance)
