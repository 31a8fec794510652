"""The terms document of an agreement version: validation (DRF serializers) and canonical form.

Canonical terms are plain JSON: amounts as strings with the currency's places, dates as ISO strings,
territory as a canonical include/exclude spec, lists in a stable order. The SHA-256 of their canonical JSON
is what approvals sign (models.terms_hash).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.agreements.models import MilestoneKind
from apps.agreements.money import MAX_AMOUNT, Currency, MoneyError, parse_amount, plain, to_str
from apps.catalog.models import DealType
from apps.catalog.regulatory import regulatory_event_kinds
from apps.catalog.territories import canonical_spec, territory_codes
from apps.core.api.serializers import StrictSerializer
from apps.core.errors import ValidationFailed

ALL_FIELDS = "all"  # field of use "all fields"


class Exclusivity:
    EXCLUSIVE = "exclusive"
    NON_EXCLUSIVE = "non_exclusive"
    CHOICES = [(EXCLUSIVE, _("Exclusive")), (NON_EXCLUSIVE, _("Non-exclusive"))]


class Cadence:
    CHOICES = [("monthly", _("Monthly")), ("quarterly", _("Quarterly")), ("semiannual", _("Every six months")),
               ("annual", _("Annual"))]
    MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}


AMOUNT_PATTERN = r"^[0-9]{1,18}(\.[0-9]{1,2})?$"
PERCENT_PATTERN = r"^(100(\.0{1,4})?|[0-9]{1,2}(\.[0-9]{1,4})?)$"


@extend_schema_field({"oneOf": [{"type": "string", "pattern": AMOUNT_PATTERN},
                                {"type": "integer", "minimum": 0, "maximum": int(MAX_AMOUNT)}],
                      "description": "An exact amount in the agreement's currency (JPY: whole yen), never a float"})
class AmountField(serializers.Field):
    """A money amount: string or integer (never float), checked against the terms' currency later."""

    default_error_messages = {"invalid": _("Not a valid amount.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or not isinstance(data, str | int | float):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", data):
            # Plain digits as the schema states (no exponent, spaces or "+"); sign, places and size are checked
            # with the currency, where the message can be precise.
            self.fail("invalid")
        return data  # parsed in TermsSerializer.validate(), where the currency is known

    def to_representation(self, value: Any) -> Any:
        return value


@extend_schema_field({"oneOf": [{"type": "string", "pattern": PERCENT_PATTERN},
                                {"type": "integer", "minimum": 0, "maximum": 100}],
                      "description": "A percentage between 0 and 100"})
class PercentField(serializers.Field):
    default_error_messages = {
        "invalid": _("Send percentages as strings (e.g. \"12.5\")."),
        "range": _("A percentage is between 0 and 100."),
        "places": _("At most 4 decimal places."),
    }

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool | float) or not isinstance(data, str | int):
            self.fail("invalid")
        if isinstance(data, str) and not re.fullmatch(r"[0-9]+(\.[0-9]+)?", data):
            self.fail("invalid")  # plain digits, as the schema states (no sign, exponent or spaces)
        try:
            value = Decimal(str(data).strip())
        except (InvalidOperation, ValueError):
            self.fail("invalid")
        if not value.is_finite() or value < 0 or value > 100:
            self.fail("range")
        if value != value.quantize(Decimal("0.0001")):
            self.fail("places")
        return value

    def to_representation(self, value: Any) -> Any:
        return value


