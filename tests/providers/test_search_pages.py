"""Provider search pages: a cursor in `next` (no count, no page number) that keeps the search, filters and order,
sorted by the company's name — also after the company is renamed."""

from typing import Any

import pytest

from apps.companies.services import company_update
from tests.providers import helpers

pytestmark = pytest.mark.django_db

NAMES = ["Harborline Regulatory", "Keystone Regulatory", "Matchwell Regulatory", "Sakura Clinical"]


def _walk(client: Any, url: str) -> list[list[str]]:
    """The company names of every page, following `next` exactly as the answer gives it."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        pages.append([row["company"]["name_en"] for row in body["results"]])
        url = body["next"]
    return pages


def test_next_walks_every_provider_once_in_name_order(world):
    helpers.providers(world)
    pages = _walk(world.client("member"), "/api/v1/providers/?page_size=3")
    assert pages == [NAMES[:3], NAMES[3:]]


def test_next_keeps_the_search_the_filters_and_a_descending_order(world):
    helpers.providers(world)
    client = world.client("member")
    pages = _walk(client, "/api/v1/providers/?q=regulatory&category=us_agent&ordering=-company__name_en&page_size=1")
    assert pages == [["Matchwell Regulatory"], ["Keystone Regulatory"], ["Harborline Regulatory"]]
    by_rating = _walk(client, "/api/v1/providers/?ordering=-rating_count&page_size=2")
    assert sorted(name for page in by_rating for name in page) == NAMES


def test_a_renamed_company_is_found_and_sorted_by_its_new_names(world):
    harborline = helpers.company(world, "invited_provider")
    company_update(actor=world.people["invited_provider"], company=harborline, name_en="Zenith Regulatory Agents",
                   name_zh="天顶注册代理")
    client = world.client("member")
    assert _walk(client, "/api/v1/providers/?page_size=10") == [[*NAMES[1:], "Zenith Regulatory Agents"]]
    assert _walk(client, "/api/v1/providers/?q=Zenith") == [["Zenith Regulatory Agents"]]
    assert _walk(client, "/api/v1/providers/?q=天顶注册") == [["Zenith Regulatory Agents"]]


def test_an_unverified_provider_stays_out_of_the_pages(world):
    sakura = helpers.company(world, "nonmatching_provider")
    sakura.verification_status = "pending"
    sakura.save()
    pages = _walk(world.client("member"), "/api/v1/providers/?page_size=2")
    assert pages == [NAMES[:2], NAMES[2:3]]
