"""Who may do what in data rooms, decided here once for every caller.

The restricted querysets (each model's `access_q`, hence `for_user`, the API and the selectors), the hand-out
(`hand_out_right`, `export_gate_missing`), the "accept the CDA first" answer (`cda_to_accept_*`), the
notification visibility (through `for_user`) and the staff console (the export-gate worklist) all read the
rules below; nothing else in the app restates them.

* A person's standing towards data rooms is one `RoomScope`, read in one round trip (`room_scope`): the rooms
  of their companies, the rooms they manage or contribute to (owner/admin/member roles, or a per-room "manage"
  delegated through guardian), and their active grants (to a verified company of theirs, for everyone or for
  them by name, not revoked, not expired: compared with the database clock, so revocation and expiry count from
  the very next request), each marked "cleared" when the room has no CDA or they accepted its current one.
* What a grant opens is its `Reach`: every folder of the room that is not held back (room-wide grants), plus
  the subtrees of chosen or released folders. One definition, rendered two ways side by side: as a filter for
  lists (`Reach.folders_q`) and for one folder (`Reach.covers`, the hand-out); tests/datarooms/test_access_rules.py
  holds them equal on every folder of a tree.
* Staff read rooms, folders, requests, grants and questions (support, compliance), never documents' content.

This module sits below the models (their `access_q` call it): it reaches the few models it reads through the
app registry, like a string ForeignKey, so the import graph has no cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from apps.catalog.models import Asset
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    MANAGING_ROLES,
    Company,
    company_ids_of,
    verified_company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, codename_for
from apps.core.countries import MAINLAND_CHINA
from apps.core.errors import PermissionRefused

from .choices import CLEARS, DETECTABLE, EXPORT_CONTROLLED, UNFINISHED, GrantLevel, GrantScope, ScanDecision, ScanStatus
from .scope_sql import room_scope_sql

MANAGE = "manage"  # run the room: folders, requests, grants, CDA, reports
CONTRIBUTE = "contribute"  # upload documents and versions
DOWNLOAD = "download"  # take a document away (a download-level grant)
ANY = "any"  # a reach at any level (what a view needs)


def _model(name: str) -> Any:
    return apps.get_model("datarooms", name)


# --- what a grant opens --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """The folders some access opens: every folder of `rooms` that is not held back (nor below a held-back one),
    plus the subtrees of `roots` (chosen folders, or held-back folders released to the grant)."""

    rooms: frozenset[int] = frozenset()
    roots: frozenset[int] = frozenset()

    def __or__(self, other: Reach) -> Reach:
        return Reach(rooms=self.rooms | other.rooms, roots=self.roots | other.roots)

    def folders_q(self, prefix: str = "") -> Q:
        """The rule as a filter on folders (`prefix` "folder__" on documents): one flat, indexed condition."""
        q = Q(pk__in=[])
        if self.rooms:
            q |= Q(**{f"{prefix}room_id__in": sorted(self.rooms), f"{prefix}hidden": False})
        if self.roots:
            q |= Q(**{f"{prefix}pk__in": _model("FolderClosure").objects.filter(ancestor_id__in=sorted(self.roots))
                      .values("descendant_id")})
        return q

    def covers(self, folder: Any, ancestors: Callable[[], set[int]]) -> bool:
        """The same rule for one folder; `ancestors()` (the folder and those above it, one query) is asked only
        when there are roots."""
        if folder.room_id in self.rooms and not folder.hidden:
            return True
        return bool(self.roots) and bool(self.roots & ancestors())


@dataclass(frozen=True)
class ScopeGrant:
    """One active grant as the scope read it."""

    pk: int
    room_id: int
    company_id: int
    scope: str  # GrantScope
    level: str  # GrantLevel
    folders: frozenset[int]  # chosen (scope "folders") or released (scope "room") folders
    cleared: bool  # the room has no CDA, or the person accepted its current one

    @property
    def reach(self) -> Reach:
        rooms = frozenset({self.room_id}) if self.scope == GrantScope.ROOM else frozenset()
        return Reach(rooms=rooms, roots=self.folders)


# --- a person's standing -------------------------------------------------------------------------------------


@dataclass
class RoomScope:
    member_rooms: list[int]  # rooms of companies the person belongs to
    managed_rooms: list[int]  # owner/admin of the owner company, or delegated "manage" through guardian
    contributing_rooms: list[int]  # owner/admin/member of the owner company, or delegated
    grants: list[ScopeGrant]  # active grants, oldest first (cleared or not)
    reaches: dict[str, Reach] = field(default_factory=dict)  # level (ANY / DOWNLOAD) -> reach of cleared grants

    @property
    def insider_rooms(self) -> list[int]:
        """Rooms whose every folder and document the person sees: their company's, or delegated to them."""
        return self.member_rooms + self.managed_rooms

    @property
    def visible_rooms(self) -> list[int]:
        """Rooms the person sees (not necessarily their content): insiders', and those they hold a grant to."""
        return self.insider_rooms + self.granted_rooms

    @property
    def granted_rooms(self) -> list[int]:
        return sorted({grant.room_id for grant in self.grants})

    @property
    def cleared_rooms(self) -> list[int]:
        return sorted({grant.room_id for grant in self.grants if grant.cleared})

    def reach(self, level: str = ANY) -> Reach:
        return self.reaches.get(level, Reach())


