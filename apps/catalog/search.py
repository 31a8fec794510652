"""Full-text search over the teaser, in English and Chinese (Simplified and Traditional).

PostgreSQL, one BitmapOr of index scans:
* English words: `to_tsvector('english', code_name || summary_en)`, stored in the generated column `search_en`
  (migration 0005) with a GIN index (stemming: "conjugates" finds "conjugate").
* Chinese words and synonyms: the teaser's tokens (apps/core/search.py: OpenCC Traditional→Simplified, jieba
  words, single characters, synonym tokens such as `§adc` for ADC / antibody-drug conjugate / 抗体偶联药物) in
  `search_document`, as the generated tsvector `search_tokens` with a GIN index (migration 0006). Every word
  of the query must occur. One- and two-character words (肺癌, 双抗, 减重, 胃癌) use it like any other.
* Chinese substrings of three characters or more still probe the trigram index on the Chinese summary, and text
  with a digit the code-name trigrams (`LMN-22`). Shorter patterns are left out: a trigram index cannot serve
  them and the whole OR would fall back to a scan.
The ILIKE expressions below must stay identical to the index definitions in migrations 0004 and 0005.

SQLite (`make run`) matches the stored tokens and falls back to substring matching on the same fields.

Search only ever reads teaser fields: it cannot reveal anything about the confidential core.
The raw expressions name the table ("catalog_asset"): apply search to the outer asset query only, never to
a queryset that will be nested as a subquery (Django re-aliases inner tables).
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from apps.core.search import MAX_QUERY_LENGTH, has_cjk, query_tokens, token_match

__all__ = ["MAX_QUERY_LENGTH", "escape_like", "search", "search_q"]

# A generated column on PostgreSQL (migration 0005): to_tsvector('english', code_name || ' ' || summary_en).
_EN_VECTOR = '"catalog_asset"."search_en"'
_TABLE = "catalog_asset"


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_q(text: str) -> Q:
    """A Q matching assets whose teaser matches `text` (plain text: quotes, operators, SQL are just words)."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return Q()
    tokens = query_tokens(text)
    use_tokens = bool(tokens)
    if connection.vendor != "postgresql":
        plain = Q(code_name__icontains=text) | Q(summary_en__icontains=text) | Q(summary_zh__icontains=text)
        return plain | token_match(_TABLE, tokens) if use_tokens else plain
    pattern = f"%{escape_like(text)}%"
    long_enough = len(text) >= 3  # a trigram index cannot serve a shorter pattern
    # RawSQL so the expressions match the index definitions exactly; the caller's text is always a parameter.
    english = RawSQL(f"{_EN_VECTOR} @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    chinese = RawSQL('"catalog_asset"."summary_zh" ILIKE %s', [pattern], output_field=BooleanField())
    code = RawSQL('"catalog_asset"."code_name" ILIKE %s', [pattern], output_field=BooleanField())
    condition = Q(english)
    if use_tokens:
        condition |= token_match(_TABLE, tokens)
    if has_cjk(text) and long_enough:
        condition |= Q(chinese)
    if (any(char.isdigit() for char in text) or has_cjk(text)) and long_enough:
        condition |= Q(code)
    return condition


def search(queryset: QuerySet, text: str) -> QuerySet:
    condition = search_q(text)
    return queryset.filter(condition) if condition else queryset
