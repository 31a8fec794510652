"""Shared helpers for the catalog benchmarks: timed in-process API requests and SQL timings."""

import statistics
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def p50_ms(action: Callable[[], Any], *, runs: int = 40, warmup: int = 5) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def interleaved_p50_ms(actions: dict[str, Callable[[], Any]], *, runs: int = 40, warmup: int = 5
                       ) -> dict[str, float]:
    """Run the contenders alternately so drift (cache, autovacuum) hits all of them alike."""
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


def get_ok(client: APIClient, path: str) -> Callable[[], Any]:
    def action() -> Any:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
        return response
    return action


def count_queries(action: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def sql_action(sql: str, params: list[Any]) -> Callable[[], Any]:
    def action() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    return action


def explain(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def server_ms_action(sql: str, params: list[Any]) -> Callable[[], float]:
    """PostgreSQL's own planning + execution time for a query (EXPLAIN ANALYZE, timing per node off):
    the database's work without the client round trip and row decoding both contenders share."""

    def action() -> float:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql, params)
            plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else plan
        return float(plan["Planning Time"]) + float(plan["Execution Time"])

    return action


def server_p50_ms(actions: dict[str, Callable[[], float]], *, runs: int = 15, warmup: int = 2) -> dict[str, float]:
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            samples[name].append(action())
    return {name: statistics.median(values) for name, values in samples.items()}


def slowest_query(action: Callable[[], Any]) -> dict[str, Any]:
    """The slowest SELECT `action` runs, with its plan (EXPLAIN ANALYZE, BUFFERS): what a growth line shows
    when it misses its goal."""
    with CaptureQueriesContext(connection) as captured:
        action()
    selects = [query for query in captured.captured_queries
               if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    if not selects:
        return {}
    query = max(selects, key=lambda query: float(query["time"]))
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return {"sql": query["sql"], "ms": float(query["time"]) * 1000, "queries": len(captured.captured_queries),
            "plan": plan}


def record_growth(ctx: dict[str, Any], code: str, ms: float, figure: str,
                  action: Callable[[], Any] | None = None, **extra: Any) -> None:
    """The figure bench/growth.py compares between scales (milliseconds of the guarded path), and the slowest
    query of one guarded request."""
    ctx.setdefault("growth", {})[code] = {"ms": ms, "figure": figure,
                                          "slowest": slowest_query(action) if action is not None else {}, **extra}
