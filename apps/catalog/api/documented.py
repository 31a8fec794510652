"""Refusals of schema-valid requests, per operation: rules that tie one field to another, which the OpenAPI
schema does not state. For clients, and for the API fuzzer's allow-list (tests/fuzz/test_schemathesis.py
BUSINESS_RULES): a 400 passes there when its code, or every field it names, is listed here."""

from django.utils.translation import gettext_lazy as _

BUSINESS_RULES: dict[str, set[str]] = {
    # A "designation" event names its designation (and "other" names it in words); no other event names one;
    # the agency "other" is named in words (apps.catalog.services.regulatory_event_record).
    "POST /api/v1/regulatory-events/": {"designation", "designation_name", "agency_name"},
    # stage_min must not come after stage_max (apps.catalog.services.interest_profile_save).
    "POST /api/v1/interest-profiles/": {"reversed_range"},
    "PATCH /api/v1/interest-profiles/{id}/": {"reversed_range"},
    # The same for the discovery filter (apps.catalog.api.filters.AssetFilter); and ordering by created_at or
    # updated_at, core fields, is refused to a reader who sees any listed asset as a teaser only.
    "GET /api/v1/assets/": {"reversed_range", "ordering"},
}

ERROR_CODES = {
    "company_not_verified": _("The company is not verified yet: staff verify a company before it can do this."),
    "unknown_choice": _("A value is not one of the choices the schema lists for this field."),
    "invalid_territory": _("A territory is made of region codes (GET /api/v1/regions/) and ISO country codes."),
    "unknown_territory": _("A territory names a region or country that does not exist."),
    "reversed_range": _("The range is reversed: its end comes before its start."),
    "duplicate_code_name": _("Your company already lists an asset with this code name."),
    "duplicate_patent": _("This patent is already recorded for the asset."),
    "not_editable": _("The listing cannot be edited in its current state (submitted, published or archived)."),
    "teaser_incomplete": _("The teaser lacks what a listing needs before review; `fields` names what is missing."),
    "invalid_transition": _("The listing's current status does not allow this step."),
    "already_watched": _("The asset is already on your watchlist."),
    "already_interested": _("Your company has already expressed interest in this asset."),
    "not_published": _("The asset is not published."),
    "not_a_partner": _("Only a verified company other than the owner may do this."),
}

FIELD_EXAMPLES = {
    "code_name": "LMN-2201",
    "asset_code_name": "LMN-2201",
    "inn": "lumitamab",
    "Asset.name_en": "Tetravalent PD-1×VEGF bispecific antibody",
    "Asset.name_zh": "四价PD-1×VEGF双特异性抗体",
    "summary_en": "First-in-class PD-1×VEGF bispecific antibody. Phase 2 in first-line non-small cell lung cancer "
                  "with a 48% objective response rate; rights available worldwide outside Greater China.",
    "summary_zh": "首创PD-1×VEGF双特异性抗体，一线非小细胞肺癌二期研究客观缓解率48%；大中华区以外的全球权益可授权。",
    "description_en": "Tetravalent IgG1 bispecific; 180 patients dosed across phase 1 and 2.",
    "description_zh": "四价IgG1双特异性抗体；一期和二期共入组180名患者。",
    "targets": ["PD-1", "VEGF-A"],
    "mechanism": "Blocks PD-1 on T cells and neutralises VEGF-A in the tumour microenvironment.",
    "indications": ["non-small cell lung cancer", "hepatocellular carcinoma"],
    "indication": "non-small cell lung cancer",
    "Asset.territories": {"include": ["worldwide_ex_greater_china"], "exclude": ["FR"]},
    "Asset.territory_countries": ["DE", "GB", "JP", "US"],
    "territories_region": "worldwide_ex_greater_china",
    "territories": "worldwide_ex_greater_china",
    "status_reason": "",
    "family": "LMN-2201-F1",
    "Patent.number": "US11234567B2",
    "AssetPatent.number": "US11234567B2",
    "AssetPatent.jurisdiction": "US",
    "agency_name": "National Medical Products Administration",
    "designation_name": "Breakthrough therapy",
    "note": "Breakthrough designation in first-line NSCLC.",
    "sent_by": "Nora Northbridge",
    "Interest.message": "Northbridge is interested in US and EU rights for first-line NSCLC.",
    "InterestCreate.message": "Northbridge is interested in US and EU rights for first-line NSCLC.",
    "Region.code": "greater_china",
    "Region.name": "Greater China",
    "Region.countries": ["CN", "HK", "MO", "TW"],
    "Recommendation.matched": ["therapeutic_areas", "modalities", "stage", "territories"],
    "reason": "The summary overstates the response rate; please cite the data cut-off.",
}
