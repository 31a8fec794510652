"""Exact statistics on Decimal amounts (the same linear interpolation as PostgreSQL's percentile_cont)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")


def percentile(values: Iterable[Decimal], fraction: Decimal) -> Decimal | None:
    """Linear interpolation between the two nearest ranks (percentile_cont, numpy's 'linear')."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return (ordered[lower] + (ordered[upper] - ordered[lower]) * weight).quantize(CENT, rounding=ROUND_HALF_EVEN)


def summary(values: Iterable[Decimal | None]) -> dict[str, Decimal | int | None]:
    present = [value for value in values if value is not None]
    return {
        "n": len(present),
        "sum": sum(present, Decimal(0)).quantize(CENT) if present else None,
        "q1": percentile(present, Decimal("0.25")),
        "median": percentile(present, Decimal("0.5")),
        "q3": percentile(present, Decimal("0.75")),
    }


def percentile_rank(value: Decimal, population: Iterable[Decimal]) -> tuple[int, int]:
    """(rank 0-100, n): the share of the population below `value`, ties counted half (the "mid-rank" rule)."""
    values = list(population)
    if not values:
        return 0, 0
    below = sum(1 for item in values if item < value)
    equal = sum(1 for item in values if item == value)
    rank = (Decimal(below) + Decimal(equal) / 2) * 100 / Decimal(len(values))
    return int(rank.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)), len(values)


def significant(value: Decimal | None, digits: int = 2) -> Decimal | None:
    """Round to `digits` significant digits (platform aggregates are coarsened this way)."""
    if value is None or value == 0:
        return value
    exponent = value.adjusted() - (digits - 1)
    return value.scaleb(-exponent).quantize(Decimal(1), rounding=ROUND_HALF_EVEN).scaleb(exponent).quantize(CENT)
