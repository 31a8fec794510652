"""B1: the asset list as a partner member (permission filter and per-row confidential flag over 100,000
assets and 1,000,000 permission rows) against the same list for staff (no permission filter)."""

from typing import Any

from bench._measure import client_for, count_queries, get_ok, interleaved_p50_ms, record_growth
from bench.dataset import ensure_dataset

TARGET = 1.3
PATH = "/api/v1/assets/?page_size={size}"


def run(ctx: dict[str, Any]) -> list[str]:
    info = ctx.get("catalog_dataset") or ensure_dataset()
    ctx["catalog_dataset"] = info
    partner, staff = client_for(info["partner"]), client_for(info["staff"])
    # One request first: a process fills its ContentType cache once (guardian's permission tables by model), which
    # is no cost of any page size; what is counted is a request in a warm process, as every later one is.
    get_ok(partner, PATH.format(size=10))()
    queries = {size: count_queries(get_ok(partner, PATH.format(size=size))) for size in (10, 50, 200)}
    timings = interleaved_p50_ms({
        "guarded": get_ok(partner, PATH.format(size=20)),
        "unguarded": get_ok(staff, PATH.format(size=20)),
    }, runs=60)
    ratio = timings["guarded"] / timings["unguarded"]
    record_growth(ctx, "B1", timings["guarded"], "guarded list p50, page 20", get_ok(partner, PATH.format(size=20)))
    constant = len(set(queries.values())) == 1
    shown = str(queries[10]) if constant else "/".join(str(queries[size]) for size in (10, 50, 200))
    ok = ratio <= TARGET and constant
    return [
        f"B1 guarded-list ratio={ratio:.2f} queries={shown} target=<={TARGET} {'ok' if ok else 'MISSED'}",
        f"   (guarded p50 {timings['guarded']:.1f} ms, unguarded p50 {timings['unguarded']:.1f} ms, page 20; "
        f"queries at page sizes 10/50/200: {queries[10]}/{queries[50]}/{queries[200]})",
    ]
