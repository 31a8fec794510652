"""Words for search, in English and Chinese (Simplified and Traditional): one helper every app can use.

PostgreSQL's text-search parsers do not split Chinese into words, and its trigram index needs three characters,
so one- and two-character words such as 肺癌, 双抗, 减重 or 胃癌 had no index to use. Here Chinese text is

* converted to Simplified Chinese with OpenCC's `t2s` data (a Traditional query 抗體偶聯藥物 and a Simplified
  listing 抗体偶联药物 become the same characters; applied at index and at query time, so the reverse holds too),
* segmented into words with jieba (`cut_for_search` at index time: a long word also yields the dictionary words
  inside it, so 非小细胞肺癌 is found by 肺癌; precise `cut` at query time),
* indexed character by character as well (a one-character query such as 癌 still finds its listings),
* lower-cased, and enriched with one synonym token per synonym group the text mentions (ADC, antibody-drug
  conjugate and 抗体偶联药物 all carry `§adc`), so either wording finds the other.

`search_document(*texts)` is the space-separated token list an app stores in a plain text column
(`search_document`); on PostgreSQL a generated column turns it into a `tsvector` with a GIN index
(`token_column_sql()` for the migration) and `token_match()` builds the indexed condition. A query's words are
AND-ed: every word (or one of its synonyms) must occur. SQLite (`make run`) matches the same tokens by substring.

Used by apps/catalog/search.py (assets) and apps/partnering (calls); service providers can reuse it the same way.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

MAX_QUERY_LENGTH = 200
SYNONYM_PREFIX = "§"

# Groups of wordings that mean the same thing in this domain (Simplified, lower case; Traditional input is
# converted before matching; an English wording also matches its plural). Each group is one token.
SYNONYM_GROUPS: dict[str, tuple[str, ...]] = {
    "adc": ("adc", "antibody-drug conjugate", "antibody drug conjugate", "抗体偶联药物", "抗体药物偶联物", "偶联药物"),
    "bispecific": ("bispecific", "bispecific antibody", "bsab", "双特异性抗体", "双抗", "双特异抗体"),
    "mab": ("mab", "monoclonal antibody", "单克隆抗体", "单抗"),
    "obesity": ("obesity", "weight loss", "weight management", "weight reduction", "减重", "减肥", "肥胖", "肥胖症"),
    "nsclc": ("nsclc", "non-small cell lung cancer", "non-small-cell lung cancer", "非小细胞肺癌"),
    "lungcancer": ("lung cancer", "肺癌"),
    "gastriccancer": ("gastric cancer", "stomach cancer", "胃癌"),
    "cart": ("car-t", "car t", "cart", "嵌合抗原受体t细胞"),
    "t2d": ("type 2 diabetes", "2型糖尿病", "二型糖尿病"),
    "sirna": ("sirna", "small interfering rna", "小干扰rna"),
}
# A document in a narrower group also belongs to the wider one (an NSCLC listing is a lung-cancer listing).
IMPLIED_GROUPS = {"nsclc": ("lungcancer",)}

# Words jieba's general dictionary lacks or splits; added to our own tokenizer (never the global one).
DOMAIN_WORDS = (
    "抗体偶联药物", "抗体药物偶联物", "偶联药物", "双特异性抗体", "双特异抗体", "双抗", "单抗", "单克隆抗体", "减重",
    "非小细胞肺癌", "小细胞肺癌", "肺癌", "胃癌", "肝癌", "乳腺癌", "结直肠癌", "胰腺癌", "食管癌", "实体瘤", "血液瘤",
    "自身免疫", "特应性皮炎", "银屑病", "炎症性肠病", "类风湿关节炎", "系统性红斑狼疮", "2型糖尿病", "融合蛋白",
    "小分子", "细胞疗法", "基因疗法", "小干扰RNA", "核酸药物", "多肽", "疫苗", "靶向", "激动剂", "抑制剂", "偶联",
    "临床前", "减肥", "肥胖症", "阿尔茨海默病", "帕金森病", "罕见病", "眼科", "肾病", "肝病",
)

# Tokens that carry no meaning alone: they would make an AND query fail for no reason.
STOP_WORDS = frozenset({
    "的", "和", "与", "及", "或", "在", "是", "为", "于", "对", "用", "一种", "用于", "以及", "等", "中", "了", "其",
    # Every listing treats or targets something: these words alone would only make a query miss.
    "治疗", "针对", "适用",
    "a", "an", "the", "of", "for", "and", "or", "in", "on", "to", "with", "by", "as", "is", "at",
})

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
# A token keeps letters, digits and CJK characters (and an inner '-' or '.' between them: il-17, 2.0).
_KEEP = re.compile(r"^[0-9a-z\u2e80-\u9fff\uf900-\ufaff]+(?:[-.][0-9a-z\u2e80-\u9fff\uf900-\ufaff]+)*$")

_lock = threading.Lock()
_tokenizer: Any = None
_converter: Any = None


def _jieba() -> Any:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word.lower(), freq=200_000)
                _tokenizer = tokenizer
    return _tokenizer


def _opencc() -> Any:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def warm_up() -> None:
    """Load the Chinese word dictionary and the script converter now. A web process would otherwise load them on
    its first Chinese search, a second or more, while that request and the ones queued behind it wait."""
    _jieba()
    _opencc()


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Simplified Chinese (OpenCC t2s), lower case, NFKC (full-width letters and digits become ASCII), one space."""
    text = unicodedata.normalize("NFKC", text or "")
    if has_cjk(text):
        text = _opencc().convert(text)
    return " ".join(text.lower().split())


