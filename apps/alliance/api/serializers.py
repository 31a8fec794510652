"""Alliance API shapes. Writes name related rows by id, looked up only among what the caller may see, so a hidden
id answers exactly like a missing one."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.agreements.money import Currency
from apps.agreements.terms import PercentField
from apps.alliance import governance
from apps.alliance.models import (
    ActionItem,
    Alliance,
    AllianceIssue,
    Budget,
    ChairRule,
    Committee,
    CommitteeKind,
    CommitteeMeeting,
    CommitteeMember,
    CostEntry,
    Decision,
    DecisionArea,
    IssueStep,
    ItemStatus,
    Minutes,
    Obligation,
    ObligationKind,
    Recurrence,
    Severity,
    Vote,
    VotingRule,
    WorkPackage,
)
from apps.catalog.regulatory import regulatory_event_kinds
from apps.core.api.fields import VisibleRelatedField
from apps.core.api.serializers import StrictSerializer
from apps.datarooms.models import Document


class AlliancePartyBrief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="name_en")
    name_zh = serializers.CharField()


class PartyField(serializers.IntegerField):
    """A party company named by id. Only the service's check that it is a party of this alliance decides, so any
    other company, hidden or missing, gets the same answer (not_a_party)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)


TIME_ZONES = sorted(available_timezones())


# ------------------------------------------------------------------------------------------------ alliance
class AllianceSerializer(serializers.ModelSerializer):
    agreement_title = serializers.CharField(source="agreement.title", read_only=True)
    agreement_status = serializers.CharField(source="agreement.status", read_only=True)
    parties = serializers.SerializerMethodField()
    shared_with_staff_by = AlliancePartyBrief(read_only=True, allow_null=True)

    class Meta:
        model = Alliance
        fields = ["id", "agreement", "agreement_title", "agreement_status", "parties", "shared_with_staff_by",
                  "created_at"]
        read_only_fields = fields

    @extend_schema_field(AlliancePartyBrief(many=True))
    def get_parties(self, alliance: Alliance) -> Any:
        return AlliancePartyBrief([party.company for party in alliance.agreement.parties.all()], many=True).data


class AllianceShareSerializer(StrictSerializer):
    shared = serializers.BooleanField(help_text=_("True: platform staff may read the workspace; false: withdraw."))


class ReconciliationQuerySerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)


class ReconciliationParty(serializers.Serializer):
    company = AlliancePartyBrief()
    spent = serializers.DecimalField(max_digits=22, decimal_places=2, coerce_to_string=True)
    should_bear = serializers.DecimalField(max_digits=22, decimal_places=2, coerce_to_string=True)
    net = serializers.DecimalField(max_digits=22, decimal_places=2, coerce_to_string=True,
                                   help_text=_("Positive: the party owes this much to the others."))
    net_usd = serializers.CharField(allow_null=True)


class BalancingPayment(serializers.Serializer):
    payer = AlliancePartyBrief()
    payee = AlliancePartyBrief()
    amount = serializers.CharField()
    amount_usd = serializers.CharField(allow_null=True)


class ReconciliationCurrency(serializers.Serializer):
    currency = serializers.ChoiceField(choices=Currency.choices)
    usd_rate = serializers.CharField(allow_null=True)
    usd_rate_date = serializers.DateField(allow_null=True)
    parties = ReconciliationParty(many=True)
    payments = BalancingPayment(many=True)


class ReconciliationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    as_of = serializers.DateField()
    currencies = ReconciliationCurrency(many=True)


# ------------------------------------------------------------------------------------------------ committees
class CommitteeMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommitteeMember
        fields = ["id", "company", "name", "title"]
        read_only_fields = ["id"]


class CommitteeMemberInput(StrictSerializer):
    company = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=120)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)


