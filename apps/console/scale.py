"""What keeps every console page fast at scale (a million audit events, 10,000 companies and their groups).

* `estimated_rows(model)`: PostgreSQL's own estimate (pg_class.reltuples), read at most once a minute per table.
* `ConsolePaginator`: counts at most `COUNT_CAP + 1` rows (a capped COUNT over a LIMIT subquery) and, for an
  unfiltered list of a large table, takes the estimate instead: no COUNT over a whole large table, ever.
* `large(model)`: a table past `LARGE_TABLE_ROWS` rows. The console's ModelAdmin mixin then shows its foreign
  keys and many-to-many fields as raw ids (never a <select> of every row), swaps list filters over such
  relations for an id input, and turns off facet counts on large lists.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.paginator import Paginator
from django.db import connections, models
from django.utils.functional import cached_property

LARGE_TABLE_ROWS = 1_000
COUNT_CAP = 10_000
_ESTIMATE_TTL = 60.0
_estimates: dict[tuple[str, str], tuple[float, int]] = {}


def estimated_rows(model: type[models.Model], using: str = "default") -> int:
    """PostgreSQL's estimate of the table's rows (-1 when never analysed counts as unknown: exact COUNT capped)."""
    table = model._meta.db_table
    key = (using, table)
    cached = _estimates.get(key)
    now = time.monotonic()
    if cached is not None and now - cached[0] < _ESTIMATE_TTL:
        return cached[1]
    connection = connections[using]
    estimate = -1
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
            row = cursor.fetchone()
            estimate = int(row[0]) if row and row[0] is not None else -1
    if estimate < 0:
        # Never analysed (a fresh table): count, but no further than the point where it counts as large.
        estimate = model._default_manager.using(using).order_by()[: LARGE_TABLE_ROWS + 1].count()
    _estimates[key] = (now, estimate)
    return estimate


def forget_estimates() -> None:
    _estimates.clear()


def large(model: type[models.Model]) -> bool:
    return estimated_rows(model) > LARGE_TABLE_ROWS


class ConsolePaginator(Paginator):
    """A paginator whose count never scans a large table: capped, or estimated when nothing filters the list."""

    estimated = False  # the template says "about" then
    capped = False  # the template says "more than" then

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet):
            return len(queryset)
        query = queryset.query
        unfiltered = not query.where and not query.distinct
        if unfiltered:
            estimate = estimated_rows(queryset.model, queryset.db)
            if estimate > COUNT_CAP:
                self.estimated = True
                return estimate
        counted = queryset.order_by()[: COUNT_CAP + 1].count()
        if counted > COUNT_CAP:
            self.capped = True
            return COUNT_CAP
        return counted


def relation_target(model: type[models.Model], name: str) -> type[models.Model] | None:
    """The related model of field `name` (a forward foreign key, one-to-one or many-to-many), else None."""
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:  # a path through relations or a callable in list_filter: left as it is
        return None
    if getattr(field, "is_relation", False) and (field.many_to_one or field.one_to_one or field.many_to_many):
        related = field.related_model
        return related if isinstance(related, type) else None
    return None


def relation_id_filter(field_name: str, title: Any) -> type:
    """An input filter taking the related object's id, for a relation to a large table."""
    from apps.console.filters import InputFilter

    parameter = f"{field_name}__id__exact"

    class RelationIdFilter(InputFilter):
        fields = ((parameter, title, "number"),)

        def queryset(self, request: Any, queryset: models.QuerySet) -> models.QuerySet:
            from django.contrib.admin.options import IncorrectLookupParameters

            value = str(self.used_parameters.get(parameter) or "")
            if not value:
                return queryset
            if not value.isdigit():
                raise IncorrectLookupParameters(f"not an id: {value!r}")
            return queryset.filter(**{f"{field_name}__pk": int(value)})

    RelationIdFilter.title = title
    RelationIdFilter.__name__ = f"{field_name.title().replace('_', '')}IdFilter"
    return RelationIdFilter
