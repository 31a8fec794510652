"""Reads of deal intelligence: records, analytics, comparables.

K-anonymity of platform deals (the rule every read here keeps)
---------------------------------------------------------------
A platform deal is readable one by one only by members of its parties (DealRecord.access_q). Everyone else meets
platform deals only in the `platform` block of the analytics, built so that no caller can steer it onto one deal:

1. **Filters never touch it.** Filters (year, area, modality, stage, territory, countries, deal type, the China
   out-licensing view) apply to public records only. The platform block is always computed over *all* released
   platform deals, so two queries with different filters get the same platform block: differencing two filtered
   queries ("5 deals minus 4 deals") yields nothing.
2. **One fixed partition, at least K per cell.** It is grouped by at most one dimension the caller names; cells with
   fewer than K (5) deals are suppressed, and if the suppressed cells together hold between 1 and K-1 deals (so
   "total minus the shown cells" would describe fewer than K deals), the smallest shown cells are suppressed too
   until the residue holds 0 or at least K deals. The whole block is suppressed below K deals.
3. **Figures never move by one deal.** Platform deals enter statistics in batches of at least K (released_at);
   a released deal cannot be withdrawn; amounts are rounded to two significant digits.
4. **Nowhere else.** Comparables, percentile ranks, charts and lists use public records only (a caller who could
   move the proposed terms of their own version could otherwise binary-search a platform deal's upfront).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import Agreement
from apps.agreements.money import Money
from apps.agreements.selectors import agreements_for, party_users, terms_figures, to_usd
from apps.catalog.models import STAGE_RANK, Asset, DealType, Modality, Stage, TherapeuticArea
from apps.core.authz import VIEW
from apps.core.countries import COUNTRY_CODES, MAINLAND_CHINA
from apps.core.errors import NotFound, PermissionRefused, ValidationFailed
from apps.intelligence.breakdown import DIMENSION_FIELDS, group_key, grouped_stats, money, stat_block
from apps.intelligence.models import (
    K_ANONYMITY,
    TERRITORY_CHOICES,
    DealRecord,
    DealSource,
    MarketFigure,
    PhaseTransition,
)
from apps.intelligence.stats import percentile_rank, significant, summary

DIMENSIONS = ("year", "quarter", "area", "modality", "stage", "territory", "licensor_country", "licensee_country",
              "deal_type")
MAX_GROUP_BY = 2
YEAR_MIN, YEAR_MAX = 1900, 2200
FILTER_CHOICES: dict[str, set[str]] = {
    "area": set(TherapeuticArea.values),
    "modality": set(Modality.values),
    "stage": set(Stage.values),
    "territory": {code for code, _label in TERRITORY_CHOICES},
    "licensor_country": set(COUNTRY_CODES),
    "licensee_country": set(COUNTRY_CODES),
    "deal_type": set(DealType.values),
}
FILTER_FIELDS = DIMENSION_FIELDS


def deals_for(user: Any, action: str = VIEW) -> QuerySet[DealRecord]:
    return DealRecord.objects.for_user(user, action)


def public_deals_for(user: Any) -> QuerySet[DealRecord]:
    return deals_for(user).filter(source_kind=DealSource.PUBLIC)


def market_figures_for(user: Any, action: str = VIEW) -> QuerySet[MarketFigure]:
    return MarketFigure.objects.for_user(user, action)


def phase_transitions_for(user: Any, action: str = VIEW) -> QuerySet[PhaseTransition]:
    return PhaseTransition.objects.for_user(user, action)


def may_read_analytics(user: Any) -> bool:
    """The audience of analytics is the audience of public records: staff and members of verified companies."""
    from apps.intelligence.models import verified_reader_q

    return bool(user is not None and user.is_authenticated and user.is_active and verified_reader_q(user))


# ------------------------------------------------------------------------------------------ parameters
def parse_analytics_params(params: Any) -> dict[str, Any]:
    """Validated group_by and filters from a query string; unknown values are a 400, never ignored."""
    errors: dict[str, list[str]] = {}
    group_by = [part for part in (params.get("group_by") or "year").split(",") if part]
    bad = [part for part in group_by if part not in DIMENSIONS]
    if bad or len(group_by) > MAX_GROUP_BY or len(set(group_by)) != len(group_by):
        errors["group_by"] = [str(_("Up to two of: %(dims)s.") % {"dims": ", ".join(DIMENSIONS)})]
    filters: dict[str, list[str]] = {}
    for name, allowed in FILTER_CHOICES.items():
        raw = params.get(name)
        if not raw:
            continue
        values = [value.strip() for value in raw.split(",") if value.strip()]
        if name.endswith("_country"):
            values = [value.upper() for value in values]
        unknown = [value for value in values if value not in allowed]
        if unknown or not values:
            errors[name] = [str(_("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})]
        filters[name] = values
    years: dict[str, int] = {}
    for name in ("year_from", "year_to"):
        raw = params.get(name)
        if raw:
            if not str(raw).isdigit() or not YEAR_MIN <= int(raw) <= YEAR_MAX:
                errors[name] = [str(_("A year such as 2024."))]
            else:
                years[name] = int(raw)
    china = str(params.get("china_out_licensing") or "").lower()
    if china not in ("", "true", "false", "1", "0"):
        errors["china_out_licensing"] = [str(_("true or false."))]
    if errors:
        raise ValidationFailed(_("Some parameters are not valid."), code="invalid_parameters", fields=errors)
    return {"group_by": group_by, "filters": filters, **years, "china_out_licensing": china in ("true", "1")}


def apply_filters(queryset: QuerySet[DealRecord], spec: dict[str, Any]) -> QuerySet[DealRecord]:
    for name, values in spec["filters"].items():
        queryset = queryset.filter(**{f"{FILTER_FIELDS[name]}__in": values})
    if "year_from" in spec:
        queryset = queryset.filter(announced_on__gte=datetime.date(spec["year_from"], 1, 1))
    if "year_to" in spec:
        queryset = queryset.filter(announced_on__lte=datetime.date(spec["year_to"], 12, 31))
    if spec.get("china_out_licensing"):
        queryset = china_out_licensing(queryset)
    return queryset


def china_out_licensing(queryset: QuerySet[DealRecord]) -> QuerySet[DealRecord]:
    """Licensor in mainland China, licensee outside it (Hong Kong, Macau and Taiwan count as outside)."""
    return queryset.filter(licensor_country=MAINLAND_CHINA).exclude(licensee_country=MAINLAND_CHINA)


# ------------------------------------------------------------------------------------------- analytics
def deal_analytics(user: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Counts, sums and quartiles of public records by the chosen dimensions (filters in any combination), the
    same over all of them, and the k-anonymous platform block. A constant number of queries."""
    group_by: list[str] = spec["group_by"]
    rows, overall = grouped_stats(apply_filters(public_deals_for(user), spec), group_by)
    groups = []
    for row in rows:
        groups.append({
            "key": group_key(group_by, row), "count": row["count"],
            "upfront_usd": stat_block(row["upfront_usd"]), "total_value_usd": stat_block(row["total_value_usd"]),
            "by_currency": row["by_currency"],
            "missing_usd_rate": row["missing_usd"],
        })
    return {
        "group_by": group_by,
        "filters": {**spec["filters"], **{k: spec[k] for k in ("year_from", "year_to") if k in spec},
                    "china_out_licensing": spec.get("china_out_licensing", False)},
        "source": str(_("Computed from public deal records on the platform (each with its source).")),
        "usd_note": str(_("USD figures use the exchange rate valid on each deal's announcement date.")),
        "groups": groups,
        "overall": {"count": overall["count"], "upfront_usd": stat_block(overall["upfront_usd"]),
                    "total_value_usd": stat_block(overall["total_value_usd"]),
                    "missing_usd_rate": overall["missing_usd"]},
        "platform": platform_block(group_by),
    }


