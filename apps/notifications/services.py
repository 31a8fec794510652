"""The notification interface every app calls. Delivery (outbox, Celery, e-mail) lives in this app.

Contract (stable; other apps depend on it):

    notify(kind="company.verified", recipients=[user, ...] | queryset, target=obj_or_None,
           context={"company": "Lumina"}, actor=request_user_or_None, emails=["x@y"])

* Call it inside the transaction of the change that caused the event: the outbox row commits with it.
* `kind` must be registered (apps/notifications/kinds.py); an unknown kind raises ValueError.
* `recipients` are users; `emails` are bare addresses for people who have no account yet (invitations).
* A recipient who can no longer see `target` when delivery runs is skipped (the target model's own
  `for_user(person, "view")`, per person), unless the kind is registered `about_own_access=True`: then
  the event is about the recipient's own access (revoked, expiring) and reaches them all the same.

How it works: `notify` writes one OutboxEvent row (recipients resolved to ids now, context stored as
JSON) and registers an on-commit hook that enqueues `deliver_event(event_id)`. If the broker is down at
that moment the error is logged and the write still succeeds; the periodic sweeper enqueues the event
later. Rolled-back transactions leave neither an event nor a task.

The other services here are the reader's writes: mark read, mark all read, set a preference.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ValidationFailed
from apps.notifications.kinds import Delivery, get_kind, is_registered
from apps.notifications.models import Notification, NotificationPreference, OutboxEvent
from apps.notifications.tasks import enqueue_delivery

logger = logging.getLogger(__name__)

def notify(
    *,
    kind: str,
    recipients: Iterable[Any] = (),
    target: Any = None,
    context: dict[str, Any] | None = None,
    actor: Any = None,
    emails: Iterable[str] = (),
) -> OutboxEvent | None:
    """Record an event in the outbox inside the caller's transaction; deliver it after commit.

    Returns the outbox row, or None when there is nobody to tell.
    """
    definition = get_kind(kind)  # ValueError for an unknown kind
    recipient_ids = _recipient_ids(recipients)
    addresses = _addresses(emails)
    if recipient_ids and not definition.in_app:
        raise ValueError(f"notification kind {kind!r} is e-mail only: pass emails=, not recipients=")
    payload = _json_context(context or {})
    missing = [key for key in definition.required_context if payload.get(key) in (None, "")]
    if missing:
        raise ValueError(f"notification kind {kind!r} needs context {missing}")
    if not recipient_ids and not addresses:
        return None
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = OutboxEvent.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        actor=actor,
        context=payload,
        recipient_ids=recipient_ids,
        emails=addresses,
        language=translation.get_language() or "en",
    )
    # partial, not a lambda: each hook keeps its own event id (a lambda in a loop binds late).
    transaction.on_commit(partial(enqueue_delivery, event.pk))
    return event


def _recipient_ids(recipients: Iterable[Any]) -> list[int]:
    if isinstance(recipients, QuerySet):
        ids = list(recipients.values_list("pk", flat=True))
    else:
        ids = []
        for recipient in recipients:
            pk = recipient if isinstance(recipient, int) else getattr(recipient, "pk", None)
            if not isinstance(pk, int):
                raise ValueError(f"notification recipients must be saved users, got {recipient!r}")
            ids.append(pk)
    return list(dict.fromkeys(ids))


def _addresses(emails: Iterable[str]) -> list[str]:
    if isinstance(emails, str):
        raise ValueError("emails must be a list of addresses, not one string")
    addresses = []
    for address in emails:
        address = str(address).strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(f"not an e-mail address: {address!r}") from None
        addresses.append(address)
    return list(dict.fromkeys(addresses))


def _json_context(context: dict[str, Any]) -> dict[str, Any]:
    """Context as plain JSON (dates, decimals, UUIDs and lazy strings become strings); tasks take JSON only."""
    if not isinstance(context, dict):
        raise ValueError("notification context must be a dict")
    try:
        return json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"notification context must be JSON-serializable: {exc}") from None


# --- the reader's side ---------------------------------------------------------------------------


def notification_mark_read(*, actor: Any, notification: Notification) -> Notification:
    """The recipient marks one notification read; marking it again changes nothing."""
    if notification.recipient_id != actor.pk:  # callers pass restricted objects; this is the last guard
        raise ValidationFailed(_("Not your notification."))
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notification_mark_all_read(*, actor: Any) -> int:
    """The recipient marks everything read. Returns how many changed."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def preference_set(*, actor: Any, kind: str, delivery: str) -> NotificationPreference:
    """A person chooses how to hear about one kind. Unknown kinds and e-mail-only kinds are refused."""
    if not is_registered(kind) or not get_kind(kind).in_app:
        raise ValidationFailed(_("Unknown notification kind."), code="unknown_kind",
                               fields={"kind": [_("Unknown notification kind.")]})
    if delivery not in Delivery.values:
        raise ValidationFailed(_("Unknown delivery choice."), code="invalid",
                               fields={"delivery": [_("Unknown delivery choice.")]})
    preference, _created = NotificationPreference.objects.update_or_create(
        user=actor, kind=kind, defaults={"delivery": delivery}
    )
    return preference
