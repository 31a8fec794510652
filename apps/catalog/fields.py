"""A JSON list of short codes (targets, areas, deal types, country codes) with portable set lookups.

`field__has_all=[...]` (the row's list contains every value) and `field__has_any=[...]` (at least one).
On PostgreSQL they compile to `@>` and `?|`, both served by a GIN index on the jsonb column (migration
0004); on SQLite (`make run`) to `json_each` subqueries, unindexed but correct.
"""

import json
from typing import Any

from django.db import models
from django.db.models import Lookup


class CodeListField(models.JSONField):
    """A JSON array of strings. Values are normalised by the services before they are stored."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs


class _ListLookup(Lookup):
    can_use_none_as_rhs = False
    prepare_rhs = False

    def values(self) -> list[str]:
        values = self.rhs if isinstance(self.rhs, list | tuple | set | frozenset) else [self.rhs]
        return sorted({str(value) for value in values})

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        return ("%s", [value])

    def _sqlite(self, compiler: Any, connection: Any, all_values: bool) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.values()
        if not values:
            return ("1=1", []) if all_values else ("1=0", [])
        # Only the compiled column and placeholders are formatted in; values travel as parameters.
        marks = ", ".join(["%s"] * len(values))
        if all_values:
            sql = f"(SELECT COUNT(DISTINCT j.value) FROM json_each({lhs}) AS j WHERE j.value IN ({marks})) = %s"  # noqa: S608
            return sql, [*lhs_params, *values, len(values)]
        sql = f"EXISTS (SELECT 1 FROM json_each({lhs}) AS j WHERE j.value IN ({marks}))"  # noqa: S608
        return sql, [*lhs_params, *values]


@CodeListField.register_lookup
class HasAll(_ListLookup):
    lookup_name = "has_all"

    def as_sql(self, compiler: Any, connection: Any) -> Any:  # (sql, params), as Django expects
        return self._sqlite(compiler, connection, all_values=True)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps(self.values())]


@CodeListField.register_lookup
class HasAny(_ListLookup):
    lookup_name = "has_any"

    def as_sql(self, compiler: Any, connection: Any) -> Any:  # (sql, params), as Django expects
        return self._sqlite(compiler, connection, all_values=False)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = self.values()
        if not values:
            return "1=0", []
        return f"{lhs} ?| %s::text[]", [*lhs_params, values]
