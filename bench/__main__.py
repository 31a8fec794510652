"""`make bench`: every benchmark side by side in one run, each as a ratio to a floor measured in the same run.

Runs against its own PostgreSQL database (`bench_gpc`, created and migrated here, reused across runs so the
scale data set is generated once) and its own Redis db (15). Each benchmark is a module `bench/bN_*.py`
exposing `run(ctx) -> list[str]`; every line it returns ends with `target=<goal>` and `ok` or `MISSED`.

Growth (`make bench SCALE=10`, i.e. `BENCH_SCALE=10 python -m bench [codes]`, or `python -m bench --scale 10`):
bench/growth.py runs each growth benchmark twice, in a child process at scale 1 (database `bench_gpc`) and one
at scale 10 (`bench_gpc_x10`, ten times every count), one after the other, and prints
`GROWTH <code> x10=<figure at 10x / figure at 1x>` for its guarded path, with the plan of the slowest query
when the goal is missed.
"""

import importlib
import os
import sys
import time
import traceback

# (code, module, label, goal): the goal is repeated here so a benchmark that cannot run still prints its line.
BENCHMARKS = [
    ("B1", "bench.b1_guarded_list", "guarded-list", "<=1.3"),
    ("B2", "bench.b2_serializer", "serializer", ">=0.6"),
    ("B3", "bench.b3_notification_fanout", "notification-fanout", ">=0.3"),
    ("B4", "bench.b4_watermark", "watermark", "ratio>=0.8,overhead<=102400"),
    ("B5", "bench.b5_large_download", "large-download", "rss<=20,ratio>=0.95"),
    ("B6", "bench.b6_search", "search", "<=1.3,>=20"),
    ("B7", "bench.b7_provider_search", "provider-search", "<=1.3"),
    ("B8", "bench.b8_search_quality", "search-quality", ">=0.9,>=0.9"),
    ("B9", "bench.b9_event_scheduling", "event-scheduling", "placed>=0.9,double-bookings=0,ratio<=5"),
    ("B10", "bench.b10_deal_analytics", "deal-analytics", "<=3"),
    ("B11", "bench.b11_reconciliation", "reconciliation", "<=2"),
    ("B12", "bench.b12_round_list", "round-list", "<=1.3"),
    ("B13", "bench.b13_console_scale", "console-scale", "ratio<=2,kb<=300"),
    ("B14", "bench.b14_pii_scan", "pii-scan", "precision>=0.95,recall>=0.99,ratio>=0.5"),
    ("LOAD", "bench.load", "load", "errors=0"),
]
SCALE = int(os.environ.get("BENCH_SCALE", "1") or 1)
BASE_DATABASE = os.environ.get("BENCH_DATABASE", "bench_gpc")
# Each scale has its own database, so the 1x data set and the 10x one are both kept and reused.
DATABASE = BASE_DATABASE if SCALE == 1 else f"{BASE_DATABASE}_x{SCALE}"


def _prepare_environment() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ["TEST_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ.setdefault("TEST_CACHE_URL", "redis://127.0.0.1:6379/14")
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and SCALE != 1 and _stale(DATABASE):
            # A scaled database holds nothing but generated data: a stale generator means start afresh.
            sys.stderr.write(f"{DATABASE}: data set built by an older generator, dropping it\n")
            conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
        # As the platform runs PostgreSQL (platform/compose.yaml, RUNBOOK "Sizing"): no parallel workers.
        conn.execute(f'ALTER DATABASE "{DATABASE}" SET max_parallel_workers_per_gather = 0')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _stale(database: str) -> bool:
    """True when the database's data-set stamp names another generator version than this code's."""
    import psycopg

    from bench import dataset

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database}") as conn:
        if conn.execute("SELECT to_regclass(%s)", [dataset.STAMP_TABLE]).fetchone()[0] is None:
            return False
        stamps = dict(conn.execute(f"SELECT name, fingerprint FROM {dataset.STAMP_TABLE}").fetchall())
    return any(stamps.get(name, fingerprint) != fingerprint
               for name, fingerprint in dataset.current_fingerprints().items())


def _scale_dataset(ctx: dict) -> None:
    """The shared scale data set (10,000 companies, 100,000 assets, 1,000,000 permission rows, 200,000
    documents), generated with COPY once per database and reused; counts go to stderr, not to the results."""
    from bench import dataset

    started = time.time()
    ctx["catalog_dataset"] = dataset.ensure_dataset()
    ctx["documents_dataset"] = dataset.ensure_documents()
    sys.stderr.write(f"data set (scale {dataset.SCALE}, {DATABASE}) ready in {time.time() - started:.1f}s: "
                     f"{dataset.N_COMPANIES:,} companies, "
                     f"{dataset.N_ASSETS:,} assets, {dataset.N_PERMISSIONS:,} permission rows, "
                     f"{ctx['documents_dataset']['documents']:,} documents\n")


def main(selected: list[str]) -> int:
    unknown = set(selected) - {code for code, *_rest in BENCHMARKS}
    if unknown:
        print(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from "
              f"{' '.join(code for code, *_rest in BENCHMARKS)}", file=sys.stderr)
        return 2
    _prepare_environment()
    ctx: dict = {"database": DATABASE, "started": time.time()}
    chosen = []
    for code, module_name, label, goal in BENCHMARKS:
        if selected and code not in selected:
            continue
        try:
            chosen.append((code, importlib.import_module(module_name), label, goal))
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            print(f"{code} {label} not-measured (no {module_name}) target={goal} MISSED", flush=True)
    # A benchmark that builds its own data says so with USES_SCALE_DATASET = False; the shared scale data set
    # (minutes to generate on a fresh database) is built only when a chosen benchmark reads it.
    if any(getattr(module, "USES_SCALE_DATASET", True) for _code, module, _label, _goal in chosen):
        _scale_dataset(ctx)
    for code, module, label, goal in chosen:
        try:
            for line in module.run(ctx):
                print(line, flush=True)
        except Exception:
            traceback.print_exc()
            print(f"{code} {label} error (traceback above) target={goal} MISSED", flush=True)
    out = os.environ.get("BENCH_GROWTH_OUT")
    if out:  # a child of bench/growth.py: the figures it compares between scales
        import json

        with open(out, "w", encoding="utf-8") as fh:
            json.dump(ctx.get("growth", {}), fh)
    return 0


def _arguments(argv: list[str]) -> tuple[int, list[str]]:
    """`--scale N` (or BENCH_SCALE) and the benchmark codes."""
    scale, codes, rest = SCALE, [], list(argv)
    while rest:
        arg = rest.pop(0)
        if arg == "--scale" and rest:
            scale = int(rest.pop(0))
        elif arg.startswith("--scale="):
            scale = int(arg.split("=", 1)[1])
        else:
            codes.append(arg.upper())
    return scale, codes


if __name__ == "__main__":
    scale, codes = _arguments(sys.argv[1:])
    if scale != 1 and not os.environ.get("BENCH_GROWTH_CHILD"):
        from bench import growth

        sys.exit(growth.main(scale, codes))
    sys.exit(main(codes))