def _synonym_tokens(normalized: str, *, blank: bool) -> tuple[list[str], str]:
    """The synonym tokens `normalized` mentions, and (`blank`, for queries) the text with those wordings removed
    so their words are not required twice. Documents keep every wording: 非小细胞肺癌 also counts as 肺癌."""
    tokens: list[str] = []
    remainder = normalized
    for name, wordings in SYNONYM_GROUPS.items():
        # Longest wording first, so 非小细胞肺癌 is taken whole before 肺癌 could be.
        for wording in sorted(wordings, key=len, reverse=True):
            pattern = _pattern(wording)
            if pattern.search(remainder):
                tokens.append(SYNONYM_PREFIX + name)
                if not blank:
                    tokens.extend(SYNONYM_PREFIX + implied for implied in IMPLIED_GROUPS.get(name, ()))
                    break
                remainder = pattern.sub(" ", remainder)
    return list(dict.fromkeys(tokens)), remainder


@lru_cache(maxsize=256)
def _pattern(wording: str) -> re.Pattern[str]:
    if has_cjk(wording):
        return re.compile(re.escape(wording))
    return re.compile(rf"(?<![0-9a-z]){re.escape(wording)}s?(?![0-9a-z])")


def _clean(words: Any) -> list[str]:
    result: list[str] = []
    for word in words:
        word = word.strip().lower()
        if word and word not in STOP_WORDS and _KEEP.match(word) and len(word) <= 60:
            result.append(word)
    return result


_LATIN_WORD = re.compile(r"[0-9a-z]+(?:[-.][0-9a-z]+)*")
_CJK_RUN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]+")


def _latin_tokens(text: str, *, parts: bool) -> list[str]:
    """Latin words and numbers, hyphenated compounds kept whole (PD-1, GLP-1, CLDN18.2, B7-H3: jieba would
    cut them into PD, -, 1). With `parts` (index time) also every shorter run of a compound's pieces, so
    "anti-PD-1" is found by PD-1 and by PD; a bare number inside a compound is not a word of its own."""
    tokens: list[str] = []
    for word in _LATIN_WORD.findall(text):
        tokens.append(word)
        pieces = re.split(r"[-.]", word)
        if parts and len(pieces) > 1:
            for start in range(len(pieces)):
                for end in range(start + 1, min(len(pieces), start + 4) + 1):
                    run = "-".join(pieces[start:end])
                    if end - start > 1 or not run.isdigit():
                        tokens.append(run)
    return tokens


