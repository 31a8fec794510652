from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from apps.audit import audit_actions as acts
from apps.audit.models import GENESIS_HASH, AuditEvent
from apps.core.middleware import client_ip, current_request

# Any constant works; it only has to be the same everywhere that appends to the chain.
_CHAIN_LOCK_KEY = 74_201_001


def audit_record(
    *,
    action: str,
    actor: Any = None,
    target: models.Model | None = None,
    company: Any = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the chain. Runs inside the caller's transaction, so it commits with the act.

    On PostgreSQL an advisory lock serializes appends, so every row names its real predecessor.
    """
    request = request if request is not None else current_request.get()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if company is None and actor is not None:
        company = _primary_company(actor)
    ip = client_ip(request) if request is not None else None
    user_agent = (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:400]
    # No savepoint of its own: a failed append must fail the caller's act, never be skipped by it.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor,
            actor_company=company,
            action=str(action),
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_repr=str(target)[:255] if target is not None else "",
            ip_address=ip,
            user_agent=user_agent,
            details=details or {},
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def audit_denied_access(*, request: Any, status_code: int, reason: str = "", **_signal: Any) -> None:
    """Every refused API call (403 or 404) leaves a trace for staff; the caller only sees the refusal."""
    user = getattr(request, "user", None)
    audit_record(
        action=acts.ACCESS_DENIED,
        actor=user,
        request=getattr(request, "_request", request),
        details={"method": request.method, "path": request.path[:300], "status": status_code, "reason": reason},
    )


def _primary_company(user: Any) -> Any:
    from apps.companies.models import Membership

    membership = Membership.objects.filter(user=user).select_related("company").order_by("created_at").first()
    return membership.company if membership else None


def audit_chain_verify() -> tuple[int, AuditEvent | None]:
    """Walk the chain in order; return (rows checked, first broken row or None)."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != expected_prev or event.compute_hash() != event.hash:
            return checked, event
        expected_prev = event.hash
        checked += 1
    return checked, None
