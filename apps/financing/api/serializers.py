"""Shapes for financing. Read shapes are built by hand from the per-row flags the selectors compute (teaser or
core, contacts or not); the declared fields document them (OpenAPI). Amounts travel as strings with exactly the
currency's places; input amounts are strings or integers, never floats (apps/agreements/money.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.agreements.money import Currency, to_str
from apps.catalog.api.serializers import TerritoryField
from apps.catalog.models import Modality, TherapeuticArea
from apps.companies.models import ACT_FOR, Company
from apps.core.api.fields import VisibleRelatedField
from apps.core.api.serializers import StrictSerializer
from apps.financing.models import (
    BookEntry,
    EntryStage,
    Instrument,
    InvestorProfile,
    PassReason,
    Round,
    RoundStage,
    RoundStatus,
)


def _dt(value: Any) -> str | None:
    return serializers.DateTimeField().to_representation(value) if value else None


class AmountField(serializers.CharField):
    """An amount as a string ("60000000.00") or an integer; floats are refused by the service, exactly."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, (bool, float)):
            raise serializers.ValidationError(_("Send amounts as strings (e.g. \"60000000.00\"), never as "
                                                "floating-point numbers."))
        if isinstance(data, int):
            return str(data)
        return super().to_internal_value(data)


class _CompanyRef(serializers.Serializer):
    id = serializers.IntegerField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


def _company(company: Company | None) -> dict[str, Any] | None:
    if company is None:
        return None
    return {"id": company.pk, "name_en": company.name_en, "name_zh": company.name_zh}


# --- investor profiles -----------------------------------------------------------------------------------

class InvestorProfileSerializer(serializers.Serializer):
    """The thesis for every reader; contact details only when `contact_visible` (own company, staff, or a
    company the investor engaged with)."""

    id = serializers.IntegerField()
    company = _CompanyRef()
    thesis_en = serializers.CharField()
    thesis_zh = serializers.CharField()
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices))
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    round_stages = serializers.ListField(child=serializers.ChoiceField(choices=RoundStage.choices))
    geographies = serializers.ListField(child=serializers.CharField(), help_text=_("ISO country codes."))
    instruments = serializers.ListField(child=serializers.ChoiceField(choices=Instrument.choices))
    ticket_min = serializers.CharField(allow_null=True)
    ticket_max = serializers.CharField(allow_null=True)
    ticket_currency = serializers.ChoiceField(choices=Currency.choices)
    contact_visible = serializers.BooleanField()
    contact_name = serializers.CharField(required=False, help_text=_("Engaged companies only."))
    contact_email = serializers.CharField(required=False, help_text=_("Engaged companies only."))
    contact_phone = serializers.CharField(required=False, help_text=_("Engaged companies only."))
    updated_at = serializers.DateTimeField()

    def to_representation(self, profile: InvestorProfile) -> dict[str, Any]:
        currency = profile.ticket_currency
        data = {
            "id": profile.pk, "company": _company(profile.company),
            "thesis_en": profile.thesis_en, "thesis_zh": profile.thesis_zh,
            "therapeutic_areas": profile.therapeutic_areas, "modalities": profile.modalities,
            "round_stages": profile.round_stages, "geographies": profile.geographies,
            "instruments": profile.instruments,
            "ticket_min": to_str(profile.ticket_min, currency), "ticket_max": to_str(profile.ticket_max, currency),
            "ticket_currency": currency, "contact_visible": bool(getattr(profile, "contact_visible", False)),
            "updated_at": _dt(profile.updated_at),
        }
        if data["contact_visible"]:
            data.update(contact_name=profile.contact_name, contact_email=profile.contact_email,
                        contact_phone=profile.contact_phone)
        return data


class InvestorProfileWriteSerializer(StrictSerializer):
    company = VisibleRelatedField(Company, ACT_FOR, required=False,
                                  help_text=_("One of your companies (needed only if you belong to several)."))
    thesis_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    thesis_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices),
                                              max_length=12, required=False)
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices), max_length=12,
                                       required=False)
    round_stages = serializers.ListField(child=serializers.ChoiceField(choices=RoundStage.choices), max_length=6,
                                         required=False)
    geographies = TerritoryField(required=False, help_text=_('Where the biotechs you fund are based: region and/or '
                                                             'country codes, e.g. ["greater_china", "SG"].'))
    instruments = serializers.ListField(child=serializers.ChoiceField(choices=Instrument.choices), max_length=4,
                                        required=False)
    ticket_min = AmountField(required=False, allow_null=True, allow_blank=True, max_length=40)
    ticket_max = AmountField(required=False, allow_null=True, allow_blank=True, max_length=40)
    ticket_currency = serializers.ChoiceField(choices=Currency.choices, required=False)
    contact_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)


