"""Which recipients may still see an event's target, checked for a whole chunk of people at once.

The rule is always the target model's own `objects.for_user(user, "view")` (apps/core/authz.py). Asking
it once per person costs one ORM compile and one round trip each, which dominates a fan-out to
thousands. On PostgreSQL we therefore compile the rule once per "user shape" (active, staff, superuser
— the only user attributes a rule may branch on besides the id) for a stand-in user with a sentinel
id, and run it for the whole chunk in one statement:

    SELECT u.id FROM unnest(<ids>) AS u(id) WHERE EXISTS (<the rule's SQL, sentinel id → u.id>)

`visible_user_ids_exact` is the plain per-person loop; it is used on other databases, when the rule
does not mention the user id at all in a way we can substitute, and by the tests that prove both agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Model

# A user id no real row can have; it marks where the compiled rule refers to "the user".
SENTINEL_USER_ID = -7_300_000_000_000_001
_PLACEHOLDER = re.compile(r"%%|%s")


def has_access_rule(target: Model) -> bool:
    manager = type(target)._default_manager
    return hasattr(manager, "for_user")


def visible_user_ids(target: Model | None, users: Iterable[Any]) -> set[int]:
    """Ids of `users` who may view `target`. Targets without a `for_user` rule are visible to all."""
    users = list(users)
    if target is None or not has_access_rule(target):
        return {user.pk for user in users}
    active = [user for user in users if user.is_active]
    if connection.vendor != "postgresql":
        return visible_user_ids_exact(target, active)
    shapes: dict[tuple[bool, bool], list[Any]] = {}
    for user in active:
        shapes.setdefault((bool(user.is_staff), bool(user.is_superuser)), []).append(user)
    visible: set[int] = set()
    for (is_staff, is_superuser), group in shapes.items():
        visible |= _visible_for_shape(target, group, is_staff=is_staff, is_superuser=is_superuser)
    return visible


def visible_user_ids_exact(target: Model, users: Iterable[Any]) -> set[int]:
    manager: Any = type(target)._default_manager
    return {user.pk for user in users if manager.for_user(user, "view").filter(pk=target.pk).exists()}


def _visible_for_shape(target: Model, users: list[Any], *, is_staff: bool, is_superuser: bool) -> set[int]:
    from django.contrib.auth import get_user_model

    stand_in = get_user_model()(pk=SENTINEL_USER_ID, is_active=True, is_staff=is_staff, is_superuser=is_superuser)
    manager: Any = type(target)._default_manager
    queryset = manager.for_user(stand_in, "view").filter(pk=target.pk).values("pk")
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # the rule is "nothing" for this shape
        return set()
    if any(isinstance(value, str) and str(SENTINEL_USER_ID) in value for value in params):
        return visible_user_ids_exact(target, users)  # the id went in as text: substitute nothing, ask each
    rewritten, remaining, substituted = _substitute_sentinel(sql, params)
    if not substituted:
        # The rule does not depend on the id: one answer for everybody of this shape.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS ({sql})", params)
            allowed = cursor.fetchone()[0]
        return {user.pk for user in users} if allowed else set()
    ids = [user.pk for user in users]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id FROM unnest(%s::bigint[]) AS u(id) WHERE EXISTS ({rewritten})",  # noqa: S608
            [ids, *remaining],
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
