"""Alliance API: reads through the restricted querysets (parties only; staff when a party shared), writes through
the services, which re-check the caller's standing inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.agreements.models import AgreementParty
from apps.alliance import reconciliation, services
from apps.alliance.api import serializers as s
from apps.alliance.models import (
    MANAGE,
    ActionItem,
    Alliance,
    AllianceIssue,
    Budget,
    Committee,
    CommitteeMeeting,
    CostEntry,
    Decision,
    Minutes,
    Obligation,
    WorkPackage,
)
from apps.core.api.viewsets import GuardedViewSet
from apps.core.authz import CHANGE


def _valid(serializer_class: Any, request: Request, data: Any = None) -> dict[str, Any]:
    serializer = serializer_class(data=request.data if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    http_method_names = ["get", "post", "head", "options"]

    def shown(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_base_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)

    def created(self, make: Any) -> Response:
        with transaction.atomic():
            obj = make()
            self.recheck_visible(obj)
        return self.shown(obj, status.HTTP_201_CREATED)


class AllianceViewSet(ReadViewSet):
    """The alliance workspaces of executed agreements your companies are party to."""

    model = Alliance
    serializer_class = s.AllianceSerializer
    filterset_fields = ["agreement"]
    ordering_fields = ["created_at"]
    action_permissions = {"share": MANAGE}

    def get_base_queryset(self) -> QuerySet:
        return Alliance.objects.select_related("agreement", "shared_with_staff_by").prefetch_related(
            Prefetch("agreement__parties", queryset=AgreementParty.objects.select_related("company")))

    @extend_schema(request=s.AllianceShareSerializer, responses={200: s.AllianceSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Let platform staff read this workspace, or withdraw that (a party's owner or admin)."""
        data = _valid(s.AllianceShareSerializer, request)
        alliance = services.alliance_share_with_staff(actor=request.user, alliance=self.get_object(), **data)
        return self.shown(alliance)

    @extend_schema(parameters=[s.ReconciliationQuerySerializer], responses={200: s.ReconciliationSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reconciliation(self, request: Request, pk: Any = None) -> Response:
        """What each party spent in a quarter, what it should have borne, and the balancing payments."""
        query = _valid(s.ReconciliationQuerySerializer, request, request.query_params.dict())
        return Response(reconciliation.alliance_reconciliation(alliance=self.get_object(), **query))


class CommitteeViewSet(ReadViewSet):
    model = Committee
    serializer_class = s.CommitteeSerializer
    filterset_fields = ["alliance", "kind"]
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return Committee.objects.select_related("alliance__agreement").prefetch_related(
            "members", "alliance__agreement__parties")

    @extend_schema(request=s.CommitteeCreateSerializer, responses={201: s.CommitteeSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.CommitteeCreateSerializer, request)
        return self.created(lambda: services.committee_create(actor=request.user, **data))


class MeetingViewSet(ReadViewSet):
    model = CommitteeMeeting
    serializer_class = s.CommitteeMeetingSerializer
    filterset_fields = ["alliance", "committee"]
    ordering_fields = ["starts_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return CommitteeMeeting.objects.select_related("committee")

    @extend_schema(request=s.CommitteeMeetingCreateSerializer, responses={201: s.CommitteeMeetingSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.CommitteeMeetingCreateSerializer, request)
        return self.created(lambda: services.meeting_schedule(actor=request.user, **data))

    @extend_schema(request=s.CommitteeMeetingUpdateSerializer, responses={200: s.CommitteeMeetingSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = _valid(s.CommitteeMeetingUpdateSerializer, request)
        return self.shown(services.meeting_update(actor=request.user, meeting=meeting, **data))


class MinutesViewSet(ReadViewSet):
    model = Minutes
    serializer_class = s.MinutesSerializer
    filterset_fields = ["meeting", "status"]
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"approve": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return Minutes.objects.prefetch_related("approvals")

    @extend_schema(request=s.MinutesCreateSerializer, responses={201: s.MinutesSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.MinutesCreateSerializer, request)
        return self.created(lambda: services.minutes_write(actor=request.user, **data))

    @extend_schema(request=s.MinutesUpdateSerializer, responses={200: s.MinutesSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        minutes = self.get_object()
        data = _valid(s.MinutesUpdateSerializer, request)
        return self.shown(services.minutes_update(actor=request.user, minutes=minutes, **data))

    @extend_schema(request=s.AllianceActAsSerializer, responses={200: s.MinutesSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve this draft for your party; with every party's approval the minutes are final."""
        minutes = self.get_object()
        data = _valid(s.AllianceActAsSerializer, request)
        return self.shown(services.minutes_approve(actor=request.user, minutes=minutes,
                                                   company_id=data.get("company")))


class DecisionViewSet(ReadViewSet):
    model = Decision
    serializer_class = s.CommitteeDecisionSerializer
    filterset_fields = ["meeting", "outcome", "area"]
    ordering_fields = ["created_at"]
    action_permissions = {"vote": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return Decision.objects.prefetch_related("votes")

    @extend_schema(request=s.CommitteeDecisionCreateSerializer, responses={201: s.CommitteeDecisionSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.CommitteeDecisionCreateSerializer, request)
        return self.created(lambda: services.decision_propose(actor=request.user, **data))

    @extend_schema(request=s.DecisionVoteSerializer, responses={200: s.CommitteeDecisionSerializer})
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk: Any = None) -> Response:
        """Record your party's one vote; the last vote decides the outcome under the committee's rule."""
        decision = self.get_object()
        data = _valid(s.DecisionVoteSerializer, request)
        return self.shown(services.decision_vote(actor=request.user, decision=decision, vote=data["vote"],
                                                 company_id=data.get("company")))


class ActionItemViewSet(ReadViewSet):
    model = ActionItem
    serializer_class = s.ActionItemSerializer
    filterset_fields = ["alliance", "meeting", "status", "owner_company"]
    ordering_fields = ["due_on", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=s.ActionItemCreateSerializer, responses={201: s.ActionItemSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.ActionItemCreateSerializer, request)
        return self.created(lambda: services.action_item_create(actor=request.user, **data))

    @extend_schema(request=s.ActionItemUpdateSerializer, responses={200: s.ActionItemSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        data = _valid(s.ActionItemUpdateSerializer, request)
        return self.shown(services.action_item_update(actor=request.user, item=item, **data))


class WorkPackageViewSet(ReadViewSet):
    model = WorkPackage
    serializer_class = s.WorkPackageSerializer
    filterset_fields = ["alliance", "assigned_company"]
    ordering_fields = ["code", "created_at"]

    @extend_schema(request=s.WorkPackageCreateSerializer, responses={201: s.WorkPackageSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.WorkPackageCreateSerializer, request)
        data["cost_sharing"] = [dict(item) for item in data.get("cost_sharing") or []]
        return self.created(lambda: services.work_package_create(actor=request.user, **data))


class BudgetViewSet(ReadViewSet):
    model = Budget
    serializer_class = s.WorkPackageBudgetSerializer
    filterset_fields = ["work_package", "year", "quarter", "currency"]
    ordering_fields = ["year", "quarter"]

    @extend_schema(request=s.WorkPackageBudgetSetSerializer, responses={201: s.WorkPackageBudgetSerializer})
    def create(self, request: Request) -> Response:
        """Set a work package's budget for a quarter and currency (sending it again changes it)."""
        data = _valid(s.WorkPackageBudgetSetSerializer, request)
        return self.created(lambda: services.budget_set(actor=request.user, **data))


class CostEntryViewSet(ReadViewSet):
    model = CostEntry
    serializer_class = s.CostEntrySerializer
    filterset_fields = ["work_package", "company", "year", "quarter", "currency"]
    ordering_fields = ["year", "quarter", "created_at"]

    @extend_schema(request=s.CostRecordSerializer, responses={201: s.CostEntrySerializer})
    def create(self, request: Request) -> Response:
        """Record a cost your party incurred on a work package."""
        data = _valid(s.CostRecordSerializer, request)
        company_id = data.pop("company", None)
        return self.created(lambda: services.cost_record(actor=request.user, company_id=company_id, **data))


class ObligationViewSet(ReadViewSet):
    model = Obligation
    serializer_class = s.ObligationSerializer
    filterset_fields = ["alliance", "kind", "status", "owner_company"]
    ordering_fields = ["due_on", "created_at"]
    action_permissions = {"fulfil": CHANGE}

    @extend_schema(request=s.ObligationCreateSerializer, responses={201: s.ObligationSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.ObligationCreateSerializer, request)
        return self.created(lambda: services.obligation_create(actor=request.user, **data))

    @extend_schema(request=s.ObligationFulfilSerializer, responses={200: s.ObligationSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: Any = None) -> Response:
        """The owner party records how the obligation was met."""
        obligation = self.get_object()
        data = _valid(s.ObligationFulfilSerializer, request)
        return self.shown(services.obligation_fulfil(actor=request.user, obligation=obligation, **data))


class IssueViewSet(ReadViewSet):
    model = AllianceIssue
    serializer_class = s.AllianceIssueSerializer
    filterset_fields = ["alliance", "severity", "level"]
    ordering_fields = ["created_at"]
    action_permissions = {"escalate": CHANGE, "resolve": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return AllianceIssue.objects.prefetch_related("steps")

    @extend_schema(request=s.AllianceIssueCreateSerializer, responses={201: s.AllianceIssueSerializer})
    def create(self, request: Request) -> Response:
        data = _valid(s.AllianceIssueCreateSerializer, request)
        return self.created(lambda: services.issue_raise(actor=request.user, **data))

    @extend_schema(request=s.IssueEscalateSerializer, responses={200: s.AllianceIssueSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        """One step up: committee → executive officers → the dispute-resolution clause."""
        issue = self.get_object()
        data = _valid(s.IssueEscalateSerializer, request)
        return self.shown(services.issue_escalate(actor=request.user, issue=issue, **data))

    @extend_schema(request=s.IssueResolveSerializer, responses={200: s.AllianceIssueSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        issue = self.get_object()
        data = _valid(s.IssueResolveSerializer, request)
        return self.shown(services.issue_resolve(actor=request.user, issue=issue, **data))
