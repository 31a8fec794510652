"""Financing: rounds that biotechs raise and investors discover, with the catalog's confidentiality.

Who sees what (one rule per model, `access_q`, evaluated on every request):

* An investor profile (thesis, ticket size) is read by its own company, staff, and members of verified
  biotechs; its individual contact details (`view_contact`) only by its own company, staff and the companies
  the investor engaged with (it has a book entry in one of their rounds).
* A round's teaser is read by the raising company, staff, members of verified investor companies once the
  round is published (or closed), and investors already in its book. Pharma partners, service providers and
  other biotechs do not see rounds: fundraising is not theirs to browse.
* A round's protected core (valuation, cap table, financial statements, funded assets) is read by the raising
  company, staff and the investors it admitted: those whose book entry has reached diligence or later. An
  investor who passes loses the core on its very next request (the rule reads the entry's stage).
* A book entry is private between the raising company and that one investor (staff read it, read-only). No
  rule lets an investor read another investor's entry; the only thing an investor learns about the book is a
  lead investor the biotech names publicly on the round's teaser.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import MAX_DIGITS, STORED_PLACES, Currency
from apps.catalog.fields import CodeListField
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    Company,
    CompanyKind,
    Membership,
    VerificationStatus,
    company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel

VIEW_CONFIDENTIAL = "view_confidential"  # a round's protected core (as for assets)
VIEW_CONTACT = "view_contact"  # an investor's individual contact details
VIEW_BOOK = "view_book"  # a round's book: every entry and the sums
BIOTECH_SIDE = "biotech"  # move a book entry as the raising company
INVESTOR_SIDE = "investor"  # move a book entry as the investor


class RoundStage(models.TextChoices):
    SEED = "seed", _("Seed")
    SERIES_A = "series_a", _("Series A")
    SERIES_B = "series_b", _("Series B")
    SERIES_C = "series_c", _("Series C")
    PRE_IPO = "pre_ipo", _("Pre-IPO")
    IPO_CORNERSTONE = "ipo_cornerstone", _("IPO cornerstone")


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CONVERTIBLE_NOTE = "convertible_note", _("Convertible note")
    ROYALTY_FINANCING = "royalty_financing", _("Royalty financing")
    STRUCTURED = "structured", _("Structured deal (e.g. a NewCo)")


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


# Statuses in which investors read the teaser.
LISTED_STATUSES = (RoundStatus.PUBLISHED, RoundStatus.CLOSED)


class EntryStage(models.TextChoices):
    """Ordered: an entry only moves forward along this list, or to `passed`."""

    INTERESTED = "interested", _("Interested")
    DILIGENCE = "diligence", _("Diligence")
    TERM_SHEET = "term_sheet", _("Term sheet")
    COMMITTED = "committed", _("Committed")
    CLOSED = "closed", _("Closed")
    PASSED = "passed", _("Passed")


# Stages whose investor reads the round's protected core and may ask for the funded assets' data rooms.
ADMITTED_STAGES = (EntryStage.DILIGENCE, EntryStage.TERM_SHEET, EntryStage.COMMITTED, EntryStage.CLOSED)
# Stages in which an investor may still soft-circle or pass.
OPEN_STAGES = (EntryStage.INTERESTED, EntryStage.DILIGENCE, EntryStage.TERM_SHEET, EntryStage.COMMITTED)


class PassReason(models.TextChoices):
    """Structured, so the biotech reads the reason in its own language whatever the investor's."""

    VALUATION = "valuation", _("Valuation above what we can support")
    STAGE = "stage", _("Development stage outside our focus")
    THERAPEUTIC_AREA = "therapeutic_area", _("Therapeutic area outside our focus")
    TICKET_SIZE = "ticket_size", _("The round does not fit our ticket size")
    TIMING = "timing", _("Timing does not fit our fund")
    DILIGENCE_FINDINGS = "diligence_findings", _("Findings in diligence")
    PORTFOLIO_CONFLICT = "portfolio_conflict", _("Conflict with a portfolio company")
    OTHER = "other", _("Other reason")


money_field_kwargs: dict[str, Any] = {"max_digits": MAX_DIGITS, "decimal_places": STORED_PLACES}


def _member_of_verified_sql(kind: str) -> str:
    # Constant SQL (table names from the models); the user id always travels as a parameter.
    return (f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} m JOIN {Company._meta.db_table} c "  # noqa: S608
            f"ON c.id = m.company_id WHERE m.user_id = %s AND c.verification_status = "
            f"'{VerificationStatus.VERIFIED}' AND c.kind = '{kind}')")


