"""Moderation, written once for the three things staff review before others read them: listings, financing rounds
and calls for assets. The owner company's contributors submit a draft (or what was sent back); staff publish it or
request changes with a reason. Every step locks the row, re-checks who acts, refuses a move from the wrong status
with 409 `invalid_transition`, is audited, and tells who must know.

What differs between the three is declared in one `Moderated` per kind (its statuses, its words, its audit actions
and notification kinds); what each app adds to a step (the teaser's completeness, the matching fan-out after
publication) stays in its own service around the call. The steps run inside the caller's transaction: each
service is `@transaction.atomic`, and the row lock fails loudly outside one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.selectors import staff_people
from apps.audit.services import audit_record
from apps.companies.models import CONTRIBUTING_ROLES
from apps.companies.selectors import company_people
from apps.core.authz import CHANGE, require_permission, require_staff
from apps.core.errors import Conflict, PermissionRefused, ValidationFailed
from apps.core.validation import required_reason
from apps.notifications.services import notify

MAX_REASON_LENGTH = 2000  # the models' status_reason


@dataclass(frozen=True)
class Step:
    """One step in a subject's words: the 409 message when the subject is not in a status the step starts from, the
    audit action it records and the notification kind it sends."""

    refusal: Any
    audit: Any
    kind: str


@dataclass(frozen=True)
class Moderated:
    """A kind of moderated subject. `statuses` is its TextChoices, which names DRAFT, SUBMITTED and
    CHANGES_REQUESTED; `published` is the status staff publish into (a call opens). `context` shapes its
    notifications (`context(subject, **extra)`)."""

    model: type[models.Model]
    company: str  # the foreign key to the owner company: its contributors hear of staff's decisions
    statuses: Any
    published: str
    context: Callable[..., dict[str, Any]]
    staff_only: Any  # the 403 for anyone but staff publishing or requesting changes
    submit: Step
    publish: Step
    request_changes: Step
    # Only a verified owner company submits (403) or is published (409), with these messages; None: no such rule.
    unverified_submit: Any = None
    unverified_publish: Any = None
    # What the subject's teaser lacks besides its summary, by field (its own rule); None: no teaser is checked.
    teaser_gaps: Callable[[Any], dict[str, list[Any]]] | None = None
    # Whether the subject remembers that a submission answers a request for changes (staff see it in the queue).
    records_resubmission: bool = True
    # The code of a missing reason: listings and calls have always answered the generic `invalid`.
    reason_code: str = "reason_required"

    def lock(self, subject: Any) -> Any:
        """The subject re-read under a row lock, with its owner company."""
        return (self.model._default_manager.select_for_update(of=("self",)).select_related(self.company)
                .get(pk=subject.pk))

    def owner(self, subject: Any) -> Any:
        return getattr(subject, self.company)

    def owner_contributors(self, subject: Any) -> Any:
        return company_people(getattr(subject, f"{self.company}_id"), CONTRIBUTING_ROLES)


def _record(moderated: Moderated, step: Step, subject: Any, actor: Any, details: dict[str, Any] | None = None) -> None:
    audit_record(action=step.audit, actor=actor, target=subject, company=moderated.owner(subject), details=details)


def _require_complete_teaser(subject: Any, gaps: dict[str, list[Any]]) -> None:
    """Nobody reads a teaser without a summary, in English or Chinese; `gaps` are what the subject's own rule finds
    missing. All are named at once, so the owner fixes the teaser in one go."""
    missing: dict[str, list[Any]] = {}
    if not (subject.summary_en or subject.summary_zh):
        missing["summary_en"] = [_("A summary in English or Chinese is required before submission.")]
    missing.update(gaps)
    if missing:
        raise ValidationFailed(_("The teaser is incomplete."), code="teaser_incomplete", fields=missing)


def submit(moderated: Moderated, subject: Any, *, actor: Any) -> Any:
    """draft or changes requested → submitted, by a contributor of the owner company, its teaser complete; staff
    are told."""
    subject = moderated.lock(subject)
    require_permission(actor, CHANGE, subject)
    if moderated.unverified_submit is not None and not moderated.owner(subject).is_verified:
        raise PermissionRefused(moderated.unverified_submit, code="company_not_verified")
    if subject.status not in (moderated.statuses.DRAFT, moderated.statuses.CHANGES_REQUESTED):
        raise Conflict(moderated.submit.refusal, code="invalid_transition")
    if moderated.teaser_gaps is not None:
        _require_complete_teaser(subject, moderated.teaser_gaps(subject))
    fields, details = ["status", "submitted_at", "updated_at"], None
    if moderated.records_resubmission:
        subject.resubmission = subject.status == moderated.statuses.CHANGES_REQUESTED
        fields.append("resubmission")
        details = {"resubmission": subject.resubmission}
    subject.status = moderated.statuses.SUBMITTED
    subject.submitted_at = timezone.now()
    subject.save(update_fields=fields)
    _record(moderated, moderated.submit, subject, actor, details)
    notify(kind=moderated.submit.kind, recipients=staff_people(), target=subject, actor=actor,
           context=moderated.context(subject))
    return subject


def publish(moderated: Moderated, subject: Any, *, actor: Any, note: str = "") -> Any:
    """Staff publish a submitted subject with an optional note; the owner company's contributors are told. The
    first publication date stays when a subject is published again."""
    require_staff(actor, moderated.staff_only)
    subject = moderated.lock(subject)
    if subject.status != moderated.statuses.SUBMITTED:
        raise Conflict(moderated.publish.refusal, code="invalid_transition")
    if moderated.unverified_publish is not None and not moderated.owner(subject).is_verified:
        raise Conflict(moderated.unverified_publish, code="company_not_verified")
    subject.status = moderated.published
    subject.status_reason = (note or "").strip()[:MAX_REASON_LENGTH]
    subject.published_at = subject.published_at or timezone.now()
    subject.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    _record(moderated, moderated.publish, subject, actor, {"note": subject.status_reason})
    notify(kind=moderated.publish.kind, recipients=moderated.owner_contributors(subject), target=subject, actor=actor,
           context=moderated.context(subject, note=subject.status_reason))
    return subject


def request_changes(moderated: Moderated, subject: Any, *, actor: Any, reason: str) -> Any:
    """Staff send a submitted subject back with a reason, which the owner company's contributors are told."""
    require_staff(actor, moderated.staff_only)
    reason = required_reason(reason, code=moderated.reason_code)
    subject = moderated.lock(subject)
    if subject.status != moderated.statuses.SUBMITTED:
        raise Conflict(moderated.request_changes.refusal, code="invalid_transition")
    subject.status = moderated.statuses.CHANGES_REQUESTED
    subject.status_reason = reason[:MAX_REASON_LENGTH]
    subject.save(update_fields=["status", "status_reason", "updated_at"])
    _record(moderated, moderated.request_changes, subject, actor, {"reason": subject.status_reason})
    notify(kind=moderated.request_changes.kind, recipients=moderated.owner_contributors(subject), target=subject,
           actor=actor, context=moderated.context(subject, reason=subject.status_reason))
    return subject

