"""Filters, search and bad input on the asset list."""

import pytest

from apps.catalog.models import Asset, AssetStatus
from apps.catalog.territories import Territory
from tests.catalog.helpers import make_asset


def _codes(response):
    assert response.status_code == 200, response.content
    return {row["code_name"] for row in response.json()["results"]}


@pytest.fixture
def shelf(world):
    make_asset(world.licensor, code_name="LMN-2201", modality="bispecific_antibody", stage="phase_2",
               therapeutic_areas=["oncology"], deal_types=["exclusive_license", "co_development"],
               territories=Territory.parse("worldwide_ex_greater_china").codes())
    make_asset(world.licensor, code_name="LMN-3105", modality="adc", stage="phase_1", therapeutic_areas=["oncology"],
               deal_types=["option"], territories=Territory.parse(["us", "eu"]).codes(),
               summary_en="HER2 antibody-drug conjugate with a topoisomerase payload.",
               summary_zh="靶向HER2的抗体偶联药物，拓扑异构酶抑制剂载荷。")
    make_asset(world.licensor, code_name="JP-118", modality="peptide", stage="preclinical",
               therapeutic_areas=["metabolic"], deal_types=["newco"], territories=Territory.parse("asean").codes(),
               summary_en="Once-weekly GLP-1/GIP dual agonist peptide for obesity.",
               summary_zh="每周一次的GLP-1/GIP双受体激动剂多肽，用于治疗肥胖。")
    return world.client("other_member")


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ("modality=adc", {"LMN-3105"}),
    ("modality=adc&modality=peptide", {"LMN-3105", "JP-118"}),
    ("area=oncology", {"LMN-2201", "LMN-3105"}),
    ("area=metabolic", {"JP-118"}),
    ("deal_type=option", {"LMN-3105"}),
    ("stage=phase_2", {"LMN-2201"}),
    ("stage_min=phase_1", {"LMN-2201", "LMN-3105"}),
    ("stage_max=phase_1", {"LMN-3105", "JP-118"}),
    ("stage_min=phase_1&stage_max=phase_1", {"LMN-3105"}),
    ("territory=US", {"LMN-2201", "LMN-3105"}),
    ("territory=eu", {"LMN-2201", "LMN-3105"}),
    ("territory=JP", {"LMN-2201"}),
    ("territory=CN", set()),
    ("territory=greater_china", set()),
    ("territory=SG", {"LMN-2201", "JP-118"}),
    ("territory=asean", {"LMN-2201", "JP-118"}),
    ("territory=eu,JP", {"LMN-2201"}),
    ("status=published", {"LMN-2201", "LMN-3105", "JP-118"}),
])
def test_teaser_filters(shelf, query, expected):
    assert _codes(shelf.get(f"/api/v1/assets/?{query}")) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), [
    ("q=bispecific", {"LMN-2201"}),
    ("q=conjugates", {"LMN-3105"}),  # English stemming
    ("q=GLP-1", {"JP-118"}),
    ("q=lmn-3105", {"LMN-3105"}),
    ("q=LMN-3", {"LMN-3105"}),  # partial code name
    ("q=抗体偶联药物", {"LMN-3105"}),
    ("q=肥胖", {"JP-118"}),
    ("q=双特异性抗体", {"LMN-2201"}),
    ("q=HER2的抗体", {"LMN-3105"}),  # mixed script
    ("q=obesity peptide", {"JP-118"}),
    ("q=oncology obesity", set()),
])
def test_search_english_chinese_and_mixed(shelf, query, expected):
    assert _codes(shelf.get(f"/api/v1/assets/?{query}")) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("text", [
    "'; DROP TABLE catalog_asset; --", "1' OR '1'='1", "%", "_", "\\", "a%b_c", "\" OR \"\"=\"", "!(&|:*)",
    "<script>alert(1)</script>", "' UNION SELECT password FROM accounts_user --",
])
def test_sql_looking_search_is_just_text(shelf, text):
    from urllib.parse import quote

    response = shelf.get(f"/api/v1/assets/?q={quote(text)}")
    assert _codes(response) == set()
    assert Asset.objects.count() == 3


