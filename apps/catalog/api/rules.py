"""Refusals of schema-valid requests, per operation: rules that tie one field to another, which the OpenAPI
schema does not state. For clients, and for the API fuzzer's allow-list (tests/fuzz/test_schemathesis.py
BUSINESS_RULES): a 400 passes there when its code, or every field it names, is listed here."""

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
