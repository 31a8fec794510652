"""Agreements API: views only wire requests to services (writes) and selectors (reads)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.agreements import selectors, services
from apps.agreements.api import docs
from apps.agreements.api import serializers as s
from apps.agreements.models import Agreement, AgreementApproval, AgreementParty, AgreementVersion, Milestone
from apps.core.api.serializers import validated
from apps.core.api.viewsets import GuardedViewSet
from apps.core.errors import NotFound, ValidationFailed


def _parties() -> Prefetch:
    return Prefetch("parties", queryset=AgreementParty.objects.select_related("company"))


def _versions() -> QuerySet:
    return AgreementVersion.objects.select_related("proposed_by", "proposed_by_company").prefetch_related(
        Prefetch("approvals", queryset=AgreementApproval.objects.select_related("company", "approved_by",
                                                                                "version")))


@extend_schema_view(**docs.AGREEMENTS)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Agreements your companies are party to (drafts: only the preparing company's), staff read all.

    Writes go through services that re-check the caller's role in a locked transaction: contributors
    (member, admin, owner) edit drafts, open negotiation and propose versions; owners and admins (signatories)
    approve and terminate; viewers only read."""

    model = Agreement
    serializer_class = s.AgreementSerializer
    filterset_fields = ["status", "deal_type", "licensor"]
    ordering_fields = ["created_at", "updated_at", "title"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {
        "partial_update": "change",
        "open": "change",
        "propose_version": "change",
        # Approve, terminate: the services refuse non-signatories with a precise message (403 not_signatory).
        "approve": "view",
        "terminate": "view",
        "destroy": "view",  # the service explains why (only a draft, only its preparer's owners and admins)
    }

    def get_base_queryset(self) -> QuerySet:
        return Agreement.objects.select_related("licensor", "current_version", "executed_version").prefetch_related(
            _parties(), "assets")

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return s.AgreementDetailSerializer
        return s.AgreementSerializer

    def _detail(self, agreement: Agreement, code: int = status.HTTP_200_OK) -> Response:
        agreement = self.get_base_queryset().get(pk=agreement.pk)
        return Response(s.AgreementDetailSerializer(agreement, context=self.get_serializer_context()).data,
                        status=code)

    @extend_schema(request=s.AgreementCreateSerializer, responses={201: s.AgreementDetailSerializer})
    def create(self, request: Request) -> Response:
        serializer = s.AgreementCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        agreement = self.write_visible(
            lambda: services.agreement_create(actor=request.user, **serializer.validated_data))
        return self._detail(agreement, status.HTTP_201_CREATED)

    @extend_schema(request=s.AgreementUpdateSerializer, responses={200: s.AgreementDetailSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        agreement = self.get_object()
        serializer = s.AgreementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        agreement = self.write_visible(lambda: services.agreement_update(actor=request.user, agreement=agreement,
                                                                         **serializer.validated_data))
        return self._detail(agreement)

    def destroy(self, request: Request, pk: Any = None) -> Response:
        services.agreement_delete(actor=request.user, agreement=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: s.PortfolioSerializer})
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def summary(self, request: Request) -> Response:
        """Your agreements in force: deal value, achieved, invoiced and paid per currency, and summed in USD with
        the rates used (currencies without a rate are listed in missing_rates, not guessed)."""
        return Response(selectors.portfolio_figures(request.user))

    @extend_schema(request=None, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def open(self, request: Request, pk: Any = None) -> Response:
        """Share the draft with the other parties: negotiation starts on its latest version."""
        return self._detail(services.agreement_open(actor=request.user, agreement=self.get_object()))

    @extend_schema(responses={200: s.VersionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def versions(self, request: Request, pk: Any = None) -> Response:
        """Every version of the terms, oldest first, with who proposed it, when, and its approvals."""
        agreement = self.get_object()
        versions = _versions().filter(agreement=agreement).order_by("number")
        return Response(s.VersionSerializer(versions, many=True).data)

    @docs.PROPOSE_VERSION
    @extend_schema(request=s.ProposeVersionSerializer, responses={201: s.VersionSerializer})
    @versions.mapping.post
    def propose_version(self, request: Request, pk: Any = None) -> Response:
        """Propose new terms (negotiation or amendment). Earlier approvals stop counting."""
        agreement = self.get_object()
        serializer = s.ProposeVersionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = services.version_propose(actor=request.user, agreement=agreement, terms=data["terms"],
                                           note=data.get("note", ""), company_id=data.get("company"))
        return Response(s.VersionSerializer(_versions().get(pk=version.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("from", int, description="older version (default: the one before `to`)"),
                    OpenApiParameter("to", int, description="newer version (default: the latest)")],
        responses={200: s.DiffSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def diff(self, request: Request, pk: Any = None) -> Response:
        """Field-by-field differences between two versions, labelled in English and Chinese."""
        agreement = self.get_object()
        versions = {v.number: v for v in AgreementVersion.objects.filter(agreement=agreement)}
        try:
            to_number = int(request.query_params.get("to") or max(versions))
            from_number = int(request.query_params.get("from") or to_number - 1)
        except ValueError:
            raise ValidationFailed(_("Versions are numbers."), fields={"from": [_("Invalid.")]}) from None
        if from_number not in versions or to_number not in versions:
            raise NotFound(_("No such version."), code="version_not_found")
        changes = selectors.version_diff(versions[from_number], versions[to_number])
        return Response({"from_version": from_number, "to_version": to_number, "changes": changes})

    @extend_schema(request=s.ApproveSerializer, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """A signatory approves the exact latest version (its terms_hash) for their company; the last party's
        approval executes it. 409 if the version or its terms are stale, or exclusivity would be broken."""
        agreement = self.get_object()
        serializer = s.ApproveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.version_approve(actor=request.user, agreement=agreement, version_number=data["version"],
                                 approved_hash=data["terms_hash"], company_id=data.get("company"))
        return self._detail(agreement)

    @extend_schema(request=s.TerminateSerializer, responses={200: s.AgreementDetailSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request: Request, pk: Any = None) -> Response:
        """A signatory ends the negotiation or the agreement in force, with a reason."""
        agreement = self.get_object()
        serializer = s.TerminateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        return self._detail(services.agreement_terminate(actor=request.user, agreement=agreement,
                                                         reason=data["reason"], company_id=data.get("company")))


@extend_schema_view(**docs.MILESTONES)
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    """Milestones of agreements in force. A party marks one achieved with evidence; the other party's signatory
    confirms or disputes; the licensor invoices; a partner records the payment."""

    model = Milestone
    serializer_class = s.MilestoneSerializer
    filterset_fields = ["agreement", "status", "kind"]
    ordering_fields = ["due_on", "updated_at"]
    # Each step's service checks which side and role may take it, with a precise 403.
    action_permissions = {"achieve": "change"}

    def get_base_queryset(self) -> QuerySet:
        return Milestone.objects.all()

    def _done(self, milestone: Milestone) -> Response:
        return Response(s.MilestoneSerializer(Milestone.objects.get(pk=milestone.pk)).data)

    @extend_schema(request=s.AchieveSerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def achieve(self, request: Request, pk: Any = None) -> Response:
        milestone = self.get_object()
        data = validated(s.AchieveSerializer, request)
        return self._done(services.milestone_achieve(actor=request.user, milestone=milestone,
                                                     evidence=data["evidence"], evidence_url=data["evidence_url"],
                                                     company_id=data.get("company")))

    @extend_schema(request=s.ConfirmSerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: Any = None) -> Response:
        milestone = self.get_object()
        data = validated(s.ConfirmSerializer, request)
        return self._done(services.milestone_confirm(actor=request.user, milestone=milestone,
                                                     company_id=data.get("company")))

    @extend_schema(request=s.DisputeSerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, pk: Any = None) -> Response:
        milestone = self.get_object()
        data = validated(s.DisputeSerializer, request)
        return self._done(services.milestone_dispute(actor=request.user, milestone=milestone, reason=data["reason"],
                                                     company_id=data.get("company")))

    @extend_schema(request=s.InvoiceSerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def invoice(self, request: Request, pk: Any = None) -> Response:
        milestone = self.get_object()
        data = validated(s.InvoiceSerializer, request)
        return self._done(services.milestone_invoice(actor=request.user, milestone=milestone,
                                                     reference=data["reference"]))

    @extend_schema(request=s.PaySerializer, responses={200: s.MilestoneSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: Any = None) -> Response:
        milestone = self.get_object()
        data = validated(s.PaySerializer, request)
        return self._done(services.milestone_pay(actor=request.user, milestone=milestone,
                                                 reference=data["reference"], company_id=data.get("company")))