def room_scope(user: Any, *, cda_accepted_everywhere: bool = False) -> RoomScope:
    """The person's standing towards data rooms. `cda_accepted_everywhere`: as if they had accepted the current CDA
    of every room they hold a grant to (what they will see once they accept), for telling "accept the CDA first"
    from "not yours" with the very rule that decides access."""
    # Every data-room request reads this, so it is one round trip of hand-written SQL (scope_sql.py): as
    # four ORM queries (memberships, delegations, grants, CDA acceptances) Django spent about twice as long
    # building and compiling them as PostgreSQL spent running them. The lists it gives keep every rule a flat
    # filter: cheap for PostgreSQL to run twice (COUNT and page) and for Django to compile.
    with connection.cursor() as cursor:
        statement = room_scope_sql(connection, manage_codename=codename_for(_model("DataRoom"), MANAGE))
        cursor.execute(statement, {"user": user.pk})
        rows = cursor.fetchall()
    memberships = {(c, role) for kind, c, _r, _c, _f, role, *_ in rows if kind == "member"}
    managing = {c for c, role in memberships if role in MANAGING_ROLES}
    contributing = {c for c, role in memberships if role in CONTRIBUTING_ROLES}
    owned = sorted({(room, c) for kind, c, room, *_ in rows if kind == "member" and room is not None})
    delegated = sorted({room for kind, room, *_ in rows if kind == "delegated"})
    # One row per grant and chosen/released folder (a grant without folders gives one row with None), oldest first.
    grants: dict[int, tuple[int, int, str, str, bool]] = {}
    folders_of: dict[int, set[int]] = {}
    for kind, pk, room, company, folder, grant_scope, level, cleared, _created in rows:
        if kind != "grant":
            continue
        grants.setdefault(pk, (room, company, grant_scope, level, bool(cleared) or cda_accepted_everywhere))
        if folder is not None:
            folders_of.setdefault(pk, set()).add(folder)
    scope_grants = [ScopeGrant(pk=pk, room_id=room, company_id=company, scope=grant_scope, level=level,
                               folders=frozenset(folders_of.get(pk, ())), cleared=cleared)
                    for pk, (room, company, grant_scope, level, cleared) in grants.items()]
    reaches = {ANY: Reach(), DOWNLOAD: Reach()}
    for grant in scope_grants:
        if grant.cleared:
            reaches[ANY] |= grant.reach
            if grant.level == GrantLevel.DOWNLOAD:
                reaches[DOWNLOAD] |= grant.reach
    return RoomScope(
        member_rooms=[r for r, _ in owned],
        managed_rooms=[r for r, c in owned if c in managing] + delegated,
        contributing_rooms=[r for r, c in owned if c in contributing] + delegated,
        grants=scope_grants,
        reaches=reaches,
    )


