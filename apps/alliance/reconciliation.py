"""The quarterly reconciliation of shared development costs: who spent what, who should have borne what, and
the balancing payments between the parties.

The arithmetic is a plain function (`reconcile`) so its properties can be tested on any input: per currency, the
parties' shares of the costs add up to exactly what was spent, the net positions sum to zero, and the balancing
payments settle every position. Amounts are Decimal, rounded to the currency's places with the agreements app's
rule; the cents that rounding leaves over go to the largest remainders (then the lowest company id), so nothing
is created or lost.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db.models import Sum

from apps.agreements.models import ExchangeRate
from apps.agreements.money import BASE_CURRENCY, Money, exponent, to_str

HUNDRED = Decimal(100)


@dataclass
class CurrencyReconciliation:
    currency: str
    spent: dict[int, Decimal] = field(default_factory=dict)
    should_bear: dict[int, Decimal] = field(default_factory=dict)
    net: dict[int, Decimal] = field(default_factory=dict)  # positive: owes that much to the others
    payments: list[tuple[int, int, Decimal]] = field(default_factory=list)  # (payer, payee, amount)


def _allocate(exact: Mapping[int, Decimal], total: Decimal, currency: str) -> dict[int, Decimal]:
    """Round each party's exact share down to the currency's places, then hand the cents left over to the largest
    remainders, so the rounded shares add up to `total` exactly."""
    step = exponent(currency)
    floored = {party: value.quantize(step, rounding=ROUND_FLOOR) for party, value in exact.items()}
    left = total - sum(floored.values(), Decimal(0))
    order = sorted(exact, key=lambda party: (-(exact[party] - floored[party]), party))
    index = 0
    while left > 0 and order:
        floored[order[index % len(order)]] += step
        left -= step
        index += 1
    return floored


def _settle(net: Mapping[int, Decimal]) -> list[tuple[int, int, Decimal]]:
    """Payments from the parties that owe to those owed, largest first; they settle every position."""
    owes = sorted(((amount, party) for party, amount in net.items() if amount > 0), key=lambda x: (-x[0], x[1]))
    owed = sorted(((-amount, party) for party, amount in net.items() if amount < 0), key=lambda x: (-x[0], x[1]))
    payments: list[tuple[int, int, Decimal]] = []
    i = j = 0
    debts: list[list[Any]] = [list(item) for item in owes]
    credits: list[list[Any]] = [list(item) for item in owed]
    while i < len(debts) and j < len(credits):
        amount = min(debts[i][0], credits[j][0])
        payments.append((debts[i][1], credits[j][1], amount))
        debts[i][0] -= amount
        credits[j][0] -= amount
        if debts[i][0] == 0:
            i += 1
        if credits[j][0] == 0:
            j += 1
    return payments


def reconcile(*, parties: Sequence[int], costs: Iterable[tuple[int, int, str, Decimal]],
              shares: Mapping[int, Mapping[int, Decimal]]) -> dict[str, CurrencyReconciliation]:
    """`costs`: (work package, spending party, currency, amount); `shares`: per work package, percent per party
    (adding up to 100). Returns one reconciliation per currency."""
    spent: dict[str, dict[int, Decimal]] = defaultdict(lambda: dict.fromkeys(parties, Decimal(0)))
    exact: dict[str, dict[int, Decimal]] = defaultdict(lambda: dict.fromkeys(parties, Decimal(0)))
    for work_package, party, currency, amount in costs:
        spent[currency][party] = spent[currency].get(party, Decimal(0)) + amount
        for sharer, percent in shares[work_package].items():
            exact[currency][sharer] = exact[currency].get(sharer, Decimal(0)) + amount * percent / HUNDRED
    result: dict[str, CurrencyReconciliation] = {}
    for currency in sorted(spent):
        total = sum(spent[currency].values(), Decimal(0))
        bear = _allocate(exact[currency], total, currency)
        net = {party: bear.get(party, Decimal(0)) - spent[currency].get(party, Decimal(0))
               for party in sorted(set(bear) | set(spent[currency]))}
        result[currency] = CurrencyReconciliation(currency=currency, spent=dict(spent[currency]), should_bear=bear,
                                                  net=net, payments=_settle(net))
    return result


def quarter_end(year: int, quarter: int) -> datetime.date:
    month = quarter * 3
    next_first = datetime.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
    return next_first - datetime.timedelta(days=1)


def _shares_by_work_package(alliance: Any) -> dict[int, dict[int, Decimal]]:
    """Percent per party for every work package: its own split, or the executed terms' split (two plain reads)."""
    from apps.agreements.models import Agreement
    from apps.alliance.models import WorkPackage

    terms = Agreement.objects.filter(pk=alliance.agreement_id).values_list(
        "executed_version__terms", flat=True).first() or {}
    default = {int(item["company"]): Decimal(item["share"]) for item in terms.get("cost_sharing") or []}
    return {pk: ({int(item["company"]): Decimal(item["share"]) for item in own} or default)
            for pk, own in WorkPackage.objects.filter(alliance=alliance).values_list("pk", "cost_sharing")}


