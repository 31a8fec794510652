"""The outbox, the notifications people read, their preferences, and e-mails to bare addresses.

* `OutboxEvent` is written in the transaction of the change that caused it (`notify()`): if the change
  commits, the event exists; delivery happens afterwards, as often as needed, until it is `done`.
* `Notification` is one event for one person, unique per (event, recipient): re-running a delivery
  can never create a second one. Its `email_status` is claimed with a conditional update before an
  e-mail is sent, so each e-mail goes out at most once; a claim whose worker died ends "unknown" once it
  expires (the sweeper), so no record stays "sending" for ever.
* `DirectEmail` is the same for an address without an account (invitations), unique per (event, address).
"""

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.authz import GuardedModel
from apps.notifications.kinds import Delivery


class EventStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DONE = "done", _("Delivered")
    FAILED = "failed", _("Failed")


class EmailStatus(models.TextChoices):
    NONE = "none", _("No e-mail")
    PENDING = "pending", _("To be sent")
    SENDING = "sending", _("Claimed for sending")
    # The worker that claimed it stopped before recording the outcome and its claim expired: it may or may not
    # have gone out. Never sent again (at most once); staff see it in the console.
    UNKNOWN = "unknown", _("Unknown: the sending worker stopped")
    SENT = "sent", _("Sent")
    DIGEST = "digest", _("Waiting for the daily digest")
    DIGEST_SENDING = "digest_sending", _("Claimed for the daily digest")
    DIGESTED = "digested", _("Sent in a daily digest")
    FAILED = "failed", _("Failed")


class OutboxEvent(models.Model):
    """One event to deliver. Written with the change; the sweeper re-sends it until it is delivered."""

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    target_type = models.ForeignKey(ContentType, verbose_name=_("target type"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_repr = models.CharField(_("target"), max_length=255, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    context = models.JSONField(_("context"), default=dict, blank=True)
    recipient_ids = models.JSONField(_("recipients (user ids)"), default=list, blank=True)
    emails = models.JSONField(_("e-mail addresses"), default=list, blank=True)
    language = models.CharField(_("language of the act"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ["-id"]
        indexes = [
            # The sweeper's query: undelivered events, oldest first.
            models.Index(fields=["created_at"], name="notif_outbox_undelivered",
                         condition=~Q(status="done")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.get_status_display()})"

    @property
    def recipient_count(self) -> int:
        return len(self.recipient_ids or ()) + len(self.emails or ())


class Notification(GuardedModel):
    """What one person reads in the app: rendered once, in their language, when it was delivered."""

    # No single-column index on the three foreign keys: every fan-out row pays for each index it is in.
    # The unique (event, recipient) index serves reads by event and the cascade from an event, and
    # notif_recipient_feed (recipient, -id) those by recipient and the cascade from a person; nothing reads
    # notifications by target type (a content type is deleted only when a model is removed).
    event = models.ForeignKey(OutboxEvent, verbose_name=_("event"), on_delete=models.CASCADE,
                              related_name="notifications", db_index=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="notifications", db_index=False)
    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.ForeignKey(ContentType, verbose_name=_("target type"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+", db_index=False)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8)
    email_status = models.CharField(_("e-mail"), max_length=16, choices=EmailStatus.choices,
                                    default=EmailStatus.NONE)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True, editable=False)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notification_once_per_event_recipient"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notif_recipient_feed"),
            models.Index(fields=["recipient"], name="notif_recipient_unread", condition=Q(read_at__isnull=True)),
            # The e-mail and digest passes look only at rows still waiting for an e-mail.
            models.Index(fields=["email_status", "recipient"], name="notif_email_waiting",
                         condition=Q(email_status__in=["pending", "digest"])),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        # Only ever the recipient, staff included: the admin is where staff look at other people's.
        if action in ("view", "change"):
            return Q(recipient=user)
        return False


class NotificationPreference(GuardedModel):
    """A person's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="notification_preferences")
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("delivery"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        ordering = ["user_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action in ("view", "change"):
            return Q(user=user)
        return False


class DirectEmail(models.Model):
    """An e-mail to an address that has no account yet (an invitation). Sent at most once."""

    event = models.ForeignKey(OutboxEvent, verbose_name=_("event"), on_delete=models.CASCADE,
                              related_name="direct_emails")
    address = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(_("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail to an address")
        verbose_name_plural = _("e-mails to addresses")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["event", "address"], name="direct_email_once_per_event")]

    def __str__(self) -> str:
        return f"{self.address} ({self.get_status_display()})"
