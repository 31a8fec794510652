"""Delivery of outbox events: the work the Celery tasks do, safe to run any number of times.

* `event_deliver` fans one event out in chunks: one bulk INSERT ... ON CONFLICT DO NOTHING per chunk into
  Notification (unique per event and recipient), titles rendered once per language. Chunks already
  delivered by an earlier, interrupted run are skipped.
* Then each e-mail: claimed with a conditional UPDATE (pending → sending, with the claim's time), sent,
  marked sent at once. A worker killed between claim and record leaves that one e-mail in doubt rather
  than sending it twice (at most once): when its claim expires the sweeper marks it "unknown".
* `undelivered_event_ids` and `emails_mark_unknown` are what tasks.outbox_sweep reads and marks before it
  re-enqueues what is still undelivered (broker down at commit, worker lost, failure).
* `digests_send` sends each person one e-mail with what waited for the daily digest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from apps.notifications.emails import build_email, normalize_language
from apps.notifications.kinds import Delivery, Kind, get_kind
from apps.notifications.models import (
    DirectEmail,
    EmailStatus,
    EventStatus,
    Notification,
    NotificationPreference,
    OutboxEvent,
)
from apps.notifications.visibility import visible_user_ids

logger = logging.getLogger(__name__)

REDACTED = "[redacted]"
_EMAIL_STATUS_FOR: dict[str, str] = {Delivery.IN_APP: EmailStatus.NONE, Delivery.EMAIL: EmailStatus.PENDING,
                     Delivery.DIGEST: EmailStatus.DIGEST}
_MISSING = object()


def chunk_size() -> int:
    return int(getattr(settings, "NOTIFICATIONS_FANOUT_CHUNK_SIZE", 1000))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 10))


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def event_deliver(*, event_id: int, send_emails: bool = True) -> str:
    """Deliver one event to everyone it is for. Idempotent: a re-run adds nothing that already exists.

    `send_emails=False` (demo data) delivers in the app only and records that no e-mail goes out.
    """
    event = OutboxEvent.objects.select_related("target_type").filter(pk=event_id).first()
    if event is None:
        return "missing"
    if event.status == EventStatus.DONE:
        return "already delivered"
    OutboxEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    kind = get_kind(event.kind)
    if kind.in_app and event.recipient_ids:
        _fan_out(event, kind)
    if event.emails:
        _direct_emails_create(event)
    if send_emails:
        sent = _notification_emails_send(event, kind) + _direct_emails_send(event, kind)
    else:
        sent = 0
        Notification.objects.filter(event=event, email_status=EmailStatus.PENDING).update(email_status=EmailStatus.NONE)
        DirectEmail.objects.filter(event=event, status=EmailStatus.PENDING).update(status=EmailStatus.NONE)
    done = {"status": EventStatus.DONE, "delivered_at": timezone.now(), "last_error": "", "updated_at": timezone.now()}
    if kind.sensitive_context:
        done["context"] = {key: (REDACTED if key in kind.sensitive_context else value)
                           for key, value in event.context.items()}
    OutboxEvent.objects.filter(pk=event.pk).exclude(status=EventStatus.DONE).update(**done)
    return f"delivered ({sent} e-mails)"


def _load_target(event: OutboxEvent) -> Any:
    if event.target_type is None:
        return None
    model = event.target_type.model_class()
    if model is None:
        return _MISSING
    return model._default_manager.filter(pk=event.target_id).first() or _MISSING


def _fan_out(event: OutboxEvent, kind: Kind) -> None:
    target = _load_target(event)
    if target is _MISSING:
        # What people would be told about no longer exists: nobody can see it, so nobody is told.
        logger.info("notification event %s: target %s no longer exists", event.pk, event.target_repr)
        return
    user_model = get_user_model()
    skip = {event.actor_id} if kind.skip_actor and event.actor_id else set()
    recipient_ids = sorted({int(pk) for pk in event.recipient_ids} - skip)
    renderings: dict[str, dict[str, str]] = {}
    for chunk in _chunks(recipient_ids, chunk_size()):
        # What an earlier, interrupted run delivered of this chunk. The ids are sorted, so the chunk is one range
        # of the unique (event, recipient) index: each chunk reads its own rows only, never the event's rows so
        # far (an `IN` list let the planner scan every row of the event for every chunk: quadratic).
        done = set(Notification.objects.filter(event=event, recipient_id__gte=chunk[0], recipient_id__lte=chunk[-1])
                   .values_list("recipient_id", flat=True))
        todo = [pk for pk in chunk if pk not in done]
        if not todo:
            continue
        users = list(user_model.objects.filter(pk__in=todo, is_active=True)
                     .only("id", "preferred_language", "is_active", "is_staff", "is_superuser"))
        # Who may see the target, asked person by person under its model's own rule; a kind about the
        # recipient's own access (revoked, expiring) reaches them although they can no longer see it.
        visible = {user.pk for user in users} if kind.about_own_access else visible_user_ids(target, users)
        preferences = dict(NotificationPreference.objects.filter(kind=event.kind, user_id__in=todo)
                           .values_list("user_id", "delivery"))
        rows = []
        for user in users:
            if user.pk not in visible:
                continue
            language = normalize_language(user.preferred_language)
            rendering = renderings.get(language)
            if rendering is None:
                with translation.override(language):
                    rendering = renderings[language] = kind.render(event.context, language)
            delivery = preferences.get(user.pk, kind.default_delivery)
            rows.append(Notification(
                event_id=event.pk, recipient_id=user.pk, kind=event.kind, target_type_id=event.target_type_id,
                target_id=event.target_id, language=language, email_status=_EMAIL_STATUS_FOR[delivery],
                **rendering,
            ))
        with transaction.atomic():
            Notification.objects.bulk_create(rows, ignore_conflicts=True)


def _direct_emails_create(event: OutboxEvent) -> None:
    addresses = sorted({address.lower() for address in event.emails})
    user_model = get_user_model()
    known = dict(user_model.objects.filter(email__in=addresses).values_list("email", "preferred_language"))
    rows = [DirectEmail(event_id=event.pk, address=address,
                        language=normalize_language(known.get(address, event.language)))
            for address in addresses]
    DirectEmail.objects.bulk_create(rows, ignore_conflicts=True)


def _status_field(model: Any) -> str:
    return "email_status" if model is Notification else "status"


def _claimed_field(model: Any) -> str:
    return "email_claimed_at" if model is Notification else "claimed_at"


def _claim(model: Any, pk: int) -> bool:
    """Conditional update pending → sending, stamped with the time: True if this worker got the row (and so
    sends it). A claim older than NOTIFICATIONS_EMAIL_CLAIM_SECONDS belongs to a dead worker (the sweeper)."""
    field = _status_field(model)
    return bool(model.objects.filter(pk=pk, **{field: EmailStatus.PENDING})
                .update(**{field: EmailStatus.SENDING, _claimed_field(model): timezone.now()}))


class _SentMarks:
    """Marks each claimed row "sent" as soon as its e-mail went out, so a worker killed later leaves only the
    e-mail it was sending in doubt (it ends "unknown" when its claim expires), not the ones already sent."""

    def __init__(self, model: Any, sent_field: str):
        self.model, self.sent_field = model, sent_field

    def add(self, pk: int) -> None:
        self.model.objects.filter(pk=pk).update(
            **{_status_field(self.model): EmailStatus.SENT, self.sent_field: timezone.now()})


def _send_claimed(model: Any, pk: int, message: Any, marks: _SentMarks) -> None:
    try:
        message.send()
    except Exception:
        # Nothing went out: give the row back so the retry sends it.
        model.objects.filter(pk=pk).update(**{_status_field(model): EmailStatus.PENDING})
        raise
    marks.add(pk)


def _notification_emails_send(event: OutboxEvent, kind: Kind) -> int:
    return _notification_emails_send_marked(event, kind, _SentMarks(Notification, "emailed_at"))


def _notification_emails_send_marked(event: OutboxEvent, kind: Kind, marks: _SentMarks) -> int:
    waiting = (Notification.objects.filter(event=event, email_status=EmailStatus.PENDING)
               .select_related("recipient").order_by("id"))
    sent = 0
    connection = None
    values: dict[str, dict[str, Any]] = {}
    for notification in waiting.iterator(chunk_size=500):
        if not notification.recipient.is_active or not notification.recipient.email:
            continue
        if not _claim(Notification, notification.pk):
            continue  # another worker has it
        connection = connection or get_connection()
        if notification.language not in values:
            with translation.override(notification.language):
                values[notification.language] = dict(kind.values(event.context, notification.language))
        message = build_email(
            template=kind.email_template, language=notification.language, subject=notification.title,
            to=notification.recipient.email, connection=connection,
            context={"title": notification.title, "body": notification.body, "url": notification.url,
                     "recipient_name": notification.recipient.full_name,
                     "context": values[notification.language]},
            headers={"X-GPC-Event": str(event.pk), "X-GPC-Notification": str(notification.pk)},
        )
        _send_claimed(Notification, notification.pk, message, marks)
        sent += 1
    return sent


def _direct_emails_send(event: OutboxEvent, kind: Kind) -> int:
    return _direct_emails_send_marked(event, kind, _SentMarks(DirectEmail, "sent_at"))


def _direct_emails_send_marked(event: OutboxEvent, kind: Kind, marks: _SentMarks) -> int:
    sent = 0
    connection = None
    for direct in DirectEmail.objects.filter(event=event, status=EmailStatus.PENDING).order_by("id"):
        if not _claim(DirectEmail, direct.pk):
            continue
        with translation.override(direct.language):
            rendering = kind.render(event.context, direct.language)
            values = dict(kind.values(event.context, direct.language))
        connection = connection or get_connection()
        message = build_email(
            template=kind.email_template, language=direct.language, subject=rendering["title"], to=direct.address,
            connection=connection,
            context={**rendering, "recipient_name": "", "context": values},
            headers={"X-GPC-Event": str(event.pk)},
        )
        _send_claimed(DirectEmail, direct.pk, message, marks)
        sent += 1
    return sent


def event_record_failure(*, event_id: int, error: str, final: bool) -> None:
    """A delivery attempt failed: keep the error for staff; `final` marks the event failed (the sweeper
    retries failed events until they reach NOTIFICATIONS_MAX_ATTEMPTS)."""
    fields: dict[str, Any] = {"last_error": error[:4000], "updated_at": timezone.now()}
    if final:
        fields["status"] = EventStatus.FAILED
    OutboxEvent.objects.filter(pk=event_id).exclude(status=EventStatus.DONE).update(**fields)
    if final and OutboxEvent.objects.filter(pk=event_id, status=EventStatus.FAILED,
                                            attempts__gte=max_attempts()).exists():
        # The sweeper will not try again: e-mails still waiting will never go out, and the record says so.
        Notification.objects.filter(event_id=event_id, email_status=EmailStatus.PENDING).update(
            email_status=EmailStatus.FAILED)
        DirectEmail.objects.filter(event_id=event_id, status=EmailStatus.PENDING).update(status=EmailStatus.FAILED)


def email_claim_seconds() -> int:
    """How long a claim for sending may last: longer than deliver_event's hard time limit (600 s) and the
    digest task's (1,800 s), so only a claim whose worker is gone outlives it."""
    return int(getattr(settings, "NOTIFICATIONS_EMAIL_CLAIM_SECONDS", 1900))


