"""The grouped statistics behind the deal analytics: per group of up to two dimensions and over all of them, the
count, the sums and quartiles of upfront and total value in USD, and the sums in each deal currency.

Every figure is computed from the queryset the caller passes and from nothing else: which records the reader may
see (and the filters) are decided there, by the selectors, once. This module only makes the reading fast:

* On PostgreSQL it is **one statement** (see _sql_stats), and percentile_cont computes the three quartiles of each
  amount in one sort per group, over the amount's stored double-precision copy (sorting numeric is several times
  slower).
* The breakdown by year (and area), the dashboard's, reads DealRecord's `deal_analytics_idx` alone (an index-only
  scan) and in group order, so PostgreSQL sorts no rows before grouping; other dimensions are grouped by bytes
  ("C" collation), several times faster than by the locale's and the same groups for ASCII codes.
* SQLite (`make run`) has no percentile_cont: the same figures are computed in Python from the same queryset
  (stats.py uses the same interpolation as percentile_cont; tests compare the two).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate, ExtractQuarter

from apps.agreements.money import Currency
from apps.intelligence.models import DealRecord
from apps.intelligence.stats import CENT, summary

# The dimensions other than time, and the field each one reads.
DIMENSION_FIELDS = {"area": "therapeutic_area", "modality": "modality", "stage": "stage", "territory": "territory",
                    "licensor_country": "licensor_country", "licensee_country": "licensee_country",
                    "deal_type": "deal_type"}
AMOUNTS = ("upfront_usd", "total_value_usd")
# Each amount's stored double-precision copy (see DealRecord.upfront_usd_float), which the quartiles sort.
FLOAT_COPY = {"upfront_usd": "upfront_usd_float", "total_value_usd": "total_value_usd_float"}
# The key order of DealRecord's deal_analytics_idx: a grouping by a prefix of it is read in order from the index.
INDEX_ORDER = ("year", "area")
STATS = ("sum", "q1", "median", "q3")


def money(value: Decimal | float | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        value = Decimal(repr(value))
    return str(Decimal(value).quantize(CENT))


def stat_block(stats: dict[str, Any]) -> dict[str, Any]:
    return {"n": stats["n"], **{name: money(stats[name]) for name in STATS}}


def group_key(group_by: list[str], row: dict[str, Any]) -> dict[str, Any]:
    key: dict[str, Any] = {}
    for dim in group_by:
        if dim == "quarter":
            key["quarter"] = f"{row['g_year']}-Q{row['g_quarter']}"
        else:
            key[dim] = row[f"g_{dim}"]
    return key


def grouped_stats(queryset: QuerySet[DealRecord], group_by: list[str]
                  ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(the groups in the order asked for, the row over all of them) of the records in `queryset`."""
    annotations, columns = _dimension_annotations(group_by)
    grouped = queryset.annotate(**annotations) if annotations else queryset
    if connection.vendor == "postgresql":
        groups, overall = _sql_stats(grouped, columns)
    else:
        groups = _python_stats(grouped, columns) if columns else []
        overall = _python_stats(queryset, [])[0]
    return sorted(groups, key=lambda row: _sort_key(group_by, row)), overall


def _dimension_annotations(group_by: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The grouping columns, in the index's order when the index serves the grouping (the caller sorts the groups
    as asked afterwards)."""
    served = set(group_by) <= set(INDEX_ORDER) and "year" in group_by
    annotations: dict[str, Any] = {}
    columns: list[str] = []
    for dim in sorted(group_by, key=INDEX_ORDER.index) if served else group_by:
        if dim in ("year", "quarter"):
            annotations["g_year"] = F("announced_year")
            columns.append("g_year")
            if dim == "quarter":
                annotations["g_quarter"] = ExtractQuarter("announced_on")
                columns.append("g_quarter")
        elif served or connection.vendor != "postgresql":
            annotations[f"g_{dim}"] = F(DIMENSION_FIELDS[dim])
            columns.append(f"g_{dim}")
        else:
            annotations[f"g_{dim}"] = Collate(F(DIMENSION_FIELDS[dim]), "C")
            columns.append(f"g_{dim}")
    return annotations, list(dict.fromkeys(columns))


def _sort_key(group_by: list[str], row: dict[str, Any]) -> tuple:
    """Groups in the order asked for (a quarter by year, then quarter, as numbers), whatever the database's order."""
    parts: list[Any] = []
    for dim in group_by:
        parts += [row["g_year"], row["g_quarter"]] if dim == "quarter" else [row[f"g_{dim}"]]
    return tuple(parts)


QUARTILES = "percentile_cont('{0.25,0.5,0.75}'::float8[]) WITHIN GROUP (ORDER BY d.%s)"


def _aggregates() -> tuple[list[str], list[Any]]:
    """The SELECT list's aggregates over the derived table `d` (column names are the model's), and their params."""
    sql = ["COUNT(*)", "COUNT(*) FILTER (WHERE (d.total_value IS NOT NULL AND d.total_value_usd IS NULL) "
                       "OR (d.upfront IS NOT NULL AND d.upfront_usd IS NULL))"]
    for field in AMOUNTS:
        sql += [f"COUNT(d.{field})", f"SUM(d.{field})", QUARTILES % FLOAT_COPY[field]]
    params: list[Any] = []
    # Sums in each deal currency in the same pass (one scan less than a second GROUP BY currency).
    for currency in Currency.values:
        sql += ["COUNT(*) FILTER (WHERE d.currency = %s)", "SUM(d.upfront) FILTER (WHERE d.currency = %s)",
                "SUM(d.total_value) FILTER (WHERE d.currency = %s)"]
        params += [currency] * 3
    return sql, params