def platform_block(group_by: list[str]) -> dict[str, Any]:
    """Released platform deals, never filtered, by at most one dimension, with cell and complementary
    suppression (see the module docstring)."""
    note = str(_("Deals executed on the platform and contributed by their parties: shown only in groups of at "
                 "least %(k)d deals, never filtered, amounts rounded to two significant digits.")
               % {"k": K_ANONYMITY})
    released = DealRecord.objects.filter(source_kind=DealSource.PLATFORM, released_at__isnull=False)
    columns = ("announced_on", "therapeutic_area", "modality", "stage", "territory", "licensor_country",
               "licensee_country", "deal_type", "upfront_usd", "total_value_usd")
    rows: list[dict[str, Any]] = [dict(row) for row in released.values(*columns)]
    if len(rows) < K_ANONYMITY:
        return {"k": K_ANONYMITY, "note": note, "suppressed": True, "overall": None, "groups": []}
    dims = group_by[:1] if len(group_by) == 1 else []
    cells: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if dims:
        for row in rows:
            cells[_platform_key(dims[0], row)].append(row)
    shown = {key: members for key, members in cells.items() if len(members) >= K_ANONYMITY}
    residue = len(rows) - sum(len(members) for members in shown.values())
    while 0 < residue < K_ANONYMITY and shown:
        smallest = min(shown, key=lambda key: (len(shown[key]), key))
        residue += len(shown.pop(smallest))
    return {
        "k": K_ANONYMITY, "note": note, "suppressed": False,
        "overall": _platform_stats(rows),
        "groups": [{"key": {dims[0]: key}, **_platform_stats(members)} for key, members in sorted(shown.items())],
        "suppressed_deals": residue if dims else 0,
    }


