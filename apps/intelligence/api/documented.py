"""What clients need to know beyond the schema's types: the codes deal intelligence answers with, and examples."""

from django.utils.translation import gettext_lazy as _

# Refusals of schema-valid requests that tie one field to another or depend on stored data, which the OpenAPI
# schema cannot state (tests/fuzz/test_schemathesis.py BUSINESS_RULES: a 400 passes when its code, or every field
# it names, is listed here).
BUSINESS_RULES: dict[str, set[str]] = {
    # The highest royalty tier is not below the lowest, the total value not below the upfront
    # (DealRecord.clean); a reference is unique among the records.
    "POST /api/v1/intelligence/deals/": {"royalty_high", "total_value", "reference"},
    "PATCH /api/v1/intelligence/deals/{id}/": {"royalty_high", "total_value", "reference"},
    # A count has no currency and an amount needs one; the period does not end before it starts
    # (MarketFigure.clean).
    "POST /api/v1/intelligence/market-figures/": {"currency", "period_end"},
    "PATCH /api/v1/intelligence/market-figures/{id}/": {"currency", "period_end"},
}

ERROR_CODES = {
    "staff_only": _("Only platform staff curate deal intelligence (records, imports, market figures, defaults)."),
    "platform_deal": _("A deal contributed from an agreement on the platform is never edited by hand."),
    "import_format": _("Upload a .csv or .xlsx file."),
    "import_encoding": _("A CSV file must be UTF-8 text."),
    "import_unreadable": _("The file could not be read in its format."),
    "import_columns": _("The header row names unknown columns or misses required ones; `fields` lists both."),
    "import_too_big": _("The file is larger than 5 MB or has more than 5,000 rows."),
    "import_has_errors": _("Some rows have errors (see the preview): fix them and upload the file again."),
    "already_imported": _("This file was already imported."),
    "invalid_parameters": _("A filter or grouping is unknown: `fields` names each one and what is accepted."),
    "parties_only": _("Only members of the agreement's parties see its comparables and valuation."),
    "no_terms": _("The agreement has no term-sheet version or no asset yet."),
    "invalid_valuation": _("The valuation inputs do not fit together: `fields` says which and why."),
    "not_signatory": _("Only an owner or admin of a party may consent (or withdraw consent) for it."),
    "not_executed": _("Only an executed agreement in force can be contributed to statistics."),
    "already_consented": _("Your company already consented."),
    "not_consented": _("Your company has not consented, so there is nothing to withdraw."),
    "already_released": _("The deal is already part of the statistics and can no longer be withdrawn."),
}

FIELD_EXAMPLES = {
    # Qualified by component: other apps give "reference" examples of their own shape.
    "DealRecord.reference": "2023-hansoh-gsk-hs20093",
    "DealRecordUpdate.reference": "2023-hansoh-gsk-hs20093",
    "source_kind": "public",
    "announced_on": "2023-12-20",
    "licensor_name_en": "Hansoh Pharma",
    "licensor_name_zh": "",
    "licensor_country": "CN",
    "licensee_name_en": "GSK",
    "licensee_name_zh": "",
    "licensee_country": "GB",
    "asset_name": "HS-20093 (B7-H3 ADC)",
    "therapeutic_area": "oncology",
    "territory": "worldwide_ex_greater_china",
    "upfront": "185000000.00",
    "equity": "100000000.00",
    "near_term": "500000000.00",
    "milestones_total": "1525000000.00",
    "total_value": "1710000000.00",
    "royalty_description": "Tiered royalties on net sales outside Greater China",
    "royalty_low": "10.0000",
    "royalty_high": "15.0000",
    "source_url": "https://www.marketscreener.com/quote/stock/GSK-PLC-9590199/news/",
    "source_read_on": "2026-11-30",
    "notes": "In phase 1 and phase 2 trials in China at signing.",
    "upfront_usd": "185000000.00",
    "total_value_usd": "1710000000.00",
    "usd_rate": "1.00000000",
    "usd_rate_date": None,
    "metric": "upfront_total",
    "period_label": "2024",
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "scope_en": "Upfront payments of China out-licensing deals",
    "scope_zh": "中国创新药对外许可交易首付款",
    "MarketFigure.value": "3940000000.00",
    "MarketFigureUpdate.value": "3940000000.00",
    "PhaseTransitionUpdate.source": "Staff review of phase 2 oncology success rates, 2026",
    "ValuationRequest.discount_rate": "0.10",
    "ValuationRequest.peak_sales": "1500000000.00",
    "source_name": "BiotoChina, China innovative drug asset transactions 2024",
    "as_of": "2025-03-20",
    "phase": "phase_2",
    "probability": "0.3070",
    "PhaseTransition.source": "BIO, Biomedtracker, Amplion: Clinical Development Success Rates 2006-2015",
    "file_name": "deals.csv",
    "file_format": "csv",
    "sha256": "9f2c1d0b7a8e6f5d4c3b2a1908f7e6d5c4b3a2918f7e6d5c4b3a29180f7e6d5c",
    "preview": {"valid": True, "totals": {"new": 1, "update": 0, "skip": 0, "error": 0, "invalid": 0},
                "rows": [{"row": 2, "action": "new", "reference": "2023-hansoh-gsk-hs20093"}]},
    "result": {},
    "imported_at": None,
}
