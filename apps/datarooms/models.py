"""Data rooms: an asset's confidential documents, shared per partner company or person.

Who sees what is decided in one place per model (`access_q`), evaluated on every request:

* the owner company's members see their rooms; managers (owner/admin roles, or people given the
  per-room "manage" permission through guardian) run them;
* a partner sees a room while it holds an active `AccessGrant` (not revoked, not expired — compared
  with now() in SQL, so revocation and expiry bite on the very next request), and sees folders and
  documents only inside the grant's scope, minus held-back folders not yet released to it, and only
  after accepting the room's current confidentiality agreement;
* staff see everything (read-only through the API; clearances are recorded in the admin).

Grants to partners live in `AccessGrant` rather than in guardian rows because they carry an expiry,
a level and a scope that guardian cannot express. Guardian's direct-FK tables are used for what is
a plain per-object permission: delegating the management of one room to a named person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Now
from django.db.models.sql import Query
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.companies.models import (
    CONTRIBUTING_ROLES,
    MANAGING_ROLES,
    Company,
    Membership,
    VerificationStatus,
    company_ids_of,
    verified_company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel, codename_for

MANAGE = "manage"  # run the room: folders, requests, grants, CDA, reports
CONTRIBUTE = "contribute"  # upload documents and versions
DOWNLOAD = "download"  # take a document away (a download-level grant)


# --- shared rule fragments -------------------------------------------------------------------------------
#
# A person's standing towards data rooms (memberships, delegations, active grants, CDA acceptances) is read
# in one small query and turned into short id lists. Compared with nesting every rule as a subquery, this
# keeps the final filter flat: cheap for PostgreSQL to run twice (COUNT and page) and cheap for Django to
# compile. It is recomputed for every queryset, so a revocation, an expiry (compared with the database
# clock) or a removed membership counts from the very next request.


@dataclass(frozen=True)
class ScopeGrant:
    """One active grant as the scope read it: what the hand-out check needs from it."""

    pk: int
    room_id: int
    company_id: int
    scope: str  # GrantScope
    level: str  # GrantLevel
    folders: frozenset[int]  # chosen or released folders (their subtrees are in scope)


@dataclass
class RoomScope:
    member_rooms: list[int]  # rooms of companies the user belongs to
    managed_rooms: list[int]  # owner/admin of the owner company, or delegated "manage" through guardian
    contributing_rooms: list[int]  # owner/admin/member of the owner company, or delegated
    granted_rooms: list[int]  # rooms with an active grant (CDA not yet considered)
    cleared_rooms: list[int]  # granted rooms whose current CDA the user accepted (or that have none)
    roomwide: dict[str, list[int]]  # level ("any"/"download") -> cleared rooms with a room-wide grant
    roots: dict[str, list[int]]  # level -> chosen or released folders of grants in cleared rooms
    grants: list[ScopeGrant]  # the active grants behind `granted_rooms`, oldest first (CDA not considered)


def room_scope(user: Any, *, cda_accepted_everywhere: bool = False) -> RoomScope:
    """The person's standing towards data rooms. `cda_accepted_everywhere`: as if they had accepted the current CDA
    of every room they hold a grant to (what they will see once they accept), for telling "accept the CDA first"
    from "not yours" with the very rule that decides access."""
    # Every data-room request reads this, so it is one round trip of hand-written SQL (_room_scope_sql): as
    # four ORM queries (memberships, delegations, grants, CDA acceptances) Django spent about twice as long
    # building and compiling them as PostgreSQL spent running them.
    with connection.cursor() as cursor:
        cursor.execute(_room_scope_sql(connection), {"user": user.pk})
        rows = cursor.fetchall()
    memberships = {(c, role, verification) for kind, c, _r, _c, _f, role, verification, *_ in rows
                   if kind == "member"}
    managing = {c for c, role, _ in memberships if role in MANAGING_ROLES}
    contributing = {c for c, role, _ in memberships if role in CONTRIBUTING_ROLES}
    owned = sorted({(room, c) for kind, c, room, *_ in rows if kind == "member" and room is not None})
    delegated = sorted({room for kind, room, *_ in rows if kind == "delegated"})
    # One row per grant and chosen/released folder (a grant without folders gives one row with None), oldest
    # grant first; `cleared`: the room has no CDA, or the user accepted its current one.
    grant_rows = [row for row in rows if row[0] == "grant"]
    grants: dict[int, tuple[int, int, str, str, bool]] = {}
    folders_of: dict[int, set[int]] = {}
    for _kind, pk, room, company, folder, grant_scope, level, cleared, _created in grant_rows:
        grants.setdefault(pk, (room, company, grant_scope, level, bool(cleared)))
        if folder is not None:
            folders_of.setdefault(pk, set()).add(folder)
    cleared_grants = {pk: g for pk, g in grants.items() if g[4] or cda_accepted_everywhere}
    download_grants = {pk for pk, g in cleared_grants.items() if g[3] == GrantLevel.DOWNLOAD}
    return RoomScope(
        member_rooms=[r for r, _ in owned],
        managed_rooms=[r for r, c in owned if c in managing] + delegated,
        contributing_rooms=[r for r, c in owned if c in contributing] + delegated,
        granted_rooms=sorted({g[0] for g in grants.values()}),
        cleared_rooms=sorted({g[0] for g in cleared_grants.values()}),
        roomwide={
            "any": sorted({g[0] for g in cleared_grants.values() if g[2] == GrantScope.ROOM}),
            DOWNLOAD: sorted({g[0] for pk, g in cleared_grants.items()
                              if g[2] == GrantScope.ROOM and pk in download_grants}),
        },
        roots={
            "any": sorted({f for pk in cleared_grants for f in folders_of.get(pk, ())}),
            DOWNLOAD: sorted({f for pk in download_grants for f in folders_of.get(pk, ())}),
        },
        grants=[ScopeGrant(pk=pk, room_id=room, company_id=company, scope=grant_scope, level=level,
                           folders=frozenset(folders_of.get(pk, ())))
                for pk, (room, company, grant_scope, level, _cleared) in grants.items()],
    )


def _room_scope_sql(connection: Any) -> str:
    """room_scope's query: three kinds of rows in one column layout (portable SQL; table names from the models,
    the database's own clock rendered by Django's Now() for the connection's vendor). The grant rows come
    first: their typed columns give the union its column types (the NULLs of the others have none).

        kind       | 2         | 3        | 4       | 5      | 6     | 7            | 8       | 9
        grant      | grant     | room     | company | folder | scope | level        | cleared | created
        member     | company   | its room |         |        | role  | verification |         |
        delegated  | room      |          |         |        |       |              |         |
    """
    if connection.vendor in _ROOM_SCOPE_SQL:
        return _ROOM_SCOPE_SQL[connection.vendor]
    compiler = connection.ops.compiler("SQLCompiler")(Query(DataRoom), connection, connection.alias)
    now, _params = compiler.compile(Now())
    table = {
        "membership": Membership._meta.db_table, "company": Company._meta.db_table,
        "room": DataRoom._meta.db_table, "grant": AccessGrant._meta.db_table,
        "grant_folders": AccessGrant.folders.through._meta.db_table,
        "acceptance": CdaAcceptance._meta.db_table,
        "user_perm": DataRoomUserObjectPermission._meta.db_table,
        "group_perm": DataRoomGroupObjectPermission._meta.db_table,
        "user_groups": get_user_model().groups.through._meta.db_table,
        "permission": Permission._meta.db_table, "content_type": ContentType._meta.db_table,
    }
    manage = (f"(SELECT p.id FROM {table['permission']} p JOIN {table['content_type']} ct "  # noqa: S608
              f"ON ct.id = p.content_type_id WHERE p.codename = '{codename_for(DataRoom, MANAGE)}' "
              f"AND ct.app_label = '{DataRoom._meta.app_label}')")
    sql = _ROOM_SCOPE_SQL[connection.vendor] = f"""
        SELECT 'grant', g.id, g.room_id, g.company_id, gf.folder_id, g.scope, g.level,
               CASE WHEN r.current_cda_id IS NULL OR EXISTS (
                   SELECT 1 FROM {table['acceptance']} a WHERE a.cda_id = r.current_cda_id AND a.user_id = %(user)s
               ) THEN 1 ELSE 0 END,
               g.created_at
          FROM {table['grant']} g
          JOIN {table['room']} r ON r.id = g.room_id
          LEFT JOIN {table['grant_folders']} gf ON gf.accessgrant_id = g.id
         WHERE g.company_id IN (
                   SELECT m.company_id FROM {table['membership']} m JOIN {table['company']} c ON c.id = m.company_id
                    WHERE m.user_id = %(user)s AND c.verification_status = '{VerificationStatus.VERIFIED}')
           AND g.revoked_at IS NULL
           AND g.expires_at > {now}
           AND (g.user_id IS NULL OR g.user_id = %(user)s)
        UNION ALL
        SELECT 'member', m.company_id, r.id, NULL, NULL, m.role, c.verification_status, NULL, NULL
          FROM {table['membership']} m
          JOIN {table['company']} c ON c.id = m.company_id
          LEFT JOIN {table['room']} r ON r.owner_company_id = m.company_id
         WHERE m.user_id = %(user)s
        UNION ALL
        SELECT 'delegated', up.content_object_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {table['user_perm']} up
         WHERE up.user_id = %(user)s AND up.permission_id IN {manage}
        UNION ALL
        SELECT 'delegated', gp.content_object_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL
          FROM {table['group_perm']} gp
          JOIN {table['user_groups']} ug ON ug.group_id = gp.group_id
         WHERE ug.user_id = %(user)s AND gp.permission_id IN {manage}
         ORDER BY 1, 9, 2
    """  # noqa: S608
    return sql


_ROOM_SCOPE_SQL: dict[str, str] = {}  # by database vendor


def managed_room_ids(user: Any) -> list[int]:
    """Rooms `user` manages: owner-company owner/admin, or a per-room guardian grant of "manage"."""
    return room_scope(user).managed_rooms


def active_grants(user: Any) -> models.QuerySet[AccessGrant]:
    """Grants that apply to `user` right now: to a verified company the user belongs to (all members, or
    this named person), not revoked, not expired. Evaluated in SQL at query time."""
    return AccessGrant.objects.filter(
        company_id__in=verified_company_ids_of(user),
        revoked_at__isnull=True,
        expires_at__gt=Now(),
    ).filter(Q(user__isnull=True) | Q(user=user))


def granted_folders_q(scope: RoomScope, level: str = "any", prefix: str = "") -> Q:
    """Folders inside the scope of the user's active, CDA-cleared grants: room-wide minus held-back
    subtrees, plus the subtrees of chosen or released folders."""
    q = Q(pk__in=[])
    if scope.roomwide[level]:
        q |= Q(**{f"{prefix}room_id__in": scope.roomwide[level], f"{prefix}hidden": False})
    if scope.roots[level]:
        q |= Q(**{f"{prefix}pk__in": FolderClosure.objects.filter(ancestor_id__in=scope.roots[level])
                  .values("descendant_id")})
    return q


# --- rooms, folders, documents ---------------------------------------------------------------------------


class DataRoom(GuardedModel):
    """The confidential document set of one asset, owned by the asset's owner company."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    asset = models.OneToOneField("catalog.Asset", on_delete=models.PROTECT, related_name="data_room",
                                 verbose_name=_("asset"))
    owner_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="data_rooms",
                                      verbose_name=_("owner company"), editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    current_cda = models.ForeignKey("CdaVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("current confidentiality agreement"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    guardian_actions = (MANAGE,)

    class Meta:
        verbose_name = _("data room")
        verbose_name_plural = _("data rooms")
        ordering = ["-created_at"]
        permissions = [
            ("manage_dataroom", _("Can manage the data room")),
            ("contribute_dataroom", _("Can upload to the data room")),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW and user.is_staff:
            return True
        if action == MANAGE:  # guardian's per-room "manage" grants are added by for_user()
            return Q(owner_company_id__in=company_ids_of(user, MANAGING_ROLES))
        scope = room_scope(user)
        if action == VIEW:
            return Q(pk__in=scope.member_rooms + scope.managed_rooms + scope.granted_rooms)
        if action == CHANGE:
            return Q(pk__in=scope.managed_rooms)
        if action == CONTRIBUTE:
            return Q(pk__in=scope.contributing_rooms)
        return False


class DataRoomUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(DataRoom, on_delete=models.CASCADE)


class DataRoomGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(DataRoom, on_delete=models.CASCADE)


class Folder(GuardedModel):
    """A folder in a room's tree. A held-back folder (and its subtree) stays out of room-wide grants
    until it is released to a given partner (staged disclosure)."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="folders", verbose_name=_("data room"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               verbose_name=_("parent folder"))
    name = models.CharField(_("name"), max_length=200)
    held_back = models.BooleanField(_("held back"), default=False,
                                    help_text=_("Kept out of room-wide grants until released to a partner."))
    # Held back itself or below a held-back folder; kept by the services (denormalized for one cheap filter).
    hidden = models.BooleanField(default=False, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("folder")
        verbose_name_plural = _("folders")
        ordering = ["room_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["room", "parent", "name"], name="folder_unique_name_in_parent"),
            models.UniqueConstraint(fields=["room", "name"], condition=Q(parent__isnull=True),
                                    name="folder_unique_name_at_top"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            scope = room_scope(user)
            return Q(room_id__in=scope.member_rooms + scope.managed_rooms) | granted_folders_q(scope)
        if action in (MANAGE, CHANGE, "delete"):
            return Q(room_id__in=room_scope(user).managed_rooms)
        if action == CONTRIBUTE:
            return Q(room_id__in=room_scope(user).contributing_rooms)
        return False


class FolderClosure(models.Model):
    """Every (ancestor, descendant) pair of the folder tree, self included: subtree checks in one join."""

    ancestor = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="+")
    descendant = models.ForeignKey(Folder, on_delete=models.CASCADE, related_name="+")
    depth = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ancestor", "descendant"], name="folder_closure_unique")]
        indexes = [models.Index(fields=["descendant", "ancestor"], name="folder_closure_desc_idx")]

    def __str__(self) -> str:
        return f"{self.ancestor_id} > {self.descendant_id}"


class DataClassification(models.TextChoices):
    HGR = "hgr", _("Human genetic resources information")
    PERSONAL_INFORMATION = "personal_information", _("Personal information")
    IMPORTANT_DATA = "important_data", _("Important data")
    CLINICAL = "clinical", _("Clinical data")


# Classifications that may leave mainland China only under a recorded clearance.
EXPORT_CONTROLLED = (DataClassification.HGR, DataClassification.PERSONAL_INFORMATION,
                     DataClassification.IMPORTANT_DATA)


class Document(GuardedModel):
    """A document in a folder; its content is the latest of its immutable versions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="documents", verbose_name=_("data room"))
    folder = models.ForeignKey(Folder, on_delete=models.PROTECT, related_name="documents", verbose_name=_("folder"))
    name = models.CharField(_("name"), max_length=255)
    # Data classifications as flags: one cheap indexed filter each, and `export_controlled` for the gate.
    is_hgr = models.BooleanField(_("human genetic resources information"), default=False)
    has_personal_information = models.BooleanField(_("personal information"), default=False)
    is_important_data = models.BooleanField(_("important data"), default=False)
    is_clinical = models.BooleanField(_("clinical data"), default=False)
    current_version = models.ForeignKey("DocumentVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("current version"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["folder_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["folder", "name"], name="document_unique_name_in_folder")]

    def __str__(self) -> str:
        return self.name

    @property
    def classifications(self) -> list[str]:
        flags = [(self.is_hgr, DataClassification.HGR),
                 (self.has_personal_information, DataClassification.PERSONAL_INFORMATION),
                 (self.is_important_data, DataClassification.IMPORTANT_DATA),
                 (self.is_clinical, DataClassification.CLINICAL)]
        return [str(code) for on, code in flags if on]

    @property
    def export_controlled(self) -> list[str]:
        return [c for c in self.classifications if c in EXPORT_CONTROLLED]

    @classmethod
    def access_q(cls, user: Any, action: str, scope: RoomScope | None = None) -> Q | bool:
        """`scope`: the user's RoomScope when the caller has just read it (a hand-out reads it once for the
        restricted queryset and its own check); read here otherwise."""
        if action == VIEW and user.is_staff:
            return True
        scope = scope or room_scope(user)
        insiders = Q(room_id__in=scope.member_rooms + scope.managed_rooms)
        if action == VIEW:
            return insiders | granted_folders_q(scope, prefix="folder__")
        if action == DOWNLOAD:
            return insiders | granted_folders_q(scope, DOWNLOAD, prefix="folder__")
        if action in (CHANGE, CONTRIBUTE):
            return Q(room_id__in=scope.contributing_rooms)
        if action in (MANAGE, "delete"):
            return Q(room_id__in=scope.managed_rooms)
        return False