def _chinese_tokens(text: str, *, for_index: bool) -> list[str]:
    tokenizer = _jieba()
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        tokens.extend(tokenizer.cut_for_search(run) if for_index else tokenizer.cut(run))
        if for_index:
            # Every character alone too: a one-character query (癌) still finds its listings.
            tokens.extend(run)
    return tokens


def document_tokens(*texts: str) -> list[str]:
    """Every token of `texts` (index time): words, the dictionary words inside long words, synonym tokens."""
    tokens: list[str] = []
    for text in texts:
        normalized = normalize(text)
        if not normalized:
            continue
        synonyms, _remainder = _synonym_tokens(normalized, blank=False)
        tokens.extend(synonyms)
        # Segment the whole text (not the remainder): 抗体偶联药物 also indexes 抗体, 偶联, 药物.
        tokens.extend(_clean(_latin_tokens(normalized, parts=True)))
        tokens.extend(_clean(_chinese_tokens(normalized, for_index=True)))
    return list(dict.fromkeys(tokens))


def search_document(*texts: str) -> str:
    """The stored form: distinct tokens separated by one space (no token holds a space or a quote)."""
    return " ".join(document_tokens(*texts))


def query_tokens(text: str) -> list[str]:
    """The words a query needs (all of them): synonym tokens for the wordings it uses, then its other words."""
    normalized = normalize(" ".join((text or "").split())[:MAX_QUERY_LENGTH])
    synonyms, remainder = _synonym_tokens(normalized, blank=True)
    words = _clean([*_latin_tokens(remainder, parts=False), *_chinese_tokens(remainder, for_index=False)])
    return list(dict.fromkeys([*synonyms, *words]))


def tsquery_text(tokens: list[str]) -> str:
    """A `tsquery` literal AND-ing `tokens` (each quoted: no operator or SQL can come through)."""
    return " & ".join("'" + token.replace("'", "").replace("\\", "") + "'" for token in tokens)


def token_column_sql(table: str, source: str = "search_document", column: str = "search_tokens") -> list[str]:
    """PostgreSQL DDL for a migration: the stored tsvector over `source` and its GIN index."""
    return [
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} tsvector GENERATED ALWAYS AS "
        f"(array_to_tsvector(string_to_array({source}, ' '))) STORED",
        f"CREATE INDEX IF NOT EXISTS {table}_{column}_gin ON {table} USING gin ({column})",
    ]


def token_match(table: str, tokens: list[str], *, source: str = "search_document",
                column: str = "search_tokens") -> Q:
    """A Q true for rows of `table` whose document holds every token (empty `tokens`: no row).

    PostgreSQL: `column @@ tsquery` over the GIN index. Elsewhere: a substring test per token on the text,
    bounded by spaces. `table` must be the outer query's table: never nest the queryset as a subquery."""
    if not tokens:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(RawSQL(f'"{table}"."{column}" @@ %s::tsquery', [tsquery_text(tokens)],  # noqa: S611
                        output_field=BooleanField()))
    condition = Q()
    for token in tokens:
        condition &= Q(RawSQL(f"(' ' || \"{table}\".\"{source}\" || ' ') LIKE %s", [f"% {token} %"],  # noqa: S611
                              output_field=BooleanField()))
    return condition


class SearchDocumentMixin:
    """For a model with a `search_document` column: kept up to date on every save from `searched_fields` (its public
    text only), also when the save names `update_fields`. Put it before the model base class."""

    searched_fields: tuple[str, ...] = ()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_document = search_document(*(getattr(self, name) or "" for name in self.searched_fields))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_document"}
        super().save(*args, **kwargs)  # type: ignore[misc]
