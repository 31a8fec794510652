"""The notification interface every app calls. Delivery (outbox, Celery, e-mail) lives in this app.

Contract (stable; other apps depend on it):

    notify(kind="company.verified", recipients=[user, ...] | queryset, target=obj_or_None,
           context={"company": "Lumina"}, actor=request_user_or_None, emails=["x@y"])

* Call it inside the transaction of the change that caused the event: the outbox row commits with it.
* `kind` must be registered (apps/notifications/kinds.py); an unknown kind raises ValueError.
* `recipients` are users; `emails` are bare addresses for people who have no account yet (invitations).
* A recipient who can no longer see `target` when delivery runs is skipped.
"""

from collections.abc import Iterable
from typing import Any


def notify(
    *,
    kind: str,
    recipients: Iterable[Any] = (),
    target: Any = None,
    context: dict[str, Any] | None = None,
    actor: Any = None,
    emails: Iterable[str] = (),
) -> Any:
    # Placeholder until the notifications issue lands its outbox; keeps call sites honest meanwhile.
    return None
