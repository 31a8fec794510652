"""Full-text search over the teaser, in English and Chinese.

PostgreSQL: English uses `to_tsvector('english', code_name || summary_en)` with a GIN expression index;
PostgreSQL's parsers do not split Chinese words, so the Chinese summary (and the code name) match by
substring through pg_trgm GIN indexes (`ILIKE '%...%'`, served by `gin_trgm_ops` for patterns of three or
more characters). The three branches are OR-ed, which the planner runs as a BitmapOr of index scans.
The expressions below must stay identical to the index definitions in migration 0004.

SQLite (`make run`) falls back to case-insensitive substring matching on the same fields.

Search only ever reads teaser fields: it cannot reveal anything about the confidential core.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 200

_EN_VECTOR = (
    "to_tsvector('english'::regconfig, COALESCE(\"catalog_asset\".\"code_name\", '') || ' ' "
    "|| COALESCE(\"catalog_asset\".\"summary_en\", ''))"
)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_q(text: str) -> Q:
    """A Q matching assets whose teaser matches `text` (plain text: quotes, operators, SQL are just words)."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return Q()
    if connection.vendor != "postgresql":
        return Q(code_name__icontains=text) | Q(summary_en__icontains=text) | Q(summary_zh__icontains=text)
    pattern = f"%{escape_like(text)}%"
    # RawSQL so the expressions match the index definitions exactly; the caller's text is always a parameter.
    english = RawSQL(f"{_EN_VECTOR} @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    chinese = RawSQL('"catalog_asset"."summary_zh" ILIKE %s', [pattern], output_field=BooleanField())
    code = RawSQL('"catalog_asset"."code_name" ILIKE %s', [pattern], output_field=BooleanField())
    return Q(english) | Q(chinese) | Q(code)


def search(queryset: QuerySet, text: str) -> QuerySet:
    condition = search_q(text)
    return queryset.filter(condition) if condition else queryset
