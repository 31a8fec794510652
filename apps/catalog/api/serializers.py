"""Asset serializers. Reads pick the teaser or the full listing per row from the `confidential_visible`
flag computed in SQL for the whole page (apps.catalog.selectors.with_access_flags): no query per row."""

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.catalog.models import (
    Agency,
    Asset,
    AssetStatus,
    DealType,
    Designation,
    ExpressionOfInterest,
    InterestProfile,
    Modality,
    Patent,
    RegulatoryEvent,
    RegulatoryEventType,
    Stage,
    TherapeuticArea,
    WatchlistEntry,
)
from apps.catalog.services import PATENT_OFFICES
from apps.catalog.territories import MAX_TOKENS, REGIONS, Territory, spec_pattern, spellings, territory_codes
from apps.companies.models import ACT_FOR, Company
from apps.core.api.fields import VisibleRelatedField
from apps.core.api.serializers import StrictModelSerializer, StrictSerializer
from apps.core.countries import COUNTRY_CODES

# Patent jurisdictions: ISO country codes and the regional offices, upper or lower case (stored upper case).
JURISDICTIONS = sorted({code for office in COUNTRY_CODES | PATENT_OFFICES for code in (office, office.lower())})


# The schema lists each code once, canonically spelled (TerritoryCodeEnum); the API accepts either case.
_TERRITORY_TOKEN = {"type": "string", "enum": territory_codes()}
_TERRITORY_TEXT = {"type": "string", "pattern": spec_pattern(),
                   "description": "Region and country codes separated by commas."}
_TERRITORY_LIST = {"type": "array", "items": _TERRITORY_TOKEN, "maxItems": MAX_TOKENS}
_TERRITORY_PART = {"oneOf": [_TERRITORY_TEXT, _TERRITORY_LIST]}
TERRITORY_SCHEMA = {"oneOf": [
    _TERRITORY_TEXT,
    _TERRITORY_LIST,
    {"type": "object", "additionalProperties": False,
     "properties": {"include": _TERRITORY_PART, "exclude": _TERRITORY_PART}},
]}
_SPEC = re.compile(spec_pattern())
_SPELLINGS = frozenset(spellings())


@extend_schema_field({"type": "object", "additionalProperties": False, "required": ["include"],
                      "properties": {"include": _TERRITORY_LIST, "exclude": _TERRITORY_LIST}})
class TerritorySpecField(serializers.JSONField):
    """Read shape of a territory (Territory.spec()): a valid TerritoryField input."""


@extend_schema_field(TERRITORY_SCHEMA)
class TerritoryField(serializers.JSONField):
    """A territory spec: "worldwide_ex_greater_china", ["eu", "JP"] or {"include": [...], "exclude": [...]}.
    Only the shapes the schema states are accepted; the service resolves them to country codes."""

    default_error_messages = {"invalid_territory": _("A territory is made of region codes and ISO country codes.")}

    def _check_part(self, value: Any) -> None:
        if isinstance(value, str):
            if not _SPEC.search(value):
                self.fail("invalid_territory")
        elif isinstance(value, list):
            if len(value) > MAX_TOKENS or not all(isinstance(token, str) and token in _SPELLINGS for token in value):
                self.fail("invalid_territory")
        else:
            self.fail("invalid_territory")

    def to_internal_value(self, data: Any) -> Any:
        value = super().to_internal_value(data)
        if isinstance(value, dict):
            if set(value) - {"include", "exclude"}:
                self.fail("invalid_territory")
            for part in value.values():
                self._check_part(part)
        else:
            self._check_part(value)
        return value