class CommitteeSerializer(serializers.ModelSerializer):
    members = CommitteeMemberSerializer(many=True, read_only=True)
    chair_this_year = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = ["id", "alliance", "kind", "name", "voting_rule", "tie_breakers", "chair_rule", "chair_company",
                  "chair_since_year", "chair_this_year", "members", "created_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField())
    def get_chair_this_year(self, committee: Committee) -> int:
        parties = [party.company_id for party in committee.alliance.agreement.parties.all()]
        return governance.chair_for_year(rule=committee.chair_rule, first_chair=committee.chair_company_id,
                                         since_year=committee.chair_since_year, parties=parties,
                                         year=timezone.now().year)


class TieBreakersSerializer(StrictSerializer):
    """One optional party per decision area: the schema names the areas, so a client cannot send another."""

    development = serializers.IntegerField(min_value=1, required=False)
    regulatory = serializers.IntegerField(min_value=1, required=False)
    manufacturing = serializers.IntegerField(min_value=1, required=False)
    commercial = serializers.IntegerField(min_value=1, required=False)
    budget = serializers.IntegerField(min_value=1, required=False)
    other = serializers.IntegerField(min_value=1, required=False)


class CommitteeCreateSerializer(StrictSerializer):
    alliance = VisibleRelatedField(Alliance)
    kind = serializers.ChoiceField(choices=CommitteeKind.choices)
    name = serializers.CharField(max_length=120)
    voting_rule = serializers.ChoiceField(choices=VotingRule.choices)
    tie_breakers = TieBreakersSerializer(required=False,
                                         help_text=_("Decision area → the party (company id) that breaks a tie."))
    chair_rule = serializers.ChoiceField(choices=ChairRule.choices)
    chair_company = PartyField()
    chair_since_year = serializers.IntegerField(min_value=2000, max_value=2100)
    members = CommitteeMemberInput(many=True)

    def validate_tie_breakers(self, value: dict[str, int]) -> dict[str, int]:
        return {area: pk for area, pk in value.items() if pk is not None}


class CommitteeMeetingSerializer(serializers.ModelSerializer):
    open_business = serializers.SerializerMethodField()

    class Meta:
        model = CommitteeMeeting
        fields = ["id", "alliance", "committee", "starts_at", "time_zone", "agenda", "attendees", "open_business",
                  "created_at"]
        read_only_fields = ["id", "alliance", "committee", "open_business", "created_at"]

    @extend_schema_field({"type": "object", "properties": {
        "overdue_action_items": {"type": "array", "items": {"type": "object"}},
        "overdue_obligations": {"type": "array", "items": {"type": "object"}}}})
    def get_open_business(self, meeting: CommitteeMeeting) -> dict[str, Any]:
        from apps.alliance.selectors import open_business

        return open_business(meeting)


class CommitteeMeetingCreateSerializer(StrictSerializer):
    committee = VisibleRelatedField(Committee)
    starts_at = serializers.DateTimeField()
    time_zone = serializers.ChoiceField(choices=TIME_ZONES)
    agenda = serializers.CharField(max_length=8000, required=False, allow_blank=True)


class CommitteeMeetingUpdateSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField(required=False)
    time_zone = serializers.ChoiceField(choices=TIME_ZONES, required=False)
    agenda = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    attendees = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=200)


class MinutesSerializer(serializers.ModelSerializer):
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Minutes
        fields = ["id", "meeting", "number", "text_en", "text_zh", "status", "approved_by", "created_at",
                  "approved_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_approved_by(self, minutes: Minutes) -> list[int]:
        return sorted(approval.company_id for approval in minutes.approvals.all())


class MinutesCreateSerializer(StrictSerializer):
    meeting = VisibleRelatedField(CommitteeMeeting)
    text_en = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    text_zh = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")


class MinutesUpdateSerializer(StrictSerializer):
    text_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    text_zh = serializers.CharField(max_length=20000, required=False, allow_blank=True)


class AllianceActAsSerializer(StrictSerializer):
    company = serializers.IntegerField(min_value=1, required=False,
                                       help_text=_("Only for a person in several parties: the party acted for."))


class PartyVoteRecord(serializers.Serializer):
    company = serializers.IntegerField(source="company_id")
    vote = serializers.ChoiceField(choices=Vote.choices)


class CommitteeDecisionSerializer(serializers.ModelSerializer):
    votes = PartyVoteRecord(many=True, read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "meeting", "area", "motion", "outcome", "tie_broken_by", "votes", "created_at", "decided_at"]
        read_only_fields = fields


class CommitteeDecisionCreateSerializer(StrictSerializer):
    meeting = VisibleRelatedField(CommitteeMeeting)
    area = serializers.ChoiceField(choices=DecisionArea.choices)
    motion = serializers.CharField(max_length=4000)


class DecisionVoteSerializer(AllianceActAsSerializer):
    vote = serializers.ChoiceField(choices=Vote.choices)


class ActionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["id", "alliance", "meeting", "title", "owner_company", "owner_name", "due_on", "status",
                  "created_at", "closed_at"]
        read_only_fields = fields


class ActionItemCreateSerializer(StrictSerializer):
    alliance = VisibleRelatedField(Alliance)
    meeting = VisibleRelatedField(CommitteeMeeting, required=False, allow_null=True)
    title = serializers.CharField(max_length=300)
    owner_company = PartyField()
    owner_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    due_on = serializers.DateField()


class ActionItemUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=300, required=False)
    owner_company = PartyField(required=False)
    owner_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=ItemStatus.choices, required=False)


