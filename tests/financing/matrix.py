"""Authorization-matrix rows for every financing operation (see tests/authz/matrix.py).

Standard personas: Lumina (verified biotech raising the round) owner/admin/member contribute, viewer reads;
other_member is Northbridge (a pharma partner: rounds are not its to browse); outsider has no company; staff
moderate. Extra personas (tests/financing/helpers.py): investor (matching thesis, not in the book),
book_investor (Cedar Lane, in the book at diligence), other_book_investor (Jadeite, committed),
nonmatching_investor, other_biotech.
"""

from apps.financing.models import EntryStage, RoundStatus
from tests.authz.matrix import Row, expect
from tests.financing.helpers import entry, financing_world, make_round

LUMINA_200 = {"viewer": 200, "member": 200, "admin": 200, "owner": 200}
CONTRIB_200 = {"member": 200, "admin": 200, "owner": 200}
CONTRIB_201 = {"member": 201, "admin": 201, "owner": 201}
LUMINA_403 = {"viewer": 403, "member": 403, "admin": 403, "owner": 403}
INVESTORS_200 = {"investor": 200, "book_investor": 200, "other_book_investor": 200, "nonmatching_investor": 200}
INVESTORS_403 = {"investor": 403, "book_investor": 403, "other_book_investor": 403, "nonmatching_investor": 403}
INVESTORS_404 = {"investor": 404, "book_investor": 404, "other_book_investor": 404, "nonmatching_investor": 404}
ALL_200 = {**LUMINA_200, **INVESTORS_200, "other_biotech": 200, "other_member": 200, "outsider": 200, "staff": 200}
NOBODY_ELSE = {"other_biotech": 404, "other_member": 404, "outsider": 404}


def _round(world, status=RoundStatus.PUBLISHED):
    financing_world(world)
    if status == RoundStatus.PUBLISHED:
        return {"id": world.extra["round"].pk}
    return {"id": make_round(world.licensor, status=status).pk}


def _draft(world):
    return _round(world, RoundStatus.DRAFT)


def _submitted(world):
    return _round(world, RoundStatus.SUBMITTED)


def _cedar_entry(world):
    return {"id": financing_world(world)["cedar_entry"].pk}


def _cedar_at_term_sheet(world):
    extra = financing_world(world)
    extra["cedar_entry"].stage = EntryStage.TERM_SHEET
    extra["cedar_entry"].save()
    return {"id": extra["cedar_entry"].pk}


def _cedar_profile(world):
    return {"id": financing_world(world)["cedar"].investor_profile.pk}


def _with_world(world):
    financing_world(world)
    return {}


def _round_body(world, persona):
    return {"name_en": f"Seed {persona}", "stage": "seed", "instrument": "equity", "target_amount": "5000000.00",
            "currency": "USD"}


def _lead_body(world, persona):
    return {"investor": world.extra["cedar"].pk}


def _fresh_round_for_interest(world):
    """A published round nobody is in yet, plus the book of the standard round."""
    extra = financing_world(world)
    fresh = make_round(world.licensor)
    entry(fresh, extra["cedar"])  # Cedar is already in this one: a second entry is a conflict
    return {"id": fresh.pk}


