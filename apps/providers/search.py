"""Full-text search over provider profiles, in English and Chinese (the catalog's approach, apps/catalog/search.py).

PostgreSQL: English words match the stored vector `search_en` (headline + description, migration 0002, GIN; with
stemming). Chinese words, Traditional or Simplified, short words such as 注册 or 临床, synonyms (ADC and 抗体偶联药物)
and compounds (PD-1) match the profile's search words (`search_document`, apps/core/search.py; its tsvector
`search_tokens` with a GIN index, migration 0003). Chinese substrings of three characters or more also probe the
trigram indexes on the Chinese headline and description. The company's names match by substring, so "Harborline"
or "港线" finds the provider; the profile's copy of them is searched, so the search never joins every company. The
caller's text is always a parameter. Other databases: the same search words, and substrings.

The raw expressions name the table: apply search to the outer profile query only.
"""

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from apps.catalog.search import escape_like, needs_tokens
from apps.core.search import has_cjk, query_tokens, token_match

MAX_QUERY_LENGTH = 200
_TABLE = '"providers_providerprofile"'


def search_q(text: str) -> Q:
    """A Q matching profiles whose public text matches `text` (plain text: operators and SQL are just words)."""
    text = " ".join(text.split())[:MAX_QUERY_LENGTH]
    if not text:
        return Q()
    # The profile's copy of its company's names (ProviderProfile.company_name_en/_zh): no join to every company.
    names = Q(company_name_en__icontains=text) | Q(company_name_zh__icontains=text)
    tokens = query_tokens(text)
    # The search words for any Chinese text (Traditional too: the trigram indexes hold the profile's own script)
    # and where the English index cannot find it (synonyms, PD-1); otherwise an extra branch in the OR only costs
    # the planner (apps/catalog/search.py needs_tokens).
    beyond_english = names
    if tokens and (has_cjk(text) or needs_tokens(text, tokens)):
        beyond_english |= token_match(_TABLE.strip('"'), tokens)
    if connection.vendor != "postgresql":
        return (Q(headline_en__icontains=text) | Q(description_en__icontains=text) | Q(headline_zh__icontains=text)
                | Q(description_zh__icontains=text) | beyond_english)
    english = RawSQL(f"{_TABLE}.search_en @@ websearch_to_tsquery('english'::regconfig, %s)", [text],  # noqa: S611
                     output_field=BooleanField())
    condition = Q(english) | beyond_english
    if has_cjk(text) and len(text) >= 3:  # a trigram index cannot serve a shorter pattern
        pattern = f"%{escape_like(text)}%"
        condition |= Q(RawSQL(f"{_TABLE}.headline_zh ILIKE %s", [pattern], output_field=BooleanField()))  # noqa: S611
        condition |= Q(RawSQL(f"{_TABLE}.description_zh ILIKE %s", [pattern],  # noqa: S611
                              output_field=BooleanField()))
    return condition


def search(queryset: QuerySet, text: str) -> QuerySet:
    condition = search_q(text)
    return queryset.filter(condition) if condition else queryset
