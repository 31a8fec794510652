"""The alliance: the life of an executed agreement, for its parties only.

Every executed agreement gets one Alliance (created when it is executed). Under it: committees with members,
meetings with minutes (versioned; approved minutes are final), decisions voted by party under the committee's
voting rule, action items, a development plan of work packages with cost sharing and recorded costs, an
obligations register and an issue log with escalation.

Who sees what (one rule, `alliance_rule`): members of the party companies read; owners, admins and members
write; viewers only read. Staff see nothing but counts unless a party shared the alliance with them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.agreements.models import IN_FORCE, Agreement, AgreementParty, AgreementStatus
from apps.agreements.money import Currency
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company, company_ids_of
from apps.core.authz import CHANGE, VIEW, GuardedModel

MANAGE = "manage"  # share the workspace with staff: the parties' owners and admins

# An alliance can be read once its agreement was executed, also after it ended; it is written only in force.
READABLE_STATUSES = (*IN_FORCE, AgreementStatus.TERMINATED, AgreementStatus.EXPIRED)


def alliance_rule(user: Any, action: str) -> Q | bool:
    """The one rule over alliance ids: a Q on Alliance rows (False: nothing)."""

    def parties(roles: tuple[str, ...] | None) -> Q:
        return Q(agreement_id__in=AgreementParty.objects.filter(company_id__in=company_ids_of(user, roles))
                 .values("agreement_id"))

    if action == VIEW:
        rule = parties(None) & Q(agreement__status__in=READABLE_STATUSES)
        if user.is_staff:
            rule |= Q(shared_with_staff_by__isnull=False)
        return rule
    if action == CHANGE:
        return parties(CONTRIBUTING_ROLES) & Q(agreement__status__in=IN_FORCE)
    if action == MANAGE:
        return parties(MANAGING_ROLES) & Q(agreement__status__in=IN_FORCE)
    return False


class Alliance(GuardedModel):
    """The workspace of one executed agreement."""

    agreement = models.OneToOneField(Agreement, on_delete=models.CASCADE, related_name="alliance",
                                     verbose_name=_("agreement"))
    # A party may let platform staff read the workspace (e.g. to help with a dispute); any party may withdraw.
    shared_with_staff_by = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+", verbose_name=_("shared with staff by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["-created_at"]
        permissions = [("manage_alliance", _("Can share the alliance with platform staff"))]

    def __str__(self) -> str:
        return str(self.agreement)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return alliance_rule(user, action)


class AllianceChild(GuardedModel):
    """Rows that belong to one alliance and follow its rule."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("alliance"))

    class Meta:
        abstract = True

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        rule = alliance_rule(user, action)
        if isinstance(rule, bool):
            return rule
        return Q(alliance_id__in=Alliance.objects.filter(rule).values("pk"))


# ------------------------------------------------------------------------------------------------ governance
class CommitteeKind(models.TextChoices):
    STEERING = "steering", _("Joint steering committee")
    DEVELOPMENT = "development", _("Joint development committee")
    COMMERCIAL = "commercial", _("Joint commercial committee")


class VotingRule(models.TextChoices):
    UNANIMOUS = "unanimous", _("Unanimity, one vote per party")
    TIE_BREAK = "tie_break", _("One vote per party, a named party breaks ties per decision area")


class ChairRule(models.TextChoices):
    FIXED = "fixed", _("Fixed chair")
    ROTATING = "rotating", _("Chair rotates between the parties every year")