def _platform_key(dim: str, row: dict[str, Any]) -> str:
    if dim == "year":
        return str(row["announced_on"].year)
    if dim == "quarter":
        return f"{row['announced_on'].year}-Q{(row['announced_on'].month - 1) // 3 + 1}"
    return str(row[FILTER_FIELDS[dim]])


def _platform_stats(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"count": len(rows)}
    for field in ("upfront_usd", "total_value_usd"):
        stats = summary(row[field] for row in rows)
        if int(stats["n"] or 0) < K_ANONYMITY:  # too few disclosed amounts in this cell: no amount at all
            out[field] = {"n": None, "sum": None, "q1": None, "median": None, "q3": None}
        else:
            out[field] = {"n": stats["n"], **{name: money(significant(stats[name]))  # type: ignore[arg-type]
                                              for name in ("sum", "q1", "median", "q3")}}
    return out


# ----------------------------------------------------------------------------------------- comparables
def comparable_deals(*, modality: str, areas: list[str], stage: str) -> QuerySet[DealRecord]:
    """Public records of the same modality and area, stage at signing within one step."""
    rank = STAGE_RANK.get(stage, 0)
    return DealRecord.objects.filter(source_kind=DealSource.PUBLIC, modality=modality, therapeutic_area__in=areas,
                                     stage_rank__gte=rank - 1, stage_rank__lte=rank + 1)


