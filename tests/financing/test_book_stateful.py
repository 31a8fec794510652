"""The book as a state machine: no sequence of actions lets one investor read another's commitment.

Three investor companies (Cedar, Jadeite, Harbor; one person each) and Lumina's admin drive the real services:
express interest, soft-circle, admit to diligence, issue the term sheet, commit, close, pass, name or un-name a
lead. Every amount is used by one investor only, so any of its figures showing up (as any value, anywhere)
in another investor's reads is caught.

After every step, for every investor, through the API (the book-entry list, the round's detail, the round's
list and every other entry by id, the round's book view): the investor sees its own entry exactly as the model
says, and nothing of anyone else's (no name, no amount), except the name of the lead the biotech named publicly.

Size: GPC_STATEFUL_EXAMPLES runs (default 8) of up to GPC_STATEFUL_STEPS steps (default 10).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from apps.core.errors import DomainError
from apps.financing import services
from apps.financing.models import BookEntry
from tests.financing.helpers import financing_world, make_round

pytestmark = [pytest.mark.slow]

RUNS = int(os.environ.get("GPC_STATEFUL_EXAMPLES", "8"))
STEPS = int(os.environ.get("GPC_STATEFUL_STEPS", "10"))

INVESTORS = ("cedar", "jadeite", "harbor")
PERSONA = {"cedar": "book_investor", "jadeite": "other_book_investor", "harbor": "investor"}
NAME = {"cedar": "Cedar Lane Capital", "jadeite": "Jadeite Growth Fund", "harbor": "Harbor Peak Ventures"}
MARKER = {"cedar": "1", "jadeite": "2", "harbor": "3"}
NEXT = {"interested": "diligence", "diligence": "term_sheet", "term_sheet": "committed", "committed": "closed"}
OPEN = ("interested", "diligence", "term_sheet", "committed")


def amount(investor: str, n: int) -> str:
    """An amount only `investor` ever uses: its marker digit repeated, then a distinguishing number."""
    return f"{MARKER[investor] * 4}{n:03d}.{MARKER[investor] * 2}"


def values(data: Any) -> set[str]:
    """Every scalar in a JSON document, as text."""
    if isinstance(data, dict):
        return set().union(*(values(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(values(v) for v in data)) if data else set()
    return {str(data)}


@dataclass
class Facts:
    stage: str | None = None  # None: not in the book
    soft: str | None = None
    committed: str | None = None


@dataclass
class Model:
    entries: dict[str, Facts] = field(default_factory=lambda: {key: Facts() for key in INVESTORS})
    lead: str | None = None


class BookMachine(RuleBasedStateMachine):
    world: Any = None

    def __init__(self) -> None:
        super().__init__()
        cache.clear()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        w = self.world
        self.round = make_round(w.licensor)  # a fresh round: nobody in its book yet
        self.companies = {"cedar": w.extra["cedar"], "jadeite": w.extra["jadeite"], "harbor": w.extra["matching"]}
        self.people = {key: w.people[PERSONA[key]] for key in INVESTORS}
        self.model = Model()
        self.counter = 0
        self.used: dict[str, set[str]] = {key: set() for key in INVESTORS}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _entry(self, investor: str) -> BookEntry | None:
        return BookEntry.objects.filter(round=self.round, investor=self.companies[investor]).first()

    def _amount(self, investor: str) -> str:
        self.counter += 1
        value = amount(investor, self.counter)
        self.used[investor].add(value)
        return value

    # --- the investor's moves ---------------------------------------------------------------------------

    @rule(investor=st.sampled_from(INVESTORS))
    def express_interest(self, investor: str) -> None:
        facts = self.model.entries[investor]
        try:
            services.interest_express(actor=self.people[investor], round=self.round, message="Keen.")
        except DomainError as error:
            assert facts.stage is not None, f"interest refused: {error.code}"
            return
        assert facts.stage is None, "a second entry for the same investor"
        facts.stage = "interested"

    @rule(investor=st.sampled_from(INVESTORS))
    def soft_circle(self, investor: str) -> None:
        facts, entry = self.model.entries[investor], self._entry(investor)
        if entry is None:
            return
        value = self._amount(investor)
        try:
            services.entry_soft_circle(actor=self.people[investor], entry=entry, amount=value)
        except DomainError:
            assert facts.stage not in ("interested", "diligence", "term_sheet")
            return
        facts.soft = value

    @rule(investor=st.sampled_from(INVESTORS))
    def commit(self, investor: str) -> None:
        facts, entry = self.model.entries[investor], self._entry(investor)
        if entry is None:
            return
        value = self._amount(investor)
        try:
            services.entry_advance(actor=self.people[investor], entry=entry, stage="committed",
                                   committed_amount=value)
        except DomainError:
            assert facts.stage != "term_sheet"
            return
        facts.stage, facts.committed = "committed", value

    @rule(investor=st.sampled_from(INVESTORS), reason=st.sampled_from(["valuation", "timing", "other"]))
    def pass_on(self, investor: str, reason: str) -> None:
        facts, entry = self.model.entries[investor], self._entry(investor)
        if entry is None:
            return
        try:
            services.entry_pass(actor=self.people[investor], entry=entry, reason=reason)
        except DomainError:
            assert facts.stage not in OPEN
            return
        facts.stage = "passed"
        if self.model.lead == investor:
            self.model.lead = None

    # --- the biotech's moves ----------------------------------------------------------------------------

    @rule(investor=st.sampled_from(INVESTORS), stage=st.sampled_from(["diligence", "term_sheet", "closed"]))
    def biotech_advances(self, investor: str, stage: str) -> None:
        facts, entry = self.model.entries[investor], self._entry(investor)
        if entry is None:
            return
        try:
            services.entry_advance(actor=self.world.admin, entry=entry, stage=stage)
        except DomainError:
            assert NEXT.get(facts.stage or "") != stage
            return
        assert NEXT.get(facts.stage or "") == stage
        facts.stage = stage

    @rule(investor=st.sampled_from((*INVESTORS, None)))
    def name_lead(self, investor: str | None) -> None:
        try:
            services.round_name_lead(actor=self.world.admin, round=self.round,
                                     investor=self.companies[investor] if investor else None)
        except DomainError:
            assert investor is not None and self.model.entries[investor].stage in (None, "passed")
            return
        self.model.lead = investor

    # --- what each investor reads -----------------------------------------------------------------------

    @invariant()
    def no_investor_reads_another_investors_entry(self) -> None:
        entries = {key: self._entry(key) for key in INVESTORS}
        for investor in INVESTORS:
            client = self.world.client(PERSONA[investor])
            reads = [client.get(f"/api/v1/book-entries/?round={self.round.pk}").json(),
                     client.get(f"/api/v1/rounds/{self.round.pk}/").json(),
                     client.get("/api/v1/rounds/").json()]
            text = json.dumps(reads, ensure_ascii=False)
            own = [row for row in reads[0]["results"]]
            facts = self.model.entries[investor]
            if facts.stage is None:
                assert own == []
            else:
                assert len(own) == 1 and own[0]["stage"] == facts.stage
                assert own[0]["soft_circled_amount"] == facts.soft
                assert own[0]["committed_amount"] == facts.committed
            for other in INVESTORS:
                if other == investor:
                    continue
                leaked = self.used[other] & values(reads)
                assert not leaked, f"{investor} read {other}'s amounts {leaked}"
                if self.model.lead != other:
                    assert NAME[other] not in text, f"{investor} learned that {other} is in the book"
                if entries[other] is not None:
                    assert client.get(f"/api/v1/book-entries/{entries[other].pk}/").status_code == 404
            assert client.get(f"/api/v1/rounds/{self.round.pk}/book/").status_code == 403


@pytest.mark.django_db
def test_no_sequence_lets_an_investor_read_another_investors_commitment(world):
    financing_world(world)
    BookMachine.world = world
    run_state_machine_as_test(BookMachine, settings=settings(
        max_examples=RUNS, stateful_step_count=STEPS, deadline=None, database=None,
        derandomize=os.environ.get("GPC_STATEFUL_RANDOM") is None,
        suppress_health_check=list(HealthCheck),
    ))