class DecisionArea(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    REGULATORY = "regulatory", _("Regulatory")
    MANUFACTURING = "manufacturing", _("Manufacturing (CMC)")
    COMMERCIAL = "commercial", _("Commercial")
    BUDGET = "budget", _("Budget")
    OTHER = "other", _("Other")


class Committee(AllianceChild):
    kind = models.CharField(_("kind"), max_length=12, choices=CommitteeKind.choices)
    name = models.CharField(_("name"), max_length=120)
    voting_rule = models.CharField(_("voting rule"), max_length=10, choices=VotingRule.choices,
                                   default=VotingRule.UNANIMOUS)
    # {"development": <company id>, ...}: who breaks a tie in each decision area (tie_break rule only).
    tie_breakers = models.JSONField(_("tie-breaking party per decision area"), default=dict, blank=True)
    chair_rule = models.CharField(_("chair rule"), max_length=8, choices=ChairRule.choices, default=ChairRule.FIXED)
    chair_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("chair (fixed) or first chair (rotating)"))
    chair_since_year = models.PositiveSmallIntegerField(_("chair from year"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["alliance_id", "kind", "pk"]
        constraints = [models.UniqueConstraint(fields=["alliance", "kind"], name="alliance_committee_kind_unique")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(AllianceChild):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("party"))
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee_id", "company_id", "name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMeeting(AllianceChild):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("starts at (UTC)"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    agenda = models.TextField(_("agenda"), max_length=8000, blank=True)
    attendees = models.JSONField(_("attendance"), default=list, blank=True)  # committee member ids present
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return f"{self.committee} {self.starts_at:%Y-%m-%d}"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting approval")
    APPROVED = "approved", _("Approved by every party")
    SUPERSEDED = "superseded", _("Replaced by a correction")


class Minutes(AllianceChild):
    """One version of a meeting's minutes. Approved by every party it is final: a correction is a new version."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="minutes")
    number = models.PositiveSmallIntegerField(_("version"))
    text_en = models.TextField(_("minutes (English)"), max_length=20000, blank=True)
    text_zh = models.TextField(_("minutes (Chinese)"), max_length=20000, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    approved_by_companies = models.ManyToManyField(Company, through="MinutesApproval", related_name="+")
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="minutes_version_unique"),
            models.UniqueConstraint(fields=["meeting"], condition=Q(status="draft"), name="minutes_one_draft"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} v{self.number}"


class MinutesApproval(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="approvals")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("minutes approval")
        verbose_name_plural = _("minutes approvals")
        constraints = [models.UniqueConstraint(fields=["minutes", "company"], name="minutes_approval_once")]

    def __str__(self) -> str:
        return f"{self.minutes} ✓ {self.company_id}"


class DecisionOutcome(models.TextChoices):
    PENDING = "pending", _("Voting")
    CARRIED = "carried", _("Carried")
    REJECTED = "rejected", _("Rejected")
    DEADLOCKED = "deadlocked", _("Deadlocked")


class Vote(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Decision(AllianceChild):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="decisions")
    area = models.CharField(_("decision area"), max_length=16, choices=DecisionArea.choices)
    motion = models.TextField(_("motion"), max_length=4000)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome.choices,
                               default=DecisionOutcome.PENDING)
    tie_broken_by = models.ForeignKey(Company, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("tie broken by"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting_id", "pk"]

    def __str__(self) -> str:
        return self.motion[:60]


class PartyVote(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(_("vote"), max_length=8, choices=Vote.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["decision_id", "company_id"]
        constraints = [models.UniqueConstraint(fields=["decision", "company"], name="one_vote_per_party")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.vote}"


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(AllianceChild):
    meeting = models.ForeignKey(CommitteeMeeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="action_items")
    title = models.CharField(_("title"), max_length=300)
    owner_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("owner party"))
    owner_name = models.CharField(_("owner"), max_length=120, blank=True)
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN,
                              db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


# ------------------------------------------------------------------------------------------------ budget
class WorkPackage(AllianceChild):
    """A part of the development plan, run by one party. Costs are shared by the agreement's split unless the
    work package names its own (e.g. 50/50 for CMC while the plan is 60/40)."""

    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    assigned_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("assigned to"))
    # [{"company": id, "share": "60"}, ...] adding up to 100; empty: the agreement's cost-sharing split.
    cost_sharing = models.JSONField(_("cost sharing (override)"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        ordering = ["alliance_id", "code"]
        constraints = [models.UniqueConstraint(fields=["alliance", "code"], name="work_package_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Budget(AllianceChild):
    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["work_package_id", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["work_package", "year", "quarter", "currency"], name="budget_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="budget_quarter_1_4"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_amount_not_negative"),
        ]


class CostEntry(AllianceChild):
    """A cost one party actually incurred on a work package in a quarter."""

    work_package = models.ForeignKey(WorkPackage, on_delete=models.PROTECT, related_name="costs")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("spent by"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    description = models.CharField(_("description"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("cost entry")
        verbose_name_plural = _("cost entries")
        ordering = ["year", "quarter", "pk"]
        indexes = [models.Index(fields=["alliance", "year", "quarter"])]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="cost_quarter_1_4"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
        ]


# ------------------------------------------------------------------------------------------------ obligations
class ObligationKind(models.TextChoices):
    DILIGENCE = "diligence", _("Diligence")
    REPORTING = "reporting", _("Reporting")
    SUPPLY = "supply", _("Supply")
    REGULATORY_FILING = "regulatory_filing", _("Regulatory filing")
    OTHER = "other", _("Other")


class Recurrence(models.TextChoices):
    NONE = "none", _("Once")
    QUARTERLY = "quarterly", _("Every quarter")
    ANNUAL = "annual", _("Every year")


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    OVERDUE = "overdue", _("Overdue")
    FULFILLED = "fulfilled", _("Fulfilled")
    WAIVED = "waived", _("Waived")


class Obligation(AllianceChild):
    kind = models.CharField(_("kind"), max_length=20, choices=ObligationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    owner_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("owner party"))
    due_on = models.DateField(_("due date"))
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.NONE)
    # "<agency>:<event type>" as milestones use (e.g. "fda:ind_cleared"): such an event on one of the agreement's
    # assets fulfils the obligation by itself.
    regulatory_event = models.CharField(_("fulfilled by regulatory event"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObligationStatus.choices,
                              default=ObligationStatus.OPEN, db_index=True)
    evidence = models.TextField(_("evidence"), max_length=4000, blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    # A document in one of the parties' data rooms (e.g. the annual report), shown to those who may open it.
    evidence_document = models.ForeignKey("datarooms.Document", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name=_("evidence document"))
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class AllianceReminder(models.Model):
    """One reminder sent (action item or obligation due, obligation overdue): the unique key makes a repeated
    task a no-op."""

    kind = models.CharField(max_length=24)
    object_id = models.PositiveBigIntegerField()
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alliance reminder")
        verbose_name_plural = _("alliance reminders")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "due_on"], name="alliance_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.due_on}"


# ------------------------------------------------------------------------------------------------ issues
class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class EscalationLevel(models.TextChoices):
    COMMITTEE = "committee", _("Committee")
    EXECUTIVES = "executives", _("Executive officers")
    DISPUTE_RESOLUTION = "dispute_resolution", _("Dispute-resolution clause")


ESCALATION_ORDER: list[str] = [EscalationLevel.COMMITTEE, EscalationLevel.EXECUTIVES,
                               EscalationLevel.DISPUTE_RESOLUTION]


class AllianceIssue(AllianceChild):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=8000)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    raised_by_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("raised by"))
    level = models.CharField(_("escalation level"), max_length=20, choices=EscalationLevel.choices,
                             default=EscalationLevel.COMMITTEE)
    resolution = models.TextField(_("resolution"), max_length=8000, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alliance issue")
        verbose_name_plural = _("alliance issues")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class IssueStep(models.Model):
    """One time-stamped step of an issue: raised, escalated to a level, resolved."""

    issue = models.ForeignKey(AllianceIssue, on_delete=models.CASCADE, related_name="steps")
    level = models.CharField(_("level"), max_length=20, choices=EscalationLevel.choices)
    event = models.CharField(_("event"), max_length=10)  # raised | escalated | resolved
    note = models.TextField(_("note"), max_length=4000, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issue step")
        verbose_name_plural = _("issue steps")
        ordering = ["issue_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.event} ({self.level})"


def party_companies(alliance: Alliance) -> list[Company]:
    return list(Company.objects.filter(agreement_parties__agreement_id=alliance.agreement_id).order_by("pk"))
