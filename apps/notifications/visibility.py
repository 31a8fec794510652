"""Which recipients may still see an event's target: the target model's own rule, the one the API uses
(`Model.objects.for_user(person, "view")`, apps/core/authz.py), asked for each person.

The answer is computed one of two ways, both running that rule with each person's own id:

* Person by person (`_visible_in_batch`): the rule is built as each recipient (a rule that first reads the
  person's standing, like the data rooms' `access.room_scope`, reads theirs), and the querysets of 50 people go
  to the database as one `UNION ALL` statement, each branch labelled with its person's id. Every data-room target
  takes this way.
* Bound per person (`_rule_template`, PostgreSQL only): building a rule costs about as much as running it, and a
  fan-out can reach 10,000 people, so a rule that depends on the person only through their id is built once
  and run with every person's id bound in its place:
  `SELECT u.id FROM unnest(<ids>) u(id) WHERE EXISTS (<the rule's SQL, the id → u.id>)`.
  It is built for a stand-in per pair of flags the rules branch on (staff, superuser) that carries only those
  flags and an id no row has, and is taken only if, while being built, the rule read nothing from the database
  (reads are refused), no other attribute of the person (the stand-in's other fields are deferred, so reading one
  is a read), never passed the id as text, and its SQL does mention the id. Otherwise the group is asked person
  by person. tests/notifications/test_delivery.py compares both ways with one `for_user` query per person.

Kinds registered with `about_own_access=True` (a grant revoked or expiring) are about the recipient's own
access: the recipient is told although the rule may no longer let them open the target, so delivery does
not ask this for them (apps/notifications/delivery.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import IntegerField, Model, Value

from apps.core.authz import VIEW

# People whose person-by-person querysets go into one statement.
BATCH = 50
# An id no real row can have; it marks where the stand-in's compiled rule refers to the person.
SENTINEL_USER_ID = -7_300_000_000_000_001
_PLACEHOLDER = re.compile(r"%%|%s")


class _ReadsEagerly(Exception):
    """The rule touched the database (or a deferred attribute of the stand-in) while it was being built."""


def has_access_rule(target: Model) -> bool:
    manager = type(target)._default_manager
    return hasattr(manager, "for_user")


def visible_user_ids(target: Model | None, users: Iterable[Any]) -> set[int]:
    """Ids of the active `users` who may view `target` under its model's rule, answered for each person.
    Targets without a `for_user` rule are visible to every active person."""
    active = [user for user in users if user.is_active]
    if target is None or not has_access_rule(target):
        return {user.pk for user in active}
    shapes: dict[tuple[bool, bool], list[Any]] = {}
    for user in active:
        shapes.setdefault((bool(user.is_staff), bool(user.is_superuser)), []).append(user)
    visible: set[int] = set()
    for (is_staff, is_superuser), group in shapes.items():
        template = _rule_template(target, is_staff=is_staff, is_superuser=is_superuser)
        if template is not None:
            visible |= _run_template(template, group)
            continue
        for start in range(0, len(group), BATCH):
            visible |= _visible_in_batch(target, group[start:start + BATCH])
    return visible


def visible_user_ids_exact(target: Model, users: Iterable[Any]) -> set[int]:
    """The same answer one query per person (what the tests compare the batched statements with)."""
    manager: Any = type(target)._default_manager
    return {user.pk for user in users if manager.for_user(user, VIEW).filter(pk=target.pk).exists()}


def _visible_in_batch(target: Model, users: list[Any]) -> set[int]:
    manager: Any = type(target)._default_manager
    branches = [
        manager.for_user(user, VIEW).filter(pk=target.pk).order_by()
        .annotate(_reader=Value(user.pk, output_field=IntegerField())).values_list("_reader", flat=True)
        for user in users
    ]
    first, *rest = branches
    return set(first.union(*rest, all=True)) if rest else set(first)


def _rule_template(target: Model, *, is_staff: bool, is_superuser: bool) -> tuple[str, list[Any]] | None:
    """The rule's SQL with the person's id as the column `u.id`, or None when it must be asked person by
    person (see the module docstring)."""
    if connection.vendor != "postgresql":
        return None
    from django.contrib.auth import get_user_model

    # Only the id and the flags are loaded: reading any other attribute is a (refused) database read.
    user_model = get_user_model()
    known = {"id": SENTINEL_USER_ID, "is_active": True, "is_staff": is_staff, "is_superuser": is_superuser}
    loaded = [field.attname for field in user_model._meta.concrete_fields if field.attname in known]
    stand_in = user_model.from_db(connection.alias, loaded, [known[name] for name in loaded])
    manager: Any = type(target)._default_manager

    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise _ReadsEagerly(sql)

    def build() -> tuple[str, Any]:
        return manager.for_user(stand_in, VIEW).filter(pk=target.pk).values("pk").query.sql_with_params()

    try:
        # The first build may fill process-wide caches (content types, permissions); a rule that reads the
        # person's standing reads it again on the second, where any read is refused.
        build()
        with connection.execute_wrapper(refuse):
            sql, params = build()
    except EmptyResultSet:
        return None  # "nothing" for the stand-in may be "something" for a person: ask each
    except Exception:  # an eager read, a deferred attribute of the stand-in, anything unusual: ask each
        return None
    if any(isinstance(value, str) and str(SENTINEL_USER_ID) in value for value in params):
        return None
    rewritten, remaining, substituted = _substitute_sentinel(sql, params)
    if not substituted:
        return None
    return rewritten, remaining


def _run_template(template: tuple[str, list[Any]], users: list[Any]) -> set[int]:
    rewritten, params = template
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id FROM unnest(%s::bigint[]) AS u(id) WHERE EXISTS ({rewritten})",  # noqa: S608
            [[user.pk for user in users], *params],
        )
        return {row[0] for row in cursor.fetchall()}


def _substitute_sentinel(sql: str, params: tuple[Any, ...]) -> tuple[str, list[Any], bool]:
    """Replace every placeholder bound to the sentinel id with the column `u.id`."""
    parts: list[str] = []
    remaining: list[Any] = []
    substituted = False
    position = 0
    index = 0
    for match in _PLACEHOLDER.finditer(sql):
        parts.append(sql[position:match.start()])
        position = match.end()
        if match.group() == "%%":
            parts.append("%%")
            continue
        value = params[index]
        index += 1
        if isinstance(value, int) and not isinstance(value, bool) and value == SENTINEL_USER_ID:
            parts.append("u.id")
            substituted = True
        else:
            parts.append("%s")
            remaining.append(value)
    parts.append(sql[position:])
    return "".join(parts), remaining, substituted
