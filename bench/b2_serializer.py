"""B2: the asset list endpoint's throughput against a minimal view that returns byte-identical JSON.

* endpoint: GET /api/v1/assets/ as the bench partner member (JWT bearer token, as a real client), the whole
  DRF stack: authentication, throttles, the guarded queryset, the filter set, cursor pagination, the catalog's
  list serialization and its renderer.
* minimal: a plain Django view on the same URL conf and middleware, authenticating the same bearer token,
  reading the same restricted rows with `.values()` (the same queryset: visibility rule, per-row access
  flags, ordering and cursor page), building the same dicts and encoding them with orjson.

Both are called through Django's test client in the same process, alternately in batches, on the same page
of the scale data set (100,000 assets, 1,000,000 permission rows). The bodies are first checked to be
byte-identical, then ratio = endpoint req/s / minimal req/s (goal >= 0.6) at the default page size (20)
and at the largest (200); the line reports the lower.
"""

from __future__ import annotations

import functools
import statistics
import time
from typing import Any

import orjson
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

TARGET = 0.6
PAGE_SIZES = (20, 200)
PUBLIC_PATH = "/api/v1/assets/"
MINIMAL_PATH = "/bench/b2/assets/"
ROUNDS = 9
BATCH = 15

_TEASER = ("id", "public_id", "code_name", "modality", "stage", "therapeutic_areas", "territories", "deal_types",
           "summary_en", "summary_zh", "status", "published_at")
_CORE = ("inn", "name_en", "name_zh", "description_en", "description_zh", "targets", "mechanism", "indications",
         "created_at", "updated_at")
_MODERATION = ("status_reason", "submitted_at", "resubmission")
_COLUMNS = (*_TEASER, *_CORE, *_MODERATION, "confidential_visible", "is_owner", "owner_company_id",
            "owner_company__name_en", "owner_company__name_zh")


@functools.cache
def _region_lookup() -> dict[frozenset[str], str]:
    from apps.catalog.territories import REGIONS

    lookup: dict[frozenset[str], str] = {}
    for code, region in REGIONS.items():
        lookup.setdefault(region.countries, code)  # the first region with this exact set, as the serializer
    return lookup