_IN_VERIFIED_INVESTOR_SQL = _member_of_verified_sql(CompanyKind.INVESTOR)
_IN_VERIFIED_BIOTECH_SQL = _member_of_verified_sql(CompanyKind.BIOTECH)
_MY_COMPANIES_SQL = f"SELECT m.company_id FROM {Membership._meta.db_table} m WHERE m.user_id = %s"  # noqa: S608


def _flag(sql: str, user: Any) -> RawSQL:
    return RawSQL(sql, [user.pk], output_field=BooleanField())  # noqa: S611


def my_companies_q(user: Any, field: str) -> Q:
    """`field` is one of `user`'s companies (an uncorrelated subquery, cheap on every list request)."""
    return Q(**{f"{field}__in": RawSQL(_MY_COMPANIES_SQL, [user.pk])})  # noqa: S611


class InvestorProfile(GuardedModel):
    """A verified investor company's thesis: what it funds, where, how and how much."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="investor_profile",
                                   verbose_name=_("investor"))
    thesis_en = models.TextField(_("thesis (English)"), max_length=4000, blank=True)
    thesis_zh = models.TextField(_("thesis (Chinese)"), max_length=4000, blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas"), blank=True)
    modalities = CodeListField(_("modalities"), blank=True)
    round_stages = CodeListField(_("round stages"), blank=True)
    # Where the biotechs it funds are based: sorted ISO country codes (regions are resolved on save).
    geographies = CodeListField(_("geographies"), blank=True)
    instruments = CodeListField(_("instruments"), blank=True)
    ticket_min = models.DecimalField(_("smallest ticket"), null=True, blank=True, **money_field_kwargs)
    ticket_max = models.DecimalField(_("largest ticket"), null=True, blank=True, **money_field_kwargs)
    ticket_currency = models.CharField(_("ticket currency"), max_length=3, choices=Currency.choices,
                                       default=Currency.USD)
    # Individual contact details: only for companies the investor engaged with (VIEW_CONTACT).
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("investor profile")
        verbose_name_plural = _("investor profiles")
        ordering = ["company_id"]

    def __str__(self) -> str:
        return str(self.company)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return my_companies_q(user, "company_id") | (
                Q(company__verification_status=VerificationStatus.VERIFIED)
                & Q(_flag(_IN_VERIFIED_BIOTECH_SQL, user)))
        if action == VIEW_CONTACT:
            return True if user.is_staff else contact_q(user)
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


def contact_q(user: Any) -> Q:
    """Profiles whose contact details `user` may read: their own company's, and those of investors in the book
    of one of their companies' rounds (the investor engaged with them)."""
    engaged = BookEntry.objects.filter(my_companies_q(user, "round__company_id")).values("investor_id")
    return my_companies_q(user, "company_id") | Q(company_id__in=engaged)


class Round(GuardedModel):
    """Money a biotech raises. A public teaser for verified investors, a protected core for admitted ones."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="rounds",
                                verbose_name=_("raising company"))
    status = models.CharField(_("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.DRAFT)

    # Teaser.
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    stage = models.CharField(_("round stage"), max_length=20, choices=RoundStage.choices)
    instrument = models.CharField(_("instrument"), max_length=20, choices=Instrument.choices)
    target_amount = models.DecimalField(_("target amount"), **money_field_kwargs)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    closing_date = models.DateField(_("closing date"), null=True, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=4000, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), max_length=4000, blank=True)
    use_of_proceeds_en = models.TextField(_("use of proceeds (English)"), max_length=4000, blank=True)
    use_of_proceeds_zh = models.TextField(_("use of proceeds (Chinese)"), max_length=4000, blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas"), blank=True)
    modalities = CodeListField(_("modalities"), blank=True)
    # Named publicly by the biotech: the one investor every reader of the teaser learns is in the book.
    lead_investor = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("lead investor (public)"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    # Protected core.
    pre_money_valuation = models.DecimalField(_("pre-money valuation"), null=True, blank=True,
                                              **money_field_kwargs)
    cap_table_summary = models.TextField(_("cap table summary"), max_length=8000, blank=True)
    financial_statements = models.TextField(_("financial statements summary"), max_length=20000, blank=True)
    assets = models.ManyToManyField("catalog.Asset", blank=True, related_name="funding_rounds",
                                    verbose_name=_("assets funded"))

    # Moderation (the raising company and staff).
    status_reason = models.TextField(_("moderation note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    resubmission = models.BooleanField(_("resubmitted after changes"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("financing round")
        verbose_name_plural = _("financing rounds")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="round_created_idx"),
            models.Index(fields=["status", "-created_at"], name="round_status_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(target_amount__gt=0), name="round_target_positive"),
        ]

    def __str__(self) -> str:
        return self.name_en

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (my_companies_q(user, "company_id")
                    | (Q(status__in=LISTED_STATUSES) & Q(_flag(_IN_VERIFIED_INVESTOR_SQL, user)))
                    | Q(pk__in=RawSQL(_MY_BOOK_ROUNDS_SQL, [user.pk])))  # noqa: S611
        if action == VIEW_CONFIDENTIAL:
            return True if user.is_staff else round_core_q(user)
        if action == VIEW_BOOK:
            return True if user.is_staff else my_companies_q(user, "company_id")
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


def round_core_q(user: Any) -> Q:
    """Rounds whose protected core `user` may read (callers first restrict to VIEW): the raising company's, and
    those where one of the user's companies has a book entry at diligence or later."""
    if getattr(user, "is_staff", False):
        return Q(pk__isnull=False)
    return my_companies_q(user, "company_id") | Q(pk__in=RawSQL(_ADMITTED_ROUNDS_SQL, [user.pk]))  # noqa: S611


