"""The agreement's life after execution: termination by a party, activation and expiry by date (daily sweep)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.agreements import audit_actions as acts
from apps.agreements.models import (
    IN_FORCE,
    TERMINATE,
    Agreement,
    AgreementApproval,
    AgreementStatus,
)
from apps.agreements.selectors import acting_party
from apps.agreements.services.common import (
    company_context,
    lock,
    notify_parties,
)
from apps.audit.services import audit_record
from apps.companies.models import MANAGING_ROLES
from apps.core.authz import user_can
from apps.core.errors import Conflict, PermissionRefused
from apps.core.validation import required_reason


@transaction.atomic
def agreement_terminate(*, actor: Any, agreement: Agreement, reason: str, company_id: int | None = None
                        ) -> Agreement:
    """A signatory of a party ends the negotiation or the agreement in force, always with a reason."""
    agreement = lock(agreement)
    if not user_can(actor, TERMINATE, agreement):
        raise PermissionRefused()
    if agreement.status not in (AgreementStatus.NEGOTIATION, *IN_FORCE):
        raise Conflict(_("This agreement cannot be terminated in its current state."), code="not_terminable")
    required_reason(reason, code="invalid", field_message=_("This field is required."))
    company = acting_party(actor, agreement, MANAGING_ROLES, company_id)
    previous = agreement.status
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["status", "terminated_at", "termination_reason", "updated_at"])
    AgreementApproval.objects.filter(agreement=agreement, invalidated_at__isnull=True).exclude(
        version_id=agreement.executed_version_id).update(invalidated_at=timezone.now())
    audit_record(action=acts.TERMINATED, actor=actor, target=agreement, company=company,
                 details={"from": previous, "reason": agreement.termination_reason})
    notify_parties("agreement.terminated", agreement, actor=actor, exclude_company=company,
                    reason=agreement.termination_reason, **company_context(company))
    return agreement


def agreements_activate_due(*, today: datetime.date | None = None) -> int:
    """Executed agreements whose effective date has come become active. Safe to run twice (conditional update)."""
    today = today or timezone.localdate()
    done = 0
    for pk in Agreement.objects.filter(status=AgreementStatus.EXECUTED, effective_on__lte=today).values_list(
            "pk", flat=True):
        with transaction.atomic():
            if not Agreement.objects.filter(pk=pk, status=AgreementStatus.EXECUTED).update(
                    status=AgreementStatus.ACTIVE, updated_at=timezone.now()):
                continue  # another run got it
            agreement = Agreement.objects.get(pk=pk)
            audit_record(action=acts.ACTIVATED, target=agreement, details={"on": today.isoformat()})
            notify_parties("agreement.activated", agreement)
            done += 1
    return done


def agreements_expire_due(*, today: datetime.date | None = None) -> int:
    """Agreements in force whose term has ended expire. Safe to run twice (conditional update)."""
    today = today or timezone.localdate()
    done = 0
    for pk in Agreement.objects.filter(status__in=IN_FORCE, expires_on__lte=today).values_list("pk", flat=True):
        with transaction.atomic():
            if not Agreement.objects.filter(pk=pk, status__in=IN_FORCE).update(
                    status=AgreementStatus.EXPIRED, updated_at=timezone.now()):
                continue
            agreement = Agreement.objects.get(pk=pk)
            audit_record(action=acts.EXPIRED, target=agreement, details={"on": today.isoformat()})
            notify_parties("agreement.expired", agreement)
            done += 1
    return done
