"""The psycopg cursor behind DATABASE_SERVER_SIDE_BINDING (config/settings/base.py): parameters bound on the server
and a statement prepared once a connection has run it five times, except a search."""

from typing import Any

from django.db.backends.postgresql.base import ServerBindingCursor

# After five custom plans PostgreSQL may keep one generic plan for every later value. A search's selectivity depends
# on the words searched (full text `@@`, `LIKE`/`ILIKE`, Django's `icontains`), which a generic plan cannot see: it
# prices every term at a fixed default. For the provider search (B7) the generic plan read the 1,974 profiles of the
# category and sorted the 151 matches (3.4 ms in PostgreSQL, growing with the data) where the custom plan walks the
# name index and stops after 23 rows (0.6 ms); B7 went from 1.14 to 1.45. Such a statement is never prepared: it is
# planned for its own words each time, as without the setting.
_SEARCH_MARKERS = ("@@", "LIKE ")


class PreparingCursor(ServerBindingCursor):
    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None, binary: bool | None = None
                ) -> Any:
        if prepare is None and isinstance(query, str) and any(marker in query for marker in _SEARCH_MARKERS):
            prepare = False
        # django-stubs declares ServerBindingCursor without psycopg's Cursor base, hence no `execute` for mypy.
        return super().execute(query, params, prepare=prepare, binary=binary)  # type: ignore[misc]
