"""Getting in: access requests (ask, approve, deny, withdraw) and grants (make, change, revoke, release
folders). Partners see only their own company's."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.viewsets import GuardedViewSet
from apps.core.throttles import AccessRequestThrottle

from ... import services
from ...access import MANAGE
from ...models import (
    AccessGrant,
    AccessRequest,
)
from .. import docs
from .. import serializers as s

# --- getting in ----------------------------------------------------------------------------------------------


@extend_schema_view(**docs.ACCESS_REQUESTS)
class AccessRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Requests for access: the owner's managers see those for their rooms; a partner only its company's own."""

    model = AccessRequest
    serializer_class = s.RoomAccessRequestSerializer
    filterset_fields = ["room", "status"]
    ordering_fields = ["created_at", "status", "decided_at"]
    action_permissions = {"approve": "decide", "deny": "decide", "withdraw": "withdraw"}

    def get_base_queryset(self) -> Any:
        return AccessRequest.objects.select_related("company")

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return [AccessRequestThrottle()] if self.action == "create" else super().get_throttles()

    @extend_schema(request=s.RoomAccessRequestCreateSerializer, responses={201: s.RoomAccessRequestSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomAccessRequestCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        access_request = services.access_request_create(actor=request.user, **data.validated_data)
        return Response(s.RoomAccessRequestSerializer(access_request).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomGrantTermsSerializer, responses={201: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        access_request = self.get_object()
        data = s.RoomGrantTermsSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        grant = services.access_request_approve(actor=request.user, request=access_request, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomDenySerializer, responses={200: s.RoomAccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def deny(self, request: Request, pk: Any = None) -> Response:
        data = s.RoomDenySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access_request = services.access_request_deny(actor=request.user, request=self.get_object(),
                                                      reason=data.validated_data["reason"])
        return Response(s.RoomAccessRequestSerializer(access_request).data)

    @extend_schema(request=None, responses={200: s.RoomAccessRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        access_request = services.access_request_withdraw(actor=request.user, request=self.get_object())
        return Response(s.RoomAccessRequestSerializer(access_request).data)


@extend_schema_view(**docs.GRANTS)
class GrantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Grants: the owner's managers see and run those of their rooms; a partner sees its company's own."""

    model = AccessGrant
    serializer_class = s.RoomGrantSerializer
    filterset_fields = ["room", "company", "level"]
    ordering_fields = ["created_at", "expires_at", "level"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"partial_update": MANAGE, "revoke": MANAGE, "release_folders": MANAGE}

    def get_base_queryset(self) -> Any:
        return AccessGrant.objects.select_related("company").prefetch_related("folders")

    @extend_schema(request=s.RoomGrantCreateSerializer, responses={201: s.RoomGrantSerializer})
    def create(self, request: Request) -> Response:
        data = s.RoomGrantCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        grant = services.grant_create(actor=request.user, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RoomGrantUpdateSerializer, responses={200: s.RoomGrantSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        grant = self.get_object()
        data = s.RoomGrantUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        grant = services.grant_update(actor=request.user, grant=grant, **data.validated_data)
        return Response(s.RoomGrantSerializer(grant).data)

    @extend_schema(request=None, responses={200: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        """Ends the grant now: the partner's very next request is refused."""
        grant = services.grant_revoke(actor=request.user, grant=self.get_object())
        return Response(s.RoomGrantSerializer(grant).data)

    @extend_schema(request=s.RoomReleaseFoldersSerializer, responses={200: s.RoomGrantSerializer})
    @action(detail=True, methods=["post"], url_path="release-folders")
    def release_folders(self, request: Request, pk: Any = None) -> Response:
        """Staged disclosure: open held-back folders to this partner."""
        grant = self.get_object()
        data = s.RoomReleaseFoldersSerializer(data=request.data, context={"room_id": grant.room_id})
        data.is_valid(raise_exception=True)
        grant = services.grant_release_folders(actor=request.user, grant=grant, folders=data.validated_data["folders"])
        return Response(s.RoomGrantSerializer(grant).data)