def managed_room_ids(user: Any) -> list[int]:
    """Rooms `user` manages: owner-company owner/admin, or a per-room guardian grant of "manage"."""
    return room_scope(user).managed_rooms


# --- the rules of the restricted querysets (each model's access_q) --------------------------------------------
#
# Each returns a Q, True (every row) or False (none). `scope`: the person's RoomScope when the caller has just
# read it (a hand-out reads it once for the restricted queryset and its own check); read here otherwise.


def room_q(user: Any, action: str) -> Q | bool:
    if action == VIEW and user.is_staff:
        return True
    if action == MANAGE:  # guardian's per-room "manage" grants are added by for_user()
        return Q(owner_company_id__in=company_ids_of(user, MANAGING_ROLES))
    scope = room_scope(user)
    if action == VIEW:
        return Q(pk__in=scope.visible_rooms)
    if action == CHANGE:
        return Q(pk__in=scope.managed_rooms)
    if action == CONTRIBUTE:
        return Q(pk__in=scope.contributing_rooms)
    return False


def folder_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        if user.is_staff:
            return True
        scope = room_scope(user)
        return Q(room_id__in=scope.insider_rooms) | scope.reach(ANY).folders_q()
    if action in (MANAGE, CHANGE, "delete"):
        return Q(room_id__in=room_scope(user).managed_rooms)
    if action == CONTRIBUTE:
        return Q(room_id__in=room_scope(user).contributing_rooms)
    return False


def document_q(user: Any, action: str, scope: RoomScope | None = None) -> Q | bool:
    """Insiders see every document of their rooms; a partner the documents its cleared grants reach, and takes
    away (DOWNLOAD) those its download-level grants reach. Staff see the structure, never the content."""
    if action == VIEW and user.is_staff:
        return True
    scope = scope or room_scope(user)
    insiders = Q(room_id__in=scope.insider_rooms)
    if action == VIEW:
        return insiders | scope.reach(ANY).folders_q(prefix="folder__")
    if action == DOWNLOAD:
        return insiders | scope.reach(DOWNLOAD).folders_q(prefix="folder__")
    if action in (CHANGE, CONTRIBUTE):
        return Q(room_id__in=scope.contributing_rooms)
    if action in (MANAGE, "delete"):
        return Q(room_id__in=scope.managed_rooms)
    return False


def version_q(user: Any, action: str) -> Q | bool:
    # Earlier versions stay readable to the owner's team; partners only ever reach the current one (hand-out).
    if action == VIEW:
        return True if user.is_staff else Q(document__room_id__in=room_scope(user).insider_rooms)
    return False


def cda_version_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        if user.is_staff:
            return True
        scope = room_scope(user)
        return Q(room_id__in=scope.visible_rooms)
    return False


def access_request_q(user: Any, action: str) -> Q | bool:
    """Bidder isolation: partners see only their own company's requests."""
    if action == VIEW:
        if user.is_staff:
            return True
        return Q(room_id__in=managed_room_ids(user)) | Q(company_id__in=company_ids_of(user))
    if action in (MANAGE, "decide"):
        return Q(room_id__in=managed_room_ids(user))
    if action == "withdraw":
        return Q(company_id__in=company_ids_of(user))
    return False


def grant_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        if user.is_staff:
            return True
        # The grantee company sees its own grants (expired and revoked included): never another's.
        return Q(room_id__in=managed_room_ids(user)) | Q(company_id__in=company_ids_of(user))
    if action in (MANAGE, CHANGE):
        return Q(room_id__in=managed_room_ids(user))
    return False


def document_access_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        # Only the room's managers trace a download id; partners never see each other's activity.
        return True if user.is_staff else Q(room_id__in=managed_room_ids(user))
    return False


