"""Scan endpoints (issue 18): read a scan and its progress; the room's managers confirm or override it."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.parsers import JSONParser
from apps.core.api.viewsets import GuardedViewSet
from apps.datarooms.models import MANAGE
from apps.datarooms.scan import services
from apps.datarooms.scan.models import DocumentScan

from . import docs
from . import serializers as s


@extend_schema_view(**docs.SCANS)
class DocumentScanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Document scans: the owner company and compliance officers read them; the room's managers decide."""

    model = DocumentScan
    serializer_class = s.RoomDocumentScanSerializer
    filterset_fields = ["document", "status", "decision"]
    ordering_fields = ["created_at", "status"]
    parser_classes = [JSONParser]
    action_permissions = {"confirm": MANAGE, "override": MANAGE}

    def get_base_queryset(self) -> Any:
        return DocumentScan.objects.select_related("version", "document")

    @extend_schema(request=None, responses={200: s.RoomDocumentScanSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        scan = services.scan_confirm(actor=request.user, scan=self.get_object())
        return Response(s.RoomDocumentScanSerializer(scan).data)

    @extend_schema(request=s.RoomScanOverrideSerializer, responses={200: s.RoomDocumentScanSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request: Request, pk: Any = None) -> Response:
        data = s.RoomScanOverrideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scan = services.scan_override(actor=request.user, scan=self.get_object(), **data.validated_data)
        return Response(s.RoomDocumentScanSerializer(scan).data)
