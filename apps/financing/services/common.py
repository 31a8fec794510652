"""What the financing services share: field checks, amounts, notification contexts and the acting company."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import MoneyError, parse_amount
from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership, VerificationStatus
from apps.core.errors import PermissionRefused
from apps.core.validation import choice_list
from apps.core.validation import invalid_field as _invalid
from apps.financing.models import (
    BookEntry,
    Round,
)

MAX_LIST_ITEMS = 12
# --- helpers ---------------------------------------------------------------------------------------------

def _choices(field: str, values: Any, allowed: Iterable[str]) -> list[str]:
    return choice_list(field, values, allowed, max_items=MAX_LIST_ITEMS)


def _amount(field: str, value: Any, currency: str, *, allow_zero: bool = False) -> Decimal:
    try:
        return parse_amount(value, currency, allow_zero=allow_zero)
    except MoneyError as exc:
        raise _invalid(field, exc.message, code="invalid_amount") from None


def _round_context(round_: Round, **extra: Any) -> dict[str, Any]:
    company = round_.company
    return {"round": round_.name_en, "round_zh": round_.name_zh or round_.name_en, "round_id": str(round_.public_id),
            "company": company.name_en, "company_zh": company.name_zh or company.name_en, **extra}


def _entry_context(entry: BookEntry, **extra: Any) -> dict[str, Any]:
    investor = entry.investor
    return _round_context(entry.round, investor=investor.name_en, investor_zh=investor.name_zh or investor.name_en,
                          stage=entry.stage, **extra)


def _contributor_companies(actor: Any, kind: str) -> QuerySet:
    return Company.objects.filter(
        pk__in=Membership.objects.filter(user=actor, role__in=CONTRIBUTING_ROLES).values("company_id"),
        verification_status=VerificationStatus.VERIFIED, kind=kind)


def _one_company(actor: Any, kind: str, company: Company | None, *, refusal: Any, code: str,
                 exclude: int | None = None) -> Company:
    companies = _contributor_companies(actor, kind)
    if exclude is not None:
        companies = companies.exclude(pk=exclude)
    if company is not None:
        companies = companies.filter(pk=company.pk)
    found = list(companies.order_by("pk")[:2])
    if not found:
        raise PermissionRefused(refusal, code=code)
    if len(found) > 1:
        raise _invalid("company", _("Say which of your companies acts."))
    return found[0]