def _visible_asset(user: Any, asset_id: Any) -> Asset:
    try:
        return Asset.objects.for_user(user, VIEW).get(pk=int(asset_id))
    except (Asset.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _deal_row(deal: DealRecord) -> dict[str, Any]:
    return {"id": deal.pk, "announced_on": deal.announced_on.isoformat(), "licensor": deal.licensor_name_en,
            "licensee": deal.licensee_name_en, "asset_name": deal.asset_name, "stage": deal.stage,
            "currency": deal.currency, "upfront": money(deal.upfront), "total_value": money(deal.total_value),
            "upfront_usd": money(deal.upfront_usd), "total_value_usd": money(deal.total_value_usd),
            "source_url": deal.source_url}


def asset_comparables(user: Any, asset_id: Any) -> dict[str, Any]:
    """Comparable public deals for an asset the caller may see (same modality and area, stage within one step)."""
    if not may_read_analytics(user):
        raise NotFound()
    asset = _visible_asset(user, asset_id)
    areas = list(asset.therapeutic_areas or [])
    deals = list(comparable_deals(modality=asset.modality, areas=areas, stage=asset.stage)
                 .order_by("-announced_on", "pk")[:200])
    return {"asset": {"id": asset.pk, "code_name": asset.code_name, "modality": asset.modality,
                      "therapeutic_areas": areas, "stage": asset.stage},
            "count": len(deals),
            "upfront_usd": stat_block(summary(d.upfront_usd for d in deals)),
            "total_value_usd": stat_block(summary(d.total_value_usd for d in deals)),
            "comparables": [_deal_row(deal) for deal in deals]}


def party_agreement(user: Any, agreement_id: Any) -> Any:
    """The agreement if `user` is a member of one of its parties (the agreements app's selectors decide);
    404 for anyone who cannot see it, 403 for someone who sees it without being a party (staff)."""
    try:
        agreement = agreements_for(user).get(pk=int(agreement_id))
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not party_users(agreement).filter(pk=user.pk).exists():
        raise PermissionRefused(_("Only the agreement's parties see its comparables and valuation."),
                                code="parties_only")
    return agreement


def ordinal(number: int, language: str | None = None) -> str:
    language = language or translation.get_language() or "en"
    if language.startswith("zh"):
        return f"第{number}"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _position(label: Any, proposed: Decimal | None, population: list[Decimal]) -> dict[str, Any]:
    if proposed is None or not population:
        return {"proposed_usd": money(proposed), "percentile": None, "n": len(population), "text": ""}
    rank, n = percentile_rank(proposed, population)
    text = _g("%(what)s at the %(ordinal)s percentile of %(n)d comparable deals") % {
        "what": str(label), "ordinal": ordinal(rank), "n": n}
    return {"proposed_usd": money(proposed), "percentile": rank, "n": n, "text": text}


def agreement_comparables(user: Any, agreement_id: Any) -> dict[str, Any]:
    """Where the current term-sheet version's upfront and total fall among the comparable public deals, for the
    agreement's parties only."""
    agreement = party_agreement(user, agreement_id)
    version = agreement.current_version
    asset = agreement.assets.order_by("pk").first()
    if version is None or asset is None:
        raise ValidationFailed(_("The agreement has no terms or no asset yet."), code="no_terms")
    figures = terms_figures(version.terms)
    proposed = {}
    for name in ("upfront", "total_deal_value"):
        converted = to_usd(Money(figures[name].amount, figures[name].currency))
        proposed[name] = Decimal(converted["amount"]) if converted["amount"] is not None else None
    areas = list(asset.therapeutic_areas or [])
    deals = list(comparable_deals(modality=asset.modality, areas=areas, stage=asset.stage)
                 .order_by("-announced_on", "pk")[:200])
    return {
        "agreement": agreement.pk, "version": version.number, "currency": version.currency,
        "asset": {"id": asset.pk, "code_name": asset.code_name, "modality": asset.modality,
                  "therapeutic_areas": areas, "stage": asset.stage},
        "upfront": _position(_("upfront"), proposed["upfront"],
                             [d.upfront_usd for d in deals if d.upfront_usd is not None]),
        "total_value": _position(_("total deal value"), proposed["total_deal_value"],
                                 [d.total_value_usd for d in deals if d.total_value_usd is not None]),
        "comparables": [_deal_row(deal) for deal in deals],
    }


# ---------------------------------------------------------------------------------------------- charts
def chart_deals_per_year(user: Any, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Public deals per year and area (filters apply); platform deals are never drawn."""
    queryset = apply_filters(public_deals_for(user), spec)
    rows = queryset.values("announced_year", "therapeutic_area").annotate(n=Count("*"))
    return [{"year": row["announced_year"], "area": row["therapeutic_area"], "count": row["n"]}
            for row in rows.order_by("announced_year", "therapeutic_area")]


def chart_upfront_vs_total(user: Any, spec: dict[str, Any]) -> list[tuple[Decimal, Decimal, str]]:
    queryset = apply_filters(public_deals_for(user), spec).filter(upfront_usd__isnull=False,
                                                                   total_value_usd__isnull=False)
    rows = queryset.order_by("-announced_on").values_list("upfront_usd", "total_value_usd", "therapeutic_area")
    return [(upfront, total, area) for upfront, total, area in rows[:2000] if upfront is not None and total is not None]


# ------------------------------------------------------------------------------------------- valuation
def default_probabilities(area: str) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The stored default per transition: the area's own row if staff keep one, else the all-areas row."""
    probabilities: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    rows = PhaseTransition.objects.filter(Q(therapeutic_area="") | Q(therapeutic_area=area)).order_by(
        "therapeutic_area")  # "" first, so the area's own row wins
    for row in rows:
        probabilities[row.phase] = row.probability
        sources[row.phase] = row.source
    return probabilities, sources
