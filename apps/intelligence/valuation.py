"""Risk-adjusted NPV of an asset under a term-sheet version, from the licensor's side, in Decimal.

The model (stated once, tested against a hand-computed example in tests/intelligence/test_valuation.py):

* **Timeline.** The asset is in `stage` in `start_year`. The remaining phase transitions (phase 1 -> 2, 2 -> 3,
  3 -> filing, filing -> approval; discovery/preclinical/IND-enabling first pass "preclinical -> phase 1") are
  spread evenly from start_year to `launch_year`: transition i of n completes in
  start_year + round_half_even(i * (launch_year - start_year) / n); the last one completes in launch_year.
* **Probability alive in year y** = the product of the probabilities of the transitions completed by y.
* **Cash flows** (in the version's currency): the upfront in start_year (certain); each development or regulatory
  milestone in the year of its due date (undated ones in launch_year), weighted by the probability alive then;
  each sales milestone in the first year net sales reach its threshold; royalties on each year's net sales,
  tier by tier (the agreements app's royalty_due), weighted by the probability of launch.
* **Sales** ramp linearly to `peak_sales` over `years_to_peak` years from launch, then stay flat until
  `years_on_market` years have passed.
* **Discounting**: year y's expected cash flow x (1 + r)^-(y - start_year); each year's present value is quantized
  to the currency (ROUND_HALF_EVEN) and the rNPV is the sum of those.
* **Sensitivity**: the rNPV for the discount rate -2/0/+2 points and peak sales -20%/0/+20%.

Default probabilities: BIO, Informa Pharma Intelligence, QLS, "Clinical Development Success Rates 2011-2020"
(February 2021), phase-transition success rates, all indications and by area, as stored in PhaseTransition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Money, quantize
from apps.agreements.selectors import royalty_due
from apps.catalog.models import Stage
from apps.core.errors import ValidationFailed

# The transition that leaves each stage; Phase 1b/2 is taken as phase 2.
TRANSITION_OF_STAGE = {
    Stage.DISCOVERY: "preclinical", Stage.PRECLINICAL: "preclinical", Stage.IND_ENABLING: "preclinical",
    Stage.PHASE_1: Stage.PHASE_1, Stage.PHASE_1B_2: Stage.PHASE_2, Stage.PHASE_2: Stage.PHASE_2,
    Stage.PHASE_3: Stage.PHASE_3, Stage.FILED: Stage.FILED,
}
TRANSITIONS = ["preclinical", Stage.PHASE_1, Stage.PHASE_2, Stage.PHASE_3, Stage.FILED]
MAX_YEARS = 40
RATE_STEP = Decimal("0.02")
SALES_STEP = Decimal("0.20")


@dataclass
class ValuationInput:
    stage: str
    currency: str
    terms: dict[str, Any]
    start_year: int
    launch_year: int
    peak_sales: Decimal
    discount_rate: Decimal
    probabilities: dict[str, Decimal]
    years_to_peak: int = 5
    years_on_market: int = 10
    sources: dict[str, str] = field(default_factory=dict)


def remaining_transitions(stage: str) -> list[str]:
    if stage == Stage.APPROVED:
        return []
    first = TRANSITION_OF_STAGE[Stage(stage)]
    return [str(name) for name in TRANSITIONS[TRANSITIONS.index(first):]]


def completion_years(n: int, start_year: int, launch_year: int) -> list[int]:
    span = Decimal(launch_year - start_year)
    return [start_year + int((Decimal(i) * span / Decimal(n)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
            for i in range(1, n + 1)]


def validate(data: ValuationInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.launch_year < data.start_year:
        errors["launch_year"] = [str(_("The launch cannot come before the valuation year."))]
    if data.launch_year + data.years_on_market - data.start_year > MAX_YEARS:
        errors["years_on_market"] = [str(_("At most %(n)d years in all.") % {"n": MAX_YEARS})]
    if not Decimal("-0.5") < data.discount_rate < Decimal(1):
        errors["discount_rate"] = [str(_("A rate such as 0.10 for 10%."))]
    if data.peak_sales < 0:
        errors["peak_sales"] = [str(_("Peak sales cannot be negative."))]
    if not 1 <= data.years_to_peak <= 20:
        errors["years_to_peak"] = [str(_("Between 1 and 20 years."))]
    if not 1 <= data.years_on_market <= 30:
        errors["years_on_market"] = [str(_("Between 1 and 30 years."))]
    missing = [name for name in remaining_transitions(data.stage) if name not in data.probabilities]
    if missing:
        errors["probabilities"] = [str(_("No probability for: %(names)s (give one).") % {"names": ", ".join(missing)})]
    for _name, value in data.probabilities.items():
        if not Decimal(0) <= value <= Decimal(1):
            errors["probabilities"] = [str(_("Probabilities are between 0 and 1."))]
    if errors:
        raise ValidationFailed(_("The valuation inputs are not valid."), code="invalid_valuation", fields=errors)


def _sales(data: ValuationInput, year: int, peak: Decimal) -> Decimal:
    if year < data.launch_year or year >= data.launch_year + data.years_on_market:
        return Decimal(0)
    years_in = year - data.launch_year + 1
    return peak * Decimal(min(years_in, data.years_to_peak)) / Decimal(data.years_to_peak)


def rnpv(data: ValuationInput, *, rate: Decimal | None = None, peak: Decimal | None = None,
         breakdown: bool = True) -> dict[str, Any]:
    rate = data.discount_rate if rate is None else rate
    peak = data.peak_sales if peak is None else peak
    currency = data.currency
    transitions = remaining_transitions(data.stage)
    done_in = completion_years(len(transitions), data.start_year, data.launch_year) if transitions else []
    launch_probability = Decimal(1)
    for name in transitions:
        launch_probability *= data.probabilities[name]

    def alive(year: int) -> Decimal:
        probability = Decimal(1)
        for name, finished in zip(transitions, done_in, strict=True):
            if finished <= year:
                probability *= data.probabilities[name]
        return probability

    last_year = data.launch_year + data.years_on_market - 1
    years = list(range(data.start_year, last_year + 1))
    milestones_by_year: dict[int, Decimal] = {}
    sales_milestones = []
    for milestone in data.terms.get("milestones") or []:
        amount = Decimal(milestone["amount"])
        if milestone.get("kind") == "sales" and milestone.get("sales_threshold") is not None:
            sales_milestones.append((Decimal(milestone["sales_threshold"]), amount))
            continue
        due = milestone.get("due_date")
        year = int(str(due)[:4]) if due else data.launch_year
        year = max(year, data.start_year)
        milestones_by_year[year] = milestones_by_year.get(year, Decimal(0)) + amount
    rows = []
    total = Decimal(0)
    paid_sales_milestones: set[int] = set()
    for year in years:
        sales = _sales(data, year, peak)
        probability = alive(year)
        upfront = Decimal(data.terms.get("upfront") or 0) if year == data.start_year else Decimal(0)
        milestones = milestones_by_year.get(year, Decimal(0)) * probability
        sales_ms = Decimal(0)
        for index, (threshold, amount) in enumerate(sales_milestones):
            if index not in paid_sales_milestones and sales >= threshold and sales > 0:
                paid_sales_milestones.add(index)
                sales_ms += amount
        royalties = royalty_due(data.terms.get("royalty_tiers") or [], sales, currency).amount if sales else Decimal(0)
        commercial = (royalties + sales_ms) * launch_probability if year >= data.launch_year else Decimal(0)
        expected = upfront + milestones + commercial
        factor = Decimal(1) / ((Decimal(1) + rate) ** (year - data.start_year))
        present = quantize(expected * factor, currency)
        total += present
        if breakdown:
            rows.append({"year": year, "probability": str(probability.quantize(Decimal("0.0001"))),
                         "net_sales": str(quantize(sales, currency)), "upfront": str(quantize(upfront, currency)),
                         "milestones": str(quantize(milestones, currency)),
                         "sales_milestones": str(quantize(sales_ms * launch_probability, currency)),
                         "royalties": str(quantize(royalties * launch_probability, currency)),
                         "expected": str(quantize(expected, currency)),
                         "discount_factor": str(factor.quantize(Decimal("0.000001"))),
                         "present_value": str(present)})
    result: dict[str, Any] = {"rnpv": str(Money(total, currency).quantized().amount), "currency": currency}
    if breakdown:
        result.update({"launch_probability": str(launch_probability.quantize(Decimal("0.0001"))),
                       "transitions": [{"transition": name, "completes_in": year,
                                        "probability": str(data.probabilities[name])}
                                       for name, year in zip(transitions, done_in, strict=True)],
                       "years": rows})
    return result


def valuate(data: ValuationInput) -> dict[str, Any]:
    """The rNPV with its per-year breakdown and the sensitivity table."""
    validate(data)
    result = rnpv(data)
    rates = [data.discount_rate - RATE_STEP, data.discount_rate, data.discount_rate + RATE_STEP]
    peaks = [data.peak_sales * (1 - SALES_STEP), data.peak_sales, data.peak_sales * (1 + SALES_STEP)]
    result["sensitivity"] = {
        "discount_rates": [str(rate) for rate in rates],
        "peak_sales": [str(quantize(peak, data.currency)) for peak in peaks],
        "rnpv": [[rnpv(data, rate=rate, peak=peak, breakdown=False)["rnpv"] for peak in peaks] for rate in rates],
    }
    result["inputs"] = {"stage": data.stage, "start_year": data.start_year, "launch_year": data.launch_year,
                        "peak_sales": str(data.peak_sales), "discount_rate": str(data.discount_rate),
                        "years_to_peak": data.years_to_peak, "years_on_market": data.years_on_market,
                        "probabilities": {k: str(v) for k, v in sorted(data.probabilities.items())},
                        "probability_sources": data.sources}
    return result