@pytest.mark.django_db
def test_search_with_a_literal_percent_matches_only_literal_text(world, shelf):
    make_asset(world.licensor, code_name="PCT-1", summary_en="Response rate 45% in phase 2.",
               summary_zh="二期客观缓解率45%。")
    assert _codes(shelf.get("/api/v1/assets/?q=45%25")) == {"PCT-1"}


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "field"), [
    ("modality=nanobody", "modality"),
    ("stage=phase_4", "stage"),
    ("stage_min=phase_9", "stage_min"),
    ("area=astrology", "area"),
    ("deal_type=handshake", "deal_type"),
    ("designation=best_in_class", "designation"),
    ("q=" + "x" * 201, "q"),
    ("watched=perhaps", "watched"),
])
def test_unknown_filter_values_are_400(shelf, query, field):
    response = shelf.get(f"/api/v1/assets/?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.django_db
def test_reversed_stage_range_is_400(shelf):
    response = shelf.get("/api/v1/assets/?stage_min=phase_3&stage_max=phase_1")
    assert response.status_code == 400 and response.json()["error"]["code"] == "reversed_range"


@pytest.mark.django_db
@pytest.mark.parametrize("territory", ["moon", "eu,XX", "narnia"])
def test_unknown_region_is_400(shelf, territory):
    response = shelf.get(f"/api/v1/assets/?territory={territory}")
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_territory"


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "field"), [
    ({"code_name": "X" * 41}, "code_name"),
    ({"inn": "i" * 121}, "inn"),
    ({"modality": "nanobody"}, "modality"),
    ({"stage": "phase_4"}, "stage"),
    ({"territories": ["moon"]}, "territories"),
    ({"territories": {"include": ["eu"], "besides": ["FR"]}}, "territories"),
    ({"therapeutic_areas": ["astrology"]}, "therapeutic_areas"),
    ({"deal_types": "exclusive_license"}, "deal_types"),
    ({"targets": ["T" * 61]}, "targets"),
    ({"summary_en": "s" * 4001}, "summary_en"),
    ({"colour": "blue"}, "colour"),
    ({"code_name": "bad\x00name"}, "code_name"),
])
def test_bad_asset_input_is_400_and_writes_nothing(world, body, field):
    payload = {"code_name": "NEW-1", "modality": "adc", "stage": "phase_1", **body}
    response = world.client("member").post("/api/v1/assets/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Asset.objects.exists()


@pytest.mark.django_db
def test_chinese_and_mixed_script_text_round_trips(world):
    payload = {"code_name": "流明-2201", "modality": "bispecific_antibody", "stage": "phase_2",
               "name_zh": "PD-1/VEGF双特异性抗体", "summary_zh": "用于非小细胞肺癌（NSCLC）的PD-1×VEGF双抗。",
               "indications": ["非小细胞肺癌"], "targets": ["pd-1", "VEGF-A"],
               "territories": {"include": ["worldwide"], "exclude": ["greater_china"]}}
    response = world.client("member").post("/api/v1/assets/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code_name"] == "流明-2201" and body["summary_zh"] == payload["summary_zh"]
    assert body["targets"] == ["PD-1", "VEGF-A"] and body["indications"] == ["非小细胞肺癌"]
    assert body["territories_region"] == "worldwide_ex_greater_china"


@pytest.mark.django_db
def test_watched_filter_only_reads_the_callers_watchlist(world, shelf):
    asset = Asset.objects.get(code_name="JP-118")
    assert shelf.post(f"/api/v1/assets/{asset.pk}/watch/").status_code == 201
    assert _codes(shelf.get("/api/v1/assets/?watched=true")) == {"JP-118"}
    assert _codes(world.client("owner").get("/api/v1/assets/?watched=true")) == set()


@pytest.mark.django_db
def test_owner_sees_own_drafts_and_can_filter_by_status(world, shelf):
    make_asset(world.licensor, code_name="LMN-4010", status=AssetStatus.DRAFT)
    assert _codes(world.client("member").get("/api/v1/assets/?status=draft")) == {"LMN-4010"}
    assert _codes(shelf.get("/api/v1/assets/?status=draft")) == set()


@pytest.mark.django_db
def test_errors_speak_chinese_to_chinese_readers(world, shelf):
    response = world.client("other_member", language="zh-hans").get("/api/v1/assets/?territory=moon")
    assert response.json()["error"]["message"] == "未知的区域或国家代码：moon。"
    response = world.client("other_member", language="zh-hans").get(
        "/api/v1/assets/?stage_min=phase_3&stage_max=phase_1")
    assert "研发阶段范围颠倒" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_listing_cannot_move_to_another_company(world):
    asset = make_asset(world.licensor, status=AssetStatus.DRAFT)
    response = world.client("member").patch(f"/api/v1/assets/{asset.pk}/", {"owner_company": world.partner.pk},
                                            format="json")
    assert response.status_code == 400
    asset.refresh_from_db()
    assert asset.owner_company == world.licensor


def test_browsable_api_filter_form_speaks_each_readers_language(world):
    """The filter form class is built once per language: a Chinese reader after an English one (and back)
    gets their own labels, and no filter shows django-filter's "[invalid name]". The ordering menu offers
    exactly the accepted orderings, in the reader's language."""
    # The schema generator reads every filter's label first, as a visit to /api/docs/ would.
    assert world.client("other_member", language="en").get("/api/schema/").status_code == 200
    pages = {}
    for language in ("en", "zh-hans", "en"):
        response = world.client("other_member", language=language).get("/api/v1/assets/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200
        pages.setdefault(language, []).append(response.content.decode())
    # "Modality" comes from the model field's verbose name, which django-filter renders when it builds the form
    # class; "Earliest stage" is the filter's own (lazy) label.
    for page in pages["en"]:
        assert "Modality" in page and "Earliest stage" in page and "药物类型" not in page
    assert "药物类型" in pages["zh-hans"][0] and "最早研发阶段" in pages["zh-hans"][0]
    assert "Modality" not in pages["zh-hans"][0] and "Earliest stage" not in pages["zh-hans"][0]
    assert not any("[invalid name]" in page for group in pages.values() for page in group)
    zh = pages["zh-hans"][0]
    assert "代号 - " in zh and "?ordering=-stage" in zh
    assert "?ordering=modality" not in zh  # would answer 400
    assert world.client("other_member").get("/api/v1/assets/?ordering=modality").status_code == 400
