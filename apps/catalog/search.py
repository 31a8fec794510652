"""Full-text search over the teaser, in English and Chinese (Simplified and Traditional).

PostgreSQL, one BitmapOr of index scans:
* English words: `to_tsvector('english', code_name || summary_en)`, stored in the generated column `search_en`
  (migration 0005) with a GIN index (stemming: "conjugates" finds "conjugate").
* Chinese words and synonyms, when the query needs them (`needs_tokens`): the teaser's tokens
  (apps/core/search.py: OpenCC Traditional→Simplified, jieba words, single characters, synonym tokens such as
  `§adc` for ADC / antibody-drug conjugate / 抗体偶联药物) in `search_document`, as the generated tsvector
  `search_tokens` with a GIN index (migration 0006). Every word of the query must occur. One- and
  two-character words (肺癌, 双抗, 减重, 胃癌) use it like any other.
* Chinese substrings of three characters or more probe the trigram index on the Simplified Chinese summary
  (`search_zh`, migration 0007: a Simplified phrase finds a Traditional listing and the reverse), and text with a
  digit the code-name trigrams (`LMN-22`). Shorter patterns are left out: a trigram index cannot serve them and
  the whole OR would fall back to a scan.
The (I)LIKE expressions below must stay identical to the index definitions in migrations 0004, 0005 and 0007.
Given the reader, `search` writes the match into each branch of the visibility rule; each index above has a
twin partial on published assets (migration 0008) that serves the published branch, so the matches a reader
may not see (drafts, archived listings of other companies) are never fetched.

SQLite (`make run`) matches the stored tokens and falls back to substring matching on the same fields.

Search only ever reads teaser fields: it cannot reveal anything about the confidential core.
The raw expressions name the table ("catalog_asset"): apply search to the outer asset query only, never to
a queryset that will be nested as a subquery (Django re-aliases inner tables).
"""

import re
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

from apps.catalog.models import Asset
from apps.core.search import MAX_QUERY_LENGTH, SYNONYM_PREFIX, has_cjk, normalize, query_tokens, token_match

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
    use_tokens = bool(tokens) and needs_tokens(text, tokens)
    if connection.vendor != "postgresql":
        plain = Q(code_name__icontains=text) | Q(summary_en__icontains=text) | Q(summary_zh__icontains=text)
        return plain | token_match(_TABLE, tokens) if use_tokens else plain
    pattern = f"%{escape_like(text)}%"
    simplified = f"%{escape_like(normalize(text))}%"
    long_enough = len(text) >= 3  # a trigram index cannot serve a shorter pattern
    # RawSQL so the expressions match the index definitions exactly; the caller's text is always a parameter.
    english = RawSQL(f"{_EN_VECTOR} @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    chinese = RawSQL('"catalog_asset"."search_zh" LIKE %s', [simplified], output_field=BooleanField())
    code = RawSQL('"catalog_asset"."code_name" ILIKE %s', [pattern], output_field=BooleanField())
    condition = Q(english)
    if use_tokens:
        condition |= token_match(_TABLE, tokens)
    if has_cjk(text) and long_enough:
        condition |= Q(chinese)
    if (any(char.isdigit() for char in text) or has_cjk(text)) and long_enough:
        condition |= Q(code)
    return condition


_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+")
_COMPOUND = re.compile(r"[0-9a-z]+[-.][0-9a-z]+|[a-z]+[0-9]|[0-9]+[a-z]", re.IGNORECASE)


def needs_tokens(text: str, tokens: list[str]) -> bool:
    """Whether the search-word index can find what the other indexes cannot. It is left out otherwise: an
    extra branch in the OR raises the planner's row estimate, which tips the owner-company join of the
    list into a hash join over every company (B6: 20 ms instead of 1)."""
    if any(token.startswith(SYNONYM_PREFIX) for token in tokens):
        return True  # ADC ↔ 抗体偶联药物, 双抗 ↔ bispecific antibody
    if has_cjk(text):
        runs = _CJK_RUN.findall(text)
        # Too short for trigrams; several words apart; mixed with Latin words (HER2 抗体).
        return any(len(run) < 3 for run in runs) or len(runs) > 1 or bool(re.search(r"[0-9a-zA-Z]", text))
    return bool(_COMPOUND.search(text))  # PD-1, GLP-1, CLDN18.2: the English parser splits them


def search(queryset: QuerySet, text: str, user: Any = None) -> QuerySet:
    """`queryset` narrowed to the assets whose teaser matches `text`. Given the reader (`queryset` being their
    restricted one), the match is written into each branch of the visibility rule (Asset.view_branches):
    `(own company AND match) OR (published AND verified reader AND match)`. PostgreSQL then reads the first
    branch from the owner-company index and the second from the search indexes over published assets only
    (migration 0008): the matches the reader may not see are never fetched, and the answer is the same."""
    condition = search_q(text)
    if not condition:
        return queryset
    branches = Asset.view_branches(user, indexable=True) if user is not None else None
    if branches is not None:
        condition = (branches.own & _as_filter(condition)) | (branches.published & condition)
    return queryset.filter(condition)


def _as_filter(condition: Q) -> Q:
    """The same condition as `(...) IS TRUE` on PostgreSQL (true, false and unknown are kept apart all the same
    in a WHERE clause). Written alike in both branches, the planner would factor the match out of the OR
    (`match AND (own OR published)`) and fetch every match again; this branch needs no search index anyway."""
    if connection.vendor != "postgresql":
        return condition
    return Q(Func(ExpressionWrapper(condition, output_field=BooleanField()), template="(%(expressions)s) IS TRUE",
                  output_field=BooleanField()))
