"""Data-room access as a state machine: random sequences of everything that changes who may read what.

Rules drive the real services (the ones the API calls): request, approve (level, scope, chosen folders,
named person, expiry), deny, revoke, expire a grant, move the clock, open a staged (held-back) folder,
accept or replace the CDA, record or expire an export clearance, add or remove a company member.

A small model keeps its own book of the same facts. After every step, for every person and document,
the platform must agree with the model, through the selector the API lists and retrieves with
(`Document.objects.for_user`) and the check the view endpoint runs before handing a page out
(`document_hand_out_check`): a person can read a document iff

  * they are on the owner's team, or
  * an active grant (not revoked, not expired, to their company, for everyone or for them by name)
    covers it (room-wide and not held back, or a chosen or released folder above it), and they accepted
    the room's current CDA, and the document is a PDF or a covering grant allows download, and any
    export clearance it needs (HGR data leaving mainland China) is recorded and still valid.

A rule also reads a random (person, document) through the real endpoint, GET .../view/.

"Moving the clock" subtracts the same span from every stored deadline (grant expiries, clearance end
dates): for every comparison with now() that is the same as time passing, and it works for SQL's
now() as well as for Python's, which no clock patching reaches.

Size: GPC_STATEFUL_EXAMPLES runs (default 20) of up to GPC_STATEFUL_STEPS steps (default 15).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test
from rest_framework.test import APIClient

from apps.companies import services as company_services
from apps.companies.models import Membership, Role
from apps.core.errors import DomainError
from apps.datarooms import services
from apps.datarooms.models import AccessGrant, ClearanceType, Document, DocumentAccessKind, ExportClearance
from tests.datarooms.rooms import build_room, second_partner
from tests.factories import UserFactory, add_member

pytestmark = [pytest.mark.slow]

RUNS = int(os.environ.get("GPC_STATEFUL_EXAMPLES", "20"))
STEPS = int(os.environ.get("GPC_STATEFUL_STEPS", "15"))

PARTNERS = ("northbridge", "rheinwald")  # Northbridge Pharma (US), Rheinwald Therapeutics (DE)
PEOPLE = ("insider", "nb_member", "nb_newcomer", "rival", "outsider")
DOCUMENTS = ("csr", "listings", "genome", "stability")
FOLDERS = ("clinical", "genomics", "cmc")
# Folder keys above each folder (itself included), and where each document lives.
ANCESTORS = {"clinical": {"clinical"}, "genomics": {"genomics", "clinical"}, "cmc": {"cmc"}}
FOLDER_OF = {"csr": "clinical", "listings": "clinical", "genome": "genomics", "stability": "cmc"}
HELD_BACK = {"cmc"}
PDF = {"csr", "genome", "stability"}
HGR = {"genome"}  # export-controlled: needs an HGR approval or filing to go to a foreign company
LIFTS_HGR = {ClearanceType.HGR_APPROVAL, ClearanceType.HGR_FILING}


@dataclass
class GrantFacts:
    pk: int
    company: str
    person: str | None  # None: every member of the company
    level: str
    scope: str
    folders: set[str]
    hours_left: float
    revoked: bool = False

    def active(self) -> bool:
        return not self.revoked and self.hours_left > 0

    def covers(self, document: str) -> bool:
        folder = FOLDER_OF[document]
        return (self.scope == "room" and folder not in HELD_BACK) or bool(ANCESTORS[folder] & self.folders)


@dataclass
class ClearanceFacts:
    pk: int
    company: str
    kind: str
    days_left: int  # valid through today + days_left (valid while >= 0)


@dataclass
class Model:
    members: dict[str, str | None]  # person -> partner company key (None: no partner company)
    cda_version: int = 0
    accepted: dict[str, set[int]] = field(default_factory=dict)
    pending: set[str] = field(default_factory=set)
    grants: list[GrantFacts] = field(default_factory=list)
    clearances: list[ClearanceFacts] = field(default_factory=list)

    def grants_for(self, person: str) -> list[GrantFacts]:
        company = self.members.get(person)
        return [g for g in self.grants if company is not None and g.company == company and g.active()
                and g.person in (None, person)]

    def cda_cleared(self, person: str) -> bool:
        return self.cda_version == 0 or self.cda_version in self.accepted.get(person, set())

    def visible(self, person: str, document: str) -> bool:
        if person == "insider":
            return True
        return self.cda_cleared(person) and any(g.covers(document) for g in self.grants_for(person))

    def export_cleared(self, person: str, document: str) -> bool:
        if document not in HGR:
            return True
        company = self.members[person]
        return any(c.company == company and c.kind in LIFTS_HGR and c.days_left >= 0 for c in self.clearances)

    def can_read(self, person: str, document: str) -> bool:
        if person == "insider":
            return True
        if not self.visible(person, document):
            return False
        covering = [g for g in self.grants_for(person) if g.covers(document)]
        may_open = document in PDF or any(g.level == "download" for g in covering)
        return may_open and self.export_cleared(person, document)


class AccessMachine(RuleBasedStateMachine):
    world: Any = None  # set by the test before the machine runs

    def __init__(self) -> None:
        super().__init__()
        cache.clear()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # every run starts from the same world and is rolled back at the end
        w = self.world
        self.room = w.extra["room"]
        self.companies = {"northbridge": w.partner, "rheinwald": w.extra["rival"][0]}
        self.people = {"insider": w.member, "nb_member": w.other_member, "nb_newcomer": w.extra["newcomer"],
                       "rival": w.extra["rival"][1], "outsider": w.outsider}
        self.documents = {key: getattr(self.room, key) for key in DOCUMENTS}
        self.folders = {key: getattr(self.room, key) for key in FOLDERS}
        self.model = Model(members={"insider": None, "nb_member": "northbridge", "nb_newcomer": None,
                                    "rival": "rheinwald", "outsider": None})
        self.requester = {"northbridge": w.other_member, "rheinwald": w.extra["rival"][1]}

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- getting in -------------------------------------------------------------------------------------

    @rule(company=st.sampled_from(PARTNERS))
    def request_access(self, company: str) -> None:
        try:
            services.access_request_create(actor=self.requester[company], asset=self.room.asset,
                                           message="We would like to run diligence.")
        except DomainError as error:
            assert company in self.model.pending, f"request refused: {error.code}"
            return
        assert company not in self.model.pending, "a second pending request was accepted"
        self.model.pending.add(company)

    @precondition(lambda self: bool(self.model.pending))
    @rule(data=st.data(), level=st.sampled_from(["view", "download"]), scope=st.sampled_from(["room", "folders"]),
          named=st.booleans(), hours=st.integers(1, 24 * 20))
    def approve(self, data: Any, level: str, scope: str, named: bool, hours: int) -> None:
        company = data.draw(st.sampled_from(sorted(self.model.pending)), label="company")
        folders = sorted(data.draw(st.sets(st.sampled_from(FOLDERS), min_size=1), label="folders")) \
            if scope == "folders" else []
        members = [p for p, c in self.model.members.items() if c == company]
        person = data.draw(st.sampled_from(members), label="person") if named and members else None
        request = self.room.room.access_requests.get(company=self.companies[company], status="pending")
        grant = services.access_request_approve(
            actor=self.world.admin, request=request, level=level, scope=scope,
            expires_at=timezone.now() + timedelta(hours=hours),
            folders=[self.folders[f] for f in folders], user=self.people[person] if person else None)
        self.model.pending.discard(company)
        self.model.grants.append(GrantFacts(pk=grant.pk, company=company, person=person, level=level, scope=scope,
                                            folders=set(folders), hours_left=hours))

    @precondition(lambda self: bool(self.model.pending))
    @rule(data=st.data())
    def deny(self, data: Any) -> None:
        company = data.draw(st.sampled_from(sorted(self.model.pending)), label="company")
        request = self.room.room.access_requests.get(company=self.companies[company], status="pending")
        services.access_request_deny(actor=self.world.admin, request=request, reason="Not at this stage.")
        self.model.pending.discard(company)

    # --- grants change ----------------------------------------------------------------------------------

    @precondition(lambda self: any(not g.revoked for g in self.model.grants))
    @rule(data=st.data())
    def revoke(self, data: Any) -> None:
        grant = data.draw(st.sampled_from([g for g in self.model.grants if not g.revoked]), label="grant")
        services.grant_revoke(actor=self.world.admin, grant=AccessGrant.objects.get(pk=grant.pk))
        grant.revoked = True

    @precondition(lambda self: any(g.active() for g in self.model.grants))
    @rule(data=st.data())
    def expire(self, data: Any) -> None:
        """The grant's end passes (the clock reaches it)."""
        grant = data.draw(st.sampled_from([g for g in self.model.grants if g.active()]), label="grant")
        AccessGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        grant.hours_left = -1 / 3600

    @rule(days=st.integers(1, 10))
    def move_the_clock(self, days: int) -> None:
        AccessGrant.objects.filter(room=self.room.room).update(expires_at=F("expires_at") - timedelta(days=days))
        ExportClearance.objects.filter(room=self.room.room).update(valid_until=F("valid_until") - timedelta(days=days))
        for grant in self.model.grants:
            grant.hours_left -= 24 * days
        for clearance in self.model.clearances:
            clearance.days_left -= days

    @precondition(lambda self: any(not g.revoked for g in self.model.grants))
    @rule(data=st.data())
    def open_staged_folder(self, data: Any) -> None:
        grant = data.draw(st.sampled_from([g for g in self.model.grants if not g.revoked]), label="grant")
        services.grant_release_folders(actor=self.world.admin, grant=AccessGrant.objects.get(pk=grant.pk),
                                       folders=[self.folders["cmc"]])
        grant.folders.add("cmc")

    # --- the confidentiality agreement -------------------------------------------------------------------

    @rule()
    def replace_cda(self) -> None:
        services.cda_publish(actor=self.world.admin, room=self.room.room, text_en="Keep it confidential, v.",
                             text_zh="保密。")
        self.model.cda_version += 1

    @rule(person=st.sampled_from(PEOPLE))
    def accept_cda(self, person: str) -> None:
        may = self.model.cda_version > 0 and bool(self.model.grants_for(person)) and person != "insider"
        try:
            services.cda_accept(actor=self.people[person], room=self.room.room, version=self.model.cda_version)
        except DomainError as error:
            assert not may, f"{person} could not accept the CDA: {error.code}"
            return
        assert may, f"{person} accepted a CDA they should not be offered"
        self.model.accepted.setdefault(person, set()).add(self.model.cda_version)

    # --- export clearances -------------------------------------------------------------------------------

    @rule(company=st.sampled_from(PARTNERS), kind=st.sampled_from(list(ClearanceType)), days=st.integers(0, 30))
    def record_clearance(self, company: str, kind: str, days: int) -> None:
        clearance = ExportClearance.objects.create(
            room=self.room.room, company=self.companies[company], clearance_type=kind, reference="REF-1",
            valid_until=timezone.now().date() + timedelta(days=days), recorded_by=self.world.staff)
        self.model.clearances.append(ClearanceFacts(pk=clearance.pk, company=company, kind=str(kind), days_left=days))

    @precondition(lambda self: any(c.days_left >= 0 for c in self.model.clearances))
    @rule(data=st.data())
    def expire_clearance(self, data: Any) -> None:
        clearance = data.draw(st.sampled_from([c for c in self.model.clearances if c.days_left >= 0]))
        ExportClearance.objects.filter(pk=clearance.pk).update(valid_until=timezone.now().date() - timedelta(days=1))
        clearance.days_left = -1

    # --- people come and go ------------------------------------------------------------------------------

    @precondition(lambda self: self.model.members["nb_newcomer"] is None)
    @rule()
    def add_member(self) -> None:
        newcomer = self.people["nb_newcomer"]
        _, token = company_services.invitation_create(actor=self.world.extra["nb_admin"], company=self.world.partner,
                                                      email=newcomer.email, role=Role.MEMBER)
        company_services.invitation_accept(actor=newcomer, token=token)
        self.model.members["nb_newcomer"] = "northbridge"

    @precondition(lambda self: self.model.members["nb_newcomer"] is not None)
    @rule()
    def remove_member(self) -> None:
        membership = Membership.objects.get(user=self.people["nb_newcomer"], company=self.world.partner)
        company_services.membership_remove(actor=self.world.extra["nb_admin"], membership=membership)
        self.model.members["nb_newcomer"] = None

    # --- reading ------------------------------------------------------------------------------------------

    @rule(person=st.sampled_from(PEOPLE), document=st.sampled_from(DOCUMENTS))
    def read_through_the_api(self, person: str, document: str) -> None:
        client = APIClient()
        client.force_authenticate(self.people[person])
        response = client.get(f"/api/v1/dataroom-documents/{self.documents[document].pk}/view/")
        expected = self.model.can_read(person, document)
        assert (response.status_code == 200) == expected, (
            f"{person} reading {document}: expected {'200' if expected else 'a refusal'}, got "
            f"{response.status_code} {response.content[:200]!r}")
        if not self.model.visible(person, document):
            assert response.status_code == 404, "an invisible document must answer 404, not tell it exists"

    @invariant()
    def everyone_reads_exactly_what_the_rules_allow(self) -> None:
        for person, user in self.people.items():
            visible = set(Document.objects.for_user(user, "view").filter(room=self.room.room)
                          .values_list("pk", flat=True))
            for document, row in self.documents.items():
                expected_visible = self.model.visible(person, document)
                assert (row.pk in visible) == expected_visible, (
                    f"{person} {'cannot' if expected_visible else 'can'} see {document}; model: {self.model}")
                if not expected_visible:
                    continue
                try:
                    services.document_hand_out_check(actor=user, document=row, kind=DocumentAccessKind.VIEW)
                    readable = True
                except DomainError:
                    readable = False
                assert readable == self.model.can_read(person, document), (
                    f"{person} {'can' if readable else 'cannot'} read {document}; model: {self.model}")


@pytest.fixture
def access_world(world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}
    build_room(world)
    second_partner(world)
    world.extra["newcomer"] = UserFactory(email="newcomer@northbridge.test", full_name="Nico Newcomer")
    world.extra["nb_admin"] = UserFactory(email="admin@northbridge.test", full_name="Ada Northbridge")
    add_member(world.partner, world.extra["nb_admin"], Role.ADMIN)
    return world


@pytest.mark.django_db
def test_data_room_access_follows_grants_cda_and_clearances(access_world):
    AccessMachine.world = access_world
    run_state_machine_as_test(AccessMachine, settings=settings(
        max_examples=RUNS, stateful_step_count=STEPS, deadline=None, database=None,
        derandomize=os.environ.get("GPC_STATEFUL_RANDOM") is None,
        suppress_health_check=list(HealthCheck),
    ))
