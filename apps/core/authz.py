"""The authorization core: the one place that decides who may see and do what.

Every guarded model uses `GuardedQuerySet`, whose `for_user(user, action)` fails closed:
anonymous or inactive users get nothing, and everybody else gets exactly the union of

* what the model's own rule grants (`Model.access_q(user, action)`: ownership, membership role, ...), and
* what django-guardian grants on the object, to the user directly or to a group the user is in
  (every company has one group, kept in step with its memberships).

Guardian grants are read from *direct foreign-key* permission models (one pair per guarded model),
never from the generic tables: those store object ids as text and make PostgreSQL cast on every row
(django-guardian #989). The grant filter is an `pk IN (indexed subquery)`, cheap to run twice for a
paginated COUNT and page. `access_condition` gives the same decision as a condition, for callers that need
it on rows they already hold (a per-row flag).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
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
        condition = access_condition(self.model, user, action, **rule_args)
        return self.all() if condition is True else self.filter(condition)


def access_condition(model: Any, user: Any, action: str, **rule_args: Any) -> Q | Literal[True]:
    """What `for_user` filters with: the model's own rule OR its guardian grants (True: every row). For a caller
    that needs the rule as a condition on rows it already has (an annotation, a flag per row) rather than as a
    queryset: the same decision, never a copy of it. Anonymous and inactive people: nothing."""
    if not is_active_user(user):
        return Q(pk__in=[])
    rule = model.access_q(user, action, **rule_args)
    if rule is True:  # the model's rule says: all of them (e.g. staff reading)
        return True
    condition = rule if isinstance(rule, Q) else Q(pk__in=[])
    if getattr(model, "guardian_actions", ()) and action in model.guardian_actions:
        condition |= guardian_grant_q(model, user, action)
    return condition


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
    """`pk IN (...)`: the objects of `model` on which `user` holds `action` through guardian, granted to them or to
    one of their groups, over the model's direct-FK permission tables. One uncorrelated subquery: planned as a
    hashed set of the caller's grants, cheap to build and compile on every request, and alias-safe when the
    queryset is itself used as a subquery. Names come from the models' metadata; values travel as parameters."""
    codename, app_label = codename_for(model, action), model._meta.app_label
    return Q(pk__in=RawSQL(_granted_sql(model), [user.pk, codename, app_label, user.pk, codename, app_label]))  # noqa: S611


@cache
def _granted_sql(model: type[models.Model]) -> str:
    user_perm: Any = get_user_obj_perms_model(model)  # type: ignore[arg-type]  # a class works too
    group_perm: Any = get_group_obj_perms_model(model)  # type: ignore[arg-type]
    groups = get_user_model()._meta.get_field("groups")
    permission = (f"SELECT p.id FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} ct "  # noqa: S608
                  f"ON ct.id = p.content_type_id WHERE p.codename = %s AND ct.app_label = %s")

    def column(perm_model: Any, name: str) -> str:
        return perm_model._meta.get_field(name).column

    return (
        f"SELECT gp.{column(group_perm, 'content_object')} FROM {group_perm._meta.db_table} gp "  # noqa: S608
        f"JOIN {groups.remote_field.through._meta.db_table} ug "  # type: ignore[union-attr]
        f"ON ug.{groups.m2m_reverse_name()} = gp.{column(group_perm, 'group')} "  # type: ignore[attr-defined]
        f"WHERE ug.{groups.m2m_column_name()} = %s "  # type: ignore[attr-defined]
        f"AND gp.{column(group_perm, 'permission')} IN ({permission}) "
        f"UNION ALL SELECT up.{column(user_perm, 'content_object')} FROM {user_perm._meta.db_table} up "
        f"WHERE up.{column(user_perm, 'user')} = %s AND up.{column(user_perm, 'permission')} IN ({permission})"
    )


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
