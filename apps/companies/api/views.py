from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.companies import selectors, services
from apps.companies.api.serializers import (
    CompanySerializer,
    InvitationAcceptSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    MembershipSerializer,
)
from apps.companies.models import Company, Invitation, Membership
from apps.core.api.schema import NOT_BLANK_PATTERN
from apps.core.api.viewsets import GuardedViewSet, GuardedWriteMixin
from apps.core.throttles import InvitationThrottle, RegistrationThrottle


class CompanyViewSet(
    GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, GuardedViewSet,
):
    """Companies: your own in any state, and the verified directory once your company is verified."""

    model = Company
    serializer_class = CompanySerializer
    filterset_fields = ["kind", "country", "verification_status"]
    ordering_fields = ["name_en", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return [RegistrationThrottle()] if self.action == "create" else super().get_throttles()

    def create_object(self, serializer: CompanySerializer) -> Company:
        return services.company_register(actor=self.request.user, **serializer.validated_data)

    def update_object(self, serializer: CompanySerializer) -> Company:
        return services.company_update(actor=self.request.user, company=self.get_object(),
                                       **serializer.validated_data)


class MembershipViewSet(
    GuardedWriteMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
    mixins.DestroyModelMixin, GuardedViewSet,
):
    """People in your companies. Admins change roles and remove people; anyone may leave."""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_fields = ["company", "role"]
    ordering_fields = ["created_at", "role"]
    http_method_names = ["get", "patch", "delete", "head", "options"]
    # Role changes are checked in the service (owners and admins, owner rules); visibility is enough here.
    action_permissions = {"partial_update": "view", "update": "view"}

    def get_base_queryset(self) -> QuerySet:
        return Membership.objects.select_related("user")

    def update_object(self, serializer: MembershipSerializer) -> Membership:
        membership = self.get_object()
        role = serializer.validated_data.get("role", membership.role)
        return services.membership_change_role(actor=self.request.user, membership=membership, role=role)

    def perform_destroy(self, instance: Membership) -> None:
        services.membership_remove(actor=self.request.user, membership=instance)


class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    GuardedViewSet,
):
    """Invitations by e-mail: single use, expiring. Company owners and admins manage them."""

    model = Invitation
    serializer_class = InvitationSerializer
    filterset_fields = ["company", "status"]
    ordering_fields = ["created_at", "status", "expires_at"]

    def get_throttles(self):  # type: ignore[no-untyped-def]
        return [InvitationThrottle()] if self.action == "create" else super().get_throttles()

    def perform_create(self, serializer: Any) -> None:
        invitation, _token = services.invitation_create(
            actor=self.request.user, company=serializer.validated_data["company"],
            email=serializer.validated_data["email"], role=serializer.validated_data.get("role", "member"),
        )
        serializer.instance = invitation

    def perform_destroy(self, instance: Invitation) -> None:
        services.invitation_revoke(actor=self.request.user, invitation=instance)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("token", str, required=True, description="The token from the e-mail",
                                     pattern=NOT_BLANK_PATTERN)],
        responses={200: InvitationPreviewSerializer},
        description="What the invitation in the e-mail offers (company, role, expiry), before accepting it. "
                    "The e-mail's link lands here; the browsable API offers the POST that accepts.",
    )
    @extend_schema(methods=["POST"], request=InvitationAcceptSerializer, responses={201: MembershipSerializer})
    @action(detail=False, methods=["get", "post"])
    def accept(self, request: Request) -> Response:
        if request.method == "GET":
            query = InvitationAcceptSerializer(data={"token": request.query_params.get("token", "")})
            query.is_valid(raise_exception=True)
            invitation = selectors.invitation_for_invitee(actor=request.user, token=query.validated_data["token"])
            return Response(InvitationPreviewSerializer(invitation).data)
        serializer = InvitationAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.invitation_accept(actor=request.user, token=serializer.validated_data["token"])
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
