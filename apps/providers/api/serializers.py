"""Serializers of the provider marketplace: validation and shape only; the services decide.

Bidder isolation in the shapes: a request's audience, and the company behind a clarification question, are
shown only to the requester's people (and staff); a provider reads only its own proposals (the queryset) and
published answers without the asker (these serializers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.agreements.money import Currency, to_str
from apps.agreements.terms import AMOUNT_PATTERN
from apps.catalog.territories import MAX_TOKENS, Territory, spec_pattern, territory_codes
from apps.core.api.serializers import StrictSerializer
from apps.datarooms.models import GrantLevel, GrantScope

from ..models import (
    DeclineReason,
    Engagement,
    EngagementMilestone,
    PricingModel,
    Proposal,
    ProposalVersion,
    ProviderProfile,
    ProviderRecord,
    RequestAttachment,
    RequestQuestion,
    RequestVisibility,
    Review,
    ServiceRequest,
)
from ..taxonomy import Language, RecordOutcome, RecordType, ServiceCategory


# The schema states the shape the services accept (apps.agreements.money.parse_amount): a plain decimal string, at
# most two places. Whether the places fit the currency (JPY: none) depends on another field, so that refusal
# (`invalid_amount`) stays a business rule (api/documented.py).
@extend_schema_field({"type": "string", "pattern": AMOUNT_PATTERN, "example": "120000.00"})
class AmountField(serializers.CharField):
    pass


# What apps.catalog.territories.Territory.parse accepts, as the schema can state it: a spec written as text
# ("eu,GB") or a list of codes. Left as "any JSON" the schema let clients (and the fuzzer) send anything.
@extend_schema_field({"oneOf": [{"type": "string", "pattern": spec_pattern()},
                                {"type": "array", "items": {"type": "string", "enum": territory_codes()},
                                 "minItems": 1, "maxItems": MAX_TOKENS}],
                      "example": ["US"]})
class JurisdictionsField(serializers.JSONField):
    pass


def _company(company: Any) -> dict[str, Any]:
    return {"id": company.pk, "name_en": company.name_en, "name_zh": company.name_zh, "country": company.country}


class MarketCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    country = serializers.CharField()


def _insider(serializer: serializers.Serializer, company_id: int) -> bool:
    """True when the reader is staff or belongs to `company_id` (the view puts the reader's company ids in the
    context once per request)."""
    context = serializer.context
    return bool(context.get("is_staff")) or company_id in context.get("company_ids", ())


# --- providers ------------------------------------------------------------------------------------------------


class ProviderRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProviderRecord
        fields = ["record_type", "agency", "outcome", "date", "reference"]


class ProviderSerializer(serializers.ModelSerializer):
    company = serializers.SerializerMethodField()
    records = ProviderRecordSerializer(many=True, read_only=True)
    price_min = serializers.SerializerMethodField()
    price_max = serializers.SerializerMethodField()
    rating_average = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = ProviderProfile
        fields = ["id", "company", "headline_en", "headline_zh", "description_en", "description_zh", "categories",
                  "jurisdictions", "agencies", "therapeutic_areas", "modalities", "languages", "price_min",
                  "price_max", "price_currency", "records", "rating_average", "rating_count", "updated_at"]

    @extend_schema_field(MarketCompanySerializer)
    def get_company(self, obj: ProviderProfile) -> dict[str, Any]:
        return _company(obj.company)

    def get_price_min(self, obj: ProviderProfile) -> str | None:
        return to_str(obj.price_min, obj.price_currency) if obj.price_min is not None else None

    def get_price_max(self, obj: ProviderProfile) -> str | None:
        return to_str(obj.price_max, obj.price_currency) if obj.price_max is not None else None


class RecordInputSerializer(StrictSerializer):
    record_type = serializers.ChoiceField(choices=RecordType.choices)
    agency = serializers.CharField(max_length=8)
    outcome = serializers.ChoiceField(choices=RecordOutcome.choices, required=False)
    date = serializers.DateField()
    reference = serializers.CharField(max_length=120, required=False, allow_blank=True)


def _codes_field(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), max_length=60, required=False)


class ProviderUpdateSerializer(StrictSerializer):
    headline_en = serializers.CharField(max_length=200, required=False)
    headline_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    categories = _codes_field(ServiceCategory.choices)
    jurisdictions = JurisdictionsField(required=False, help_text="Region and country codes, e.g. [\"us\", \"eu\"]")
    agencies = serializers.ListField(child=serializers.CharField(max_length=8), max_length=20, required=False)
    therapeutic_areas = serializers.ListField(child=serializers.CharField(max_length=40), max_length=40,
                                              required=False)
    modalities = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, required=False)
    languages = _codes_field(Language.choices)
    price_min = AmountField(max_length=30, required=False, allow_null=True)
    price_max = AmountField(max_length=30, required=False, allow_null=True)
    price_currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    records = serializers.ListField(child=RecordInputSerializer(), required=False, max_length=50)


class ProviderCreateSerializer(ProviderUpdateSerializer):
    company = serializers.IntegerField(help_text="Your company of kind service_provider.")


class CategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    label_en = serializers.CharField()
    label_zh = serializers.CharField()


# --- service requests -----------------------------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    company = serializers.SerializerMethodField()
    budget_min = serializers.SerializerMethodField()
    budget_max = serializers.SerializerMethodField()
    jurisdictions_label = serializers.SerializerMethodField()
    audience = serializers.SerializerMethodField()

    class Meta:
        model = ServiceRequest
        fields = ["id", "public_id", "company", "title", "category", "jurisdictions", "jurisdictions_label",
                  "scope_en", "scope_zh", "timeline", "budget_min", "budget_max", "currency", "deadline", "asset",
                  "visibility", "status", "terms_version", "terms_en", "terms_zh", "audience", "created_at",
                  "updated_at"]

    @extend_schema_field(MarketCompanySerializer)
    def get_company(self, obj: ServiceRequest) -> dict[str, Any]:
        return _company(obj.company)

    def get_budget_min(self, obj: ServiceRequest) -> str | None:
        return to_str(obj.budget_min, obj.currency)

    def get_budget_max(self, obj: ServiceRequest) -> str | None:
        return to_str(obj.budget_max, obj.currency)

    def get_jurisdictions_label(self, obj: ServiceRequest) -> str:
        return Territory(obj.jurisdictions).describe()

    @extend_schema_field({"type": "array", "nullable": True, "items": {"type": "object"},
                          "description": "Providers who may read the request: the requester's people only."})
    def get_audience(self, obj: ServiceRequest) -> list[dict[str, Any]] | None:
        if not _insider(self, obj.company_id):
            return None  # bidder isolation: a provider never learns who else was asked
        return [{"company": _company(row.company), "source": row.source}
                for row in obj.audience.all()]


class RequestCreateSerializer(StrictSerializer):
    company = serializers.IntegerField(required=False, help_text="Requesting company, if you belong to several.")
    title = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=ServiceCategory.choices)
    jurisdictions = JurisdictionsField(help_text="Region and country codes, e.g. [\"us\"] or \"eu,GB\".")
    scope_en = serializers.CharField(max_length=8000)
    scope_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    timeline = serializers.CharField(max_length=400, required=False, allow_blank=True)
    budget_min = AmountField(max_length=30, required=False, allow_null=True)
    budget_max = AmountField(max_length=30, required=False, allow_null=True)
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    deadline = serializers.DateTimeField()
    asset = serializers.IntegerField(required=False, allow_null=True)
    visibility = serializers.ChoiceField(choices=RequestVisibility.choices, required=False)
    providers = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=100,
                                      help_text="Companies (verified service providers) to invite.")
    terms_en = serializers.CharField(max_length=50_000, required=False, allow_blank=True)
    terms_zh = serializers.CharField(max_length=50_000, required=False, allow_blank=True)


class RequestUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False)
    scope_en = serializers.CharField(max_length=8000, required=False)
    scope_zh = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    timeline = serializers.CharField(max_length=400, required=False, allow_blank=True)
    budget_min = AmountField(max_length=30, required=False, allow_null=True)
    budget_max = AmountField(max_length=30, required=False, allow_null=True)
    deadline = serializers.DateTimeField(required=False)
    terms_en = serializers.CharField(max_length=50_000, required=False, allow_blank=True)
    terms_zh = serializers.CharField(max_length=50_000, required=False, allow_blank=True)


class InviteSerializer(StrictSerializer):
    providers = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=100)


class AcceptTermsSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1)


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestAttachment
        fields = ["id", "public_id", "request", "name", "kind", "content_type", "size", "sha256", "created_at"]


class AttachmentUploadSerializer(StrictSerializer):
    file = serializers.FileField()


# --- proposals ------------------------------------------------------------------------------------------------


class ProposalVersionSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()

    class Meta:
        model = ProposalVersion
        fields = ["number", "pricing_model", "amount", "currency", "milestones", "timeline", "team", "assumptions",
                  "note", "created_at"]

    def get_amount(self, obj: ProposalVersion) -> str | None:
        return to_str(obj.amount, obj.currency)


class ProposalSerializer(serializers.ModelSerializer):
    company = serializers.SerializerMethodField()
    current_version = ProposalVersionSerializer(read_only=True)
    decline_reason_label = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "public_id", "request", "company", "status", "current_version", "decline_reason",
                  "decline_reason_label", "decline_note", "decided_at", "created_at", "updated_at"]

    @extend_schema_field(MarketCompanySerializer)
    def get_company(self, obj: Proposal) -> dict[str, Any]:
        return _company(obj.company)

    def get_decline_reason_label(self, obj: Proposal) -> str:
        return str(obj.get_decline_reason_display()) if obj.decline_reason else ""


class MilestoneInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    amount = AmountField(max_length=30)
    due = serializers.CharField(max_length=120, required=False, allow_blank=True)


class ProposalTermsSerializer(StrictSerializer):
    pricing_model = serializers.ChoiceField(choices=PricingModel.choices)
    amount = AmountField(max_length=30, help_text="A decimal string, e.g. \"180000.00\".")
    currency = serializers.ChoiceField(choices=Currency.choices)
    milestones = serializers.ListField(child=MilestoneInputSerializer(), required=False, max_length=50)
    timeline = serializers.CharField(max_length=1000)
    team = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    assumptions = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    note = serializers.CharField(max_length=400, required=False, allow_blank=True)


class GrantInputSerializer(StrictSerializer):
    room = serializers.IntegerField(help_text="One of your data rooms.")
    level = serializers.ChoiceField(choices=GrantLevel.choices)
    scope = serializers.ChoiceField(choices=GrantScope.choices)
    folders = serializers.ListField(child=serializers.IntegerField(), required=False, max_length=200)
    expires_at = serializers.DateTimeField()


class AwardSerializer(StrictSerializer):
    scope = serializers.CharField(max_length=8000, required=False, allow_blank=True,
                                  help_text="The awarded scope (default: the request's), e.g. for a split award.")
    grant = GrantInputSerializer(required=False, help_text="Open one of your data rooms to the provider.")


class DeclineSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class CompareRowSerializer(serializers.Serializer):
    proposal = serializers.IntegerField()
    provider = MarketCompanySerializer()
    status = serializers.CharField()
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField()
    pricing_model = serializers.CharField()
    amount = serializers.CharField()
    currency = serializers.CharField()
    amount_usd = serializers.CharField(allow_null=True)
    usd_rate = serializers.CharField(allow_null=True)
    rate_valid_on = serializers.DateField(allow_null=True)
    milestones = serializers.JSONField()
    timeline = serializers.CharField()
    team = serializers.CharField()
    assumptions = serializers.CharField()


class CompareSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    rates_on = serializers.DateField()
    proposals = CompareRowSerializer(many=True)
    missing_rates = serializers.ListField(child=serializers.CharField())


# --- questions ------------------------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    company = serializers.SerializerMethodField()
    asked_by_your_company = serializers.SerializerMethodField()

    class Meta:
        model = RequestQuestion
        fields = ["id", "request", "text", "answer", "answered_at", "published", "company", "asked_by_your_company",
                  "created_at"]

    @extend_schema_field({"type": "object", "nullable": True,
                          "description": "Who asked: shown to the requester's people only."})
    def get_company(self, obj: RequestQuestion) -> dict[str, Any] | None:
        if _insider(self, obj.request.company_id):
            return _company(obj.company)
        return None

    def get_asked_by_your_company(self, obj: RequestQuestion) -> bool:
        return obj.company_id in self.context.get("company_ids", ())


class QuestionCreateSerializer(StrictSerializer):
    text = serializers.CharField(max_length=4000)


class AnswerSerializer(StrictSerializer):
    answer = serializers.CharField(max_length=8000)
    publish = serializers.BooleanField(required=False, default=False,
                                       help_text="Publish question and answer to all bidders, anonymously.")


# --- engagements ----------------------------------------------------------------------------------------------


class EngagementMilestoneSerializer(serializers.ModelSerializer):
    amount = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()

    class Meta:
        model = EngagementMilestone
        fields = ["id", "engagement", "position", "title", "amount", "currency", "due", "status", "delivered_at",
                  "accepted_at", "invoiced_at", "paid_at"]

    def get_amount(self, obj: EngagementMilestone) -> str | None:
        return to_str(obj.amount, obj.engagement.currency)

    def get_currency(self, obj: EngagementMilestone) -> str:
        return obj.engagement.currency


class EngagementSerializer(serializers.ModelSerializer):
    requester = serializers.SerializerMethodField()
    provider = serializers.SerializerMethodField()
    amount = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()
    grant = serializers.SerializerMethodField()

    class Meta:
        model = Engagement
        fields = ["id", "public_id", "request", "proposal", "requester", "provider", "scope", "amount", "currency",
                  "status", "grant", "milestones", "created_at", "completed_at"]

    @extend_schema_field(MarketCompanySerializer)
    def get_requester(self, obj: Engagement) -> dict[str, Any]:
        return _company(obj.requester)

    @extend_schema_field(MarketCompanySerializer)
    def get_provider(self, obj: Engagement) -> dict[str, Any]:
        return _company(obj.provider)

    def get_amount(self, obj: Engagement) -> str | None:
        return to_str(obj.amount, obj.currency)

    @extend_schema_field(EngagementMilestoneSerializer(many=True))
    def get_milestones(self, obj: Engagement) -> list[dict[str, Any]]:
        return [
            {"id": m.pk, "engagement": obj.pk, "position": m.position, "title": m.title,
             "amount": to_str(m.amount, obj.currency), "currency": obj.currency, "due": m.due, "status": m.status,
             "delivered_at": m.delivered_at, "accepted_at": m.accepted_at, "invoiced_at": m.invoiced_at,
             "paid_at": m.paid_at}
            for m in obj.milestones.all()
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_grant(self, obj: Engagement) -> dict[str, Any] | None:
        grant = obj.grant
        if grant is None:
            return None
        return {"id": grant.pk, "room": grant.room_id, "level": grant.level, "scope": grant.scope,
                "expires_at": grant.expires_at, "revoked_at": grant.revoked_at}


# --- reviews --------------------------------------------------------------------------------------------------


class ReviewSerializer(serializers.ModelSerializer):
    author_company = serializers.SerializerMethodField()
    subject_company = serializers.SerializerMethodField()
    hidden_reason = serializers.SerializerMethodField()

    class Meta:
        model = Review
        fields = ["id", "engagement", "author_company", "subject_company", "rating", "text", "hidden",
                  "hidden_reason", "created_at"]

    @extend_schema_field(MarketCompanySerializer)
    def get_author_company(self, obj: Review) -> dict[str, Any]:
        return _company(obj.author_company)

    @extend_schema_field(MarketCompanySerializer)
    def get_subject_company(self, obj: Review) -> dict[str, Any]:
        return _company(obj.subject_company)

    def get_hidden_reason(self, obj: Review) -> str:
        return obj.hidden_reason if _insider(self, obj.author_company_id) else ""


class ReviewCreateSerializer(StrictSerializer):
    engagement = serializers.IntegerField()
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(max_length=4000, required=False, allow_blank=True)
