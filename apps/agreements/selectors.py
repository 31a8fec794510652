"""Reads for agreements: restricted querysets, derived money figures, the readable diff of two versions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import (
    ACHIEVED_STATUSES,
    IN_FORCE,
    Agreement,
    AgreementVersion,
    ExchangeRate,
    Milestone,
    MilestoneStatus,
)
from apps.agreements.money import BASE_CURRENCY, Money, plain, to_str
from apps.agreements.terms import ALL_FIELDS, Exclusivity
from apps.catalog.territories import Territory, describe_spec
from apps.companies.models import Company
from apps.companies.selectors import acting_company
from apps.core.authz import VIEW


def agreements_for(user: Any, action: str = VIEW) -> QuerySet[Agreement]:
    return Agreement.objects.for_user(user, action).select_related("licensor", "current_version",
                                                                     "executed_version")


def milestones_for(user: Any, action: str = VIEW) -> QuerySet[Milestone]:
    return Milestone.objects.for_user(user, action).select_related("agreement")


def party_ids(agreement: Agreement) -> list[int]:
    """The ids of the agreement's party companies."""
    return list(agreement.parties.values_list("company_id", flat=True))


def acting_party(actor: Any, agreement: Agreement, roles: tuple[str, ...], company_id: int | None = None,
                 *, refusal: Any = None) -> Company:
    """The party company `actor` acts for, holding one of `roles` (the alliance asks the same of its parties).
    None → 403; a member of several parties who does not say which → 400 company_required."""
    return acting_company(actor, party_ids(agreement), roles, company_id, refusal=refusal)


def exclusivity_overlap(*, exclusive: bool, fields: set[str] | list[str], countries: frozenset[str],
                        other_exclusive: bool, other_fields: set[str] | list[str],
                        other_countries: frozenset[str] | list[str]) -> frozenset[str]:
    """The countries where two licences over one asset collide: at least one is exclusive (an exclusive right
    leaves room for no other licence there), their fields of use overlap ("all" overlaps everything) and their
    territories share countries. Empty when they can coexist."""
    if not (exclusive or other_exclusive):
        return frozenset()
    fields, other_fields = set(fields), set(other_fields)
    if not (ALL_FIELDS in fields or ALL_FIELDS in other_fields or fields & other_fields):
        return frozenset()
    return frozenset(countries) & frozenset(other_countries)


def exclusivity_conflicts(*, agreement: Agreement, terms: dict[str, Any], asset_ids: list[int]
                          ) -> list[tuple[Agreement, list[str]]]:
    """In-force agreements over the same assets that collide with these terms (exclusivity_overlap), with the
    overlapping countries. Call with the assets locked (select_for_update): two executions over one asset then
    run one after the other, and the second sees the first."""
    exclusive = terms["exclusivity"] == Exclusivity.EXCLUSIVE
    countries = Territory.parse(terms["territory"])
    candidates = (Agreement.objects.filter(status__in=IN_FORCE, assets__in=asset_ids).exclude(pk=agreement.pk)
                  .distinct().order_by("pk"))
    if not exclusive:
        candidates = candidates.filter(exclusive=True)
    conflicts = []
    for other in candidates:
        overlap = exclusivity_overlap(exclusive=exclusive, fields=terms["field_of_use"], countries=countries,
                                      other_exclusive=other.exclusive, other_fields=other.field_of_use,
                                      other_countries=other.territory_countries)
        if overlap:
            conflicts.append((other, sorted(overlap)))
    return conflicts


def party_users(agreement: Agreement, *, exclude_company_id: int | None = None, roles: tuple[str, ...] | None = None
                ) -> QuerySet:
    """Active members of the party companies (optionally without the members of one company, optionally only
    those holding one of `roles` in a party: the role is matched on the party membership, in one filter())."""
    from apps.accounts.models import User

    membership: dict[str, Any] = {"memberships__company__agreement_parties__agreement": agreement}
    if roles is not None:
        membership["memberships__role__in"] = roles
    people = User.objects.filter(is_active=True, **membership)
    if exclude_company_id is not None:
        people = people.exclude(memberships__company_id=exclude_company_id)
    return people.distinct()


# ---------------------------------------------------------------------------------------------- money
def exchange_rate(currency: str, on: datetime.date | None = None) -> ExchangeRate | None:
    """The latest rate for `currency` valid on or before `on` (today by default); None if staff entered none."""
    on = on or timezone.localdate()
    return ExchangeRate.objects.filter(currency=currency, valid_on__lte=on).order_by("-valid_on").first()


