"""Shapes of the deal-intelligence API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.models import TherapeuticArea
from apps.core.api.serializers import CountryField, StrictModelSerializer, StrictSerializer
from apps.intelligence.models import DealImport, DealRecord, MarketFigure, PhaseTransition


class ExactDecimalField(serializers.DecimalField):
    """A Decimal sent as a string or an integer; a floating-point number is refused (money is exact)."""

    default_error_messages = {"float": _("Send amounts as strings (e.g. \"60000000.00\"), never as floating-point "
                                         "numbers.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool | float):
            self.fail("float")
        return super().to_internal_value(data)


# The schemas below state the bounds the fields enforce (the generated decimal pattern allows a minus sign and
# any number of integer digits up to max_digits): plain digits, at most the stored places, within the range.
@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^[0-9]{1,18}(\.[0-9]{1,2})?$"})
class AmountField(ExactDecimalField):
    """A money amount of at most 18 integer digits and 2 places, never negative."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=20, decimal_places=2, min_value=0, **kwargs)


@extend_schema_field({"type": "string", "format": "decimal",
                      "pattern": r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$"})
class PercentField(ExactDecimalField):
    """A percentage from 0 to 100 with at most 4 places."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=7, decimal_places=4, min_value=0, max_value=100, **kwargs)


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^(1(\.0{1,4})?|0(\.[0-9]{1,4})?)$"})
class ProbabilityField(ExactDecimalField):
    """A probability from 0 to 1 with at most 4 places."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=5, decimal_places=4, min_value=0, max_value=1, **kwargs)


OPTIONAL: dict[str, Any] = {"required": False, "allow_null": True}

DEAL_FIELDS = [
    "id", "public_id", "reference", "source_kind", "announced_on", "licensor_name_en", "licensor_name_zh",
    "licensor_country", "licensee_name_en", "licensee_name_zh", "licensee_country", "asset_name", "modality",
    "therapeutic_area", "stage", "deal_type", "territory", "currency", "upfront", "equity", "near_term",
    "milestones_total", "total_value", "royalty_description", "royalty_low", "royalty_high", "source_url",
    "source_read_on", "notes", "upfront_usd", "total_value_usd", "usd_rate", "usd_rate_date",
]


class DealRecordSerializer(StrictModelSerializer):
    licensor_country = CountryField()
    licensee_country = CountryField()
    upfront = AmountField(**OPTIONAL)
    equity = AmountField(**OPTIONAL)
    near_term = AmountField(**OPTIONAL)
    milestones_total = AmountField(**OPTIONAL)
    total_value = AmountField(**OPTIONAL)
    royalty_low = PercentField(**OPTIONAL)
    royalty_high = PercentField(**OPTIONAL)
    source_url = serializers.URLField(max_length=500)
    source_read_on = serializers.DateField()

    class Meta:
        model = DealRecord
        fields = DEAL_FIELDS
        read_only_fields = ["id", "public_id", "source_kind", "upfront_usd", "total_value_usd", "usd_rate",
                            "usd_rate_date"]


class DealRecordUpdateSerializer(DealRecordSerializer):
    source_url = serializers.URLField(max_length=500, required=False)
    source_read_on = serializers.DateField(required=False)

    class Meta(DealRecordSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in DEAL_FIELDS}


class MarketFigureSerializer(StrictModelSerializer):
    value = AmountField()

    class Meta:
        model = MarketFigure
        fields = ["id", "public_id", "metric", "period_label", "period_start", "period_end", "scope_en", "scope_zh",
                  "value", "currency", "source_name", "source_url", "as_of"]
        read_only_fields = ["id", "public_id"]


class MarketFigureUpdateSerializer(MarketFigureSerializer):
    class Meta(MarketFigureSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in MarketFigureSerializer.Meta.fields}


class PhaseTransitionSerializer(serializers.ModelSerializer):
    # Blank is the all-areas row: the schema must list "" too, as the model field allows it.
    therapeutic_area = serializers.ChoiceField(choices=TherapeuticArea.choices, allow_blank=True, read_only=True)

    class Meta:
        model = PhaseTransition
        fields = ["id", "phase", "therapeutic_area", "probability", "source", "updated_at"]
        read_only_fields = fields


class PhaseTransitionUpdateSerializer(StrictSerializer):
    probability = ProbabilityField()
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]  # a field named source


class DealImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = DealImport
        fields = ["id", "public_id", "file_name", "file_format", "sha256", "status", "preview", "result",
                  "created_at", "imported_at"]
        read_only_fields = fields


class DealImportUploadSerializer(StrictSerializer):
    file = serializers.FileField()


class ContributionSerializer(StrictSerializer):
    agreement = serializers.IntegerField(min_value=1)


class ValuationRequestSerializer(StrictSerializer):
    start_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    launch_year = serializers.IntegerField(min_value=2000, max_value=2140)
    peak_sales = AmountField()
    discount_rate = ExactDecimalField(max_digits=6, decimal_places=4)
    years_to_peak = serializers.IntegerField(min_value=1, max_value=20, required=False)
    years_on_market = serializers.IntegerField(min_value=1, max_value=30, required=False)
    probabilities = serializers.DictField(child=ProbabilityField(), required=False)
