from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
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
from apps.core.api.schema import NOT_BLANK_PATTERN, doc
from apps.core.api.viewsets import GuardedViewSet, GuardedWriteMixin
from apps.core.throttles import InvitationThrottle, RegistrationThrottle


@extend_schema_view(
    list=doc(
        summary=_("List companies"),
        description=_(
            "Your own companies in any verification state and, once one of your companies is verified, the "
            "directory of verified companies. Filter by `kind`, `country` or `verification_status`."
        ),
    ),
    retrieve=doc(
        summary=_("Read a company"),
        description=_("One company you belong to, or a verified company in the directory."),
    ),
    create=doc(
        summary=_("Register a company"),
        description=_(
            "Registers a company with you as its owner. It starts `pending`: staff verify it before it can list "
            "assets, open data rooms or sign agreements, and you are told when they do."
        ),
    ),
    partial_update=doc(
        summary=_("Update your company's profile"),
        description=_("Owners and admins change the names, website, description, kind and country."),
    ),
)
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


@extend_schema_view(
    list=doc(
        summary=_("List the members of your companies"),
        description=_("Everyone in the companies you belong to, with their role. Filter by `company` or `role`."),
    ),
    retrieve=doc(summary=_("Read a membership"), description=_("One person's membership of one of your companies.")),
    partial_update=doc(
        summary=_("Change a member's role"),
        description=_(
            "Owners and admins change roles; only an owner makes someone an owner or changes an owner's role. "
            "A company always keeps at least one owner."
        ),
        errors={409: ["last_owner"]},
    ),
    destroy=doc(
        summary=_("Remove a member, or leave a company"),
        description=_(
            "Owners and admins remove people; anyone may remove their own membership to leave. Only an owner "
            "removes an owner, and the last owner cannot leave."
        ),
        errors={409: ["last_owner"]},
    ),
)
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


@extend_schema_view(
    list=doc(
        summary=_("List invitations"),
        description=_("Invitations of the companies you manage. Filter by `company` or `status`."),
    ),
    retrieve=doc(summary=_("Read an invitation"), description=_("One invitation of a company you manage.")),
    create=doc(
        summary=_("Invite someone by e-mail"),
        description=_(
            "Owners and admins invite a person to their company with a role; only an owner invites an owner. The "
            "person receives an e-mail with a single-use link that expires; they accept it signed in with that "
            "e-mail address."
        ),
        errors={409: ["already_member"]},
    ),
    destroy=doc(
        summary=_("Revoke an invitation"),
        description=_("Owners and admins revoke a pending invitation; its link stops working at once."),
        errors={409: ["not_pending"]},
    ),
)
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

    @doc(
        methods=["GET"],
        summary=_("Preview an invitation"),
        description=_(
            "What the invitation in the e-mail offers (company, role, expiry), before accepting it. The e-mail's "
            "link lands here; the browsable API offers the POST that accepts."
        ),
        errors={404: ["invitation_invalid"]},
        parameters=[OpenApiParameter("token", str, required=True, description=_("The token from the e-mail"),
                                     pattern=NOT_BLANK_PATTERN)],
        responses={200: InvitationPreviewSerializer},
    )
    @doc(
        methods=["POST"],
        summary=_("Accept an invitation"),
        description=_(
            "Signed in with the invited e-mail address, send the token from the e-mail: you join the company with "
            "the role offered. Answers your new membership."
        ),
        errors={404: ["invitation_invalid"], 409: ["invitation_used", "invitation_expired", "already_member"]},
        request=InvitationAcceptSerializer, responses={201: MembershipSerializer},
    )
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