def to_usd(money: Money, on: datetime.date | None = None) -> dict[str, Any]:
    """The figure in USD with the rate and its date, or amount null with `missing_rate` true (never a crash)."""
    if money.currency == BASE_CURRENCY:
        return {"amount": to_str(money.amount, BASE_CURRENCY), "currency": BASE_CURRENCY, "rate": "1",
                "rate_date": None, "missing_rate": False}
    rate = exchange_rate(money.currency, on)
    if rate is None:
        return {"amount": None, "currency": BASE_CURRENCY, "rate": None, "rate_date": None, "missing_rate": True,
                "message": str(_("No exchange rate for %(currency)s has been entered yet.")
                               % {"currency": money.currency})}
    converted = money.convert(rate.usd_per_unit, BASE_CURRENCY)
    return {"amount": to_str(converted.amount, BASE_CURRENCY), "currency": BASE_CURRENCY,
            "rate": plain(rate.usd_per_unit), "rate_date": rate.valid_on.isoformat(),
            "missing_rate": False}


def terms_figures(terms: dict[str, Any]) -> dict[str, Money]:
    currency = terms["currency"]
    upfront = Money(Decimal(terms["upfront"]), currency)
    milestones = Money(sum((Decimal(m["amount"]) for m in terms.get("milestones") or []), Decimal(0)), currency)
    equity = Money(Decimal(terms.get("equity_investment") or 0), currency)
    return {"upfront": upfront, "milestones_total": milestones, "equity_investment": equity,
            "total_deal_value": upfront + milestones}


def agreement_figures(agreement: Agreement, *, on: datetime.date | None = None) -> dict[str, Any]:
    """Total deal value (upfront + all milestones, as headlines quote it) and achieved / invoiced / paid so far,
    in the agreement's currency and in USD (with the rate used and its date)."""
    version = agreement.executed_version or agreement.current_version
    if version is None:
        return {}
    figures = terms_figures(version.terms)
    currency = version.currency
    sums = {"achieved": Decimal(0), "invoiced": Decimal(0), "paid": Decimal(0)}
    if agreement.executed_version_id:
        for status, amount in agreement.milestones.exclude(status=MilestoneStatus.CANCELLED).values_list(
                "status", "amount"):
            if status in ACHIEVED_STATUSES:
                sums["achieved"] += amount
            if status in (MilestoneStatus.INVOICED, MilestoneStatus.PAID):
                sums["invoiced"] += amount
            if status == MilestoneStatus.PAID:
                sums["paid"] += amount
    for name, amount in sums.items():
        figures[name] = Money(amount, currency)
    return {
        "version": version.number,
        "currency": currency,
        "rounding": "ROUND_HALF_EVEN",
        "figures": {name: money.as_dict() for name, money in figures.items()},
        "usd": {name: to_usd(money, on) for name, money in figures.items()},
    }


def portfolio_figures(user: Any, *, on: datetime.date | None = None) -> dict[str, Any]:
    """Across the agreements in force that `user` may see: totals per currency, and their sum in USD. A currency
    without a rate is listed in `missing_rates` and left out of the USD sum (never guessed)."""
    per_currency: dict[str, dict[str, Money]] = {}
    names = ("total_deal_value", "upfront", "milestones_total", "achieved", "invoiced", "paid")
    agreements = Agreement.objects.for_user(user, VIEW).filter(status__in=IN_FORCE).select_related(
        "executed_version")
    for agreement in agreements:
        executed = agreement.executed_version
        if executed is None:  # in force always means executed; skip rather than guess
            continue
        figures = terms_figures(executed.terms)
        currency = executed.currency
        bucket = per_currency.setdefault(currency, {name: Money(Decimal(0), currency) for name in names})
        for name in ("total_deal_value", "upfront", "milestones_total"):
            bucket[name] = bucket[name] + figures[name]
    progress = (Milestone.objects.filter(agreement__in=agreements).exclude(status=MilestoneStatus.CANCELLED)
                .values_list("currency", "status", "amount"))
    for currency, status, amount in progress:
        found = per_currency.get(currency)
        if found is None:
            continue
        bucket = found
        money = Money(amount, currency)
        if status in ACHIEVED_STATUSES:
            bucket["achieved"] = bucket["achieved"] + money
        if status in (MilestoneStatus.INVOICED, MilestoneStatus.PAID):
            bucket["invoiced"] = bucket["invoiced"] + money
        if status == MilestoneStatus.PAID:
            bucket["paid"] = bucket["paid"] + money
    usd_sum = {name: Decimal(0) for name in names}
    rates, missing = {}, []
    for currency, bucket in sorted(per_currency.items()):
        converted = {name: to_usd(money, on) for name, money in bucket.items()}
        if converted["total_deal_value"]["missing_rate"]:
            missing.append(currency)
            continue
        rates[currency] = {"rate": converted["total_deal_value"]["rate"],
                           "rate_date": converted["total_deal_value"]["rate_date"]}
        for name in names:
            usd_sum[name] += Decimal(converted[name]["amount"])
    return {
        "agreements": len(agreements),
        "rounding": "ROUND_HALF_EVEN",
        "per_currency": {currency: {name: money.as_dict()["amount"] for name, money in bucket.items()}
                         for currency, bucket in sorted(per_currency.items())},
        "usd": {name: to_str(amount, BASE_CURRENCY) for name, amount in usd_sum.items()},
        "rates": rates,
        "missing_rates": missing,
    }


