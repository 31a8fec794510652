"""What /api/docs/ says about each agreements operation (apps/core/api/schema.py `doc`), one block per viewset,
applied with `@extend_schema_view(**docs.AGREEMENTS)`: kept out of the views so they stay about wiring."""

from django.utils.translation import gettext_lazy as _

from apps.core.api.schema import doc

# A 10% royalty on net sales up to 500 million, 12.5% above; terms as GET /agreements/{id}/ answers them and as
# POST /agreements/{id}/versions/ accepts them back unchanged.
TERMS_EXAMPLE = {
    "territory": {"include": ["worldwide_ex_greater_china"], "exclude": []},
    "field_of_use": ["oncology"],
    "exclusivity": "exclusive",
    "currency": "USD",
    "upfront": "60000000.00",
    "equity_investment": None,
    "effective_date": "2026-04-01",
    "term": {"years": 12, "description": "Until the last valid patent claim expires"},
    "milestones": [
        {"key": "ph3-start", "kind": "development", "description": "First patient dosed in phase 3",
         "amount": "25000000.00", "due_date": None, "regulatory_event": "", "sales_threshold": None},
        {"key": "sales-1b", "kind": "sales", "description": "Annual net sales above 1 billion",
         "amount": "100000000.00", "due_date": None, "regulatory_event": "", "sales_threshold": "1000000000.00"},
    ],
    "royalty_tiers": [
        {"from_net_sales": "0.00", "to_net_sales": "500000000.00", "rate": "10"},
        {"from_net_sales": "500000000.00", "to_net_sales": None, "rate": "12.5"},
    ],
    "cost_sharing": [],
    "governance": None,
}

AGREEMENTS = {
    "list": doc(
        summary=_("List agreements"),
        description=_(
            "Agreements your companies are party to (a draft only for the company preparing it); staff read all. "
            "`exclusive` reflects the executed version only: during negotiation read the terms' `exclusivity`. "
            "Filter by `status`, `deal_type` or `licensor`."
        ),
    ),
    "retrieve": doc(
        summary=_("Read an agreement with its terms"),
        description=_(
            "The agreement, the current version's terms (the executed version's once executed), their `terms_hash` "
            "for approval, and the money figures: deal value, achieved, invoiced and paid, in the agreement's "
            "currency and in US dollars. `figures` is null before a first version exists."
        ),
    ),
    "create": doc(
        summary=_("Prepare a draft agreement"),
        description=_(
            "Contributors of the licensor company prepare a draft: title, deal type, the licensor, the partner "
            "companies, the licensor's assets it covers, and the first version of the terms. Only the preparing "
            "company sees the draft until it is opened for negotiation."
        ),
        # licensor, partners and assets are ids: one that does not exist, or that you may not see, answers 404.
        errors={400: ["invalid_terms", "company_not_verified", "asset_not_licensors", "licensor_is_partner"],
                404: ["not_found"]},
    ),
    "partial_update": doc(
        summary=_("Edit a draft agreement"),
        description=_("Contributors of the preparing company change a draft's title, deal type, terms or data room "
                      "before negotiation opens."),
        errors={400: ["invalid_terms"], 409: ["not_draft", "agreement_closed", "no_version"]},
    ),
    "destroy": doc(
        summary=_("Delete a draft agreement"),
        description=_("Owners and admins of the preparing company delete a draft that was never opened."),
        errors={403: ["permission_denied"], 409: ["not_draft"]},
    ),
    "summary": doc(
        summary=_("Portfolio figures of your agreements in force"),
        description=_(
            "Across the agreements in force you may see: deal value, achieved, invoiced and paid per currency, and "
            "summed in US dollars with the rates used. A currency without a rate is listed in `missing_rates` and "
            "left out of the sum, never guessed."
        ),
    ),
    "open": doc(
        summary=_("Open a draft for negotiation"),
        description=_("Shares the draft with the other parties: negotiation starts on its latest version, and the "
                      "partners are told."),
        errors={400: ["company_required"], 409: ["not_draft", "no_version"]},
    ),
    "versions": doc(
        summary=_("List the versions of the terms"),
        description=_("Every version of the terms, oldest first, with who proposed it, when, and its approvals."),
    ),
    "diff": doc(
        summary=_("Compare two versions of the terms"),
        description=_("Field by field, what changed between two versions (by default the latest and the one before), "
                      "labelled in English and Chinese."),
        errors={400: ["invalid"], 404: ["version_not_found"]},
    ),
    "approve": doc(
        summary=_("Approve the latest terms"),
        description=_(
            "An owner or admin of a party approves the exact latest version for their company by sending its number "
            "and the `terms_hash` they read. When the last party approves, the version is executed and the "
            "agreement is in force. Answers 409 if the version or its terms changed since you read them, or if "
            "execution would break another agreement's exclusivity."
        ),
        errors={400: ["company_required"], 403: ["not_signatory"],
                409: ["stale_version", "stale_terms", "already_approved", "nothing_to_approve",
                      "exclusivity_conflict"]},
    ),
    "terminate": doc(
        summary=_("Terminate the negotiation or the agreement"),
        description=_("An owner or admin of a party ends the negotiation or the agreement in force, with a reason "
                      "the other parties are told."),
        errors={400: ["company_required"], 403: ["not_signatory", "permission_denied"], 409: ["not_terminable"]},
    ),
}

