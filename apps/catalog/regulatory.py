"""The key of a regulatory event ("fda:approved", "nmpa:ind_cleared", "fda:designation:breakthrough_therapy"),
which agreement milestones and alliance obligations link to, and its label. One spelling for every app."""

from __future__ import annotations

from typing import Any

from apps.catalog.models import Agency, Designation, RegulatoryEventType


def regulatory_event_kind(event: Any) -> str:
    """The key a milestone links to: "<agency>:<event type>[:<designation>]", lower case, e.g. "fda:approved",
    "nmpa:ind_cleared", "fda:designation:breakthrough_therapy"."""
    parts = [str(getattr(event, "agency", "") or "").lower(), str(getattr(event, "event_type", "") or "").lower()]
    designation = str(getattr(event, "designation", "") or "").lower()
    if designation:
        parts.append(designation)
    return ":".join(parts)


def regulatory_event_kinds() -> list[str]:
    """Every key a milestone may link to: agency × event type, and agency × designation."""
    kinds: list[str] = []
    for agency in Agency.values:
        for event_type in RegulatoryEventType.values:
            if event_type == RegulatoryEventType.DESIGNATION:
                kinds.extend(f"{agency.lower()}:{event_type}:{designation}" for designation in Designation.values)
            else:
                kinds.append(f"{agency.lower()}:{event_type}")
    return kinds


def event_label(event: Any) -> str:
    what = event.get_designation_display() if getattr(event, "designation", "") else event.get_event_type_display()
    return f"{event.agency} {what} ({event.date})"
