"""Demo notifications (idempotent): what the demo people find in their inbox after `make run`.

Lumina's owner and admin read Chinese, so their "company verified" notifications are in Chinese; the
Northbridge people read English. Delivered in the app only (no e-mails printed while loading).
"""

from typing import Any

from django.utils import timezone

from apps.notifications.delivery import event_deliver
from apps.notifications.kinds import company_context
from apps.notifications.models import Notification, NotificationPreference, OutboxEvent
from apps.notifications.services import notify

MARKER = "notifications-demo-v1"


def _company_context(company: Any) -> dict[str, Any]:
    return {**company_context("company", company), "reason": "", "demo": MARKER}


def load(ctx: dict[str, Any]) -> None:
    if OutboxEvent.objects.filter(context__demo=MARKER).exists():
        return
    companies, people = ctx["companies"], ctx["people"]
    staff = people["staff_admin"]
    events = [
        notify(kind="company.verified", recipients=[people["lumina_owner"], people["lumina_admin"]],
               target=companies["lumina"], actor=staff, context=_company_context(companies["lumina"])),
        notify(kind="company.verified", recipients=[people["northbridge_admin"], people["northbridge_member"]],
               target=companies["northbridge"], actor=staff, context=_company_context(companies["northbridge"])),
        notify(kind="membership.role_changed", recipients=[people["lumina_member"]], target=companies["lumina"],
               actor=people["lumina_owner"],
               context={**_company_context(companies["lumina"]), "role": "member", "previous_role": "viewer"}),
    ]
    for event in events:
        if event is not None:
            event_deliver(event_id=event.pk, send_emails=False)
    # The owner has already read theirs; the admin has not.
    Notification.objects.filter(recipient=people["lumina_owner"]).update(read_at=timezone.now())
    NotificationPreference.objects.get_or_create(user=people["northbridge_admin"], kind="membership.role_changed",
                                                 defaults={"delivery": "digest"})