def _dt(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def _regions_by_countries() -> dict[frozenset[str], str]:
    lookup: dict[frozenset[str], str] = {}
    for code, region in REGIONS.items():
        lookup.setdefault(region.countries, code)  # the first region (in REGIONS order) with these countries
    return lookup


_REGION_BY_COUNTRIES = _regions_by_countries()  # one dict lookup per row, not a scan of every region


def _region(codes: list[str]) -> str | None:
    return _REGION_BY_COUNTRIES.get(frozenset(codes))


class RegulatoryEventSerializer(StrictModelSerializer):
    # Only assets whose core the caller can read are valid targets; the rest read as nonexistent (404).
    asset = VisibleRelatedField(Asset, "view_confidential")
    agency = serializers.ChoiceField(choices=Agency.choices)
    event_type = serializers.ChoiceField(choices=RegulatoryEventType.choices)
    designation = serializers.ChoiceField(choices=Designation.choices, required=False, allow_blank=True)

    class Meta:
        model = RegulatoryEvent
        fields = ["id", "asset", "agency", "agency_name", "event_type", "designation", "designation_name", "date",
                  "indication", "note", "created_at"]
        read_only_fields = ["created_at"]


def jurisdiction_codes() -> list[str]:
    """Each patent jurisdiction once, upper case: the schema's JurisdictionEnum."""
    return sorted(COUNTRY_CODES | PATENT_OFFICES)


@extend_schema_field({"type": "string", "enum": jurisdiction_codes()})
class JurisdictionField(serializers.ChoiceField):
    """Accepts upper or lower case (JURISDICTIONS); the schema lists each code once, so generated clients get one
    enum member per jurisdiction."""


class PatentSerializer(StrictModelSerializer):
    asset = VisibleRelatedField(Asset, "view_confidential")
    jurisdiction = JurisdictionField(choices=JURISDICTIONS, help_text=_(
        "ISO country code, or EP, WO, EA, AP, OA (either case; stored upper case)."))

    class Meta:
        model = Patent
        fields = ["id", "asset", "family", "jurisdiction", "number", "expiry", "created_at"]
        read_only_fields = ["created_at"]


def _event_dict(event: RegulatoryEvent) -> dict[str, Any]:
    return {"id": event.pk, "agency": event.agency, "agency_name": event.agency_name,
            "event_type": event.event_type, "designation": event.designation,
            "designation_name": event.designation_name, "date": event.date.isoformat(),
            "indication": event.indication, "note": event.note}


def _patent_dict(patent: Patent) -> dict[str, Any]:
    return {"id": patent.pk, "family": patent.family, "jurisdiction": patent.jurisdiction, "number": patent.number,
            "expiry": patent.expiry.isoformat() if patent.expiry else None}


class AssetRegulatoryEventSerializer(serializers.Serializer):
    """A regulatory event inside its asset's detail (the asset is the one around it)."""

    id = serializers.IntegerField()
    agency = serializers.ChoiceField(choices=Agency.choices)
    agency_name = serializers.CharField(allow_blank=True)
    event_type = serializers.ChoiceField(choices=RegulatoryEventType.choices)
    designation = serializers.ChoiceField(choices=Designation.choices, allow_blank=True)
    designation_name = serializers.CharField(allow_blank=True)
    date = serializers.DateField()
    indication = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class AssetPatentSerializer(serializers.Serializer):
    """A patent inside its asset's detail (the asset is the one around it)."""

    id = serializers.IntegerField()
    family = serializers.CharField()
    jurisdiction = serializers.CharField()
    number = serializers.CharField()
    expiry = serializers.DateField(allow_null=True)


class _OwnerCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()


# The columns of a list page, read with `.values()` (no model instance per row) and shaped by asset_row_data;
# stage_rank is there for the cursor when ordering by stage.
ASSET_ROW_COLUMNS = (
    "id", "public_id", "code_name", "modality", "stage", "stage_rank", "therapeutic_areas", "territories",
    "deal_types", "summary_en", "summary_zh", "status", "published_at", "inn", "name_en", "name_zh",
    "description_en", "description_zh", "targets", "mechanism", "indications", "created_at", "updated_at",
    "status_reason", "submitted_at", "resubmission", "owner_company_id", "owner_company__name_en",
    "owner_company__name_zh", "confidential_visible", "is_owner",
)
_CORE_FIELDS = ("inn", "name_en", "name_zh", "description_en", "description_zh", "targets", "mechanism",
                "indications")


def territory_spec(codes: list[str]) -> dict[str, list[str]]:
    """Stored country codes → the named regions and exclusions they amount to (apps.catalog.territories)."""
    return Territory(codes).spec()


def asset_row_data(row: Any, *, is_staff: bool, expand_territories: bool = False) -> dict[str, Any]:
    """The read shape from one `.values(*ASSET_ROW_COLUMNS)` row: the teaser, the core when
    `confidential_visible`, moderation details for the owner company and staff. The one place the shape is
    built: AssetSerializer feeds it a model instance's values."""
    full = bool(row["confidential_visible"])
    data: dict[str, Any] = {
        "id": row["id"],
        "public_id": str(row["public_id"]),
        "access": "full" if full else "teaser",
        "code_name": row["code_name"],
        "modality": row["modality"],
        "stage": row["stage"],
        "therapeutic_areas": row["therapeutic_areas"],
        "territories": territory_spec(row["territories"]),
        "territories_region": _region(row["territories"]),
        "deal_types": row["deal_types"],
        "summary_en": row["summary_en"],
        "summary_zh": row["summary_zh"],
        "status": row["status"],
        "published_at": _dt(row["published_at"]),
    }
    if expand_territories:
        data["territory_countries"] = list(row["territories"])
    if not full:
        return data
    data["owner_company"] = {"id": row["owner_company_id"], "name_en": row["owner_company__name_en"],
                             "name_zh": row["owner_company__name_zh"]}
    for name in _CORE_FIELDS:
        data[name] = row[name]
    data["created_at"] = _dt(row["created_at"])
    data["updated_at"] = _dt(row["updated_at"])
    if row["is_owner"] or is_staff:
        data.update({"status_reason": row["status_reason"], "submitted_at": _dt(row["submitted_at"]),
                     "resubmission": row["resubmission"]})
    return data


class _InstanceRow:
    """A model instance read like a `.values()` row (owner company only touched for a full row)."""

    __slots__ = ("asset",)

    def __init__(self, asset: Asset) -> None:
        self.asset = asset

    def __getitem__(self, name: str) -> Any:
        if name in ("confidential_visible", "is_owner"):
            return getattr(self.asset, name, False)
        if name.startswith("owner_company__"):
            return getattr(self.asset.owner_company, name.removeprefix("owner_company__"))
        return getattr(self.asset, name)


class AssetSerializer(serializers.Serializer):
    """Read shape: the teaser for everyone who may see the asset; the core when `confidential_visible`;
    moderation details for the owner company and staff. Built by hand: list pages are hot (B1, B2).
    The declared fields document the shape (OpenAPI); fields marked "core" are absent from a teaser."""

    id = serializers.IntegerField()
    public_id = serializers.UUIDField()
    access = serializers.ChoiceField(choices=["teaser", "full"])
    code_name = serializers.CharField()
    modality = serializers.ChoiceField(choices=Modality.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices))
    territories = TerritorySpecField(help_text=_(
        "Where rights are available, as named regions and exclusions: {\"include\": [\"worldwide\"], \"exclude\": "
        "[\"greater_china\"]}. Send it back as is to keep it."))
    territory_countries = serializers.ListField(
        child=serializers.CharField(), required=False,
        help_text=_("The same territory as ISO country codes; only with ?expand=territories."))
    territories_region = serializers.CharField(allow_null=True, help_text=_("The named region, if exactly one."))
    deal_types = serializers.ListField(child=serializers.ChoiceField(choices=DealType.choices))
    summary_en = serializers.CharField()
    summary_zh = serializers.CharField()
    status = serializers.ChoiceField(choices=AssetStatus.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    owner_company = _OwnerCompanySerializer(required=False, help_text=_("Core."))
    inn = serializers.CharField(required=False, help_text=_("Core."))
    name_en = serializers.CharField(required=False, help_text=_("Core."))
    name_zh = serializers.CharField(required=False, help_text=_("Core."))
    description_en = serializers.CharField(required=False, help_text=_("Core."))
    description_zh = serializers.CharField(required=False, help_text=_("Core."))
    targets = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Core."))
    mechanism = serializers.CharField(required=False, help_text=_("Core."))
    indications = serializers.ListField(child=serializers.CharField(), required=False, help_text=_("Core."))
    created_at = serializers.DateTimeField(required=False, help_text=_("Core."))
    updated_at = serializers.DateTimeField(required=False, help_text=_("Core."))
    status_reason = serializers.CharField(required=False, help_text=_("Owner company and staff."))
    submitted_at = serializers.DateTimeField(required=False, allow_null=True,
                                             help_text=_("Owner company and staff."))
    resubmission = serializers.BooleanField(required=False, help_text=_("Owner company and staff."))
    regulatory_events = AssetRegulatoryEventSerializer(many=True, required=False,
                                                         help_text=_("Core, detail only."))
    patents = AssetPatentSerializer(many=True, required=False, help_text=_("Core, detail only."))

    def to_representation(self, asset: Asset) -> dict[str, Any]:
        data = asset_row_data(_InstanceRow(asset), is_staff=bool(self.context.get("is_staff")),
                              expand_territories=bool(self.context.get("expand_territories")))
        if self.context.get("detail") and data["access"] == "full":
            data["regulatory_events"] = [_event_dict(event) for event in asset.regulatory_events.all()]
            data["patents"] = [_patent_dict(patent) for patent in asset.patents.all()]
        return data


class AssetWriteSerializer(StrictSerializer):
    """Input for create and update. Choices and lengths are checked here; the service normalises."""

    owner_company = VisibleRelatedField(Company, required=False)
    code_name = serializers.CharField(max_length=40)
    inn = serializers.CharField(max_length=120, required=False, allow_blank=True)
    modality = serializers.ChoiceField(choices=Modality.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    summary_en = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    summary_zh = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices),
                                              max_length=10, required=False)
    deal_types = serializers.ListField(child=serializers.ChoiceField(choices=DealType.choices), max_length=6,
                                       required=False)
    territories = TerritoryField(required=False, help_text=_(
        'Region and/or country codes: "worldwide_ex_greater_china", ["eu", "JP"], or '
        '{"include": ["worldwide"], "exclude": ["greater_china"]}.'))
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description_en = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    description_zh = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    targets = serializers.ListField(child=serializers.CharField(max_length=60), max_length=20, required=False)
    mechanism = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    indications = serializers.ListField(child=serializers.CharField(max_length=200), max_length=30, required=False)


