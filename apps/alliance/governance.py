"""Committee rules as plain functions: the outcome of a vote under a voting rule, and who chairs in a year."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from apps.alliance.models import ChairRule, DecisionOutcome, Vote, VotingRule


def decide(*, rule: str, votes: Mapping[int, str], parties: Sequence[int],
           tie_breaker: int | None = None) -> tuple[str, int | None]:
    """(outcome, tie-breaking party) once every party voted; (pending, None) before.

    Each party has one vote. Every party for: carried. Nobody for: rejected. Split: under unanimity the motion is
    deadlocked (it goes to the escalation path); under the tie-break rule the area's named party's vote decides,
    and the record says it broke the tie. A tie-break rule without a named party for the area deadlocks too.
    """
    if set(votes) != set(parties):
        return DecisionOutcome.PENDING, None
    in_favour = [party for party in parties if votes[party] == Vote.FOR]
    if len(in_favour) == len(parties):
        return DecisionOutcome.CARRIED, None
    if not in_favour:
        return DecisionOutcome.REJECTED, None
    if rule == VotingRule.TIE_BREAK and tie_breaker is not None and tie_breaker in votes:
        outcome = DecisionOutcome.CARRIED if votes[tie_breaker] == Vote.FOR else DecisionOutcome.REJECTED
        return outcome, tie_breaker
    return DecisionOutcome.DEADLOCKED, None


def chair_for_year(*, rule: str, first_chair: int, since_year: int, parties: Sequence[int], year: int) -> int:
    """The party chairing in `year`: the fixed chair, or the parties in turn from `first_chair` each year."""
    if rule == ChairRule.FIXED or first_chair not in parties or year < since_year:
        return first_chair
    order = sorted(parties)
    start = order.index(first_chair)
    return order[(start + year - since_year) % len(order)]
