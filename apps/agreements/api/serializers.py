"""Shapes of the agreements API. Terms are validated by apps/agreements/terms.TermsSerializer in the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.agreements.models import Agreement, AgreementApproval, AgreementVersion, Milestone
from apps.agreements.money import Currency, to_str
from apps.agreements.terms import Cadence, Exclusivity, MilestoneKindField, TermsSerializer, TerritoryCodeField
from apps.catalog.models import Asset, DealType
from apps.companies.models import Company
from apps.core.api.serializers import StrictSerializer


@extend_schema_field(TermsSerializer)
class TermsField(serializers.JSONField):
    """The terms document: passed as is to the services, which validate it with TermsSerializer in the context of
    the agreement (deal type, parties) and answer 400 `invalid_terms` with the fields at fault."""


# --- the terms document as the API answers it (its canonical form: apps/agreements/terms.py validate) ---------------
# Every key is always present; what may be empty is null. It is accepted back unchanged by POST .../versions/.

DECIMAL_STRING = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?$"}


@extend_schema_field({**DECIMAL_STRING, "description": "An exact amount with the currency's places (JPY: none)",
                      "example": "60000000.00"})
class AmountStringField(serializers.CharField):
    pass


@extend_schema_field({**DECIMAL_STRING, "description": "A percentage as a plain decimal string", "example": "12.5"})
class PercentStringField(serializers.CharField):
    pass


class TerritorySpecSerializer(serializers.Serializer):
    include = serializers.ListField(child=TerritoryCodeField())
    exclude = serializers.ListField(child=TerritoryCodeField())


class TermSpanSerializer(serializers.Serializer):
    years = serializers.IntegerField(allow_null=True)
    description = serializers.CharField(allow_blank=True)


class TermsMilestoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = MilestoneKindField()
    description = serializers.CharField()
    amount = AmountStringField()
    due_date = serializers.DateField(allow_null=True)
    regulatory_event = serializers.CharField(allow_blank=True, help_text=_("Empty unless a regulatory milestone"))
    sales_threshold = AmountStringField(allow_null=True)


class TermsRoyaltyTierSerializer(serializers.Serializer):
    from_net_sales = AmountStringField()
    to_net_sales = AmountStringField(allow_null=True, help_text=_("null for the open-ended last tier"))
    rate = PercentStringField()


class TermsCostShareSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    share = PercentStringField()


class TermsJscMemberSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    name = serializers.CharField()
    title = serializers.CharField(allow_blank=True)


class TermsGovernanceSerializer(serializers.Serializer):
    jsc_members = TermsJscMemberSerializer(many=True)
    meeting_cadence = serializers.ChoiceField(choices=Cadence.CHOICES)
    first_meeting = serializers.DateField(allow_null=True)


class TermsDocumentSerializer(serializers.Serializer):
    """The terms of one version, as answered (and as accepted back unchanged)."""

    territory = TerritorySpecSerializer()
    field_of_use = serializers.ListField(child=serializers.CharField())
    exclusivity = serializers.ChoiceField(choices=Exclusivity.CHOICES)
    currency = serializers.ChoiceField(choices=Currency.choices)
    upfront = AmountStringField()
    equity_investment = AmountStringField(allow_null=True)
    effective_date = serializers.DateField(allow_null=True)
    term = TermSpanSerializer()
    milestones = TermsMilestoneSerializer(many=True)
    royalty_tiers = TermsRoyaltyTierSerializer(many=True)
    cost_sharing = TermsCostShareSerializer(many=True)
    governance = TermsGovernanceSerializer(allow_null=True)


@extend_schema_field(TermsDocumentSerializer)
class TermsDocumentField(serializers.JSONField):
    """The stored canonical terms, answered as stored (TermsDocumentSerializer describes them)."""


class MoneySerializer(serializers.Serializer):
    amount = AmountStringField()
    currency = serializers.ChoiceField(choices=Currency.choices)


class UsdFigureSerializer(serializers.Serializer):
    amount = AmountStringField(allow_null=True, help_text=_("null when no exchange rate has been entered"))
    currency = serializers.ChoiceField(choices=[("USD", "USD")])
    rate = PercentStringField(allow_null=True, help_text=_("US dollars per unit of the agreement's currency"))
    rate_date = serializers.DateField(allow_null=True)
    missing_rate = serializers.BooleanField()
    message = serializers.CharField(required=False, help_text=_("Why the amount is missing"))


class FigureSetSerializer(serializers.Serializer):
    upfront = MoneySerializer()
    milestones_total = MoneySerializer()
    equity_investment = MoneySerializer()
    total_deal_value = MoneySerializer(help_text=_("Upfront plus every milestone, as headlines quote it"))
    achieved = MoneySerializer()
    invoiced = MoneySerializer()
    paid = MoneySerializer()


class UsdFigureSetSerializer(serializers.Serializer):
    upfront = UsdFigureSerializer()
    milestones_total = UsdFigureSerializer()
    equity_investment = UsdFigureSerializer()
    total_deal_value = UsdFigureSerializer()
    achieved = UsdFigureSerializer()
    invoiced = UsdFigureSerializer()
    paid = UsdFigureSerializer()


class FiguresSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("The executed version, or the latest before execution"))
    currency = serializers.ChoiceField(choices=Currency.choices)
    rounding = serializers.CharField()
    figures = FigureSetSerializer()
    usd = UsdFigureSetSerializer()


class AssetRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code_name = serializers.CharField()


class CompanyRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


class PartySerializer(serializers.Serializer):
    company = CompanyRefSerializer()
    role = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class ApprovalSerializer(serializers.ModelSerializer):
    company = CompanyRefSerializer()
    approved_by = PersonRefSerializer()
    version = serializers.IntegerField(source="version.number")

    class Meta:
        model = AgreementApproval
        fields = ["version", "company", "approved_by", "terms_hash", "created_at", "invalidated_at"]


class VersionSerializer(serializers.ModelSerializer):
    terms = TermsDocumentField()
    proposed_by = PersonRefSerializer()
    proposed_by_company = CompanyRefSerializer()
    approvals = serializers.SerializerMethodField()

    class Meta:
        model = AgreementVersion
        fields = ["number", "terms", "terms_hash", "currency", "is_amendment", "note", "proposed_by",
                  "proposed_by_company", "created_at", "executed_at", "approvals"]

    @extend_schema_field(ApprovalSerializer(many=True))
    def get_approvals(self, version: AgreementVersion) -> Any:
        return ApprovalSerializer(version.approvals.all(), many=True).data  # prefetched by the view


class AgreementSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    licensor = CompanyRefSerializer()
    parties = PartySerializer(many=True)
    assets = serializers.SerializerMethodField()
    current_version = serializers.IntegerField(source="current_version.number", allow_null=True, default=None)
    executed_version = serializers.IntegerField(source="executed_version.number", allow_null=True, default=None)

    class Meta:
        model = Agreement
        fields = ["id", "public_id", "title", "deal_type", "status", "licensor", "parties", "assets",
                  "data_room_id", "current_version", "executed_version", "exclusive", "effective_on", "expires_on",
                  "next_jsc_meeting_on", "executed_at", "terminated_at", "termination_reason", "created_at",
                  "updated_at"]
        extra_kwargs = {"exclusive": {"help_text": _(
            "Whether the executed version's terms are exclusive; false until a version is executed. During "
            "negotiation read `terms.exclusivity` of the current version instead.")}}

    @extend_schema_field(AssetRefSerializer(many=True))
    def get_assets(self, agreement: Agreement) -> list[dict[str, Any]]:
        return [{"id": a.pk, "code_name": a.code_name} for a in agreement.assets.all()]


class AgreementDetailSerializer(AgreementSerializer):
    """One agreement with the latest version's terms and the derived money figures."""

    terms = TermsDocumentField(source="current_version.terms", default=None, allow_null=True)
    terms_hash = serializers.CharField(source="current_version.terms_hash", default=None, allow_null=True)
    figures = serializers.SerializerMethodField()

    class Meta(AgreementSerializer.Meta):
        fields = [*AgreementSerializer.Meta.fields, "terms", "terms_hash", "figures"]

    @extend_schema_field(FiguresSerializer(allow_null=True))
    def get_figures(self, agreement: Agreement) -> dict[str, Any] | None:
        from apps.agreements.selectors import agreement_figures

        return agreement_figures(agreement) or None  # no version yet: no figures


class AgreementCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    deal_type = serializers.ChoiceField(choices=DealType.choices)
    licensor = serializers.IntegerField(min_value=1)
    partners = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=10)
    assets = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=20)
    terms = TermsField()
    data_room_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Only companies and assets the caller can see exist, as far as this API is concerned.
        # Unknown and invisible ids read the same ("does_not_exist", answered 404): nobody can probe which exist.
        user = self.context["request"].user
        ids = {attrs["licensor"], *attrs["partners"]}
        companies = {c.pk: c for c in Company.objects.for_user(user).filter(pk__in=ids)}
        missing = {"licensor": [pk for pk in [attrs["licensor"]] if pk not in companies],
                   "partners": [pk for pk in attrs["partners"] if pk not in companies]}
        assets = list(Asset.objects.for_user(user).filter(pk__in=attrs["assets"]))
        missing["assets"] = sorted(set(attrs["assets"]) - {a.pk for a in assets})
        errors = {name: [serializers.ErrorDetail(_("Unknown object: %(ids)s.") % {"ids": pks},
                                                 code="does_not_exist")]
                  for name, pks in missing.items() if pks}
        if errors:
            raise serializers.ValidationError(errors)
        attrs["licensor"] = companies[attrs["licensor"]]
        attrs["partners"] = [companies[pk] for pk in attrs["partners"]]
        attrs["assets"] = assets
        return attrs


class AgreementUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200, required=False)
    deal_type = serializers.ChoiceField(choices=DealType.choices, required=False)
    terms = TermsField(required=False)
    data_room_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class ProposeVersionSerializer(StrictSerializer):
    terms = TermsField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    company = serializers.IntegerField(min_value=1, required=False, help_text=_(
        "The party you act for, if you belong to several."))


class ApproveSerializer(StrictSerializer):
    version = serializers.IntegerField(min_value=1)
    # Any other string simply does not match the version's hash: 409 stale_terms, like any outdated hash.
    terms_hash = serializers.CharField(max_length=128, help_text=_(
        "The SHA-256 of the terms you read (terms_hash of that version)."))
    company = serializers.IntegerField(min_value=1, required=False)


class TerminateSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)
    company = serializers.IntegerField(min_value=1, required=False)


class DiffEntrySerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # the API's word; shadows Field.label in the stubs
    label_en = serializers.CharField()
    label_zh = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class DiffSerializer(serializers.Serializer):
    from_version = serializers.IntegerField()
    to_version = serializers.IntegerField()
    changes = DiffEntrySerializer(many=True)


class PortfolioSerializer(serializers.Serializer):
    agreements = serializers.IntegerField()
    rounding = serializers.CharField()
    per_currency = serializers.DictField(child=serializers.DictField(child=serializers.CharField()))
    usd = serializers.DictField(child=serializers.CharField())
    rates = serializers.DictField(child=serializers.DictField(child=serializers.CharField(allow_null=True)))
    missing_rates = serializers.ListField(child=serializers.CharField())


class MilestoneSerializer(serializers.ModelSerializer):
    agreement = serializers.IntegerField(source="agreement_id")
    kind = MilestoneKindField(read_only=True)
    amount = serializers.SerializerMethodField()
    sales_threshold = serializers.SerializerMethodField()
    achieved_by_company = serializers.IntegerField(source="achieved_by_company_id", allow_null=True)

    class Meta:
        model = Milestone
        fields = ["id", "agreement", "key", "kind", "description", "amount", "currency", "due_on",
                  "regulatory_event", "sales_threshold", "status", "achieved_at", "achieved_by_company", "evidence",
                  "evidence_url", "regulatory_event_ref", "confirmed_at", "dispute_reason", "invoiced_at",
                  "invoice_reference", "paid_at", "payment_reference", "updated_at"]

    def get_amount(self, milestone: Milestone) -> str | None:
        return to_str(milestone.amount, milestone.currency)

    def get_sales_threshold(self, milestone: Milestone) -> str | None:
        return to_str(milestone.sales_threshold, milestone.currency)


class AchieveSerializer(StrictSerializer):
    evidence = serializers.CharField(max_length=4000)
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    company = serializers.IntegerField(min_value=1, required=False)


class DisputeSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)
    company = serializers.IntegerField(min_value=1, required=False)


class ConfirmSerializer(StrictSerializer):
    company = serializers.IntegerField(min_value=1, required=False)


class InvoiceSerializer(StrictSerializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PaySerializer(StrictSerializer):
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    company = serializers.IntegerField(min_value=1, required=False)