def emails_mark_unknown(*, older_than: timedelta | None = None) -> int:
    """E-mails claimed longer ago than the claim lasts: their worker died between claim and record, so
    whether they went out is unknown. They become "unknown" (never re-sent: at most once). Returns how many."""
    cutoff = timezone.now() - (older_than if older_than is not None else timedelta(seconds=email_claim_seconds()))
    stuck = Q(email_status__in=[EmailStatus.SENDING, EmailStatus.DIGEST_SENDING], email_claimed_at__lt=cutoff)
    marked = Notification.objects.filter(stuck).update(email_status=EmailStatus.UNKNOWN)
    marked += DirectEmail.objects.filter(status=EmailStatus.SENDING, claimed_at__lt=cutoff).update(
        status=EmailStatus.UNKNOWN)
    if marked:
        logger.warning("%s e-mails were claimed by a worker that stopped: marked unknown", marked)
    return marked


def undelivered_event_ids(*, older_than: timedelta, limit: int) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        OutboxEvent.objects.filter(created_at__lte=cutoff)
        .filter(Q(status=EventStatus.PENDING) | Q(status=EventStatus.FAILED, attempts__lt=max_attempts()))
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )


def digest_recipient_ids() -> list[int]:
    return list(Notification.objects.filter(email_status=EmailStatus.DIGEST, recipient__is_active=True)
                .values_list("recipient_id", flat=True).distinct().order_by("recipient_id"))


