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

from django.utils.translation import gettext_lazy as _

from apps.agreements.api.docs import TERMS_EXAMPLE

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

ERROR_CODES = {
    "invalid_terms": _("The terms are not valid: `fields` names each part at fault (e.g. `royalty_tiers[1]`)."),
    "company_not_verified": _("Only verified companies can be parties to an agreement."),
    "asset_not_licensors": _("Every asset must belong to the licensor."),
    "licensor_is_partner": _("The licensor cannot also be a partner."),
    "company_required": _("You belong to several parties: say which company you act for in `company`."),
    "currency_locked": _("An amendment keeps the currency of the executed version."),
    "not_draft": _("Only a draft allows this; once negotiation is open, terms change by proposing a version."),
    "agreement_closed": _("The agreement is terminated or expired and cannot change."),
    "no_version": _("The agreement has no terms yet."),
    "not_open_for_versions": _("New versions can be proposed only during negotiation or as an amendment."),
    "no_change": _("These terms are the same as the latest version."),
    "not_signatory": _("Only an owner or admin of a party may do this."),
    "stale_version": _("The version you approve is not the latest: reload and approve the latest."),
    "stale_terms": _("The terms changed since you read them: reload and approve again."),
    "already_approved": _("Your company already approved this version."),
    "nothing_to_approve": _("There is no version awaiting approval."),
    "exclusivity_conflict": _("Executing these terms would overlap the exclusive rights of an agreement in force "
                              "(same asset, field of use and territory)."),
    "not_terminable": _("The agreement cannot be terminated in its current state."),
    "version_not_found": _("No version of this agreement has that number."),
    "agreement_not_in_force": _("Milestones move only while the agreement is in force."),
    "milestone_wrong_status": _("The milestone's status does not allow this step now."),
    "not_counterparty": _("Only an owner or admin of the other party may confirm or dispute."),
    "not_payee": _("Only an owner or admin of the licensor can invoice a milestone."),
    "not_payer": _("Only an owner or admin of a partner can record a payment."),
}

def _money(amount: str) -> dict:
    return {"amount": amount, "currency": "USD"}


def _usd(amount: str) -> dict:
    return {"amount": amount, "currency": "USD", "rate": "1", "rate_date": None, "missing_rate": False}


_FIGURES = {"upfront": "60000000.00", "milestones_total": "125000000.00", "equity_investment": "0.00",
            "total_deal_value": "185000000.00", "achieved": "25000000.00", "invoiced": "25000000.00", "paid": "0.00"}

FIELD_EXAMPLES = {
    # Whole structures (by component name): one coherent example rather than field by field.
    "TermsDocument": TERMS_EXAMPLE,
    "Figures": {"version": 2, "currency": "USD", "rounding": "ROUND_HALF_EVEN",
                "figures": {name: _money(amount) for name, amount in _FIGURES.items()},
                "usd": {name: _usd(amount) for name, amount in _FIGURES.items()}},
    "title": "LMN-2201 ex-Greater China licence",
    "termination_reason": "",
    "Party.role": "partner",
    "terms_hash": "5d41402abc4b2a76b9719d911017c592aa8f4e7d2c5e1b3a9f0c6d8e7b1a2c3d",
    "rounding": "ROUND_HALF_EVEN",
    "Portfolio.missing_rates": ["JPY"],
    "field_of_use": ["oncology"],
    "TermSpan.description": "Until the last valid patent claim expires",
    "TermsJscMember.name": "Dr. Wei Zhang",
    "TermsJscMember.title": "Chief Medical Officer",
    "TermsMilestone.key": "ph3-start",
    "MilestoneTerms.key": "ph3-start",
    "MilestoneTerms.description": "First patient dosed in phase 3",
    "JscMember.name": "Dr. Wei Zhang",
    "TermsMilestone.description": "First patient dosed in phase 3",
    "TermsMilestone.regulatory_event": "",
    "Milestone.key": "ph3-start",
    "Milestone.description": "First patient dosed in phase 3",
    "Milestone.amount": "25000000.00",
    "Milestone.regulatory_event": "",
    "Milestone.regulatory_event_ref": "",
    "evidence": "First patient dosed on 12 March 2026 at Site 014 (Boston).",
    "dispute_reason": "",
    "invoice_reference": "INV-2026-0042",
    "payment_reference": "",
    "Version.note": "Royalty above 500 million raised to 12.5%.",
    "DiffEntry.field": "royalty_tiers[1].rate",
    "DiffEntry.label": "Royalty rate (tier 2)",
    "DiffEntry.label_en": "Royalty rate (tier 2)",
    "DiffEntry.label_zh": "特许权使用费率（第2档）",
}