# On the method itself: extend_schema_view does not reach a method mapped onto another action's URL.
PROPOSE_VERSION = doc(
    summary=_("Propose new terms"),
    description=_(
        "A party proposes a new version of the terms, in negotiation or as an amendment of an agreement in force. "
        "Send the whole terms document: what GET answers is accepted back unchanged. Earlier approvals stop "
        "counting. An amendment keeps the executed currency."
    ),
    errors={400: ["invalid_terms", "company_required", "currency_locked"], 409: ["not_open_for_versions", "no_change"]},
)

MILESTONES = {
    "list": doc(
        summary=_("List milestones"),
        description=_("Milestones of the agreements in force you may see, with their status from pending to paid. "
                      "Filter by `agreement`, `status` or `kind`."),
    ),
    "retrieve": doc(summary=_("Read a milestone"),
                    description=_("One milestone: amount, due date or threshold, and each step taken so far.")),
    "achieve": doc(
        summary=_("Report a milestone achieved"),
        description=_("A party's contributor reports the milestone achieved, with evidence; the other party's "
                      "signatories are asked to confirm."),
        errors={400: ["company_required"], 409: ["agreement_not_in_force", "milestone_wrong_status"]},
    ),
    "confirm": doc(
        summary=_("Confirm a reported milestone"),
        description=_("An owner or admin of the other party confirms the achievement; the licensor may invoice."),
        errors={400: ["company_required"], 403: ["not_counterparty", "permission_denied"],
                409: ["agreement_not_in_force", "milestone_wrong_status"]},
    ),
    "dispute": doc(
        summary=_("Dispute a reported milestone"),
        description=_("An owner or admin of the other party disputes the achievement with a reason."),
        errors={400: ["company_required"], 403: ["not_counterparty", "permission_denied"],
                409: ["agreement_not_in_force", "milestone_wrong_status"]},
    ),
    "invoice": doc(
        summary=_("Invoice a confirmed milestone"),
        description=_("The licensor records the invoice of a confirmed milestone, with its reference."),
        errors={403: ["not_payee", "permission_denied"], 409: ["agreement_not_in_force", "milestone_wrong_status"]},
    ),
    "pay": doc(
        summary=_("Record a milestone payment"),
        description=_("The paying partner records the payment of an invoiced milestone, with its reference."),
        errors={400: ["company_required"], 403: ["not_payer", "permission_denied"],
                409: ["agreement_not_in_force", "milestone_wrong_status"]},
    ),
}