def digest_send(*, user_id: int) -> int:
    """One e-mail with everything waiting for `user_id`'s digest. Rows are claimed first: at most once."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with transaction.atomic():
        items = list(Notification.objects.select_for_update(skip_locked=True)
                     .filter(recipient_id=user_id, email_status=EmailStatus.DIGEST).order_by("id"))
        Notification.objects.filter(pk__in=[item.pk for item in items]).update(
            email_status=EmailStatus.DIGEST_SENDING, email_claimed_at=timezone.now())
    if not items:
        return 0
    language = normalize_language(user.preferred_language)
    with translation.override(language):
        from django.utils.translation import gettext

        subject = gettext("Your GPC digest: %(count)d new notifications") % {"count": len(items)}
    message = build_email(
        template="notifications/email/digest", language=language, subject=subject, to=user.email,
        context={"items": items, "recipient_name": user.full_name, "count": len(items)},
        headers={"X-GPC-Digest": str(user_id)},
    )
    ids = [item.pk for item in items]
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.DIGEST)
        raise
    Notification.objects.filter(pk__in=ids).update(email_status=EmailStatus.DIGESTED, emailed_at=timezone.now())
    return len(items)


def digests_send() -> int:
    """Every person with something waiting gets one digest e-mail. Returns how many e-mails went out."""
    sent = 0
    for user_id in digest_recipient_ids():
        if digest_send(user_id=user_id):
            sent += 1
    return sent