# --- rounds ----------------------------------------------------------------------------------------------

_CORE = ("cap_table_summary", "financial_statements")


class _AssetRef(serializers.Serializer):
    id = serializers.IntegerField()
    code_name = serializers.CharField()


class RoundSerializer(serializers.Serializer):
    """The teaser for every reader; the protected core (marked "core") when `core_visible`; moderation details
    for the raising company and staff. Nothing here says who else is in the book, except the lead investor the
    biotech names publicly."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    access = serializers.ChoiceField(choices=["teaser", "full"])
    company = _CompanyRef()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    stage = serializers.ChoiceField(choices=RoundStage.choices)
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    target_amount = serializers.CharField()
    currency = serializers.ChoiceField(choices=Currency.choices)
    closing_date = serializers.DateField(allow_null=True)
    summary_en = serializers.CharField()
    summary_zh = serializers.CharField()
    use_of_proceeds_en = serializers.CharField()
    use_of_proceeds_zh = serializers.CharField()
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices))
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    lead_investor = _CompanyRef(allow_null=True)
    status = serializers.ChoiceField(choices=RoundStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    pre_money_valuation = serializers.CharField(required=False, allow_null=True, help_text=_("Core."))
    cap_table_summary = serializers.CharField(required=False, help_text=_("Core."))
    financial_statements = serializers.CharField(required=False, help_text=_("Core."))
    assets = _AssetRef(many=True, required=False, help_text=_("Core, detail only."))
    status_reason = serializers.CharField(required=False, help_text=_("Raising company and staff."))
    submitted_at = serializers.DateTimeField(required=False, allow_null=True,
                                             help_text=_("Raising company and staff."))
    resubmission = serializers.BooleanField(required=False, help_text=_("Raising company and staff."))

    def to_representation(self, round_: Round) -> dict[str, Any]:
        full = bool(getattr(round_, "core_visible", False))
        own = bool(getattr(round_, "is_own", False)) or bool(self.context.get("is_staff"))
        currency = round_.currency
        data: dict[str, Any] = {
            "id": round_.pk, "public_id": str(round_.public_id), "access": "full" if full else "teaser",
            "company": _company(round_.company), "name_en": round_.name_en, "name_zh": round_.name_zh,
            "stage": round_.stage, "instrument": round_.instrument,
            "target_amount": to_str(round_.target_amount, currency), "currency": currency,
            "closing_date": round_.closing_date.isoformat() if round_.closing_date else None,
            "summary_en": round_.summary_en, "summary_zh": round_.summary_zh,
            "use_of_proceeds_en": round_.use_of_proceeds_en, "use_of_proceeds_zh": round_.use_of_proceeds_zh,
            "therapeutic_areas": round_.therapeutic_areas, "modalities": round_.modalities,
            "lead_investor": _company(round_.lead_investor), "status": round_.status,
            "published_at": _dt(round_.published_at),
        }
        if full:
            data["pre_money_valuation"] = to_str(round_.pre_money_valuation, currency)
            for name in _CORE:
                data[name] = getattr(round_, name)
            if self.context.get("detail"):
                data["assets"] = [{"id": asset.pk, "code_name": asset.code_name} for asset in round_.assets.all()]
        if own:
            data.update(status_reason=round_.status_reason, submitted_at=_dt(round_.submitted_at),
                        resubmission=round_.resubmission)
        return data


class RoundWriteSerializer(StrictSerializer):
    """Input for create and update. Choices and lengths are checked here; the service normalises amounts."""

    company = VisibleRelatedField(Company, ACT_FOR, required=False,
                                  help_text=_("One of your companies (needed only if you belong to several)."))
    name_en = serializers.CharField(max_length=200)
    name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=RoundStage.choices)
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    target_amount = AmountField(max_length=40)
    currency = serializers.ChoiceField(choices=Currency.choices)
    closing_date = serializers.DateField(required=False, allow_null=True)
    summary_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    summary_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    use_of_proceeds_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    use_of_proceeds_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices),
                                              max_length=12, required=False)
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices), max_length=12,
                                       required=False)
    pre_money_valuation = AmountField(max_length=40, required=False, allow_null=True, allow_blank=True)
    cap_table_summary = serializers.CharField(max_length=8000, required=False, allow_blank=True)
    financial_statements = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    assets = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), max_length=20,
                                   required=False, help_text=_("Ids of your company's assets this round funds."))


class RoundInterestSerializer(StrictSerializer):
    message = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    company = VisibleRelatedField(Company, ACT_FOR, required=False,
                                  help_text=_("One of your companies (needed only if you belong to several)."))


class LeadSerializer(StrictSerializer):
    investor = serializers.IntegerField(allow_null=True, min_value=1, max_value=2**63 - 1,
                                        help_text=_("An investor company in the book; null un-names the lead."))


class RoundRecommendationSerializer(serializers.Serializer):
    round = RoundSerializer()
    matched = serializers.ListField(child=serializers.CharField())
    score = serializers.IntegerField()


# --- the book --------------------------------------------------------------------------------------------

class BookEntrySerializer(serializers.Serializer):
    """One investor's entry: read by that investor and the raising company (staff, read-only), never by another
    investor. The pass reason is given as a code and as a label in the reader's language."""

    id = serializers.IntegerField()
    round = serializers.IntegerField()
    round_name_en = serializers.CharField()
    round_name_zh = serializers.CharField()
    investor = _CompanyRef()
    stage = serializers.ChoiceField(choices=EntryStage.choices)
    stage_label = serializers.CharField()
    message = serializers.CharField()
    currency = serializers.ChoiceField(choices=Currency.choices)
    soft_circled_amount = serializers.CharField(allow_null=True)
    committed_amount = serializers.CharField(allow_null=True)
    pass_reason = serializers.CharField(help_text=_("A PassReason code, or empty."))
    pass_reason_label = serializers.CharField()
    pass_note = serializers.CharField()
    passed_from = serializers.CharField()
    created_at = serializers.DateTimeField()
    stage_changed_at = serializers.DateTimeField()

    def to_representation(self, entry: BookEntry) -> dict[str, Any]:
        currency = entry.round.currency
        return {
            "id": entry.pk, "round": entry.round_id, "round_name_en": entry.round.name_en,
            "round_name_zh": entry.round.name_zh, "investor": _company(entry.investor), "stage": entry.stage,
            "stage_label": str(entry.get_stage_display()), "message": entry.message, "currency": currency,
            "soft_circled_amount": to_str(entry.soft_circled_amount, currency),
            "committed_amount": to_str(entry.committed_amount, currency),
            "pass_reason": entry.pass_reason,
            "pass_reason_label": str(PassReason(entry.pass_reason).label) if entry.pass_reason else "",
            "pass_note": entry.pass_note, "passed_from": entry.passed_from,
            "created_at": _dt(entry.created_at), "stage_changed_at": _dt(entry.stage_changed_at),
        }


