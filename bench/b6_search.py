"""B6: catalog search as a partner (English full-text + Chinese trigram, GIN-indexed) against the same list
without a search term (request level), and against the same query done with a sequential ILIKE (SQL level)."""

from typing import Any
from urllib.parse import quote

from django.db.models import Q

from bench._measure import (
    client_for,
    explain,
    get_ok,
    interleaved_p50_ms,
    record_growth,
    server_ms_action,
    server_p50_ms,
    sql_action,
)
from bench.dataset import ensure_dataset

RATIO_TARGET = 1.3
SPEEDUP_TARGET = 20.0
PAGE = 20


def _sql(queryset: Any) -> tuple[str, list[Any]]:
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return sql, list(params)


def _querysets(user: Any, text: str) -> tuple[Any, Any]:
    from apps.catalog.search import search
    from apps.catalog.selectors import asset_list

    base = asset_list(user).order_by("-created_at", "-id")
    indexed = search(base, text, user)[: PAGE + 1]
    sequential = base.filter(Q(code_name__icontains=text) | Q(summary_en__icontains=text)
                             | Q(summary_zh__icontains=text))[: PAGE + 1]
    return indexed, sequential


def _measure(info: dict[str, Any], text: str) -> dict[str, Any]:
    partner = client_for(info["partner"])
    requests = interleaved_p50_ms({
        "search": get_ok(partner, f"/api/v1/assets/?page_size={PAGE}&q={quote(text)}"),
        "plain": get_ok(partner, f"/api/v1/assets/?page_size={PAGE}"),
    }, runs=40)
    indexed, sequential = _querysets(info["partner"], text)
    indexed_sql, sequential_sql = _sql(indexed), _sql(sequential)
    assert {row.pk for row in indexed} >= {row.pk for row in sequential if text.lower() in
                                           (row.summary_en + row.summary_zh + row.code_name).lower()}
    # The speedup compares the database's work (planning + execution as PostgreSQL reports it); the
    # round trip and row decoding are the same for both and are reported alongside.
    queries = server_p50_ms({"search": server_ms_action(*indexed_sql), "ilike": server_ms_action(*sequential_sql)})
    round_trip = interleaved_p50_ms({"search": sql_action(*indexed_sql), "ilike": sql_action(*sequential_sql)},
                                    runs=7, warmup=1)
    plan = explain(*indexed_sql)
    seq_scan = any(line.strip().removeprefix("->").strip().startswith("Seq Scan on catalog_asset ")
                   for line in plan.splitlines())
    return {"ratio": requests["search"] / requests["plain"], "speedup": queries["ilike"] / queries["search"],
            "search_ms": requests["search"], "plain_ms": requests["plain"], "sql_ms": queries["search"],
            "ilike_ms": queries["ilike"], "client_search_ms": round_trip["search"],
            "client_ilike_ms": round_trip["ilike"], "seq_scan": seq_scan}


def run(ctx: dict[str, Any]) -> list[str]:
    info = ctx.get("catalog_dataset") or ensure_dataset()
    ctx["catalog_dataset"] = info
    english = _measure(info, info["english_query"])
    chinese = _measure(info, info["chinese_query"])
    ratio = max(english["ratio"], chinese["ratio"])
    slower = max((english, "en", info["english_query"]), (chinese, "zh", info["chinese_query"]),
                 key=lambda item: item[0]["search_ms"])
    record_growth(ctx, "B6", slower[0]["search_ms"], f"search p50 ({slower[1]}, the slower language), page {PAGE}",
                  get_ok(client_for(info["partner"]), f"/api/v1/assets/?page_size={PAGE}&q={quote(slower[2])}"),
                  sql_ms=max(english["sql_ms"], chinese["sql_ms"]))
    speedup = min(english["speedup"], chinese["speedup"])
    indexed = not (english["seq_scan"] or chinese["seq_scan"])
    ok = ratio <= RATIO_TARGET and speedup >= SPEEDUP_TARGET and indexed
    lines = [f"B6 search ratio={ratio:.2f} ilike-speedup={speedup:.1f} "
             f"target=<={RATIO_TARGET},>={SPEEDUP_TARGET:g} {'ok' if ok else 'MISSED'}"]
    for label, figures in (("en", english), ("zh", chinese)):
        lines.append(
            f"   ({label}: search p50 {figures['search_ms']:.1f} ms vs list {figures['plain_ms']:.1f} ms; "
            f"SQL in the server {figures['sql_ms']:.2f} ms vs sequential ILIKE {figures['ilike_ms']:.1f} ms, "
            f"with client round trip {figures['client_search_ms']:.2f} vs {figures['client_ilike_ms']:.1f} ms; "
            f"plan {'SEQ SCAN' if figures['seq_scan'] else 'index'})")
    return lines
