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
it on rows they already hold (a per-row flag), with the grants probed per row when asked (`per_row=True`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import BooleanField, F, Q
from django.db.models.expressions import Expression, RawSQL
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


def access_condition(model: Any, user: Any, action: str, *, per_row: bool = False,
                     **rule_args: Any) -> Q | Literal[True]:
    """What `for_user` filters with: the model's own rule OR its guardian grants (True: every row). For a caller
    that needs the rule as a condition on rows it already has (an annotation, a flag per row) rather than as a
    queryset: the same decision, never a copy of it; `per_row=True` asks for its grants one row at a time (a flag on
    the rows of a page, see guardian_grant_q). Anonymous and inactive people: nothing."""
    if not is_active_user(user):
        return Q(pk__in=[])
    rule = model.access_q(user, action, **rule_args)
    if rule is True:  # the model's rule says: all of them (e.g. staff reading)
        return True
    condition = rule if isinstance(rule, Q) else Q(pk__in=[])
    if getattr(model, "guardian_actions", ()) and action in model.guardian_actions:
        condition |= guardian_grant_q(model, user, action, per_row=per_row)
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


def guardian_grant_q(model: type[models.Model], user: Any, action: str, *, per_row: bool = False) -> Q:
    """The objects of `model` on which `user` holds `action` through guardian, granted to them or to one of their
    groups, over the model's direct-FK permission tables. Two shapes of the one rule, built from the same
    statement (`_grant_sql`; tests/core/test_authz_grants.py keeps their answers equal):

    * the set (default): `pk IN (...)`, one uncorrelated subquery, planned as a hashed set of the caller's grants.
      For filters over many rows; alias-safe when the queryset is itself used as a subquery.
    * per row (`per_row=True`): one probe of the unique (holder, permission, object) index per row it is asked
      about. For a flag on rows already cut to a page (the catalog's `confidential_visible`): 21 probes cost less
      than hashing a partner's 2,000 grants on every request.

    Names come from the models' metadata; values travel as parameters."""
    if per_row:
        return Q(_GrantProbe(model, user.pk, action))
    return Q(pk__in=RawSQL(_grant_sql(model, "IN"), _grant_params(model, user.pk, action)))  # noqa: S611


def _grant_params(model: type[models.Model], user_pk: Any, action: str) -> list[Any]:
    permission = [codename_for(model, action), model._meta.app_label, model._meta.model_name]
    return [user_pk, *permission, user_pk, *permission]


@cache
def _grant_sql(model: type[models.Model], shape: str) -> str:
    """The grant statement. `IN`: the granted object ids (a set). `ROW`: whether the object `{pk}` is granted, as a
    scalar subquery with LIMIT 1 (never hashed by the planner, so every row is one index probe)."""
    user_perm: Any = get_user_obj_perms_model(model)  # type: ignore[arg-type]  # a class works too
    group_perm: Any = get_group_obj_perms_model(model)  # type: ignore[arg-type]
    groups = get_user_model()._meta.get_field("groups")
    # One permission row (content type and codename are unique together): a scalar the index lookups can bind.
    permission = (f"(SELECT p.id FROM {Permission._meta.db_table} p JOIN {ContentType._meta.db_table} ct "  # noqa: S608
                  f"ON ct.id = p.content_type_id WHERE p.codename = %s AND ct.app_label = %s AND ct.model = %s)")

    def column(perm_model: Any, name: str) -> str:
        return perm_model._meta.get_field(name).column

    group_object, user_object = column(group_perm, "content_object"), column(user_perm, "content_object")
    selected = ("1", "1") if shape == "ROW" else (f"gp.{group_object}", f"up.{user_object}")
    on_row = ((f" AND gp.{group_object} = {{pk}}", f" AND up.{user_object} = {{pk}}") if shape == "ROW"
              else ("", ""))
    statement = (
        f"SELECT {selected[0]} FROM {group_perm._meta.db_table} gp "  # noqa: S608
        f"JOIN {groups.remote_field.through._meta.db_table} ug "  # type: ignore[union-attr]
        f"ON ug.{groups.m2m_reverse_name()} = gp.{column(group_perm, 'group')} "  # type: ignore[attr-defined]
        f"WHERE ug.{groups.m2m_column_name()} = %s "  # type: ignore[attr-defined]
        f"AND gp.{column(group_perm, 'permission')} = {permission}{on_row[0]} "
        f"UNION ALL SELECT {selected[1]} FROM {user_perm._meta.db_table} up "
        f"WHERE up.{column(user_perm, 'user')} = %s AND up.{column(user_perm, 'permission')} = {permission}"
        f"{on_row[1]}"
    )
    return f"({statement} LIMIT 1) IS NOT NULL" if shape == "ROW" else statement


class _GrantProbe(Expression):
    """guardian_grant_q's per-row shape: true when the row's own primary key is granted. The outer column is
    compiled by Django (so it carries the query's alias), the rest is `_grant_sql(model, "ROW")`."""

    conditional = True

    def __init__(self, model: type[models.Model], user_pk: Any, action: str, pk: Any = None) -> None:
        super().__init__(output_field=BooleanField())
        self.model, self.user_pk, self.action = model, user_pk, action
        self.pk = pk if pk is not None else F("pk")

    def get_source_expressions(self) -> list[Any]:
        return [self.pk]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.pk,) = exprs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        pk_sql, pk_params = compiler.compile(self.pk)
        user_pk, *permission = _grant_params(self.model, self.user_pk, self.action)[:4]
        sql = _grant_sql(self.model, "ROW").format(pk=pk_sql)
        return sql, (user_pk, *permission, *pk_params, user_pk, *permission, *pk_params)


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