# The stages an entry can be moved forward to (interested is where it starts; passed has its own operation).
ENTRY_STEPS = [(stage.value, stage.label) for stage in EntryStage
               if stage not in (EntryStage.INTERESTED, EntryStage.PASSED)]


class AdvanceSerializer(StrictSerializer):
    stage = serializers.ChoiceField(choices=ENTRY_STEPS)
    committed_amount = AmountField(max_length=40, required=False, allow_null=True, allow_blank=True,
                                   help_text=_("Required when moving to committed (the investor)."))


class PassSerializer(StrictSerializer):
    reason = serializers.ChoiceField(choices=PassReason.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class SoftCircleSerializer(StrictSerializer):
    amount = AmountField(max_length=40)


class _MoneySerializer(serializers.Serializer):
    amount = serializers.CharField(allow_null=True)
    currency = serializers.CharField()


class _UsdSerializer(_MoneySerializer):
    rate = serializers.CharField(allow_null=True)
    rate_date = serializers.DateField(allow_null=True)
    missing_rate = serializers.BooleanField()


class _StageSumSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=EntryStage.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label
    entries = serializers.IntegerField()
    soft_circled = _MoneySerializer()
    soft_circled_usd = _UsdSerializer()
    committed = _MoneySerializer()
    committed_usd = _UsdSerializer()


class BookViewSerializer(serializers.Serializer):
    """The raising company's view of its book (see apps.financing.selectors.book_view)."""

    round = serializers.UUIDField()
    currency = serializers.CharField()
    rounding = serializers.CharField()
    target = _MoneySerializer()
    target_usd = _UsdSerializer()
    committed = _MoneySerializer()
    committed_usd = _UsdSerializer()
    soft_circled = _MoneySerializer()
    soft_circled_usd = _UsdSerializer()
    committed_percent_of_target = serializers.CharField(allow_null=True)
    by_stage = _StageSumSerializer(many=True)
    entries = BookEntrySerializer(many=True)
