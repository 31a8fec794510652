"""Alliance API: reads through the restricted querysets (parties only; staff when a party shared), writes through
the services, which re-check the caller's standing inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_view
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
from apps.core.api.schema import doc
from apps.core.api.serializers import validated
from apps.core.api.viewsets import GuardedViewSet
from apps.core.authz import CHANGE


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GuardedViewSet):
    http_method_names = ["get", "post", "head", "options"]

    def shown(self, obj: Any, code: int = status.HTTP_200_OK) -> Response:
        obj = self.get_base_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=code)

    def created(self, make: Any) -> Response:
        return self.shown(self.write_visible(make), status.HTTP_201_CREATED)


@extend_schema_view(
    list=doc(summary=_("List your alliances"),
        description=_("The alliance workspaces of the executed agreements your companies are party to, newest "
                      "first. Staff see one only while a party shares it with them. Filter by `agreement`.")),
    retrieve=doc(summary=_("Read an alliance"),
        description=_("One alliance: its agreement, the parties, and whether a party shares it with platform staff.")),
)
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

    @doc(summary=_("Share an alliance with platform staff"),
         description=_("A party's owner or admin lets platform staff read the workspace (for example to help with a "
                       "dispute), or withdraws that with `shared: false`. Staff otherwise see only counts."),
         errors={400: ["company_required"]}, request=s.AllianceShareSerializer, responses={200: s.AllianceSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request: Request, pk: Any = None) -> Response:
        """Let platform staff read this workspace, or withdraw that (a party's owner or admin)."""
        data = validated(s.AllianceShareSerializer, request)
        alliance = services.alliance_share_with_staff(actor=request.user, alliance=self.get_object(), **data)
        return self.shown(alliance)

    @doc(summary=_("Reconcile a quarter's shared costs"),
         description=_("Per currency: what each party spent in the quarter, what it should have borne under the "
                       "cost-sharing split of each work package, its net position (positive: it owes) and the "
                       "balancing payments, also in USD at the latest rate on or before the quarter's end."),
         parameters=[s.ReconciliationQuerySerializer], responses={200: s.ReconciliationSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def reconciliation(self, request: Request, pk: Any = None) -> Response:
        """What each party spent in a quarter, what it should have borne, and the balancing payments."""
        query = validated(s.ReconciliationQuerySerializer, request, request.query_params.dict())
        return Response(reconciliation.alliance_reconciliation(alliance=self.get_object(), **query))


@extend_schema_view(
    list=doc(summary=_("List committees"),
        description=_("The committees of your alliances with their members, voting rule, tie-breaking parties and this "
                      "year's chair. Filter by `alliance` or `kind`.")),
    retrieve=doc(summary=_("Read a committee"),
        description=_("One committee with its members, voting rule and the party chairing this year.")),
)
class CommitteeViewSet(ReadViewSet):
    model = Committee
    serializer_class = s.CommitteeSerializer
    filterset_fields = ["alliance", "kind"]
    ordering_fields = ["created_at"]

    def get_base_queryset(self) -> QuerySet:
        return Committee.objects.select_related("alliance__agreement").prefetch_related(
            "members", "alliance__agreement__parties")

    @doc(summary=_("Create a committee"),
         description=_("A party's member creates a committee of the alliance with members from every party, a "
                       "voting rule (unanimity, or a tie-breaking party per decision area) and a chair rule."),
         errors={400: ["not_a_party", "tie_breaker_required", "members_required", "company_required"],
                 403: ["alliance_read_only"], 409: ["committee_exists"]},
         request=s.CommitteeCreateSerializer, responses={201: s.CommitteeSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.CommitteeCreateSerializer, request)
        return self.created(lambda: services.committee_create(actor=request.user, **data))


@extend_schema_view(
    list=doc(summary=_("List committee meetings"),
        description=_("Meetings of your alliances' committees, latest first. Filter by `alliance` or `committee`.")),
    retrieve=doc(summary=_("Read a committee meeting"),
        description=_("One meeting with its agenda and attendance, and its open business: action items past "
                      "their date and, for the steering committee, overdue obligations.")),
)
class MeetingViewSet(ReadViewSet):
    model = CommitteeMeeting
    serializer_class = s.CommitteeMeetingSerializer
    filterset_fields = ["alliance", "committee"]
    ordering_fields = ["starts_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet:
        return CommitteeMeeting.objects.select_related("committee")

    @doc(summary=_("Schedule a committee meeting"),
         description=_("Schedules a meeting (time in UTC, shown in the given time zone) with an agenda; the other "
                       "party is told."),
         errors={400: ["company_required"], 403: ["alliance_read_only"]},
         request=s.CommitteeMeetingCreateSerializer, responses={201: s.CommitteeMeetingSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.CommitteeMeetingCreateSerializer, request)
        return self.created(lambda: services.meeting_schedule(actor=request.user, **data))

    @doc(summary=_("Update a committee meeting"),
         description=_("Change the time, time zone, agenda or attendance (ids of committee members present)."),
         errors={400: ["not_a_member", "company_required"], 403: ["alliance_read_only"]},
         request=s.CommitteeMeetingUpdateSerializer, responses={200: s.CommitteeMeetingSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        meeting = self.get_object()
        data = validated(s.CommitteeMeetingUpdateSerializer, request)
        return self.shown(services.meeting_update(actor=request.user, meeting=meeting, **data))


@extend_schema_view(
    list=doc(summary=_("List minutes"),
        description=_("Every version of the minutes of your alliances' meetings. Filter by `meeting` or "
                      "`status` (draft, approved, superseded).")),
    retrieve=doc(summary=_("Read minutes"),
        description=_("One version of a meeting's minutes, in English and/or Chinese, with the parties that "
                      "approved it.")),
)
class MinutesViewSet(ReadViewSet):
    model = Minutes
    serializer_class = s.MinutesSerializer
    filterset_fields = ["meeting", "status"]
    ordering_fields = ["created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"approve": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return Minutes.objects.prefetch_related("approvals")

    @doc(summary=_("Write minutes"),
         description=_("Writes a new version of a meeting's minutes (the first, or a correction of approved "
                       "minutes). The writer's party approves by writing; the other party is asked to approve."),
         errors={400: ["minutes_empty", "company_required"], 403: ["alliance_read_only"],
                 409: ["minutes_draft_exists"]},
         request=s.MinutesCreateSerializer, responses={201: s.MinutesSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.MinutesCreateSerializer, request)
        return self.created(lambda: services.minutes_write(actor=request.user, **data))

    @doc(summary=_("Change draft minutes"),
         description=_("Changes a draft; the other party's approval starts over. Approved minutes never change: "
                       "write a correction instead."),
         errors={400: ["company_required"], 403: ["alliance_read_only"], 409: ["minutes_final"]},
         request=s.MinutesUpdateSerializer, responses={200: s.MinutesSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        minutes = self.get_object()
        data = validated(s.MinutesUpdateSerializer, request)
        return self.shown(services.minutes_update(actor=request.user, minutes=minutes, **data))

    @doc(summary=_("Approve minutes for your party"),
         description=_("Approves the draft for your party; with every party's approval the minutes are final and "
                       "earlier versions are superseded."),
         errors={400: ["company_required"], 403: ["alliance_read_only"], 409: ["minutes_final", "already_approved"]},
         request=s.AllianceActAsSerializer, responses={200: s.MinutesSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        """Approve this draft for your party; with every party's approval the minutes are final."""
        minutes = self.get_object()
        data = validated(s.AllianceActAsSerializer, request)
        return self.shown(services.minutes_approve(actor=request.user, minutes=minutes,
                                                   company_id=data.get("company")))


@extend_schema_view(
    list=doc(summary=_("List committee decisions"),
        description=_("Motions put to your alliances' committees with each party's vote and the outcome. Filter by "
                      "`meeting`, `outcome` or `area`.")),
    retrieve=doc(summary=_("Read a committee decision"),
        description=_("One decision: the motion, each party's vote, the outcome under the committee's voting "
                      "rule and which party broke a tie, if one did.")),
)
class DecisionViewSet(ReadViewSet):
    model = Decision
    serializer_class = s.CommitteeDecisionSerializer
    filterset_fields = ["meeting", "outcome", "area"]
    ordering_fields = ["created_at"]
    action_permissions = {"vote": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return Decision.objects.prefetch_related("votes")

    @doc(summary=_("Put a motion to a committee"),
         description=_("Records a motion in a decision area at a meeting; each party then casts its one vote."),
         errors={400: ["company_required"], 403: ["alliance_read_only"]},
         request=s.CommitteeDecisionCreateSerializer, responses={201: s.CommitteeDecisionSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.CommitteeDecisionCreateSerializer, request)
        return self.created(lambda: services.decision_propose(actor=request.user, **data))

    @doc(summary=_("Cast your party's vote"),
         description=_("Records your party's vote (for, against, abstain). When every party voted, the outcome "
                       "follows the committee's rule: all for carries, none for rejects, a split deadlocks under "
                       "unanimity or follows the tie-breaking party's vote."),
         errors={400: ["company_required"], 403: ["alliance_read_only"], 409: ["vote_closed", "already_voted"]},
         request=s.DecisionVoteSerializer, responses={200: s.CommitteeDecisionSerializer})
    @action(detail=True, methods=["post"])
    def vote(self, request: Request, pk: Any = None) -> Response:
        """Record your party's one vote; the last vote decides the outcome under the committee's rule."""
        decision = self.get_object()
        data = validated(s.DecisionVoteSerializer, request)
        return self.shown(services.decision_vote(actor=request.user, decision=decision, vote=data["vote"],
                                                 company_id=data.get("company")))


@extend_schema_view(
    list=doc(summary=_("List action items"),
        description=_("Action items from your alliances' meetings. Filter by `alliance`, `meeting`, `status` or "
                      "`owner_company`; order by `due_on`.")),
    retrieve=doc(summary=_("Read an action item"),
        description=_("One action item: what, which party owns it, by when, and whether it is open, done or "
                      "cancelled.")),
)
class ActionItemViewSet(ReadViewSet):
    model = ActionItem
    serializer_class = s.ActionItemSerializer
    filterset_fields = ["alliance", "meeting", "status", "owner_company"]
    ordering_fields = ["due_on", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @doc(summary=_("Create an action item"),
         description=_("An action item owned by one party, due on a date; reminders go to the owning party a week "
                       "before, and open items past their date are listed for the next meeting."),
         errors={400: ["not_a_party", "wrong_alliance", "company_required"], 403: ["alliance_read_only"]},
         request=s.ActionItemCreateSerializer, responses={201: s.ActionItemSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.ActionItemCreateSerializer, request)
        return self.created(lambda: services.action_item_create(actor=request.user, **data))

    @doc(summary=_("Update an action item"),
         description=_("Change an open item, or close it as done or cancelled."),
         errors={400: ["not_a_party", "company_required"], 403: ["alliance_read_only"], 409: ["item_closed"]},
         request=s.ActionItemUpdateSerializer, responses={200: s.ActionItemSerializer})
    def partial_update(self, request: Request, pk: Any = None) -> Response:
        item = self.get_object()
        data = validated(s.ActionItemUpdateSerializer, request)
        return self.shown(services.action_item_update(actor=request.user, item=item, **data))


@extend_schema_view(
    list=doc(summary=_("List work packages"),
        description=_("The development plan of your alliances: work packages, the party running each and its "
                      "cost-sharing split (empty: the agreement's split).")),
    retrieve=doc(summary=_("Read a work package"),
        description=_("One work package with the party running it and its own cost-sharing split, if it has one.")),
)
class WorkPackageViewSet(ReadViewSet):
    model = WorkPackage
    serializer_class = s.WorkPackageSerializer
    filterset_fields = ["alliance", "assigned_company"]
    ordering_fields = ["code", "created_at"]

    @doc(summary=_("Create a work package"),
         description=_("Adds a work package to the development plan, run by one party; its costs follow the "
                       "agreement's cost-sharing split unless it names its own (every party once, adding up to 100)."),
         errors={400: ["not_a_party", "invalid_split", "split_required", "company_required"],
                 403: ["alliance_read_only"], 409: ["work_package_exists"]},
         request=s.WorkPackageCreateSerializer, responses={201: s.WorkPackageSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.WorkPackageCreateSerializer, request)
        data["cost_sharing"] = [dict(item) for item in data.get("cost_sharing") or []]
        return self.created(lambda: services.work_package_create(actor=request.user, **data))


@extend_schema_view(
    list=doc(summary=_("List budgets"),
        description=_("Budgets per work package, quarter and currency. Filter by `work_package`, `year`, `quarter` or "
                      "`currency`.")),
    retrieve=doc(summary=_("Read a budget"), description=_("One work package's budget for one quarter and currency.")),
)
class BudgetViewSet(ReadViewSet):
    model = Budget
    serializer_class = s.WorkPackageBudgetSerializer
    filterset_fields = ["work_package", "year", "quarter", "currency"]
    ordering_fields = ["year", "quarter"]

    @doc(summary=_("Set a work package budget"),
         description=_("Sets the budget of a work package for one quarter and currency; sending it again changes "
                       "it. Amounts are decimal strings."),
         errors={400: ["invalid_amount", "company_required"], 403: ["alliance_read_only"]},
         request=s.WorkPackageBudgetSetSerializer, responses={201: s.WorkPackageBudgetSerializer})
    def create(self, request: Request) -> Response:
        """Set a work package's budget for a quarter and currency (sending it again changes it)."""
        data = validated(s.WorkPackageBudgetSetSerializer, request)
        return self.created(lambda: services.budget_set(actor=request.user, **data))


@extend_schema_view(
    list=doc(summary=_("List recorded costs"),
        description=_("Costs the parties recorded against work packages. Filter by `work_package`, `company`, `year`, "
                      "`quarter` or `currency`.")),
    retrieve=doc(summary=_("Read a recorded cost"),
        description=_("One cost a party recorded: work package, quarter, currency and amount.")),
)
class CostEntryViewSet(ReadViewSet):
    model = CostEntry
    serializer_class = s.CostEntrySerializer
    filterset_fields = ["work_package", "company", "year", "quarter", "currency"]
    ordering_fields = ["year", "quarter", "created_at"]

    @doc(summary=_("Record a cost"),
         description=_("Records a cost your own party incurred on a work package in a quarter; the quarterly "
                       "reconciliation shares it by the work package's split."),
         errors={400: ["invalid_amount", "company_required"], 403: ["alliance_read_only"]},
         request=s.CostRecordSerializer, responses={201: s.CostEntrySerializer})
    def create(self, request: Request) -> Response:
        """Record a cost your party incurred on a work package."""
        data = validated(s.CostRecordSerializer, request)
        company_id = data.pop("company", None)
        return self.created(lambda: services.cost_record(actor=request.user, company_id=company_id, **data))


@extend_schema_view(
    list=doc(summary=_("List obligations"),
        description=_("The obligations register of your alliances: diligence, reporting, supply and "
                      "regulatory filings, with the owing party, due date and status. Filter by `alliance`, "
                      "`kind`, `status` or `owner_company`.")),
    retrieve=doc(summary=_("Read an obligation"), description=_("One obligation with its evidence once fulfilled.")),
)
class ObligationViewSet(ReadViewSet):
    model = Obligation
    serializer_class = s.ObligationSerializer
    filterset_fields = ["alliance", "kind", "status", "owner_company"]
    ordering_fields = ["due_on", "created_at"]
    action_permissions = {"fulfil": CHANGE}

    @doc(summary=_("Add an obligation"),
         description=_("Adds an obligation owed by one party (diligence, reporting, supply, regulatory filing), "
                       "once or recurring; a linked regulatory event recorded on the agreement's asset fulfils it."),
         errors={400: ["not_a_party", "company_required"], 403: ["alliance_read_only"]},
         request=s.ObligationCreateSerializer, responses={201: s.ObligationSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.ObligationCreateSerializer, request)
        return self.created(lambda: services.obligation_create(actor=request.user, **data))

    @doc(summary=_("Record an obligation as fulfilled"),
         description=_("The owing party records how the obligation was met (a note or a link); a recurring "
                       "obligation opens its next occurrence. The other party is told."),
         errors={400: ["evidence_required"], 403: ["alliance_read_only"], 409: ["obligation_closed"]},
         request=s.ObligationFulfilSerializer, responses={200: s.ObligationSerializer})
    @action(detail=True, methods=["post"])
    def fulfil(self, request: Request, pk: Any = None) -> Response:
        """The owner party records how the obligation was met."""
        obligation = self.get_object()
        data = validated(s.ObligationFulfilSerializer, request)
        return self.shown(services.obligation_fulfil(actor=request.user, obligation=obligation, **data))


@extend_schema_view(
    list=doc(summary=_("List alliance issues"),
        description=_("Issues raised in your alliances with their escalation steps. Filter by `alliance`, "
                      "`severity` or `level`.")),
    retrieve=doc(summary=_("Read an alliance issue"),
        description=_("One issue with every time-stamped step: raised, escalated, resolved.")),
)
class IssueViewSet(ReadViewSet):
    model = AllianceIssue
    serializer_class = s.AllianceIssueSerializer
    filterset_fields = ["alliance", "severity", "level"]
    ordering_fields = ["created_at"]
    action_permissions = {"escalate": CHANGE, "resolve": CHANGE}

    def get_base_queryset(self) -> QuerySet:
        return AllianceIssue.objects.prefetch_related("steps")

    @doc(summary=_("Raise an alliance issue"),
         description=_("Either party raises an issue with a severity; it starts at the committee and the other "
                       "party is told."),
         errors={400: ["company_required"], 403: ["alliance_read_only"]},
         request=s.AllianceIssueCreateSerializer, responses={201: s.AllianceIssueSerializer})
    def create(self, request: Request) -> Response:
        data = validated(s.AllianceIssueCreateSerializer, request)
        return self.created(lambda: services.issue_raise(actor=request.user, **data))

    @doc(summary=_("Escalate an alliance issue"),
         description=_("Moves the issue one step up: committee, then the executive officers, then the agreement's "
                       "dispute-resolution clause. Each step is time-stamped."),
         errors={400: ["company_required"], 403: ["alliance_read_only"],
                 409: ["issue_resolved", "escalation_exhausted"]},
         request=s.IssueEscalateSerializer, responses={200: s.AllianceIssueSerializer})
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: Any = None) -> Response:
        """One step up: committee → executive officers → the dispute-resolution clause."""
        issue = self.get_object()
        data = validated(s.IssueEscalateSerializer, request)
        return self.shown(services.issue_escalate(actor=request.user, issue=issue, **data))

    @doc(summary=_("Resolve an alliance issue"),
         description=_("Records how the issue was resolved; the other party is told."),
         errors={400: ["resolution_required", "company_required"], 403: ["alliance_read_only"],
                 409: ["issue_resolved"]},
         request=s.IssueResolveSerializer, responses={200: s.AllianceIssueSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        issue = self.get_object()
        data = validated(s.IssueResolveSerializer, request)
        return self.shown(services.issue_resolve(actor=request.user, issue=issue, **data))
