"""Applying an edit to a model instance: what an update service does before it saves and audits."""

from collections.abc import Mapping
from typing import Any


def assign_changes(obj: Any, values: Mapping[str, Any]) -> list[str]:
    """Set on `obj` each of `values` that differs from what it holds; the names changed, sorted (what the
    update's audit record lists, and nothing when the edit changed nothing)."""
    changed = sorted(name for name, value in values.items() if getattr(obj, name) != value)
    for name in changed:
        setattr(obj, name, values[name])
    return changed