class DocumentVersion(GuardedModel):
    """One immutable upload of a document, stored under a random name in private storage."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("document"))
    number = models.PositiveIntegerField(_("version"))
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    original_name = models.CharField(_("uploaded file name"), max_length=255)
    kind = models.CharField(_("detected type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    # PDFs: the stamp template (apps/datarooms/files/watermark.py) and where its two slots are.
    stamp_template_name = models.CharField(max_length=255, blank=True, editable=False)
    stamp_template = models.JSONField(default=dict, blank=True, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="version_unique_number")]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        # Earlier versions stay readable to the owner; partners only ever reach the current one.
        if action == VIEW:
            if user.is_staff:
                return True
            scope = room_scope(user)
            return Q(document__room_id__in=scope.member_rooms + scope.managed_rooms)
        return False


# --- confidentiality agreement ------------------------------------------------------------------------------


class CdaVersion(GuardedModel):
    """A version of a room's confidentiality agreement, in English and Chinese. Immutable once published."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="cda_versions",
                             verbose_name=_("data room"))
    version = models.PositiveIntegerField(_("version"))
    text_en = models.TextField(_("text (English)"), max_length=50_000)
    text_zh = models.TextField(_("text (Chinese)"), max_length=50_000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confidentiality agreement version")
        verbose_name_plural = _("confidentiality agreement versions")
        ordering = ["room_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["room", "version"], name="cda_unique_version")]

    def __str__(self) -> str:
        return f"CDA v{self.version}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else Q(room_id__in=DataRoom.objects.for_user(user, VIEW).values("pk"))
        return False


class CdaAcceptance(models.Model):
    """Who accepted which CDA version, for which company, when and from where."""

    cda = models.ForeignKey(CdaVersion, on_delete=models.PROTECT, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("confidentiality agreement acceptance")
        verbose_name_plural = _("confidentiality agreement acceptances")
        constraints = [models.UniqueConstraint(fields=["cda", "user"], name="cda_acceptance_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.cda}"


# --- getting in ----------------------------------------------------------------------------------------------


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AccessRequest(GuardedModel):
    """A partner company asks to enter a room. Bidder isolation: partners see only their own company's."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="access_requests",
                             verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    message = models.TextField(_("message"), max_length=4000)
    status = models.CharField(_("status"), max_length=10, choices=AccessRequestStatus.choices,
                              default=AccessRequestStatus.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["room", "company"], condition=Q(status="pending"),
                                    name="access_request_one_pending_per_company"),
        ]

    def __str__(self) -> str:
        return f"{self.company} → {self.room}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(room_id__in=managed_room_ids(user)) | Q(company_id__in=company_ids_of(user))
        if action in (MANAGE, "decide"):
            return Q(room_id__in=managed_room_ids(user))
        if action == "withdraw":
            return Q(company_id__in=company_ids_of(user))
        return False


class GrantLevel(models.TextChoices):
    VIEW = "view", _("View only")
    DOWNLOAD = "download", _("View and download")


class GrantScope(models.TextChoices):
    ROOM = "room", _("The whole room")
    FOLDERS = "folders", _("Chosen folders")


class AccessGrant(GuardedModel):
    """Access of a partner company (all its members, or one named person in it) to a room, until expiry."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="grants", verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("named person"),
                             help_text=_("Empty: every member of the company."))
    level = models.CharField(_("level"), max_length=10, choices=GrantLevel.choices, default=GrantLevel.VIEW)
    scope = models.CharField(_("scope"), max_length=10, choices=GrantScope.choices, default=GrantScope.ROOM)
    # Scope "folders": these folders and their subtrees. Scope "room": held-back folders released to this grant.
    folders = models.ManyToManyField(Folder, blank=True, related_name="+", verbose_name=_("folders"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    request = models.ForeignKey(AccessRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    expiry_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    expired_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "revoked_at", "expires_at"], name="grant_active_idx")]

    def __str__(self) -> str:
        return f"{self.company} @ {self.room} ({self.level})"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            # The grantee company sees its own grants (expired and revoked included): never another's.
            return Q(room_id__in=managed_room_ids(user)) | Q(company_id__in=company_ids_of(user))
        if action in (MANAGE, CHANGE):
            return Q(room_id__in=managed_room_ids(user))
        return False


class ClearanceType(models.TextChoices):
    HGR_APPROVAL = "hgr_approval", _("HGR approval")
    HGR_FILING = "hgr_filing", _("HGR filing")
    CAC_ASSESSMENT = "cac_assessment", _("CAC security assessment")
    STANDARD_CONTRACT = "standard_contract", _("Standard contract")
    CERTIFICATION = "certification", _("Personal information protection certification")


# Which clearance types lift which classification.
CLEARS: dict[str, tuple[str, ...]] = {
    DataClassification.HGR: (ClearanceType.HGR_APPROVAL, ClearanceType.HGR_FILING),
    DataClassification.PERSONAL_INFORMATION: (ClearanceType.CAC_ASSESSMENT, ClearanceType.STANDARD_CONTRACT,
                                              ClearanceType.CERTIFICATION),
    DataClassification.IMPORTANT_DATA: (ClearanceType.CAC_ASSESSMENT,),
}


class ExportClearance(models.Model):
    """A compliance officer's record that data of a room may go to a foreign company (managed in the admin)."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="clearances", verbose_name=_("data room"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    clearance_type = models.CharField(_("type"), max_length=20, choices=ClearanceType.choices)
    reference = models.CharField(_("reference number"), max_length=120)
    valid_until = models.DateField(_("valid until"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("export clearance")
        verbose_name_plural = _("export clearances")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_clearance_type_display()} {self.reference}"


# --- diligence -----------------------------------------------------------------------------------------------


class DocumentAccessKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")


class DocumentAccess(GuardedModel):
    """One view or download handed out; its `download_id` is printed on every watermarked page."""

    download_id = models.CharField(_("download id"), max_length=32, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses")
    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentAccessKind.choices)
    watermarked = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set by the service before stamping, so the time printed on the pages is the time recorded here.
    created_at = models.DateTimeField(_("time (UTC)"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("document access")
        verbose_name_plural = _("document accesses")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["room", "company", "document"], name="docaccess_report_idx")]

    def __str__(self) -> str:
        return self.download_id

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            # Only the room's managers trace a download id; partners never see each other's activity.
            return True if user.is_staff else Q(room_id__in=managed_room_ids(user))
        return False


class Question(GuardedModel):
    """A partner's diligence question. Each partner sees only its own, plus answers published as FAQ
    (without the asker's identity)."""

    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="questions", verbose_name=_("data room"))
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions",
                                 verbose_name=_("document"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+", verbose_name=_("company"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("asked by"))
    text = models.TextField(_("question"), max_length=8000)
    answer = models.TextField(_("answer"), max_length=20_000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_faq = models.BooleanField(_("published as FAQ"), default=False, db_index=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:60]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            scope = room_scope(user)
            insiders = Q(room_id__in=scope.member_rooms + scope.managed_rooms)
            own = Q(company_id__in=verified_company_ids_of(user), room_id__in=scope.cleared_rooms)
            faq = Q(is_faq=True, room_id__in=scope.cleared_rooms)
            return insiders | own | faq
        if action == "answer":
            return Q(room_id__in=room_scope(user).contributing_rooms)
        if action in (MANAGE, "publish"):
            return Q(room_id__in=managed_room_ids(user))
        return False


class BulkImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Refused")


class BulkImport(GuardedModel):
    """A folder tree uploaded as a zip, imported in the background; all or nothing. A worker claims it with a
    lease (conditional update); the sweeper re-runs what a dead worker left or whose enqueue was lost."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(DataRoom, on_delete=models.CASCADE, related_name="imports", verbose_name=_("data room"))
    parent = models.ForeignKey(Folder, null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("into folder"))
    original_name = models.CharField(_("archive name"), max_length=255)
    storage_name = models.CharField(max_length=255, editable=False)
    size = models.BigIntegerField(_("size in bytes"))
    status = models.CharField(_("status"), max_length=10, choices=BulkImportStatus.choices,
                              default=BulkImportStatus.PENDING, db_index=True)
    total_files = models.PositiveIntegerField(_("files"), default=0)
    processed_files = models.PositiveIntegerField(_("files checked"), default=0)
    created_documents = models.PositiveIntegerField(_("documents created"), default=0)
    error_code = models.CharField(_("refusal code"), max_length=40, blank=True)
    error_detail = models.CharField(_("refusal detail"), max_length=400, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the worker running it: a "running" job past its lease lost its worker (the sweeper
    # re-runs it, or fails it after DATAROOMS_IMPORT_MAX_ATTEMPTS claims).
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("bulk import")
        verbose_name_plural = _("bulk imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else Q(room_id__in=room_scope(user).contributing_rooms)
        return False


# Issue 18: the document scan lives in its own module (apps/datarooms/scan/models.py), imported here so Django finds it.
from apps.datarooms.scan.models import DocumentScan  # noqa: E402,F401