def question_q(user: Any, action: str) -> Q | bool:
    """Each partner sees its own company's questions and the published FAQ (once cleared), never another's."""
    if action == VIEW:
        if user.is_staff:
            return True
        scope = room_scope(user)
        insiders = Q(room_id__in=scope.insider_rooms)
        own = Q(company_id__in=verified_company_ids_of(user), room_id__in=scope.cleared_rooms)
        faq = Q(is_faq=True, room_id__in=scope.cleared_rooms)
        return insiders | own | faq
    if action == "answer":
        return Q(room_id__in=room_scope(user).contributing_rooms)
    if action in (MANAGE, "publish"):
        return Q(room_id__in=managed_room_ids(user))
    return False


def bulk_import_q(user: Any, action: str) -> Q | bool:
    if action == VIEW:
        return True if user.is_staff else Q(room_id__in=room_scope(user).contributing_rooms)
    return False


def scan_q(user: Any, action: str) -> Q | bool:
    """A document's scan (what it found, masked): the owner company's people and compliance officers read it;
    the people who run the room confirm or override it. Partners never see it, not even that it exists."""
    if action == VIEW:
        from apps.console.roles import is_compliance_officer

        if is_compliance_officer(user):
            return True
        scope = room_scope(user)
        return Q(document__room_id__in=scope.member_rooms + scope.managed_rooms)
    if action == MANAGE:
        return Q(document__room_id__in=room_scope(user).managed_rooms)
    return False


# --- asking to get in ----------------------------------------------------------------------------------------

# Other apps may let a person ask for an asset's data room where the catalog does not show them the asset
# (financing: an investor admitted to the diligence of a round that funds it). Each callable answers for one
# (actor, asset); it only opens the door to asking: approval, grant, CDA, watermark, expiry, revocation and
# the export gate stay exactly as for any partner.
REQUEST_ADMISSIONS: list[Callable[[Any, Asset], bool]] = []


def may_request_access(actor: Any, asset: Asset) -> bool:
    """The one rule on who may ask for an asset's data room: whoever reads its teaser, or whom another app
    admits (REQUEST_ADMISSIONS). The company kind plays no part: an investor is a partner like any other."""
    if Asset.objects.for_user(actor, VIEW).filter(pk=asset.pk).exists():
        return True
    return any(admit(actor, asset) for admit in REQUEST_ADMISSIONS)


# --- the hand-out --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandOutRight:
    """What a person may do with one document: for which company they take it (None: they may not open it) and
    whether they may take it away."""

    company_id: int | None
    insider: bool = False
    may_download: bool = False


def hand_out_right(document: Any, scope: RoomScope) -> HandOutRight:
    """The document rule (`document_q`) for one document, plus the company the hand-out is recorded for: the
    owner company for insiders; for a partner, the oldest covering download-level grant's company (else the
    oldest covering grant's, view only). Not visible (no covering cleared grant): no right at all."""
    room_id = document.room_id
    if room_id in scope.member_rooms:
        return HandOutRight(company_id=document.room.owner_company_id, insider=True, may_download=True)
    room_grants = [grant for grant in scope.grants if grant.room_id == room_id and grant.cleared]
    ancestors: set[int] | None = None

    def folder_ancestors() -> set[int]:
        nonlocal ancestors
        if ancestors is None:
            ancestors = set(_model("FolderClosure").objects.filter(descendant_id=document.folder_id)
                            .values_list("ancestor_id", flat=True))
        return ancestors

    covering = [grant for grant in room_grants if grant.reach.covers(document.folder, folder_ancestors)]
    downloads = [grant for grant in covering if grant.level == GrantLevel.DOWNLOAD]
    if covering:
        return HandOutRight(company_id=(downloads or covering)[0].company_id, may_download=bool(downloads))
    if room_id in scope.managed_rooms:
        return HandOutRight(company_id=document.room.owner_company_id, insider=True, may_download=True)
    return HandOutRight(company_id=None)