class InterestCreateSerializer(StrictSerializer):
    message = serializers.CharField(max_length=4000)
    # One of the caller's own companies; any other reads as nonexistent (not "not a partner").
    company = VisibleRelatedField(Company, ACT_FOR, required=False)


class InterestSerializer(serializers.ModelSerializer):
    asset_code_name = serializers.CharField(source="asset.code_name", read_only=True)
    company_name_en = serializers.CharField(source="company.name_en", read_only=True)
    company_name_zh = serializers.CharField(source="company.name_zh", read_only=True)
    sent_by = serializers.CharField(source="created_by.full_name", read_only=True)

    class Meta:
        model = ExpressionOfInterest
        fields = ["id", "asset", "asset_code_name", "company", "company_name_en", "company_name_zh", "sent_by",
                  "message", "created_at"]
        read_only_fields = fields


class WatchlistEntrySerializer(serializers.ModelSerializer):
    asset_code_name = serializers.CharField(source="asset.code_name", read_only=True)

    class Meta:
        model = WatchlistEntry
        fields = ["id", "asset", "asset_code_name", "created_at"]
        read_only_fields = fields


class InterestProfileSerializer(StrictModelSerializer):
    company = VisibleRelatedField(Company)
    therapeutic_areas = serializers.ListField(child=serializers.ChoiceField(choices=TherapeuticArea.choices),
                                              max_length=10, required=False)
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices), max_length=11,
                                       required=False)
    deal_types = serializers.ListField(child=serializers.ChoiceField(choices=DealType.choices), max_length=6,
                                       required=False)
    territories = TerritoryField(required=False)
    stage_min = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)
    stage_max = serializers.ChoiceField(choices=Stage.choices, required=False, allow_blank=True)

    class Meta:
        model = InterestProfile
        fields = ["id", "company", "therapeutic_areas", "modalities", "stage_min", "stage_max", "territories",
                  "deal_types", "updated_at"]
        read_only_fields = ["updated_at"]


class RecommendationSerializer(serializers.Serializer):
    asset = AssetSerializer()
    matched = serializers.ListField(child=serializers.CharField())
    score = serializers.IntegerField()


class RegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    countries = serializers.ListField(child=serializers.CharField())
    emerging_market = serializers.BooleanField()


__all__ = ["AssetStatus"]