def minimal_asset_list(request: HttpRequest) -> HttpResponse:
    """The floor: same authentication, same rows, `.values()` and orjson, nothing else per row."""
    from rest_framework.request import Request

    from apps.accounts.authentication import RevocableJWTAuthentication
    from apps.catalog.api.serializers import territory_spec
    from apps.catalog.api.views import AssetPagination
    from apps.catalog.selectors import asset_list

    authenticated = RevocableJWTAuthentication().authenticate(request)  # type: ignore[arg-type]
    if authenticated is None:
        return JsonResponse({"error": "unauthenticated"}, status=401)
    user = authenticated[0]
    regions = _region_lookup()
    staff = user.is_staff
    paginator = AssetPagination()
    rows = paginator.paginate_queryset(asset_list(user).values(*_COLUMNS), Request(request))
    results = []
    for row in rows:
        full = row["confidential_visible"]
        data = {
            "id": row["id"], "public_id": row["public_id"], "access": "full" if full else "teaser",
            "code_name": row["code_name"], "modality": row["modality"], "stage": row["stage"],
            "therapeutic_areas": row["therapeutic_areas"], "territories": territory_spec(row["territories"]),
            "territories_region": regions.get(frozenset(row["territories"])),
            "deal_types": row["deal_types"], "summary_en": row["summary_en"], "summary_zh": row["summary_zh"],
            "status": row["status"], "published_at": row["published_at"],
        }
        if full:
            data["owner_company"] = {"id": row["owner_company_id"], "name_en": row["owner_company__name_en"],
                                     "name_zh": row["owner_company__name_zh"]}
            for key in _CORE:
                data[key] = row[key]
            if row["is_owner"] or staff:
                for key in _MODERATION:
                    data[key] = row[key]
        results.append(data)
    links = [paginator.get_next_link(), paginator.get_previous_link()]
    links = [link.replace(MINIMAL_PATH, PUBLIC_PATH, 1) if link else link for link in links]
    body = {"next": links[0], "previous": links[1], "results": results}
    return HttpResponse(orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json")


# Used as ROOT_URLCONF during the run: the project's routes plus the minimal view.
urlpatterns = [
    path(MINIMAL_PATH.strip("/") + "/", minimal_asset_list),
    path("", include("config.urls")),
]


def _client(user: Any) -> Client:
    from rest_framework_simplejwt.tokens import AccessToken

    return Client(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")


def _get(client: Client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return response.content


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    return len(captured.captured_queries)


def _throughput(client: Client, urls: dict[str, str]) -> dict[str, float]:
    """Requests per second per side: batches run alternately, the median batch rate per side."""
    for url in urls.values():
        for _ in range(5):
            _get(client, url)
    rates: dict[str, list[float]] = {name: [] for name in urls}
    for _round in range(ROUNDS):
        for name, url in urls.items():
            started = time.perf_counter()
            for _ in range(BATCH):
                _get(client, url)
            rates[name].append(BATCH / (time.perf_counter() - started))
    return {name: statistics.median(values) for name, values in rates.items()}


def measure(user: Any, size: int) -> dict[str, Any]:
    client = _client(user)
    endpoint_url, minimal_url = f"{PUBLIC_PATH}?page_size={size}", f"{MINIMAL_PATH}?page_size={size}"
    endpoint_body, minimal_body = _get(client, endpoint_url), _get(client, minimal_url)
    if endpoint_body != minimal_body:
        at = next((i for i, (a, b) in enumerate(zip(endpoint_body, minimal_body, strict=False)) if a != b),
                  min(len(endpoint_body), len(minimal_body)))
        raise AssertionError(f"B2 bodies differ at byte {at}: endpoint {endpoint_body[at - 80:at + 80]!r} "
                             f"vs minimal {minimal_body[at - 80:at + 80]!r}")
    full = orjson.loads(endpoint_body)["results"]
    rates = _throughput(client, {"endpoint": endpoint_url, "minimal": minimal_url})
    return {"size": size, "ratio": rates["endpoint"] / rates["minimal"], "endpoint_rps": rates["endpoint"],
            "minimal_rps": rates["minimal"], "bytes": len(endpoint_body), "rows": len(full),
            "full_rows": sum(1 for row in full if row["access"] == "full"),
            "endpoint_queries": _queries(client, endpoint_url), "minimal_queries": _queries(client, minimal_url)}


def run(ctx: dict[str, Any]) -> list[str]:
    from bench.dataset import ensure_dataset

    info = ctx.get("catalog_dataset") or ensure_dataset()
    ctx["catalog_dataset"] = info
    with override_settings(ROOT_URLCONF=__name__):
        results = [measure(info["partner"], size) for size in PAGE_SIZES]
    ratio = min(result["ratio"] for result in results)
    ctx["b2"] = results
    from bench._measure import record_growth

    client = _client(info["partner"])
    record_growth(ctx, "B2", 1000 / results[0]["endpoint_rps"], "endpoint time per request (1 / req/s), page 20",
                  lambda: _get(client, f"{PUBLIC_PATH}?page_size={PAGE_SIZES[0]}"))
    lines = [f"B2 serializer ratio={ratio:.2f} target=>={TARGET} {'ok' if ratio >= TARGET else 'MISSED'}"]
    for r in results:
        lines.append(
            f"   (page {r['size']}: endpoint {r['endpoint_rps']:.0f} req/s, minimal .values()+orjson "
            f"{r['minimal_rps']:.0f} req/s, ratio {r['ratio']:.2f}; {r['rows']} rows ({r['full_rows']} full), "
            f"{r['bytes']:,} identical bytes; queries {r['endpoint_queries']} vs {r['minimal_queries']})")
    return lines


if __name__ == "__main__":
    from bench.__main__ import _prepare_environment

    _prepare_environment()
    for line in run({}):
        print(line, flush=True)