class BookEntry(GuardedModel):
    """One investor's place in one round: its stage and amounts, private between the biotech and it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="book", verbose_name=_("round"))
    investor = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="book_entries",
                                 verbose_name=_("investor"))
    stage = models.CharField(_("stage"), max_length=12, choices=EntryStage.choices, default=EntryStage.INTERESTED)
    message = models.TextField(_("message"), max_length=4000, blank=True)
    # In the round's currency.
    soft_circled_amount = models.DecimalField(_("soft-circled amount"), null=True, blank=True,
                                              **money_field_kwargs)
    committed_amount = models.DecimalField(_("committed amount"), null=True, blank=True, **money_field_kwargs)
    pass_reason = models.CharField(_("reason for passing"), max_length=20, choices=PassReason.choices, blank=True)
    pass_note = models.TextField(_("note on passing"), max_length=2000, blank=True)
    passed_from = models.CharField(_("passed at stage"), max_length=12, choices=EntryStage.choices, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("expressed by"))
    created_at = models.DateTimeField(_("interest expressed at"), auto_now_add=True)
    stage_changed_at = models.DateTimeField(_("stage changed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("book entry")
        verbose_name_plural = _("book entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "investor"], name="book_entry_one_per_investor"),
            models.CheckConstraint(condition=~Q(stage="passed") | ~Q(pass_reason=""),
                                   name="book_entry_passed_has_reason"),
            models.CheckConstraint(condition=~Q(stage__in=["committed", "closed"]) | Q(committed_amount__gt=0),
                                   name="book_entry_committed_has_amount"),
        ]
        indexes = [models.Index(fields=["investor", "stage"], name="book_entry_investor_idx")]

    def __str__(self) -> str:
        return f"{self.investor} → {self.round}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return my_companies_q(user, "investor_id") | Q(round__company_id__in=company_ids_of(user))
        if action == BIOTECH_SIDE:
            return Q(round__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        if action == INVESTOR_SIDE:
            return Q(investor_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


_BOOK = BookEntry._meta.db_table
# An investor reads the rounds of its book (and the core of those it was admitted to) only while its company is
# verified: a suspended investor loses them on its next request, as it loses every verified company's rights.
_MY_VERIFIED_COMPANIES_SQL = (
    f"SELECT m.company_id FROM {Membership._meta.db_table} m JOIN {Company._meta.db_table} c "  # noqa: S608
    f"ON c.id = m.company_id WHERE m.user_id = %s AND c.verification_status = '{VerificationStatus.VERIFIED}'"
)
_MY_BOOK_ROUNDS_SQL = (
    f"SELECT b.round_id FROM {_BOOK} b WHERE b.investor_id IN ({_MY_VERIFIED_COMPANIES_SQL})"  # noqa: S608
)
_ADMITTED_ROUNDS_SQL = (
    f"SELECT b.round_id FROM {_BOOK} b WHERE b.investor_id IN ({_MY_VERIFIED_COMPANIES_SQL}) "  # noqa: S608
    "AND b.stage IN (" + ", ".join(f"'{stage}'" for stage in ADMITTED_STAGES) + ")"
)