class MilestoneKindField(serializers.ChoiceField):
    """development, regulatory or sales (a net sales threshold): MilestoneKindEnum in the schema (named in
    ENUM_NAME_OVERRIDES, so it does not collide with the other apps' "kind" choices). An inline allOf-wrapped enum
    made generated clients build an object type for a string."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=MilestoneKind.choices, **kwargs)


class MilestoneTermsSerializer(StrictSerializer):
    key = serializers.CharField(max_length=40, help_text=_("Stable within the agreement: versions are compared and "
                                                           "amendments applied milestone by milestone, by key."))
    kind = MilestoneKindField()
    description = serializers.CharField(max_length=300)
    amount = AmountField()
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    regulatory_event = serializers.ChoiceField(choices=[(kind, kind) for kind in regulatory_event_kinds()],
                                               required=False, allow_blank=True)
    sales_threshold = AmountField(required=False, allow_null=True)


class RoyaltyTierSerializer(StrictSerializer):
    from_net_sales = AmountField()
    to_net_sales = AmountField(required=False, allow_null=True)
    rate = PercentField()


class CostShareSerializer(StrictSerializer):
    company = serializers.IntegerField(min_value=1)
    share = PercentField()


class JscMemberSerializer(StrictSerializer):
    company = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=120)
    title = serializers.CharField(max_length=120, required=False, allow_blank=True)


class GovernanceSerializer(StrictSerializer):
    jsc_members = JscMemberSerializer(many=True)
    meeting_cadence = serializers.ChoiceField(choices=Cadence.CHOICES)
    first_meeting = serializers.DateField(required=False, allow_null=True)


class TermSerializer(StrictSerializer):
    years = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


_TERRITORY_CODE = {"type": "string", "enum": territory_codes()}


@extend_schema_field(_TERRITORY_CODE)
class TerritoryCodeField(serializers.CharField):
    """A region code (lower case) or an ISO country code, as the canonical terms spell them."""


@extend_schema_field({
    "description": "Region codes (lower case, e.g. \"worldwide_ex_greater_china\") and ISO country codes: one code, "
                   "a list, or {\"include\": [...], \"exclude\": [...]}",
    "oneOf": [_TERRITORY_CODE, {"type": "array", "items": _TERRITORY_CODE, "minItems": 1},
              {"type": "object", "additionalProperties": False, "required": ["include"],
               "properties": {"include": {"type": "array", "items": _TERRITORY_CODE, "minItems": 1},
                              "exclude": {"type": "array", "items": _TERRITORY_CODE}}}]})
class TerritoryField(serializers.JSONField):
    pass


class TermsSerializer(StrictSerializer):
    """The whole terms document. `context` needs deal_type and party_company_ids."""

    territory = TerritoryField()
    field_of_use = serializers.ListField(child=serializers.CharField(max_length=64), min_length=1, max_length=30,
                                         help_text=_("Fields of use, e.g. \"oncology\"; \"all\" for every field."))
    exclusivity = serializers.ChoiceField(choices=Exclusivity.CHOICES)
    term = TermSerializer(required=False)
    effective_date = serializers.DateField(required=False, allow_null=True)
    currency = serializers.ChoiceField(choices=Currency.choices)
    upfront = AmountField()
    equity_investment = AmountField(required=False, allow_null=True)
    # max_length on many=True is DRF's ListSerializer option; the stubs do not know it.
    milestones = MilestoneTermsSerializer(many=True, required=False, max_length=100)  # type: ignore[call-arg]
    royalty_tiers = RoyaltyTierSerializer(many=True, required=False, max_length=20)  # type: ignore[call-arg]
    cost_sharing = CostShareSerializer(many=True, required=False, max_length=10)  # type: ignore[call-arg]
    # null reads as "no governance", as the canonical terms say it: what the API answers, it accepts back.
    governance = GovernanceSerializer(required=False, allow_null=True)

    def validate_territory(self, value: Any) -> dict[str, list[str]]:
        try:
            return canonical_spec(value)
        except ValidationFailed as exc:
            raise serializers.ValidationError(str(exc.message)) from None

    def validate_field_of_use(self, value: list[str]) -> list[str]:
        # Compared across agreements for exclusivity: one spelling per field ("Oncology " == "oncology").
        fields = sorted({" ".join(item.lower().split()) for item in value})
        if ALL_FIELDS in fields and len(fields) > 1:
            raise serializers.ValidationError(_("\"all\" covers every field; list it alone."))
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        currency = attrs["currency"]
        deal_type = self.context.get("deal_type")
        parties = set(self.context.get("party_company_ids") or ())

        def money(value: Any, path: str, allow_zero: bool = True) -> str | None:
            try:
                return to_str(parse_amount(value, currency, allow_zero=allow_zero), currency)
            except MoneyError as exc:
                errors[path] = [str(exc.message)]
                return None

        out: dict[str, Any] = {
            "territory": attrs["territory"],
            "field_of_use": attrs["field_of_use"],
            "exclusivity": attrs["exclusivity"],
            "currency": currency,
            "upfront": money(attrs["upfront"], "upfront"),
            "equity_investment": (money(attrs["equity_investment"], "equity_investment")
                                  if attrs.get("equity_investment") is not None else None),
            "effective_date": _iso(attrs.get("effective_date")),
            "term": {"years": (attrs.get("term") or {}).get("years"),
                     "description": (attrs.get("term") or {}).get("description", "")},
        }

        if deal_type == DealType.EXCLUSIVE_LICENSE and attrs["exclusivity"] != Exclusivity.EXCLUSIVE:
            errors["exclusivity"] = [_("An exclusive licence must be exclusive.")]
        if deal_type == DealType.NON_EXCLUSIVE_LICENSE and attrs["exclusivity"] != Exclusivity.NON_EXCLUSIVE:
            errors["exclusivity"] = [_("A non-exclusive licence cannot be exclusive.")]

        # Milestones: unique keys, the agreement's currency, non-negative amounts.
        milestones = []
        seen: set[str] = set()
        for index, item in enumerate(attrs.get("milestones") or []):
            path = f"milestones[{index}]"
            if item["key"] in seen:
                errors[f"{path}.key"] = [_("Each milestone needs its own key.")]
            seen.add(item["key"])
            if item.get("currency") and item["currency"] != currency:
                errors[f"{path}.currency"] = [
                    _("Milestones are paid in the agreement's currency (%(currency)s).") % {"currency": currency}]
            threshold = None
            if item["kind"] == MilestoneKind.SALES:
                if item.get("sales_threshold") is None:
                    errors[f"{path}.sales_threshold"] = [_("A sales milestone needs a net sales threshold.")]
                else:
                    threshold = money(item["sales_threshold"], f"{path}.sales_threshold", allow_zero=False)
            elif item.get("sales_threshold") is not None:
                errors[f"{path}.sales_threshold"] = [_("Only sales milestones have a net sales threshold.")]
            if item.get("regulatory_event") and item["kind"] != MilestoneKind.REGULATORY:
                errors[f"{path}.regulatory_event"] = [_("Only regulatory milestones link to a regulatory event.")]
            milestones.append({
                "key": item["key"], "kind": item["kind"], "description": item["description"],
                "amount": money(item["amount"], f"{path}.amount"),
                "due_date": _iso(item.get("due_date")),
                "regulatory_event": item.get("regulatory_event") or "",
                "sales_threshold": threshold,
            })
        out["milestones"] = sorted(milestones, key=lambda m: m["key"])

        out["royalty_tiers"] = self._royalty_tiers(attrs.get("royalty_tiers") or [], money, errors)

        # Cost sharing: co-development only, one share per party, summing to exactly 100.
        sharing = attrs.get("cost_sharing") or []
        if deal_type == DealType.CO_DEVELOPMENT and not sharing:
            errors["cost_sharing"] = [_("A co-development agreement needs a cost-sharing split.")]
        if sharing:
            companies = [item["company"] for item in sharing]
            if len(set(companies)) != len(companies):
                errors["cost_sharing"] = [_("Each party appears once in the cost-sharing split.")]
            elif parties and set(companies) != parties:
                errors["cost_sharing"] = [_("The cost-sharing split must name every party, and only parties.")]
            elif sum(item["share"] for item in sharing) != Decimal(100):
                errors["cost_sharing"] = [_("The cost-sharing shares must add up to 100.")]
        out["cost_sharing"] = sorted(({"company": item["company"], "share": plain(item["share"])}
                                      for item in sharing), key=lambda s: s["company"])

        governance = attrs.get("governance")
        if governance:
            members = governance["jsc_members"]
            member_companies = {m["company"] for m in members}
            if parties and not member_companies <= parties:
                errors["governance.jsc_members"] = [_("JSC members come from the parties.")]
            elif parties and member_companies != parties:
                errors["governance.jsc_members"] = [_("The JSC needs at least one member from each party.")]
            out["governance"] = {
                "jsc_members": sorted(({"company": m["company"], "name": m["name"], "title": m.get("title", "")}
                                       for m in members), key=lambda m: (m["company"], m["name"])),
                "meeting_cadence": governance["meeting_cadence"],
                "first_meeting": _iso(governance.get("first_meeting")),
            }
        else:
            out["governance"] = None

        if errors:
            raise serializers.ValidationError(errors)
        return out

    @staticmethod
    def _royalty_tiers(tiers: list[dict[str, Any]], money: Any, errors: dict[str, Any]) -> list[dict[str, Any]]:
        """Tiers as given (order matters): from 0, each starting where the previous ends, thresholds increasing."""
        out: list[dict[str, Any]] = []
        previous_upper: Decimal | None = Decimal(0)
        for index, tier in enumerate(tiers):
            path = f"royalty_tiers[{index}]"
            lower_s = money(tier["from_net_sales"], f"{path}.from_net_sales")
            upper_s = (money(tier["to_net_sales"], f"{path}.to_net_sales")
                       if tier.get("to_net_sales") is not None else None)
            out.append({"from_net_sales": lower_s, "to_net_sales": upper_s, "rate": plain(tier["rate"])})
            if lower_s is None or (tier.get("to_net_sales") is not None and upper_s is None):
                previous_upper = None
                continue
            lower = Decimal(lower_s)
            upper = Decimal(upper_s) if upper_s is not None else None
            if upper is not None and upper <= lower:
                errors[path] = [_("A tier must end above where it starts.")]
            elif previous_upper is None and index > 0 and out[index - 1]["to_net_sales"] is None:
                errors[path] = [_("Only the last tier may be open-ended.")]
            elif previous_upper is not None and lower < previous_upper:
                if index > 0 and lower < Decimal(out[index - 1]["from_net_sales"] or 0):
                    errors[path] = [_("Royalty tiers go backwards: each tier must start above the previous one.")]
                else:
                    errors[path] = [_("Royalty tiers overlap: this tier starts before the previous one ends.")]
            elif previous_upper is not None and lower > previous_upper:
                errors[path] = [_("Royalty tiers leave a gap: this tier must start where the previous one ends.")]
            previous_upper = upper
        return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def validate_terms(data: Any, *, deal_type: str, party_company_ids: list[int] | set[int]) -> dict[str, Any]:
    """Validate a terms document and return its canonical form; raises DRF ValidationError (→ 400)."""
    serializer = TermsSerializer(data=data, context={"deal_type": deal_type,
                                                     "party_company_ids": set(party_company_ids)})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
