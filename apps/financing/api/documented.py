"""Financing's error codes with their meanings, refusals of schema-valid requests per operation (for clients and
the API fuzzer's allow-list), and example values for the documentation (from the demo data)."""

from django.utils.translation import gettext_lazy as _

BUSINESS_RULES: dict[str, set[str]] = {
    # Amounts exact to the currency's places (JPY 0, others 2), positive; the ticket range not reversed.
    "POST /api/v1/investor-profiles/": {"invalid_amount", "reversed_range", "geographies"},
    "PATCH /api/v1/investor-profiles/{id}/": {"invalid_amount", "reversed_range", "geographies"},
    "POST /api/v1/rounds/": {"invalid_amount", "unknown_asset", "name_en"},
    "PATCH /api/v1/rounds/{id}/": {"invalid_amount", "unknown_asset", "name_en"},
    # Only an investor of the book that has not passed can be named lead.
    "POST /api/v1/rounds/{id}/lead/": {"not_in_book"},
    # A committed amount goes with the step to committed, and only with it.
    "POST /api/v1/book-entries/{id}/advance/": {"invalid_amount", "committed_amount"},
    "POST /api/v1/book-entries/{id}/soft-circle/": {"invalid_amount"},
}

ERROR_CODES = {
    "not_a_biotech": _("Only contributors of a verified biotech may do this."),
    "not_an_investor": _("Only contributors of a verified investor company may do this."),
    "invalid_amount": _("The amount is not exact money in the currency: a string or integer, positive, with at most "
                        "the currency's decimal places (JPY 0, others 2)."),
    "unknown_asset": _("An asset id is not one of your company's assets (or does not exist)."),
    "currency_locked": _("The round's currency cannot change once investors are in its book."),
    "round_not_published": _("The round is not published."),
    "round_not_open": _("The round is not open for this step."),
    "already_in_book": _("Your company is already in this round's book."),
    "not_in_book": _("The company is not an investor of this round's book that has not passed."),
}

FIELD_EXAMPLES = {
    "Round.name_en": "Series B: LMN-2201 global phase 3",
    "Round.name_zh": "B轮融资：LMN-2201全球三期",
    "RoundWrite.name_en": "Series B: LMN-2201 global phase 3",
    "RoundWrite.name_zh": "B轮融资：LMN-2201全球三期",
    "Round.summary_en": "Series B to take the PD-1×VEGF bispecific LMN-2201 into a global phase 3 in first-line NSCLC.",
    "Round.summary_zh": "B轮融资，推进PD-1×VEGF双特异性抗体LMN-2201开展一线非小细胞肺癌全球三期研究。",
    "use_of_proceeds_en": "Global phase 3 (70%), CMC scale-up (20%), US clinical operations (10%).",
    "use_of_proceeds_zh": "全球三期研究（70%）、CMC放大（20%）、美国临床运营（10%）。",
    "target_amount": "80000000.00",
    "pre_money_valuation": "420000000.00",
    "cap_table_summary": "Founders 38%, Series A investors 41%, ESOP 12%, angels 9% (fully diluted).",
    "financial_statements": "Cash 61.2m USD at 30 June 2026; monthly burn 4.1m USD; no debt.",
    "thesis_en": "Clinical-stage oncology and immunology biotechs in Greater China and Singapore, Series A to pre-IPO.",
    "thesis_zh": "投资大中华区和新加坡临床阶段的肿瘤和免疫领域生物技术公司，A轮至Pre-IPO轮。",
    "geographies": ["CN", "HK", "MO", "SG", "TW"],
    "InvestorProfileWrite.geographies": ["greater_china", "SG"],
    "ticket_min": "5000000.00",
    "ticket_max": "30000000.00",
    "contact_name": "Priya Raman",
    "contact_email": "partner@meridianharbor.example",
    "contact_phone": "+65 6555 0142",
    "BookEntry.round_name_en": "Series B: LMN-2201 global phase 3",
    "BookEntry.round_name_zh": "B轮融资：LMN-2201全球三期",
    "BookEntry.stage_label": "Committed",
    "BookEntry.message": "We would like to lead the B; please admit us to diligence.",
    "soft_circled_amount": "15000000.00",
    "committed_amount": "20000000.00",
    "BookEntry.pass_reason": "",
    "BookEntry.pass_reason_label": "",
    "BookEntry.pass_note": "",
    "BookEntry.passed_from": "",
    "SoftCircle.amount": "15000000.00",
    "Pass.note": "Above the valuation our fund can support.",
    "BookView.currency": "USD",
    "BookView.rounding": "ROUND_HALF_EVEN",
    "BookView.committed_percent_of_target": "25.0",
    "_Money.amount": "20000000.00",
    "_Money.currency": "USD",
    "_Usd.amount": "20000000.00",
    "_Usd.currency": "USD",
    "_Usd.rate": "1",
    "_StageSum.label": "Committed",
    "RoundRecommendation.matched": ["therapeutic_areas", "round_stages", "geographies"],
}
