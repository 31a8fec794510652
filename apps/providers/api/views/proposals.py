"""Proposals, their versions, comparison and the award."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.core.api.filters import IdFilterSet
from apps.core.api.schema import doc
from apps.core.authz import VIEW
from apps.providers import services
from apps.providers.api import serializers as s
from apps.providers.api.views.common import MarketplaceViewSet, _engagements, _grant_args
from apps.providers.models import (
    Proposal,
    ProposalVersion,
)

# --- proposals ------------------------------------------------------------------------------------------------


class ProposalFilter(IdFilterSet):
    """`request` compares the raw id (IdFilterSet): an id that is no request, or one the reader cannot see, answers
    an empty page, as the schema's plain integer promises, and tells nobody which ids exist."""

    class Meta:
        model = Proposal
        fields = ["request", "status"]


@extend_schema_view(
    list=doc(summary=_("List proposals"),
             description=_("Proposals you may read: your provider company's own, and every proposal to your company's "
                           "requests. Filter by `request` or `status`.")),
    retrieve=doc(summary=_("Read a proposal"),
             description=_("One proposal with its current version; the decline reason in your language once "
                           "declined.")),
)
class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, MarketplaceViewSet):
    """Proposals: a provider reads its own only; the requester reads every proposal to its requests."""

    model = Proposal
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["created_at", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"revise": "revise", "withdraw": "revise", "award": "decide", "decline": "decide"}

    def get_base_queryset(self) -> QuerySet:
        return Proposal.objects.select_related("company", "current_version")

    def _detail(self, obj: Proposal) -> Response:
        return Response(self.get_serializer(self.get_base_queryset().get(pk=obj.pk)).data)

    @doc(summary=_("List the versions of a proposal"),
         description=_("Every submitted version of the proposal, oldest first, each immutable."),
         errors={},
         responses={200: s.ProposalVersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request: Request, pk: Any = None) -> Response:
        """Every version of the proposal, oldest first."""
        proposal = self.get_object()
        versions = ProposalVersion.objects.for_user(request.user, VIEW).filter(proposal=proposal).order_by("number")
        return Response(s.ProposalVersionSerializer(versions, many=True).data)

    @doc(summary=_("Revise your proposal"),
         description=_("A contributor of the provider sends a new version of its submitted proposal before the "
                       "deadline; earlier versions are kept."),
         errors={400: ["milestones_total", "invalid_amount", "required"],
                 409: ["deadline_passed", "request_not_open", "proposal_not_submitted"]},
         request=s.ProposalTermsSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: Any = None) -> Response:
        """A new version of your proposal, until the deadline."""
        proposal = self.get_object()
        serializer = s.ProposalTermsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.proposal_revise(actor=request.user, proposal=proposal, **serializer.validated_data)
        return self._detail(proposal)

    @doc(summary=_("Withdraw your proposal"),
         description=_("The provider takes back a proposal that is not decided yet."),
         errors={409: ["proposal_not_submitted"]},
         request=None, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        """Take back your proposal before a decision."""
        return self._detail(services.proposal_withdraw(actor=request.user, proposal=self.get_object()))

    @doc(summary=_("Award a proposal"),
         description=_("The requester's owners and admins award a proposal (several, for split scopes). An engagement "
                       "starts with the proposal's price and payment milestones and, when `grant` is given, a data-room"
                       " grant for the provider through the data rooms' grant rules."),
         errors={400: ["wrong_company", "expiry_in_past", "folders_required", "company_not_verified"],
                 409: ["proposal_not_submitted", "request_not_open"]},
         request=s.AwardSerializer, responses={201: s.EngagementSerializer})
    @action(detail=True, methods=["post"])
    def award(self, request: Request, pk: Any = None) -> Response:
        """Award the proposal: an engagement starts (optionally with a data-room grant for the provider)."""
        proposal = self.get_object()
        serializer = s.AwardSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        grant = data.pop("grant", None)
        if grant is not None:
            grant = _grant_args(request.user, dict(grant))
        engagement = services.proposal_award(actor=request.user, proposal=proposal, grant=grant, **data)
        return Response(s.EngagementSerializer(_engagements().get(pk=engagement.pk)).data,
                        status=status.HTTP_201_CREATED)

    @doc(summary=_("Decline a proposal"),
         description=_("The requester's owners and admins decline with a structured reason (price, timeline, "
                       "capability, scope, other) and an optional note; the provider reads the reason in its own "
                       "language."),
         errors={400: ["reason_required"], 409: ["proposal_not_submitted"]},
         request=s.DeclineSerializer, responses={200: s.ProposalSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: Any = None) -> Response:
        """Decline with a structured reason (price, timeline, capability, scope, other) and an optional note."""
        proposal = self.get_object()
        serializer = s.DeclineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._detail(services.proposal_decline(actor=request.user, proposal=proposal,
                                                      **serializer.validated_data))
