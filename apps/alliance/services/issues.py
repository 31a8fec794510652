"""The issue log: raised by a party, escalated one step at a time, resolved."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.alliance import audit_actions as acts
from apps.alliance.models import (
    ESCALATION_ORDER,
    Alliance,
    AllianceIssue,
    IssueStep,
)
from apps.alliance.services.common import (
    _locked_as_party,
    _notify,
)
from apps.audit.services import audit_record
from apps.core.errors import Conflict, ValidationFailed
from apps.notifications.kinds import company_context


# ------------------------------------------------------------------------------------------------ issues
@transaction.atomic
def issue_raise(*, actor: Any, alliance: Alliance, title: str, description: str, severity: str) -> AllianceIssue:
    """Either party raises an issue; it starts at the committee."""
    alliance, company = _locked_as_party(alliance, actor)
    issue = AllianceIssue.objects.create(alliance=alliance, title=title, description=description,
                                         severity=severity, raised_by_company=company)
    IssueStep.objects.create(issue=issue, level=issue.level, event="raised", by=actor, by_company=company)
    audit_record(action=acts.ISSUE_RAISED, actor=actor, target=issue, company=company,
                 details={"severity": severity})
    _notify("alliance.issue_raised", alliance, target=issue, actor=actor, exclude=company, issue=title,
            **company_context("company", company), severity_code=severity)
    return issue


@transaction.atomic
def issue_escalate(*, actor: Any, issue: AllianceIssue, note: str = "") -> AllianceIssue:
    """One step up the escalation path: committee → executive officers → the dispute-resolution clause."""
    alliance, company = _locked_as_party(issue.alliance, actor)
    issue = AllianceIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.resolved_at is not None:
        raise Conflict(_("This issue is resolved."), code="issue_resolved")
    position = ESCALATION_ORDER.index(issue.level)
    if position + 1 >= len(ESCALATION_ORDER):
        raise Conflict(_("The issue is already at the dispute-resolution clause."), code="escalation_exhausted")
    issue.level = ESCALATION_ORDER[position + 1]
    issue.save(update_fields=["level"])
    IssueStep.objects.create(issue=issue, level=issue.level, event="escalated", note=note, by=actor,
                             by_company=company)
    audit_record(action=acts.ISSUE_ESCALATED, actor=actor, target=issue, company=company,
                 details={"level": issue.level})
    _notify("alliance.issue_escalated", alliance, target=issue, actor=actor, exclude=company, issue=issue.title,
            level_code=issue.level)
    return issue


@transaction.atomic
def issue_resolve(*, actor: Any, issue: AllianceIssue, resolution: str) -> AllianceIssue:
    alliance, company = _locked_as_party(issue.alliance, actor)
    issue = AllianceIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.resolved_at is not None:
        raise Conflict(_("This issue is resolved."), code="issue_resolved")
    if not resolution.strip():
        raise ValidationFailed(_("Record how the issue was resolved."), code="resolution_required",
                               fields={"resolution": [_("This field is required.")]})
    issue.resolution = resolution
    issue.resolved_at = timezone.now()
    issue.save(update_fields=["resolution", "resolved_at"])
    IssueStep.objects.create(issue=issue, level=issue.level, event="resolved", note=resolution, by=actor,
                             by_company=company)
    audit_record(action=acts.ISSUE_RESOLVED, actor=actor, target=issue, company=company)
    _notify("alliance.issue_resolved", alliance, target=issue, actor=actor, exclude=company, issue=issue.title)
    return issue
