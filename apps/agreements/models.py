"""Agreements: the deal from term sheet to milestones.

An Agreement binds a licensor and one or more partners over one or more assets. Its terms live in
AgreementVersion rows (a JSON document validated by apps/agreements/api/serializers.TermsSerializer, hashed
with SHA-256 over its canonical JSON). Approvals name the exact hash they approved; the last party's approval
executes the version. Milestones are the live, tracked rows created from the executed terms.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.catalog.models import Asset, DealType
from apps.companies.models import CONTRIBUTING_ROLES, MANAGING_ROLES, Company, company_ids_of
from apps.core.authz import CHANGE, DELETE, VIEW, GuardedModel

# Custom actions on an agreement (beyond view/change/delete).
APPROVE = "approve"  # sign a version for one's company: owners and admins (authorized signatories)
TERMINATE = "terminate"
MANAGE_MONEY = "manage_money"  # invoice / pay milestones


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    NEGOTIATION = "negotiation", _("In negotiation")
    EXECUTED = "executed", _("Executed")
    ACTIVE = "active", _("Active")
    TERMINATED = "terminated", _("Terminated")
    EXPIRED = "expired", _("Expired")


# States in which the agreement is in force: exclusivity is reserved, milestones can move.
IN_FORCE = (AgreementStatus.EXECUTED, AgreementStatus.ACTIVE)
# States in which parties may propose a new version (a negotiation round or an amendment).
OPEN_FOR_VERSIONS = (AgreementStatus.NEGOTIATION, AgreementStatus.EXECUTED, AgreementStatus.ACTIVE)


class PartyRole(models.TextChoices):
    LICENSOR = "licensor", _("Licensor")
    PARTNER = "partner", _("Partner")


def canonical_json(terms: dict[str, Any]) -> str:
    """One text per meaning: sorted keys, no whitespace, UTF-8 kept. Amounts are already strings."""
    return json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def terms_hash(terms: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(terms).encode()).hexdigest()


class Agreement(GuardedModel):
    """A deal between parties over assets. Visible to members of the party companies (drafts: only to the
    company that prepares it) and to staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    deal_type = models.CharField(_("deal type"), max_length=32, choices=DealType.choices)
    licensor = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="agreements_as_licensor",
                                 verbose_name=_("licensor"))
    companies = models.ManyToManyField(Company, through="AgreementParty", related_name="agreements",
                                       verbose_name=_("parties"))
    assets = models.ManyToManyField(Asset, related_name="agreements", verbose_name=_("assets"))
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices,
                              default=AgreementStatus.DRAFT, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_by_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                           verbose_name=_("prepared by company"))
    current_version = models.ForeignKey("AgreementVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("latest version"))
    executed_version = models.ForeignKey("AgreementVersion", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("version in force"))
    # A loose link to a data room (apps.datarooms is built separately; no import, no FK yet). Hook: once the
    # datarooms model exists, a migration can turn this into a nullable ForeignKey with the same column.
    data_room_id = models.PositiveBigIntegerField(_("data room"), null=True, blank=True)
    # Denormalized from the version in force, for the exclusivity check (GIN-indexed overlap query).
    exclusive = models.BooleanField(_("exclusive"), default=False)
    # JSON lists, not ArrayField: `make run` uses SQLite. The overlap is computed in Python on the few
    # in-force agreements that share an asset (found by an indexed join), under row locks on the assets.
    field_of_use = models.JSONField(_("field of use"), default=list, blank=True)
    territory_countries = models.JSONField(_("territory (countries)"), default=list, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    next_jsc_meeting_on = models.DateField(_("next JSC meeting"), null=True, blank=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True)
    termination_reason = models.TextField(_("termination reason"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-created_at"]
        permissions = [
            ("approve_agreement", _("Can approve a version of the agreement for a party")),
            ("terminate_agreement", _("Can terminate the agreement")),
            ("manage_money_agreement", _("Can invoice and pay milestones")),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        def party_q(roles: tuple[str, ...] | None) -> Q:
            return Q(pk__in=AgreementParty.objects.filter(company_id__in=company_ids_of(user, roles))
                     .values("agreement_id"))

        def preparer_q(roles: tuple[str, ...] | None) -> Q:
            return Q(created_by_company_id__in=company_ids_of(user, roles))

        not_draft = ~Q(status=AgreementStatus.DRAFT)
        if action == VIEW:
            if user.is_staff:
                return True
            # A draft is the preparing company's internal work; the other parties see it once it is opened.
            return (party_q(None) & not_draft) | preparer_q(None)
        if action == CHANGE:
            return (party_q(CONTRIBUTING_ROLES) & not_draft) | preparer_q(CONTRIBUTING_ROLES)
        if action == DELETE:
            return preparer_q(MANAGING_ROLES) & Q(status=AgreementStatus.DRAFT)
        if action in (APPROVE, TERMINATE, MANAGE_MONEY):
            return party_q(MANAGING_ROLES) & not_draft
        return False

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="agreement_parties")
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["agreement_id", "role", "company_id"]
        constraints = [models.UniqueConstraint(fields=["agreement", "company"], name="agreement_party_unique")]
        indexes = [models.Index(fields=["company", "agreement"])]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_role_display()})"


class AgreementVersion(models.Model):
    """One proposal of the terms. Immutable once proposed to the other parties; kept for history."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    terms = models.JSONField(_("terms"))
    terms_hash = models.CharField(_("terms hash (SHA-256)"), max_length=64)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    is_amendment = models.BooleanField(_("amendment"), default=False)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_by_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("proposed by company"))
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement_id", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_unique")]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class RoyaltyTier(models.Model):
    """Normalized copy of a version's royalty tiers: rate (percent) on annual net sales in [lower, upper)."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="royalty_tiers")
    position = models.PositiveSmallIntegerField()
    lower = models.DecimalField(_("from net sales"), max_digits=20, decimal_places=2)
    upper = models.DecimalField(_("up to net sales"), max_digits=20, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("rate (%)"), max_digits=7, decimal_places=4)

    class Meta:
        verbose_name = _("royalty tier")
        verbose_name_plural = _("royalty tiers")
        ordering = ["version_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="royalty_tier_position_unique"),
            models.CheckConstraint(condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")),
                                   name="royalty_tier_upper_above_lower"),
            models.CheckConstraint(condition=Q(rate__gte=0) & Q(rate__lte=100), name="royalty_tier_rate_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.lower}–{self.upper or '∞'}: {self.rate}%"


class AgreementApproval(models.Model):
    """A signatory's approval of one exact version for one party. A newer version invalidates it."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="approvals")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="approvals")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    terms_hash = models.CharField(_("approved terms hash"), max_length=64)
    created_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    invalidated_at = models.DateTimeField(_("invalidated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["created_at"]
        constraints = [
            # At most one standing approval per party per version.
            models.UniqueConstraint(fields=["version", "company"], condition=Q(invalidated_at__isnull=True),
                                    name="approval_one_standing_per_party"),
        ]

    def __str__(self) -> str:
        return f"{self.version} ✓ {self.company}"


class MilestoneKind(models.TextChoices):
    DEVELOPMENT = "development", _("Development")
    REGULATORY = "regulatory", _("Regulatory")
    SALES = "sales", _("Commercial (sales threshold)")


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACHIEVED = "achieved", _("Achieved, awaiting confirmation")
    DISPUTED = "disputed", _("Disputed")
    CONFIRMED = "confirmed", _("Confirmed")
    INVOICED = "invoiced", _("Invoiced")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Removed by an amendment")


# Statuses that count as "achieved" in the derived figures.
ACHIEVED_STATUSES = (MilestoneStatus.CONFIRMED, MilestoneStatus.INVOICED, MilestoneStatus.PAID)


class Milestone(GuardedModel):
    """A milestone of the agreement in force, tracked from pending to paid. Created from the executed terms."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=MilestoneKind.choices)
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    regulatory_event = models.CharField(_("linked regulatory event"), max_length=64, blank=True, db_index=True)
    sales_threshold = models.DecimalField(_("net sales threshold"), max_digits=20, decimal_places=2, null=True,
                                          blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PENDING, db_index=True)
    achieved_at = models.DateTimeField(_("achieved at"), null=True, blank=True)
    achieved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    achieved_by_company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+", verbose_name=_("marked achieved by"))
    evidence = models.TextField(_("evidence"), blank=True, max_length=4000)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    regulatory_event_ref = models.CharField(_("regulatory event reference"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    dispute_reason = models.TextField(_("dispute reason"), blank=True, max_length=2000)
    invoiced_at = models.DateTimeField(_("invoiced at"), null=True, blank=True)
    invoice_reference = models.CharField(_("invoice reference"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["agreement_id", "due_on", "key"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="milestone_key_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="milestone_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.description}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        rule = Agreement.access_q(user, action)
        if isinstance(rule, bool):
            return rule
        return Q(agreement__in=Agreement.objects.filter(rule).values("pk"))


class ExchangeRate(models.Model):
    """Staff keep these in the admin: how many USD one unit of `currency` was worth on `valid_on`."""

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    usd_per_unit = models.DecimalField(_("USD per unit"), max_digits=18, decimal_places=8)
    valid_on = models.DateField(_("valid on"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-valid_on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_on"], name="exchange_rate_one_per_day"),
            models.CheckConstraint(condition=Q(usd_per_unit__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.usd_per_unit} USD ({self.valid_on})"


class Reminder(models.Model):
    """One reminder sent (milestone due, JSC meeting). The unique key makes a repeated task a no-op."""

    class Kind(models.TextChoices):
        MILESTONE_DUE = "milestone_due", _("Milestone due")
        JSC_MEETING = "jsc_meeting", _("JSC meeting")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reminders")
    milestone = models.ForeignKey(Milestone, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "milestone", "due_on"], condition=Q(milestone__isnull=False),
                                    name="reminder_once_per_milestone"),
            models.UniqueConstraint(fields=["kind", "agreement", "due_on"], condition=Q(milestone__isnull=True),
                                    name="reminder_once_per_agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"
