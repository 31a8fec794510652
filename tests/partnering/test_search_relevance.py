"""Chinese search that finds short words: the relevance set over the asset list API, as a partner reads it."""

from urllib.parse import quote

import pytest

from apps.catalog.models import Asset
from apps.core.search import document_tokens, normalize, query_tokens
from tests.partnering.relevance import QUERIES, evaluate, load

pytestmark = pytest.mark.django_db


def _search_api(client):
    def search(text):
        response = client.get(f"/api/v1/assets/?page_size=50&q={quote(text)}")
        assert response.status_code == 200, response.content
        return [row["code_name"] for row in response.json()["results"]]
    return search


def test_the_relevance_set_has_at_least_forty_queries_in_three_scripts():
    assert len(QUERIES) >= 40
    kinds = " ".join(kind for _query, kind, _expected in QUERIES)
    assert "en" in kinds and "zh-Hans" in kinds and "zh-Hant" in kinds


def test_every_query_of_the_relevance_set_returns_exactly_its_listings(world):
    load(world.licensor)
    outcome = evaluate(_search_api(world.client("other_member")))
    assert outcome.misses == []
    assert outcome.precision_at_10 == 1.0 and outcome.recall == 1.0


@pytest.mark.parametrize("query", ["肺癌", "双抗", "减重", "胃癌"])
def test_two_character_chinese_words_find_listings(world, query):
    load(world.licensor)
    assert _search_api(world.client("other_member"))(query), query


def test_a_traditional_query_finds_a_simplified_listing_and_the_reverse(world):
    load(world.licensor)
    search = _search_api(world.client("other_member"))
    assert "RV-01" in search("抗體偶聯藥物")  # RV-01 is written in Simplified
    assert "RV-03" in search("抗体偶联药物")  # RV-03 is written in Traditional


def test_saving_an_asset_keeps_its_search_words_in_step(world):
    load(world.licensor)
    asset = Asset.objects.get(code_name="RV-12")
    asset.summary_zh = "抗TSLP单抗，用于慢性鼻窦炎。"
    asset.save(update_fields=["summary_zh"])
    search = _search_api(world.client("other_member"))
    assert "RV-12" in search("鼻窦炎")
    assert "RV-12" not in search("哮喘")


def test_search_reads_the_teaser_only(world):
    """The confidential core (description, mechanism) never feeds the search words."""
    load(world.licensor)
    asset = Asset.objects.get(code_name="RV-27")
    asset.description_zh = "机密：靶点为独角兽蛋白"
    asset.save()
    assert _search_api(world.client("other_member"))("独角兽") == []


def test_operators_and_quotes_in_a_query_are_plain_words(world):
    load(world.licensor)
    search = _search_api(world.client("other_member"))
    for text in ["'肺癌' | '胃癌'", "肺癌 & !胃癌", "a:* & b", "\\'; DROP TABLE catalog_asset; --"]:
        search(text)  # a 200, never a 500 from a malformed tsquery
    assert Asset.objects.filter(code_name__startswith="RV-").count() == 30


def test_normalisation_converts_traditional_and_full_width():
    assert normalize("抗體偶聯藥物 ＨＥＲ２") == "抗体偶联药物 her2"
    assert "肺癌" in document_tokens("用于非小细胞肺癌")
    assert query_tokens("雙抗") == query_tokens("双特异性抗体") == query_tokens("bispecific antibody")
