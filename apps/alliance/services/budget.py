"""The development plan: work packages, their budgets and the costs each party records."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.alliance import audit_actions as acts
from apps.alliance.models import (
    Alliance,
    Budget,
    CostEntry,
    WorkPackage,
)
from apps.alliance.services.common import (
    _amount,
    _locked_as_party,
    _require_party,
    _shares,
)
from apps.audit.services import audit_record
from apps.companies.models import Company
from apps.core.errors import Conflict, ValidationFailed


# ------------------------------------------------------------------------------------------------ budget
@transaction.atomic
def work_package_create(*, actor: Any, alliance: Alliance, code: str, title: str, assigned_company: Company | int,
                        cost_sharing: list[dict[str, Any]] | None = None) -> WorkPackage:
    """A work package of the development plan; costs follow the agreement's split unless it names its own."""
    alliance, company = _locked_as_party(alliance, actor)
    assigned_id = _require_party(alliance, assigned_company, "assigned_company")
    split = _shares(alliance, cost_sharing or [])
    terms = alliance.agreement.executed_version.terms if alliance.agreement.executed_version else {}
    if not split and not terms.get("cost_sharing"):
        raise ValidationFailed(_("The agreement has no cost-sharing split: give the work package its own."),
                               code="split_required", fields={"cost_sharing": [_("This field is required.")]})
    if WorkPackage.objects.filter(alliance=alliance, code=code).exists():
        raise Conflict(_("A work package with this code exists."), code="work_package_exists")
    package = WorkPackage.objects.create(alliance=alliance, code=code, title=title, assigned_company_id=assigned_id,
                                         cost_sharing=split)
    audit_record(action=acts.WORK_PACKAGE_CREATED, actor=actor, target=package, company=company,
                 details={"code": code, "cost_sharing": split})
    return package


@transaction.atomic
def budget_set(*, actor: Any, work_package: WorkPackage, year: int, quarter: int, currency: str,
               amount: Any) -> Budget:
    """The budget of a work package for one quarter and currency (set again to change it)."""
    alliance, company = _locked_as_party(work_package.alliance, actor)
    value = _amount(amount, currency)
    budget, _created = Budget.objects.update_or_create(
        work_package=work_package, year=year, quarter=quarter, currency=currency,
        defaults={"alliance": alliance, "amount": value})
    audit_record(action=acts.BUDGET_SET, actor=actor, target=budget, company=company,
                 details={"work_package": work_package.code, "year": year, "quarter": quarter,
                          "currency": currency, "amount": str(value)})
    return budget


@transaction.atomic
def cost_record(*, actor: Any, work_package: WorkPackage, year: int, quarter: int, currency: str, amount: Any,
                description: str = "", company_id: int | None = None) -> CostEntry:
    """A cost the actor's own party incurred: a party records only what it spent itself."""
    alliance, company = _locked_as_party(work_package.alliance, actor, company_id)
    value = _amount(amount, currency)
    entry = CostEntry.objects.create(alliance=alliance, work_package=work_package, company=company, year=year,
                                     quarter=quarter, currency=currency, amount=value, description=description,
                                     recorded_by=actor)
    audit_record(action=acts.COST_RECORDED, actor=actor, target=entry, company=company,
                 details={"work_package": work_package.code, "year": year, "quarter": quarter,
                          "currency": currency, "amount": str(value)})
    return entry
