"""Reads for companies that do not go through a viewset's restricted queryset."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.companies.models import MANAGING_ROLES, Company, Invitation, Membership, hash_token
from apps.core.errors import NotFound, PermissionRefused, ValidationFailed


def company_people(company_id: int, roles: tuple[str, ...] | None = None) -> QuerySet:
    """The active people of a company, optionally only those holding one of `roles` there: who hears about
    the company's side of something. The role is matched on the same membership as the company (one
    filter() call), so an admin elsewhere who is only a member here is not an admin here."""
    memberships: dict[str, Any] = {"memberships__company_id": company_id}
    if roles is not None:
        memberships["memberships__role__in"] = roles
    return User.objects.filter(is_active=True, **memberships).distinct()


def people_of_companies(company_ids: Iterable[int]) -> QuerySet:
    """The active people of any of these companies, whatever their role: the readers a publication is matched
    to (catalog, financing and partnering fan-outs)."""
    return User.objects.filter(memberships__company_id__in=list(company_ids), is_active=True).distinct()


def acting_company(actor: Any, among: Iterable[int], roles: tuple[str, ...], company_id: int | None = None, *,
                   refusal: Any = None, refusal_code: str | None = None) -> Company:
    """The company `actor` acts for among the companies `among`, holding one of `roles` there (`company_id` picks
    one). None → 403 (`refusal`); several and no `company_id` → 400 company_required: say which company."""
    memberships = Membership.objects.filter(user=actor, role__in=roles, company_id__in=list(among))
    if company_id is not None:
        memberships = memberships.filter(company_id=company_id)
    companies = [m.company for m in memberships.select_related("company")]
    if not companies:
        raise PermissionRefused(refusal or _("You do not have permission to do this."), code=refusal_code)
    if len(companies) > 1:
        raise ValidationFailed(_("You belong to several parties: say which company you act for."),
                               code="company_required", fields={"company": [_("This field is required.")]})
    return companies[0]


def company_admins(company: Any) -> QuerySet:
    """The owners and admins of a company (MANAGING_ROLES), active ones only."""
    return company_people(company.pk, MANAGING_ROLES)


def invitation_for_invitee(*, actor: Any, token: str) -> Invitation:
    """The invitation behind `token`, only for the person it is addressed to; anyone else gets the same 404
    as for a made-up token."""
    invitation = Invitation.objects.select_related("company").filter(token_hash=hash_token(token or "")).first()
    if invitation is None or invitation.email.lower() != actor.email.lower():
        raise NotFound(_("This invitation does not exist or is not addressed to you."), code="invitation_invalid")
    return invitation