# ------------------------------------------------------------------------------------------------ budget
class WorkPackageShareInput(StrictSerializer):
    company = serializers.IntegerField(min_value=1)
    share = PercentField()  # a decimal string 0-100 with up to 4 places, as the agreements' split


class WorkPackageSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkPackage
        fields = ["id", "alliance", "code", "title", "assigned_company", "cost_sharing", "created_at"]
        read_only_fields = fields


class WorkPackageCreateSerializer(StrictSerializer):
    alliance = VisibleRelatedField(Alliance)
    code = serializers.CharField(max_length=20)
    title = serializers.CharField(max_length=200)
    assigned_company = PartyField()
    # Every party once (the service checks): a longer list is refused as invalid_split.
    cost_sharing = WorkPackageShareInput(many=True, required=False)


class WorkPackageBudgetSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=True, read_only=True)

    class Meta:
        model = Budget
        fields = ["id", "work_package", "year", "quarter", "currency", "amount"]
        read_only_fields = fields


class WorkPackageBudgetSetSerializer(StrictSerializer):
    work_package = VisibleRelatedField(WorkPackage)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    currency = serializers.ChoiceField(choices=Currency.choices)
    amount = serializers.CharField(max_length=32, help_text=_("A decimal string, e.g. \"1250000.00\"."))


class CostEntrySerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=True, read_only=True)

    class Meta:
        model = CostEntry
        fields = ["id", "work_package", "company", "year", "quarter", "currency", "amount", "description",
                  "created_at"]
        read_only_fields = fields


class CostRecordSerializer(WorkPackageBudgetSetSerializer):
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    company = serializers.IntegerField(min_value=1, required=False,
                                       help_text=_("Only for a person in several parties: the party that spent."))


# ------------------------------------------------------------------------------------------------ obligations
class ObligationSerializer(serializers.ModelSerializer):
    # Read as plain text: empty until a link is given (a `uri` format would refuse the empty string).
    evidence_url = serializers.CharField(read_only=True)

    class Meta:
        model = Obligation
        fields = ["id", "alliance", "kind", "title", "owner_company", "due_on", "recurrence", "regulatory_event",
                  "status", "evidence", "evidence_url", "evidence_document", "fulfilled_at", "created_at"]
        read_only_fields = fields


class ObligationCreateSerializer(StrictSerializer):
    alliance = VisibleRelatedField(Alliance)
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    title = serializers.CharField(max_length=300)
    owner_company = PartyField()
    due_on = serializers.DateField()
    recurrence = serializers.ChoiceField(choices=Recurrence.choices, required=False, default=Recurrence.NONE)
    regulatory_event = serializers.ChoiceField(choices=[(kind, kind) for kind in regulatory_event_kinds()],
                                               required=False, allow_blank=True, default="")


class ObligationFulfilSerializer(StrictSerializer):
    evidence = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_document = VisibleRelatedField(Document, required=False, allow_null=True,
                                            help_text=_("A data-room document you may open, e.g. the report."))


# ------------------------------------------------------------------------------------------------ issues
class IssueStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssueStep
        fields = ["level", "event", "note", "by_company", "created_at"]
        read_only_fields = fields


class AllianceIssueSerializer(serializers.ModelSerializer):
    steps = IssueStepSerializer(many=True, read_only=True)

    class Meta:
        model = AllianceIssue
        fields = ["id", "alliance", "title", "description", "severity", "raised_by_company", "level", "resolution",
                  "resolved_at", "steps", "created_at"]
        read_only_fields = fields


class AllianceIssueCreateSerializer(StrictSerializer):
    alliance = VisibleRelatedField(Alliance)
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(max_length=8000)
    severity = serializers.ChoiceField(choices=Severity.choices)


class IssueEscalateSerializer(StrictSerializer):
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class IssueResolveSerializer(StrictSerializer):
    resolution = serializers.CharField(max_length=8000)
