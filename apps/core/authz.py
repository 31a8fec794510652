"""The authorization core: the one place that decides who may see and do what.

Every guarded model uses `GuardedQuerySet`, whose `for_user(user, action)` fails closed:
anonymous or inactive users get nothing, and everybody else gets exactly the union of

* what the model's own rule grants (`Model.access_q(user, action)`: ownership, membership role, ...), and
* what django-guardian grants on the object, to the user directly or to a group the user is in
  (every company has one group, kept in step with its memberships).

Guardian grants are read from *direct foreign-key* permission models (one pair per guarded model),
never from the generic tables: those store object ids as text and make PostgreSQL cast on every row
(django-guardian #989). The grant filter is an `pk IN (indexed subquery)`, cheap to run twice for a
paginated COUNT and page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import Permission
from django.db import models
from django.db.models import Q
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from apps.core.errors import NotFound, PermissionRefused

if TYPE_CHECKING:
    from apps.accounts.models import User

M = TypeVar("M", bound=models.Model)

# Actions every guarded model understands; models may add their own (e.g. "download") as permissions.
VIEW, CHANGE, DELETE = "view", "change", "delete"


def is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def codename_for(model: type[models.Model], action: str) -> str:
    return f"{action}_{model._meta.model_name}"


class GuardedQuerySet(models.QuerySet[M]):
    def for_user(self, user: User | Any, action: str = VIEW, **rule_args: Any) -> GuardedQuerySet[M]:
        """Objects `user` may `action`; `.none()` for anyone who may not (fail closed). `rule_args` go to the
        model's access_q (e.g. a reading of the user's standing the caller already holds)."""
        if not is_active_user(user):
            return self.none()
        model: Any = self.model
        rule = model.access_q(user, action, **rule_args)
        if rule is True:  # the model's rule says: all of them (e.g. staff reading)
            return self.all()
        condition = rule if isinstance(rule, Q) else Q(pk__in=[])
        if getattr(model, "guardian_actions", ()) and action in model.guardian_actions:
            condition |= guardian_grant_q(model, user, action)
        return self.filter(condition)


class GuardedModel(models.Model):
    """Base for models whose rows are guarded. Subclasses define `access_q` and list `guardian_actions`."""

    # Actions that may also be granted per object through guardian (on the direct-FK permission models).
    guardian_actions: tuple[str, ...] = ()

    objects = GuardedQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def access_q(cls, user: User, action: str) -> Q | bool:
        """The model's own rule. Return a Q, True (everything) or False (nothing). Default: nothing."""
        return False


def guardian_grant_q(model: type[models.Model], user: Any, action: str) -> Q:
    """`pk IN (...)` over the model's direct-FK user and group permission tables."""
    codename = codename_for(model, action)
    user_perm_model: Any = get_user_obj_perms_model(model)  # type: ignore[arg-type]  # a class works too
    group_perm_model: Any = get_group_obj_perms_model(model)  # type: ignore[arg-type]
    permission_ids = Permission.objects.filter(
        codename=codename, content_type__app_label=model._meta.app_label
    ).values("pk")
    by_user = user_perm_model.objects.filter(user=user, permission__in=permission_ids).values("content_object_id")
    by_group = group_perm_model.objects.filter(
        group__user=user, permission__in=permission_ids
    ).values("content_object_id")
    return Q(pk__in=by_user) | Q(pk__in=by_group)


def user_can(user: Any, action: str, obj: models.Model) -> bool:
    """True if `obj` is inside `user`'s restricted queryset for `action`. Runs one query."""
    manager: Any = type(obj)._default_manager
    return bool(manager.for_user(user, action).filter(pk=obj.pk).exists())


def require_permission(actor: Any, action: str, obj: models.Model) -> None:
    """A service's re-check inside its transaction: allowed → nothing; visible but not allowed → 403; not even
    visible → 404 (nobody learns what exists)."""
    if user_can(actor, action, obj):
        return
    if user_can(actor, VIEW, obj):
        raise PermissionRefused()
    raise NotFound()


def require_staff(actor: Any, message: Any = None, *, code: str | None = None) -> None:
    """Platform staff only (an active staff account); anyone else → 403 with `message`."""
    if not (actor is not None and getattr(actor, "is_active", False) and getattr(actor, "is_staff", False)):
        raise PermissionRefused(message, code=code)