def _rates(currencies: Iterable[str], on: datetime.date) -> dict[str, ExchangeRate]:
    """The latest rate on or before `on` for each currency, in one query."""
    latest: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.filter(currency__in=list(currencies), valid_on__lte=on).order_by(
            "currency", "-valid_on"):
        latest.setdefault(rate.currency, rate)
    return latest


def _usd(amount: Decimal, currency: str, rates: Mapping[str, ExchangeRate]) -> str | None:
    if currency == BASE_CURRENCY:
        return to_str(amount, BASE_CURRENCY)
    rate = rates.get(currency)
    if rate is None:
        return None
    return to_str(Money(amount, currency).convert(rate.usd_per_unit, BASE_CURRENCY).amount, BASE_CURRENCY)


def alliance_reconciliation(*, alliance: Any, year: int, quarter: int) -> dict[str, Any]:
    """The reconciliation of one quarter as the API shows it, in a constant number of queries: the parties, the
    work packages, the grouped sums of the quarter's costs and the exchange rates."""
    from apps.alliance.models import CostEntry, party_companies

    companies = party_companies(alliance)
    parties = [company.pk for company in companies]
    shares = _shares_by_work_package(alliance)
    sums = (CostEntry.objects.filter(alliance=alliance, year=year, quarter=quarter)
            .values_list("work_package_id", "company_id", "currency").annotate(total=Sum("amount"))
            .order_by())
    result = reconcile(parties=parties, costs=[(wp, party, cur, total) for wp, party, cur, total in sums],
                       shares=shares)
    on = quarter_end(year, quarter)
    rates = _rates(result, on)
    names = {company.pk: company for company in companies}

    def party(pk: int) -> dict[str, Any]:
        company = names.get(pk)
        return {"id": pk, "name": company.name_en if company else "", "name_zh": company.name_zh if company else ""}

    currencies = []
    for currency, rec in result.items():
        rate = rates.get(currency)
        currencies.append({
            "currency": currency,
            "usd_rate": "1" if currency == BASE_CURRENCY else (str(rate.usd_per_unit.normalize()) if rate else None),
            "usd_rate_date": rate.valid_on.isoformat() if rate and currency != BASE_CURRENCY else None,
            "parties": [{"company": party(pk), "spent": to_str(rec.spent.get(pk, Decimal(0)), currency),
                         "should_bear": to_str(rec.should_bear.get(pk, Decimal(0)), currency),
                         "net": to_str(rec.net.get(pk, Decimal(0)), currency),
                         "net_usd": _usd(rec.net.get(pk, Decimal(0)), currency, rates)}
                        for pk in parties],
            "payments": [{"payer": party(payer), "payee": party(payee), "amount": to_str(amount, currency),
                          "amount_usd": _usd(amount, currency, rates)} for payer, payee, amount in rec.payments],
        })
    return {"year": year, "quarter": quarter, "as_of": on.isoformat(), "currencies": currencies}
