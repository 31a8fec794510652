"""Full-text search over provider profiles, in English and Chinese (the catalog's approach).

PostgreSQL: English words match the stored vector `search_en` (headline + description, migration 0002, GIN);
Chinese text (which PostgreSQL's parsers do not split into words) matches the Chinese headline and description
by substring through pg_trgm GIN indexes. The company's names match by substring too, so "Harborline" or
"港线" finds the provider. The caller's text is always a parameter. Other databases: substring matching.

The raw expressions name the table: apply search to the outer profile query only.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from apps.catalog.search import escape_like

MAX_QUERY_LENGTH = 200
_TABLE = '"providers_providerprofile"'


def _has_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)


def search_q(text: str) -> Q:
    """A Q matching profiles whose public text matches `text` (plain text: operators and SQL are just words)."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return Q()
    names = Q(company__name_en__icontains=text) | Q(company__name_zh__icontains=text)
    if connection.vendor != "postgresql":
        return (Q(headline_en__icontains=text) | Q(description_en__icontains=text) | Q(headline_zh__icontains=text)
                | Q(description_zh__icontains=text) | names)
    english = RawSQL(f"{_TABLE}.search_en @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    condition = Q(english) | names
    if _has_cjk(text):
        pattern = f"%{escape_like(text)}%"
        condition |= Q(RawSQL(f"{_TABLE}.headline_zh ILIKE %s", [pattern], output_field=BooleanField()))  # noqa: S611
        condition |= Q(RawSQL(f"{_TABLE}.description_zh ILIKE %s", [pattern],  # noqa: S611
                              output_field=BooleanField()))
    return condition


def search(queryset: QuerySet, text: str) -> QuerySet:
    condition = search_q(text)
    return queryset.filter(condition) if condition else queryset
