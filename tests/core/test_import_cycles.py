"""No import cycles between modules under apps/: a module that imports (at any depth) a module that imports it
back makes both harder to read, test and change, and only works by the accident of a lazy import.

The graph comes from grimp (the engine of import-linter): every import statement, at module level or inside a
function, TYPE_CHECKING-only imports aside. A cycle is a strongly connected group of two or more modules.
To break one: move what both need into a third module, or let the lower layer send a signal (apps/core/signals.py)
that the higher one listens to.
"""

from __future__ import annotations

import grimp

# Deliberate, documented exceptions: each a group of modules known to import one another, with why it is
# tolerated and until when. Remove a line when its cycle is gone (the test fails on a stale line too).
KNOWN_CYCLES: dict[frozenset[str], str] = {}


def _cycles(graph: grimp.ImportGraph) -> list[frozenset[str]]:
    """Tarjan's strongly connected components, iteratively (no recursion limit), groups of two or more."""
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in sorted(graph.modules)}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[frozenset[str]] = []
    counter = 0
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            recurse = False
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in edges:
                    continue
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    recurse = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if recurse:
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(frozenset(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def _describe(graph: grimp.ImportGraph, group: frozenset[str]) -> str:
    lines = []
    for importer in sorted(group):
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & group):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(f"  {importer}:{detail['line_number']}  {detail['line_contents']}")
    return "\n".join(lines)


def test_no_import_cycles_between_modules_of_apps():
    graph = grimp.build_graph("apps", exclude_type_checking_imports=True, cache_dir=None)
    found = _cycles(graph)
    new = [group for group in found if group not in KNOWN_CYCLES]
    assert not new, "import cycles under apps/:\n" + "\n\n".join(_describe(graph, group) for group in new)
    stale = [sorted(group) for group in KNOWN_CYCLES if group not in found]
    assert not stale, f"these known cycles are gone: remove them from KNOWN_CYCLES: {stale}"


def test_the_cycle_finder_sees_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.c")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.d")
    assert _cycles(graph) == [frozenset({"pkg.a", "pkg.b", "pkg.c"})]
