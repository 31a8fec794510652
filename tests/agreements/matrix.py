"""Authorization matrix rows for the agreements API (tests/authz/test_matrix.py runs them per persona).

Setting: Lumina (licensor: owner, admin, member, viewer) and Northbridge (partner: other_member is a plain
member; a Northbridge admin is added where the partner must sign) negotiate a licence over LMN-2201.
"""

from apps.agreements import services
from tests.agreements import helpers
from tests.authz.matrix import Row, expect

CONTRIBUTORS = {"member": 200, "admin": 200, "owner": 200}
SIGNATORIES = {"admin": 200, "owner": 200}


def _negotiation(world):
    return {"id": helpers.negotiation(world).pk}


def _draft(world):
    return {"id": helpers.draft(world).pk}


def _executed_milestone(world):
    agreement = helpers.executed(world)
    return {"id": helpers.milestone(agreement).pk}


def _achieved_by_licensor(world):
    agreement = helpers.executed(world)
    milestone = services.milestone_achieve(actor=world.owner, milestone=helpers.milestone(agreement),
                                           evidence="Phase 3 first patient dosed on 2027-05-02")
    return {"id": milestone.pk}


def _achieved_by_partner(world):
    agreement = helpers.executed(world)
    milestone = services.milestone_achieve(actor=helpers.partner_admin(world), milestone=helpers.milestone(agreement),
                                           evidence="Phase 3 first patient dosed on 2027-05-02")
    return {"id": milestone.pk}


def _confirmed(world):
    params = _achieved_by_licensor(world)
    milestone = services.milestone_confirm(actor=helpers.partner_admin(world),
                                           milestone=helpers.Milestone.objects.get(pk=params["id"]))
    return {"id": milestone.pk}


def _invoiced(world):
    params = _confirmed(world)
    milestone = services.milestone_invoice(actor=world.owner, milestone=helpers.Milestone.objects.get(pk=params["id"]))
    return {"id": milestone.pk}


def _create_body(world, persona):
    return {"title": "LMN-2201 licence", "deal_type": "exclusive_license", "licensor": world.licensor.pk,
            "partners": [world.partner.pk], "assets": [helpers.asset(world).pk], "terms": helpers.terms()}


def _propose_body(world, persona):
    return {"terms": helpers.terms(upfront="65000000"), "note": "Higher upfront"}


def _approve_body(world, persona):
    agreement = helpers.Agreement.objects.latest("created_at")
    return {"version": agreement.current_version.number, "terms_hash": agreement.current_version.terms_hash}


# Personas outside the party companies see nothing (404); viewers read only; staff read only.
READ = expect(200, outsider=404)
READ_DRAFT = expect(404, viewer=200, member=200, admin=200, owner=200, staff=200)

ROWS = [
    Row("GET /api/v1/agreements/", expect(200)),
    Row("GET /api/v1/agreements/summary/", expect(200), params=lambda w: {"_": helpers.executed(w).pk}),
    Row("POST /api/v1/agreements/", expect(403, outsider=404, other_member=201, **{k: 201 for k in CONTRIBUTORS}),
        body=_create_body),
    Row("GET /api/v1/agreements/{id}/", READ, params=_negotiation, variant="negotiation"),
    Row("GET /api/v1/agreements/{id}/", READ_DRAFT, params=_draft, variant="draft: preparing company only"),
    Row("PATCH /api/v1/agreements/{id}/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS),
        params=_draft, body=lambda w, p: {"title": "LMN-2201 exclusive licence", "terms": helpers.terms(
            upfront="61000000")}),
    Row("PATCH /api/v1/agreements/{id}/", expect(403, outsider=404, other_member=200, member=200, admin=200, owner=200),
        params=_negotiation, variant="negotiation: title and data room only",
        body=lambda w, p: {"data_room_id": 42}),
    Row("DELETE /api/v1/agreements/{id}/", expect(403, outsider=404, other_member=404, admin=204, owner=204),
        params=_draft),
    Row("POST /api/v1/agreements/{id}/open/", expect(403, outsider=404, other_member=404, **CONTRIBUTORS),
        params=_draft),
    Row("GET /api/v1/agreements/{id}/versions/", READ, params=_negotiation),
    Row("POST /api/v1/agreements/{id}/versions/", expect(403, outsider=404, other_member=201, member=201, admin=201,
                                                         owner=201),
        params=_negotiation, body=_propose_body),
    Row("GET /api/v1/agreements/{id}/diff/", READ, params=lambda w: {
        "id": services.version_propose(actor=w.owner, agreement=helpers.negotiation(w),
                                       terms=helpers.terms(upfront="65000000")).agreement_id}),
    Row("POST /api/v1/agreements/{id}/approve/", expect(403, outsider=404, **SIGNATORIES),
        params=_negotiation, body=_approve_body),
    Row("POST /api/v1/agreements/{id}/terminate/", expect(403, outsider=404, **SIGNATORIES),
        params=_negotiation, body=lambda w, p: {"reason": "Walked away after diligence"}),
    Row("GET /api/v1/agreement-milestones/", expect(200)),
    Row("GET /api/v1/agreement-milestones/{id}/", READ, params=_executed_milestone),
    Row("POST /api/v1/agreement-milestones/{id}/achieve/",
        expect(403, outsider=404, other_member=200, **CONTRIBUTORS), params=_executed_milestone,
        body=lambda w, p: {"evidence": "First patient dosed", "evidence_url": "https://lumina.example/pr/1"}),
    Row("POST /api/v1/agreement-milestones/{id}/confirm/", expect(403, outsider=404), params=_achieved_by_licensor,
        variant="claimed by the licensor: only the partner's signatories", body=lambda w, p: {}),
    Row("POST /api/v1/agreement-milestones/{id}/confirm/", expect(403, outsider=404, **SIGNATORIES),
        params=_achieved_by_partner, variant="claimed by the partner", body=lambda w, p: {}),
    Row("POST /api/v1/agreement-milestones/{id}/dispute/", expect(403, outsider=404, **SIGNATORIES),
        params=_achieved_by_partner, body=lambda w, p: {"reason": "The dosing date is after the cut-off"}),
    Row("POST /api/v1/agreement-milestones/{id}/invoice/", expect(403, outsider=404, **SIGNATORIES),
        params=_confirmed, body=lambda w, p: {"reference": "INV-2027-001"}),
    Row("POST /api/v1/agreement-milestones/{id}/pay/", expect(403, outsider=404), params=_invoiced,
        variant="only the partner's signatories pay; other_member is a plain member",
        body=lambda w, p: {"reference": "WIRE-778"}),
]
