"""Which recipients may still see an event's target: the target model's own rule, asked for each person.

The rule is the one the API uses, `Model.objects.for_user(person, "view")` (apps/core/authz.py), evaluated
for every recipient as that recipient: a rule that reads the person's standing in Python first (the data
rooms' `room_scope`) reads it for that person, never for a stand-in. To keep a fan-out to thousands from
costing a round trip per person, the per-person querysets of a batch are sent as one `UNION ALL`
statement: each branch is exactly `for_user(person, "view").filter(pk=target.pk)`, labelled with the
person's id. Nothing is ever answered for "everybody of this shape".

Kinds registered with `about_own_access=True` (a grant revoked or expiring) are about the recipient's own
access: the recipient is told although the rule may no longer let them open the target, so delivery does
not call this for them (apps/notifications/delivery.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import IntegerField, Model, Value

from apps.core.authz import VIEW

# People whose rules go into one statement: large enough to save round trips, small enough that the
# statement (each branch carries its person's id lists) stays well under any parameter limit.
BATCH = 50


def has_access_rule(target: Model) -> bool:
    manager = type(target)._default_manager
    return hasattr(manager, "for_user")


def visible_user_ids(target: Model | None, users: Iterable[Any]) -> set[int]:
    """Ids of the active `users` who may view `target` under its model's rule, asked person by person.
    Targets without a `for_user` rule are visible to every active person."""
    active = [user for user in users if user.is_active]
    if target is None or not has_access_rule(target):
        return {user.pk for user in active}
    visible: set[int] = set()
    for start in range(0, len(active), BATCH):
        visible |= _visible_in_batch(target, active[start:start + BATCH])
    return visible


def visible_user_ids_exact(target: Model, users: Iterable[Any]) -> set[int]:
    """The same answer one query per person (what the tests compare the batched statement with)."""
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
