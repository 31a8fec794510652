"""Refusals of schema-valid requests, per operation: rules no OpenAPI schema can state. For clients, and for the
API fuzzer's allow-list (tests/fuzz/test_schemathesis.py BUSINESS_RULES).

- invalid_terms: the terms document is checked as a whole and against the agreement (apps/agreements/terms.py):
  royalty tiers contiguous from 0, JSC members and cost-sharing companies among the parties, shares summing to
  100, milestone keys unique, a sales milestone's threshold, amounts exact to the currency's places (JPY whole
  yen), the exclusivity the deal type implies, territory include/exclude that leave something.
- company_not_verified, asset_not_licensors, licensor_is_partner: the parties and assets named on creation.
- currency_locked: an amendment keeps the executed currency.
- company_required: a person who belongs to several parties says which one they act for.
"""

BUSINESS_RULES: dict[str, set[str]] = {
    "POST /api/v1/agreements/": {"invalid_terms", "company_not_verified", "asset_not_licensors",
                                 "licensor_is_partner"},
    "PATCH /api/v1/agreements/{id}/": {"invalid_terms"},
    "POST /api/v1/agreements/{id}/versions/": {"invalid_terms", "currency_locked", "company_required"},
    "POST /api/v1/agreements/{id}/approve/": {"company_required"},
    "POST /api/v1/agreements/{id}/terminate/": {"company_required"},
    "POST /api/v1/agreement-milestones/{id}/achieve/": {"company_required"},
    "POST /api/v1/agreement-milestones/{id}/confirm/": {"company_required"},
    "POST /api/v1/agreement-milestones/{id}/dispute/": {"company_required"},
}