def royalty_due(tiers: list[dict[str, Any]], net_sales: Decimal, currency: str) -> Money:
    """Royalty on annual net sales, tier by tier (each rate applies to the slice of sales inside its tier)."""
    total = Decimal(0)
    for tier in tiers:
        lower = Decimal(tier["from_net_sales"])
        upper = Decimal(tier["to_net_sales"]) if tier.get("to_net_sales") is not None else None
        if net_sales <= lower:
            break
        slice_top = net_sales if upper is None else min(net_sales, upper)
        total += (slice_top - lower) * Decimal(tier["rate"]) / Decimal(100)
    return Money(total, currency).quantized()


# ----------------------------------------------------------------------------------------------- diff
LABELS = {
    "territory": _("Territory"),
    "field_of_use": _("Field of use"),
    "exclusivity": _("Exclusivity"),
    "term.years": _("Term (years)"),
    "term.description": _("Term"),
    "effective_date": _("Effective date"),
    "currency": _("Currency"),
    "upfront": _("Upfront payment"),
    "equity_investment": _("Equity investment"),
    "milestones": _("Milestone"),
    "milestones.kind": _("Milestone kind"),
    "milestones.description": _("Milestone description"),
    "milestones.amount": _("Milestone amount"),
    "milestones.due_date": _("Milestone due date"),
    "milestones.regulatory_event": _("Milestone regulatory event"),
    "milestones.sales_threshold": _("Milestone sales threshold"),
    "royalty_tiers": _("Royalty tiers"),
    "cost_sharing": _("Cost-sharing split"),
    "governance.jsc_members": _("JSC members"),
    "governance.meeting_cadence": _("JSC meeting cadence"),
    "governance.first_meeting": _("First JSC meeting"),
    "governance": _("Governance"),
}


def _labels(key: str) -> dict[str, str]:
    label = LABELS[key]
    with translation.override("en"):
        en = str(label)
    with translation.override("zh-hans"):
        zh = str(label)
    return {"label": str(label), "label_en": en, "label_zh": zh}


def _entry(field: str, label_key: str, before: Any, after: Any) -> dict[str, Any]:
    change = "changed"
    if before is None and after is not None:
        change = "added"
    elif after is None and before is not None:
        change = "removed"
    return {"field": field, **_labels(label_key), "change": change, "before": before, "after": after}


def version_diff(old: AgreementVersion, new: AgreementVersion) -> list[dict[str, Any]]:
    """Field-by-field differences between two versions, each with its label in English and Chinese."""
    a, b = old.terms, new.terms
    changes: list[dict[str, Any]] = []
    if a.get("territory") != b.get("territory"):
        changes.append(_entry("territory", "territory", describe_spec(a["territory"]),
                              describe_spec(b["territory"])))
    for key in ("field_of_use", "exclusivity", "effective_date", "currency", "upfront", "equity_investment"):
        if a.get(key) != b.get(key):
            changes.append(_entry(key, key, a.get(key), b.get(key)))
    for key in ("years", "description"):
        before, after = (a.get("term") or {}).get(key), (b.get("term") or {}).get(key)
        if before != after:
            changes.append(_entry(f"term.{key}", f"term.{key}", before, after))
    old_ms = {m["key"]: m for m in a.get("milestones") or []}
    new_ms = {m["key"]: m for m in b.get("milestones") or []}
    for key in sorted(set(old_ms) | set(new_ms)):
        before, after = old_ms.get(key), new_ms.get(key)
        if before is None or after is None:
            changes.append(_entry(f"milestones[{key}]", "milestones", before, after))
            continue
        for attr in ("kind", "description", "amount", "due_date", "regulatory_event", "sales_threshold"):
            if before.get(attr) != after.get(attr):
                changes.append(_entry(f"milestones[{key}].{attr}", f"milestones.{attr}", before.get(attr),
                                      after.get(attr)))
    if (a.get("royalty_tiers") or []) != (b.get("royalty_tiers") or []):
        changes.append(_entry("royalty_tiers", "royalty_tiers", a.get("royalty_tiers") or [],
                              b.get("royalty_tiers") or []))
    if (a.get("cost_sharing") or []) != (b.get("cost_sharing") or []):
        changes.append(_entry("cost_sharing", "cost_sharing", a.get("cost_sharing") or [],
                              b.get("cost_sharing") or []))
    ga, gb = a.get("governance"), b.get("governance")
    if ga is None or gb is None:
        if ga != gb:
            changes.append(_entry("governance", "governance", ga, gb))
    else:
        for key in ("jsc_members", "meeting_cadence", "first_meeting"):
            if ga.get(key) != gb.get(key):
                changes.append(_entry(f"governance.{key}", f"governance.{key}", ga.get(key), gb.get(key)))
    return changes