ROWS = [
    # --- rounds ---
    Row("GET /api/v1/rounds/", expect(**ALL_200), params=_with_world),
    Row("GET /api/v1/rounds/{id}/", expect(**LUMINA_200, **INVESTORS_200, staff=200, **NOBODY_ELSE),
        params=_round, variant="published"),
    Row("GET /api/v1/rounds/{id}/", expect(**LUMINA_200, **INVESTORS_404, staff=200, **NOBODY_ELSE),
        params=_draft, variant="draft"),
    Row("POST /api/v1/rounds/", expect(403, **CONTRIB_201, other_biotech=201, **INVESTORS_403),
        params=_with_world, body=_round_body),
    Row("PATCH /api/v1/rounds/{id}/", expect(**CONTRIB_200, viewer=403, **INVESTORS_403, staff=403, **NOBODY_ELSE),
        params=_round, body=lambda world, persona: {"summary_en": "Updated teaser."}),
    Row("POST /api/v1/rounds/{id}/submit/", expect(**CONTRIB_200, viewer=403, **INVESTORS_404, staff=403,
                                                   **NOBODY_ELSE), params=_draft),
    Row("POST /api/v1/rounds/{id}/publish/", expect(**LUMINA_403, **INVESTORS_404, staff=200, **NOBODY_ELSE),
        params=_submitted, body=lambda world, persona: {}),
    Row("POST /api/v1/rounds/{id}/request-changes/", expect(**LUMINA_403, **INVESTORS_404, staff=200,
                                                            **NOBODY_ELSE),
        params=_submitted, body=lambda world, persona: {"reason": "Add the Chinese summary."}),
    Row("POST /api/v1/rounds/{id}/interest/",
        expect(**LUMINA_403, investor=201, nonmatching_investor=201, book_investor=409, other_book_investor=201,
               staff=403, **NOBODY_ELSE),
        params=_fresh_round_for_interest, body=lambda world, persona: {"message": "We would like to learn more."}),
    Row("POST /api/v1/rounds/{id}/lead/", expect(**CONTRIB_200, viewer=403, **INVESTORS_403, staff=403,
                                                 **NOBODY_ELSE), params=_round, body=_lead_body),
    Row("GET /api/v1/rounds/{id}/book/", expect(**LUMINA_200, **INVESTORS_403, staff=200, **NOBODY_ELSE),
        params=_round),
    Row("GET /api/v1/rounds/recommended/", expect(**ALL_200), params=_with_world),
    # --- the book ---
    Row("GET /api/v1/book-entries/", expect(**ALL_200), params=_with_world),
    Row("GET /api/v1/book-entries/{id}/",
        expect(**LUMINA_200, staff=200, book_investor=200, other_book_investor=404, investor=404,
               nonmatching_investor=404, **NOBODY_ELSE), params=_cedar_entry),
    Row("POST /api/v1/book-entries/{id}/advance/",
        expect(**CONTRIB_200, viewer=403, staff=403, book_investor=403, other_book_investor=404, investor=404,
               nonmatching_investor=404, **NOBODY_ELSE),
        params=_cedar_entry, body=lambda world, persona: {"stage": "term_sheet"}, variant="biotech admits"),
    Row("POST /api/v1/book-entries/{id}/advance/",
        expect(**LUMINA_403, staff=403, book_investor=200, other_book_investor=404, investor=404,
               nonmatching_investor=404, **NOBODY_ELSE),
        params=_cedar_at_term_sheet, body=lambda world, persona: {"stage": "committed",
                                                                  "committed_amount": "7500000.00"},
        variant="investor commits"),
    Row("POST /api/v1/book-entries/{id}/pass/",
        expect(**LUMINA_403, staff=403, book_investor=200, other_book_investor=404, investor=404,
               nonmatching_investor=404, **NOBODY_ELSE),
        params=_cedar_entry, body=lambda world, persona: {"reason": "valuation", "note": "Too rich for us."}),
    Row("POST /api/v1/book-entries/{id}/soft-circle/",
        expect(**LUMINA_403, staff=403, book_investor=200, other_book_investor=404, investor=404,
               nonmatching_investor=404, **NOBODY_ELSE),
        params=_cedar_entry, body=lambda world, persona: {"amount": "6000000.00"}),
    # --- investor profiles ---
    Row("GET /api/v1/investor-profiles/", expect(**ALL_200), params=_with_world),
    Row("GET /api/v1/investor-profiles/{id}/",
        expect(**LUMINA_200, staff=200, other_biotech=200, book_investor=200, investor=404, other_book_investor=404,
               nonmatching_investor=404, other_member=404, outsider=404), params=_cedar_profile),
    Row("POST /api/v1/investor-profiles/",
        expect(403, investor=201, book_investor=201, other_book_investor=201, nonmatching_investor=201),
        params=_with_world, body=lambda world, persona: {"thesis_en": "Oncology first.",
                                                         "therapeutic_areas": ["oncology"]}),
    Row("PATCH /api/v1/investor-profiles/{id}/",
        expect(**LUMINA_403, staff=403, other_biotech=403, book_investor=200, investor=404, other_book_investor=404,
               nonmatching_investor=404, other_member=404, outsider=404),
        params=_cedar_profile, body=lambda world, persona: {"thesis_zh": "肿瘤优先。"}),
]