def _sql_stats(queryset: QuerySet[DealRecord], columns: list[str]
               ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One statement over the caller's queryset as Django writes it (its WHERE holds the reader's rule and the
    filters; it is the derived table `d`, twice). Two parts, which PostgreSQL runs side by side when it sees fit
    (Parallel Append): the groups with every figure, and over all records the quartiles alone. The overall row's
    counts and sums are the groups' added up (exact Decimals); computing them in SQL too (GROUPING SETS) would run
    every aggregate a second time per record, which measured slower."""
    source = queryset.order_by().values(*columns, "currency", "upfront", "total_value", *AMOUNTS,
                                        *FLOAT_COPY.values())
    try:
        inner_sql, inner_params = source.query.sql_with_params()
    except EmptyResultSet:  # a condition that matches nothing (Django does not even ask the database)
        return [], _python_stats(queryset.none(), [])[0]
    aggregates, params = _aggregates()
    # Only names from this module and Django's own SQL are spliced in; every value is a parameter.
    if columns:
        keys = ", ".join(f"d.{column}" for column in columns)
        quartiles_only = [sql if sql.startswith("percentile_cont") else "NULL" for sql in aggregates]
        sql = (f"SELECT 0, {keys}, {', '.join(aggregates)} FROM ({inner_sql}) AS d GROUP BY {keys} "  # noqa: S608
               f"UNION ALL SELECT 1, {', '.join(['NULL'] * len(columns) + quartiles_only)} FROM ({inner_sql}) AS d")
        params += [*inner_params, *inner_params]
    else:
        sql = f"SELECT 1, {', '.join(aggregates)} FROM ({inner_sql}) AS d"  # noqa: S608
        params += inner_params
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups: list[dict[str, Any]] = []
    overall: dict[str, Any] | None = None
    for row in rows:
        values = iter(row)
        is_overall = next(values) == 1
        entry: dict[str, Any] = {column: next(values) for column in columns}
        entry["count"], entry["missing_usd"] = next(values), next(values)
        for field in AMOUNTS:
            n, total, quartiles = next(values), next(values), next(values) or [None, None, None]
            entry[field] = {"n": n, "sum": total, "q1": quartiles[0], "median": quartiles[1], "q3": quartiles[2]}
        by_currency = {}
        for currency in Currency.values:
            count, upfront_sum, total_value_sum = next(values), next(values), next(values)
            if count:
                by_currency[currency] = {"count": count, "upfront_sum": money(upfront_sum),
                                         "total_value_sum": money(total_value_sum)}
        entry["by_currency"] = by_currency
        if is_overall:
            overall = entry
        else:
            groups.append(entry)
    assert overall is not None  # an aggregate without GROUP BY answers one row, even over no records
    if columns:
        _add_up(overall, groups)
    return groups, overall


def _add_up(overall: dict[str, Any], groups: list[dict[str, Any]]) -> None:
    overall["count"] = sum(group["count"] for group in groups)
    overall["missing_usd"] = sum(group["missing_usd"] for group in groups)
    for field in AMOUNTS:
        sums = [group[field]["sum"] for group in groups if group[field]["sum"] is not None]
        overall[field]["n"] = sum(group[field]["n"] for group in groups)
        overall[field]["sum"] = sum(sums, Decimal(0)) if sums else None


def _python_stats(queryset: QuerySet[DealRecord], columns: list[str]) -> list[dict[str, Any]]:
    """The same figures computed in Python (SQLite, used by `make run`, has no percentile_cont)."""
    groups: dict[tuple, list[dict[str, Any]]] = defaultdict(list)
    for row in queryset.values(*columns, "currency", "upfront", "upfront_usd", "total_value", "total_value_usd"):
        groups[tuple(row[column] for column in columns)].append(row)
    out = []
    for values, rows in groups.items():
        entry: dict[str, Any] = dict(zip(columns, values, strict=True))
        entry["count"] = len(rows)
        entry["missing_usd"] = sum(1 for r in rows if (r["total_value"] is not None and r["total_value_usd"] is None)
                                   or (r["upfront"] is not None and r["upfront_usd"] is None))
        for field in AMOUNTS:
            entry[field] = summary(r[field] for r in rows)
        entry["by_currency"] = _python_currency_sums(rows)
        out.append(entry)
    if not columns and not out:
        out = [{"count": 0, "missing_usd": 0, "upfront_usd": summary([]), "total_value_usd": summary([]),
                "by_currency": {}}]
    return out


def _python_currency_sums(rows: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for currency in sorted({r["currency"] for r in rows}):
        mine = [r for r in rows if r["currency"] == currency]
        upfronts = [r["upfront"] for r in mine if r["upfront"] is not None]
        totals = [r["total_value"] for r in mine if r["total_value"] is not None]
        out[currency] = {"count": len(mine), "upfront_sum": money(sum(upfronts)) if upfronts else None,
                         "total_value_sum": money(sum(totals)) if totals else None}
    return out
