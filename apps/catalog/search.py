"""Full-text search over the teaser, in English and Chinese.

PostgreSQL: English uses `to_tsvector('english', code_name || summary_en)`, stored in the generated column
`search_en` (migration 0005) with a GIN index;
PostgreSQL's parsers do not split Chinese words, so the Chinese summary (and the code name) match by
substring through pg_trgm GIN indexes (`ILIKE '%...%'`, served by `gin_trgm_ops` for patterns of three or
more characters). The three branches are OR-ed, which the planner runs as a BitmapOr of index scans.
The ILIKE expressions below must stay identical to the index definitions in migrations 0004 and 0005.

SQLite (`make run`) falls back to case-insensitive substring matching on the same fields.

Search only ever reads teaser fields: it cannot reveal anything about the confidential core.
The raw expressions name the table ("catalog_asset"): apply search to the outer asset query only, never to
a queryset that will be nested as a subquery (Django re-aliases inner tables).
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 200

# A generated column on PostgreSQL (migration 0005): to_tsvector('english', code_name || ' ' || summary_en).
_EN_VECTOR = '"catalog_asset"."search_en"'


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
    # English words go to the full-text index; Chinese (or mixed) text to the trigram index on the Chinese
    # summary; anything with a digit may be a code name (LMN-2201) and also probes the code-name trigrams.
    # Skipping branches that cannot match keeps the BitmapOr small.
    # RawSQL so the expressions match the index definitions exactly; the caller's text is always a parameter.
    english = RawSQL(f"{_EN_VECTOR} @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    chinese = RawSQL('"catalog_asset"."summary_zh" ILIKE %s', [pattern], output_field=BooleanField())
    code = RawSQL('"catalog_asset"."code_name" ILIKE %s', [pattern], output_field=BooleanField())
    condition = Q(english)
    if _has_cjk(text):
        condition |= Q(chinese)
    if any(char.isdigit() for char in text) or _has_cjk(text):
        condition |= Q(code)
    return condition


def _has_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)


def search(queryset: QuerySet, text: str) -> QuerySet:
    condition = search_q(text)
    return queryset.filter(condition) if condition else queryset
