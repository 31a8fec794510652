"""Shared by the alliance's services: the locked re-check of the actor's standing, party checks, notifying.

Writes of the alliance. Each re-checks the actor's standing on the alliance inside its transaction (the alliance
row locked), guards its state transition with a domain error, audits the act and tells the other party."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import MoneyError, parse_amount

# The party a person acts for: one rule, kept in the agreements app (a member of two parties must say which).
from apps.agreements.selectors import acting_party, party_users
from apps.alliance.models import (
    Alliance,
    party_companies,
)
from apps.companies.models import CONTRIBUTING_ROLES, Company
from apps.core.authz import CHANGE
from apps.core.errors import PermissionRefused, ValidationFailed
from apps.notifications.services import notify


# ------------------------------------------------------------------------------------------------ helpers
def _locked(alliance: Alliance, actor: Any, action: str = CHANGE) -> Alliance:
    """Lock the alliance and re-check, inside the transaction, that the actor may still do `action` on it."""
    locked = Alliance.objects.select_for_update().select_related("agreement").get(pk=alliance.pk)
    if not Alliance.objects.for_user(actor, action).filter(pk=alliance.pk).exists():
        raise PermissionRefused(_("Only the parties' members can change the alliance while the agreement is in "
                                  "force."), code="alliance_read_only")
    return locked


def _locked_as_party(alliance: Alliance, actor: Any, company_id: int | None = None, *,
                     roles: tuple[str, ...] = CONTRIBUTING_ROLES, action: str = CHANGE) -> tuple[Alliance, Company]:
    """How every alliance write starts: the alliance locked and the actor's standing re-checked (`_locked`), then
    the party the actor acts for, holding one of `roles` there (`company_id` picks one)."""
    alliance = _locked(alliance, actor, action)
    return alliance, acting_party(actor, alliance.agreement, roles, company_id)


def _party_ids(alliance: Alliance) -> list[int]:
    return [company.pk for company in party_companies(alliance)]


def _require_party(alliance: Alliance, company: Company | int, field: str) -> int:
    pk = company if isinstance(company, int) else company.pk
    if pk not in _party_ids(alliance):
        raise ValidationFailed(_("Name one of the agreement's parties."), code="not_a_party",
                               fields={field: [_("Not a party to this agreement.")]})
    return pk


def _ctx(alliance: Alliance, **extra: Any) -> dict[str, Any]:
    return {"agreement": alliance.agreement.title, "alliance_id": alliance.pk, "site_url": settings.SITE_URL,
            **extra}


def _notify(kind: str, alliance: Alliance, *, target: Any, actor: Any = None, exclude: Company | None = None,
            roles: tuple[str, ...] | None = None, **context: Any) -> None:
    people = party_users(alliance.agreement, exclude_company_id=exclude.pk if exclude else None, roles=roles)
    notify(kind=kind, recipients=people, target=target, actor=actor, context=_ctx(alliance, **context))


def _amount(value: Any, currency: str, field: str = "amount") -> Decimal:
    try:
        return parse_amount(value, currency)
    except MoneyError as exc:
        raise ValidationFailed(exc.message, code="invalid_amount", fields={field: [exc.message]}) from None


def _shares(alliance: Alliance, cost_sharing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A work package's own split: every party once, percentages adding up to 100."""
    if not cost_sharing:
        return []
    parties = set(_party_ids(alliance))
    companies = [int(item["company"]) for item in cost_sharing]
    if len(set(companies)) != len(companies) or set(companies) != parties:
        raise ValidationFailed(_("The cost-sharing split must name every party once."), code="invalid_split",
                               fields={"cost_sharing": [_("Name every party once.")]})
    total = sum((Decimal(str(item["share"])) for item in cost_sharing), Decimal(0))
    if total != 100:
        raise ValidationFailed(_("The cost-sharing shares must add up to 100."), code="invalid_split",
                               fields={"cost_sharing": [_("The shares add up to %(total)s.") % {"total": total}]})
    return [{"company": int(item["company"]), "share": str(Decimal(str(item["share"])).normalize())}
            for item in sorted(cost_sharing, key=lambda item: int(item["company"]))]