# --- what the export gate decides on (issue 18) ----------------------------------------------------------------
# The declared classifications plus what the scan of the current version says: the decision once an owner's manager
# confirmed or overrode the proposal; the proposal while nobody has; and, while the scan has not finished (waiting,
# running, or failed), everything a scan can find: the document is held as if positive. A document whose text cannot
# be read keeps its declaration, as does a version without a scan row.


def current_scan(document: Any) -> Any:
    """The scan of the document's current version (None: no version, or made outside the services)."""
    if document.current_version_id is None:
        return None
    return _model("DocumentScan").objects.filter(version_id=document.current_version_id).first()


def scan_classifications(scan: Any) -> set[str]:
    """The export-relevant classifications the scan adds to the declaration."""
    if scan is None:
        return set()
    if scan.decision != ScanDecision.UNDECIDED:
        return set(scan.classifications)
    if scan.status in UNFINISHED:
        return {str(c) for c in DETECTABLE}
    if scan.status == ScanStatus.DONE:
        return set(scan.proposed)
    return set()


def gate_classifications(document: Any) -> list[str]:
    """Declared plus scanned export-controlled classifications of the document, in the gate's order."""
    found = set(document.export_controlled) | scan_classifications(current_scan(document))
    return [str(c) for c in EXPORT_CONTROLLED if c in found]


class ExportBlocked(PermissionRefused):
    """A hand-out the export gate holds (403 export_clearance_required), naming what is missing."""

    default_code = "export_clearance_required"


def export_gate_missing(*, document: Any, company: Company | None) -> list[str]:
    """Classifications of `document` that may not go to `company` yet (empty: nothing blocks).

    Applies when the room's owner is in mainland China and the receiving company is a foreign party
    (outside mainland China; Hong Kong, Macau and Taiwan count as outside for data-export rules)."""
    controlled = gate_classifications(document)
    if not controlled or company is None:
        return []
    room = document.room
    if room.owner_company.country != MAINLAND_CHINA or company.country == MAINLAND_CHINA:
        return []
    today = timezone.now().date()
    held = set(_model("ExportClearance").objects.filter(room=room, company=company, valid_until__gte=today)
               .values_list("clearance_type", flat=True))
    return [c for c in controlled if not held.intersection(CLEARS[c])]


# --- "accept the CDA first" ----------------------------------------------------------------------------------


def partner_grant(scope: RoomScope, room_id: int) -> ScopeGrant | None:
    """The grant through which a person holds access to a room (the oldest active one, CDA or not), if any."""
    return next((grant for grant in scope.grants if grant.room_id == room_id), None)


def cda_pending_rooms(user: Any, scope: RoomScope | None = None) -> set[int]:
    """Rooms the person holds an active grant to but whose current CDA they have not accepted (yet)."""
    scope = scope or room_scope(user)
    return set(scope.granted_rooms) - set(scope.cleared_rooms)


def cda_to_accept_for_document(user: Any, pk: Any) -> Any:
    """The CDA to accept when `user` may not see document `pk` only because they have not accepted its room's
    current CDA: the document rule read as if every CDA were accepted. None otherwise (the document is not
    theirs to see either way, or does not exist): those stay a plain 404."""
    if not (isinstance(pk, str) and pk.isdigit() and len(pk) < 19):  # a malformed or out-of-range id: a 404
        return None
    pending = cda_pending_rooms(user)
    if not pending:
        return None
    assumed = room_scope(user, cda_accepted_everywhere=True)
    document = (_model("Document").objects.for_user(user, VIEW, scope=assumed).filter(pk=pk, room_id__in=pending)
                .select_related("room__current_cda").first())
    return document.room.current_cda if document is not None else None


def cda_to_accept_for_room(user: Any, room_id: int, scope: RoomScope | None = None) -> Any:
    """The room's current CDA when `user` holds a grant to it but has not accepted that CDA; None otherwise.
    `scope`: the person's standing when the caller has just read it."""
    if room_id not in cda_pending_rooms(user, scope):
        return None
    return _model("DataRoom").objects.filter(pk=room_id).select_related("current_cda").get().current_cda

