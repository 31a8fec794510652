from apps.companies.models import Company, Invitation, Membership, Role, VerificationStatus
from apps.companies.services import invitation_create
from tests.authz.matrix import Row, expect
from tests.factories import CompanyFactory


def _licensor(world):
    return {"id": world.licensor.pk}


def _pending_company(world):
    return {"id": CompanyFactory(verification_status=VerificationStatus.PENDING).pk}


def _member_membership(world):
    return {"id": Membership.objects.get(company=world.licensor, user=world.member).pk}


def _invitation(world):
    invitation, token = invitation_create(actor=world.owner, company=world.licensor,
                                          email="outsider@example.test", role=Role.MEMBER)
    world.extra["token"] = token
    return {"id": invitation.pk}


def _accept_query(world):
    _invitation(world)
    return {"token": world.extra["token"]}


def _accept_body(world, persona):
    _invitation(world)
    return {"token": world.extra["token"]}


MANAGERS = {"admin": 200, "owner": 200}

ROWS = [
    Row("GET /api/v1/companies/", expect(200)),
    Row("POST /api/v1/companies/", expect(201),
        body=lambda w, p: {"kind": "pharma", "country": "DE", "name_en": "Rheinwald Therapeutics"}),
    Row("GET /api/v1/companies/{id}/", expect(200, outsider=404), params=_licensor, variant="verified"),
    Row("GET /api/v1/companies/{id}/", expect(404, staff=200), params=_pending_company, variant="pending, not yours"),
    Row("PATCH /api/v1/companies/{id}/", expect(403, outsider=404, **MANAGERS), params=_licensor,
        body=lambda w, p: {"website": "https://lumina.example"}),
    Row("GET /api/v1/memberships/", expect(200)),
    Row("GET /api/v1/memberships/{id}/", expect(200, outsider=404, other_member=404), params=_member_membership),
    Row("PATCH /api/v1/memberships/{id}/", expect(403, outsider=404, other_member=404, **MANAGERS),
        params=_member_membership, body=lambda w, p: {"role": "viewer"}),
    Row("DELETE /api/v1/memberships/{id}/",
        expect(403, outsider=404, other_member=404, member=204, admin=204, owner=204),
        params=_member_membership),
    Row("GET /api/v1/invitations/", expect(200)),
    Row("POST /api/v1/invitations/", expect(403, outsider=404, admin=201, owner=201),
        body=lambda w, p: {"company": w.licensor.pk, "email": "newcomer@example.test", "role": "member"}),
    Row("GET /api/v1/invitations/{id}/", expect(404, admin=200, owner=200, staff=200), params=_invitation),
    Row("DELETE /api/v1/invitations/{id}/", expect(404, admin=204, owner=204, staff=403), params=_invitation),
    Row("POST /api/v1/invitations/accept/", expect(404, outsider=201), body=_accept_body),
    Row("GET /api/v1/invitations/accept/", expect(404, outsider=200), query=_accept_query),
]

__all__ = ["ROWS", "Company", "Invitation"]
