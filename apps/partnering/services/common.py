"""Shared by partnering's services: input checks, who is told, and which of the actor's companies acts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership, VerificationStatus
from apps.companies.selectors import company_people
from apps.core.errors import PermissionRefused
from apps.core.validation import choice_list
from apps.core.validation import invalid_field as _invalid


def _users(company_id: int, roles: tuple[str, ...] | None = CONTRIBUTING_ROLES) -> QuerySet:
    """Who hears about a company's side of something: its active contributors (or everyone for roles=None)."""
    return company_people(company_id, roles)


def _choices(field: str, values: Any, allowed: Iterable[str]) -> list[str]:
    return choice_list(field, values, allowed)


def _evaluating_company(actor: Any, company: Company | None = None) -> Company:
    companies = Company.objects.filter(
        pk__in=Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).values("company_id"),
        verification_status=VerificationStatus.VERIFIED)
    if company is not None:
        companies = companies.filter(pk=company.pk)
    found = list(companies.order_by("pk")[:2])
    if not found:
        raise PermissionRefused(_("Only contributors of a verified company evaluate assets."), code="not_a_member")
    if len(found) > 1:
        raise _invalid("company", _("Say which of your companies evaluates."))
    return found[0]


def _actor_company_among(actor: Any, company_ids: list[int]) -> int | None:
    mine = set(Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES, company_id__in=company_ids)
               .values_list("company_id", flat=True))
    for company_id in company_ids:
        if company_id in mine:
            return company_id
    return None
