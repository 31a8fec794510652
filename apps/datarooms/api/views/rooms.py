"""Rooms and their folder tree: list, read, open, rename, publish and accept the CDA, the engagement report;
folders (partners never learn what is held back)."""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.companies.models import company_ids_of
from apps.core.api.viewsets import GuardedViewSet
from apps.core.csvsafe import SafeDictWriter
from apps.core.middleware import client_ip

from ... import selectors, services
from ...access import MANAGE
from ...models import (
    DataRoom,
    Folder,
)
from .. import docs
from .. import serializers as s


def _insider_of_every_room(request: Request, rows: Any) -> bool:
    """Staff, or a member of the owner company of every room among `rows` (which have a `room`)."""
    user = request.user
    if user.is_staff:
        return True
    return not rows.exclude(room__owner_company_id__in=company_ids_of(user)).exists()


# --- rooms ---------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.ROOMS)
class DataRoomViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Data rooms you own, manage, or hold an active grant to."""

    model = DataRoom
    serializer_class = s.DataRoomSerializer
    filterset_fields = ["asset", "owner_company"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "cda": MANAGE, "engagement": MANAGE}
    may_refuse_reads = True

    def get_base_queryset(self) -> Any:
        return DataRoom.objects.select_related("asset", "owner_company", "current_cda")

    @extend_schema(request=s.DataRoomCreateSerializer, responses={201: s.DataRoomSerializer})
    def create(self, request: Request) -> Response:
        data = s.DataRoomCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = services.room_create(actor=request.user, **data.validated_data)
        return Response(s.DataRoomSerializer(room, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.DataRoomUpdateSerializer, responses={200: s.DataRoomSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        room = self.get_object()
        data = s.DataRoomUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        room = services.room_update(actor=request.user, room=room, **data.validated_data)
        return Response(s.DataRoomSerializer(room, context={"request": request}).data)

    @extend_schema(request=s.RoomCdaPublishSerializer, responses={201: s.RoomCdaSerializer})
    @action(detail=True, methods=["post"])
    def cda(self, request: Request, pk: Any = None) -> Response:
        """Publish a new version of the room's confidentiality agreement (every partner accepts it again)."""
        room = self.get_object()
        data = s.RoomCdaPublishSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cda = services.cda_publish(actor=request.user, room=room, **data.validated_data)
        return Response(s.RoomCdaSerializer(cda).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomCdaAcceptSerializer, responses={201: s.RoomCdaAcceptanceSerializer})
    @action(detail=True, methods=["post"], url_path="accept-cda")
    def accept_cda(self, request: Request, pk: Any = None) -> Response:
        """Accept the room's current confidentiality agreement (records person, company, version, time, IP)."""
        room = self.get_object()
        data = s.RoomCdaAcceptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        acceptance = services.cda_accept(actor=request.user, room=room, version=data.validated_data["version"],
                                         ip_address=client_ip(request._request))
        return Response(s.RoomCdaAcceptanceSerializer(acceptance).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("export", str, enum=["json", "csv"], required=False)],
        responses={200: s.RoomEngagementRowSerializer(many=True), (200, "text/csv"): OpenApiTypes.STR},
    )
    @action(detail=True, methods=["get"])
    def engagement(self, request: Request, pk: Any = None) -> Any:
        """Per partner company and per document: views, downloads and last activity (JSON or CSV)."""
        room = self.get_object()
        rows = selectors.engagement_report(room=room)
        if request.query_params.get("export") == "csv":
            buffer = io.StringIO()
            # Names are user input: never let a spreadsheet evaluate them.
            writer = SafeDictWriter(buffer, fieldnames=list(s.RoomEngagementRowSerializer().fields))
            writer.writeheader()
            writer.writerows(rows)
            response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = content_disposition_header(True, f"engagement-room-{room.pk}.csv")
            response["X-Content-Type-Options"] = "nosniff"
            return response
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(page)


# --- folders --------------------------------------------------------------------------------------------------


@extend_schema_view(**docs.FOLDERS)
class FolderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Folders you may see: the owner's team sees all; a partner only those its grants open."""

    model = Folder
    serializer_class = s.RoomFolderSerializer
    filterset_fields = ["room", "parent"]
    ordering_fields = ["name", "created_at", "held_back"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "destroy": MANAGE}

    def get_base_queryset(self) -> Any:
        return Folder.objects.select_related("room")

    def fields_hidden_from_reader(self) -> set[str]:
        # Partners never learn what is held back (RoomFolderSerializer drops the field for them): whoever lists
        # a folder of a room they are not an insider of may neither order nor filter by it.
        return set() if _insider_of_every_room(self.request, self.get_queryset()) else {"held_back"}

    @extend_schema(request=s.RoomFolderCreateSerializer, responses={201: s.RoomFolderSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomFolderCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        room = data.validated_data["room"]
        parent = data.validated_data.get("parent")
        folder = services.folder_create(actor=request.user, room=room, parent=parent,
                                        name=data.validated_data["name"], held_back=data.validated_data["held_back"])
        return Response(s.RoomFolderSerializer(folder, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomFolderUpdateSerializer, responses={200: s.RoomFolderSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        folder = self.get_object()
        data = s.RoomFolderUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        folder = services.folder_update(actor=request.user, folder=folder, **data.validated_data)
        return Response(s.RoomFolderSerializer(folder, context={"request": request}).data)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.folder_delete(actor=request.user, folder=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
