"""What keeps every console page fast at scale (a million audit events, 10,000 companies and their groups).

* `estimated_rows(model)`: PostgreSQL's own estimate (pg_class.reltuples), read for all tables at once, at most
  every five minutes.
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
COUNT_CAP = 1_000  # a console list past a thousand matches says "more than 1000": narrow it
_ESTIMATE_TTL = 300.0
_estimates: dict[tuple[str, str], tuple[float, int]] = {}


def estimated_rows(model: type[models.Model], using: str = "default") -> int:
    """PostgreSQL's estimate of the table's rows (pg_class.reltuples), read for every table of the schema in one
    query at most every few minutes. A table never analysed (reltuples -1, a fresh one) counts as empty: a table
    that has grown large has been analysed by autovacuum long before."""
    now = time.monotonic()
    loaded = _estimates.get((using, ""))
    if loaded is None or now - loaded[0] >= _ESTIMATE_TTL:
        connection = connections[using]
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute("SELECT c.relname, c.reltuples::bigint FROM pg_class c "
                           "WHERE c.relkind IN ('r', 'p') AND pg_table_is_visible(c.oid)")
            rows = cursor.fetchall()
        for key in [key for key in _estimates if key[0] == using]:
            del _estimates[key]
        for table, estimate in rows:
            _estimates[(using, table)] = (now, max(int(estimate), 0))
        _estimates[(using, "")] = (now, 0)
    cached = _estimates.get((using, model._meta.db_table))
    return cached[1] if cached is not None else 0


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
