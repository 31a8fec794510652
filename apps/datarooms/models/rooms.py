"""Rooms and their folder tree. Who may see or run them: apps/datarooms/access.py (`room_q`, `folder_q`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.companies.models import Company
from apps.core.authz import GuardedModel

from .. import access


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

    guardian_actions = (access.MANAGE,)

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
        return access.room_q(user, action)


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
        return access.folder_q(user, action)


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
