"""How each cost grows with the data: `make bench SCALE=10` (`BENCH_SCALE=10 python -m bench [codes]`).

For each growth benchmark, one child process runs it at scale 1 (database `$BENCH_DATABASE`, default
`bench_gpc`) and then one at scale N (`<database>_x<N>`: every count of bench/dataset.py, B3's recipients, B7's
providers and B12's rounds times N; built once and reused, see bench/dataset.py). Each child prints its usual
lines (prefixed `[x1]` / `[x10]`; the request-level reads run at scale 1 again afterwards and are compared with
the faster of both, so a slow moment of the machine during the x1 run cannot hide growth) and leaves the figure of its
guarded path in a JSON file; this prints

    GROWTH <code> x<N>=<figure at N / figure at 1> (<what was compared>) target=<=<goal> ok|MISSED

with, when it misses, the slowest query of one guarded request at N and its plan (EXPLAIN ANALYZE). The goal
is 1.5 for paginated reads and searches (B1, B2, B5's checks before the first byte, B6, B7, B12) and N for work
that is linear by nature (B3's fan-out to N times the people). LOAD runs once, at scale N, with 50 and with
200 users (bench/load.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READ_GOAL = 1.5
# code -> goal as a multiple of the scale factor's share: reads stay flat, linear work may grow with N.
GOALS = {"B1": "flat", "B2": "flat", "B3": "linear", "B5": "flat", "B6": "flat", "B7": "flat", "B12": "flat"}
# Request-level reads (a minute or two each) run x1 again after xN; B3 and B5 take long and vary less.
SANDWICHED = {"B1", "B2", "B6", "B7", "B12"}
DEFAULT = ["B1", "B2", "B6", "B7", "B12", "B3", "B5", "LOAD"]
REPO = Path(__file__).resolve().parent.parent


def _child(scale: int, code: str, out: Path) -> dict:
    env = {"BENCH_B5_ROUNDS": "40", **os.environ, "BENCH_SCALE": str(scale), "BENCH_GROWTH_CHILD": "1",
           "BENCH_GROWTH_OUT": str(out)}
    started = time.time()
    with subprocess.Popen([sys.executable, "-m", "bench", code], cwd=REPO, env=env, stdout=subprocess.PIPE,
                          text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(f"[x{scale}] {line}", end="", flush=True)
    sys.stderr.write(f"[x{scale}] {code} took {time.time() - started:.0f}s\n")
    try:
        return json.loads(out.read_text()).get(code, {})
    except (OSError, ValueError):
        return {}


def _goal(code: str, scale: int) -> float:
    return float(scale) if GOALS[code] == "linear" else READ_GOAL


def growth_lines(code: str, scale: int, small: dict, large: dict) -> list[str]:
    goal = _goal(code, scale)
    if not small.get("ms") or not large.get("ms"):
        return [f"GROWTH {code} x{scale}=not-measured target=<={goal:g} MISSED"]
    growth = large["ms"] / small["ms"]
    ok = growth <= goal and not large.get("failed")
    lines = [f"GROWTH {code} x{scale}={growth:.2f} target=<={goal:g} {'ok' if ok else 'MISSED'}",
             f"   ({large['figure']}: {small['ms']:.1f} ms at x1, {large['ms']:.1f} ms at x{scale}"
             + (f" ({small['note_x1']})" if small.get("note_x1") else "")
             + (f"; {large['note']}" if large.get("note") else "") + ")"]
    if small.get("sql_ms") and large.get("sql_ms"):
        lines.append(f"   (the search SQL alone, as PostgreSQL times it: {small['sql_ms']:.2f} ms at x1, "
                     f"{large['sql_ms']:.2f} ms at x{scale}, x{large['sql_ms'] / small['sql_ms']:.1f})")
    slowest = large.get("slowest") or {}
    if slowest:
        lines.append(f"   (slowest query of one request at x{scale}: {slowest['ms']:.1f} ms of {slowest['queries']} "
                     f"queries; at x1: {(small.get('slowest') or {}).get('ms', 0):.1f} ms)")
    if not ok and slowest:
        lines.append(f"   slowest query at x{scale}: {slowest['sql'][:1500]}")
        lines += [f"   | {row}" for row in slowest["plan"].splitlines()]
    return lines


def main(scale: int, codes: list[str]) -> int:
    chosen = [code for code in (codes or DEFAULT) if code in GOALS or code == "LOAD"]
    unknown = sorted(set(codes) - set(chosen))
    if unknown:
        print(f"no growth benchmark {', '.join(unknown)}; choose from {' '.join(DEFAULT)}", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="gpc-growth-"))
    summary: list[str] = []
    for code in chosen:
        if code == "LOAD":
            _child(scale, code, workdir / "load.json")
            continue
        small = _child(1, code, workdir / f"{code}-x1.json")
        large = _child(scale, code, workdir / f"{code}-x{scale}.json")
        if code in SANDWICHED and small.get("ms"):
            # x1 again after xN: on a shared machine the load drifts between children; the faster of the two x1
            # runs is what xN is compared with (a slow x1 run would hide growth, never invent it).
            again = _child(1, code, workdir / f"{code}-x1-again.json")
            if again.get("ms"):
                small = {**small, "ms": min(small["ms"], again["ms"]),
                         "note_x1": f"x1 runs {small['ms']:.1f} and {again['ms']:.1f} ms"}
        lines = growth_lines(code, scale, small, large)
        summary.append(lines[0])
        for line in lines:
            print(line, flush=True)
    if summary:
        print("\n".join(["", "Growth summary:", *summary]), flush=True)
    return 0
