"""Deal intelligence: announced deal records, platform deals contributed by consenting parties, market figures
published by others, and the phase-transition probabilities rNPV uses.

Two kinds of deal record share one table:

* **public**: an announced deal, curated by staff, with its source URL and the date it was read. Public records
  carry real company names (the one place on the platform that does) and are readable one by one.
* **platform**: a deal executed on GPC whose parties all consented to contribute it to statistics. A platform
  record is readable one by one only by members of its parties; everybody else meets it only inside
  aggregates of at least K_ANONYMITY deals (apps/intelligence/selectors.py explains how differencing is denied).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, ExtractYear
from django.utils.translation import gettext_lazy as _

from apps.agreements.money import Currency
from apps.catalog.models import STAGE_RANK, DealType, Modality, Stage, TherapeuticArea
from apps.catalog.territories import REGIONS
from apps.companies.models import Company, verified_company_ids_of
from apps.core.authz import CHANGE, DELETE, VIEW, GuardedModel
from apps.core.countries import COUNTRY_CODES

# The smallest group of platform deals any non-party may see a figure about.
K_ANONYMITY = 5



def _amount(label: Any) -> Any:
    """An optional exact amount (empty when not disclosed)."""
    return models.DecimalField(label, max_digits=20, decimal_places=2, null=True, blank=True)


def _percent(label: Any) -> Any:
    return models.DecimalField(label, max_digits=7, decimal_places=4, null=True, blank=True,
                               validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])

TERRITORY_CHOICES = [(code, region.name_en) for code, region in REGIONS.items()] + [("other", "Other")]


def validate_country(value: str) -> None:
    if value and value not in COUNTRY_CODES:
        raise ValidationError(_("Not an ISO 3166-1 alpha-2 country code."), code="country")


class DealSource(models.TextChoices):
    PUBLIC = "public", _("Publicly announced")
    PLATFORM = "platform", _("Executed on the platform (contributed)")


def verified_reader_q(user: Any) -> bool:
    return user.is_staff or verified_company_ids_of(user).exists()


class DealRecord(GuardedModel):
    """One licensing deal with its terms. Amounts are in `currency`; `*_usd` are derived with the agreements
    app's dated exchange rate on the announcement date (`usd_rate`, `usd_rate_date`; empty when no rate)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A stable key for imports: re-importing the same row updates (or skips) this record, never duplicates it.
    reference = models.SlugField(_("reference"), max_length=120, unique=True)
    source_kind = models.CharField(_("kind"), max_length=10, choices=DealSource.choices, default=DealSource.PUBLIC,
                                   db_index=True)
    announced_on = models.DateField(_("announced on"))
    licensor_name_en = models.CharField(_("licensor (English)"), max_length=200)
    licensor_name_zh = models.CharField(_("licensor (Chinese)"), max_length=200, blank=True)
    licensor_country = models.CharField(_("licensor country"), max_length=2, validators=[validate_country])
    licensor_company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("licensor on the platform"))
    licensee_name_en = models.CharField(_("licensee (English)"), max_length=200)
    licensee_name_zh = models.CharField(_("licensee (Chinese)"), max_length=200, blank=True)
    licensee_country = models.CharField(_("licensee country"), max_length=2, validators=[validate_country])
    licensee_company = models.ForeignKey(Company, null=True, blank=True, on_delete=models.SET_NULL,
                                         related_name="+", verbose_name=_("licensee on the platform"))
    asset_name = models.CharField(_("asset"), max_length=200)
    modality = models.CharField(_("modality"), max_length=32, choices=Modality.choices)
    therapeutic_area = models.CharField(_("therapeutic area"), max_length=32, choices=TherapeuticArea.choices)
    # Blank when the announcement does not say (never guessed); then the deal is no stage comparable.
    stage = models.CharField(_("stage at signing"), max_length=20, choices=Stage.choices, blank=True)
    stage_rank = models.PositiveSmallIntegerField(_("stage rank"), null=True, blank=True, editable=False)
    deal_type = models.CharField(_("deal type"), max_length=32, choices=DealType.choices)
    territory = models.CharField(_("territory"), max_length=40, choices=TERRITORY_CHOICES)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    upfront = _amount(_("upfront"))
    equity = _amount(_("equity investment"))
    near_term = _amount(_("near-term payments"))
    milestones_total = _amount(_("total milestones"))
    # Total deal value = upfront + all milestones, as headlines quote it; entered as disclosed.
    total_value = _amount(_("total deal value"))
    royalty_description = models.CharField(_("royalties"), max_length=300, blank=True)
    royalty_low = _percent(_("lowest royalty tier (%)"))
    royalty_high = _percent(_("highest royalty tier (%)"))
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    source_read_on = models.DateField(_("source read on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    # Derived in USD (see reprice()).
    upfront_usd = _amount(_("upfront (USD)"))
    total_value_usd = _amount(_("total deal value (USD)"))
    usd_rate = models.DecimalField(_("USD per unit"), max_digits=18, decimal_places=8, null=True, blank=True)
    usd_rate_date = models.DateField(_("rate date"), null=True, blank=True)
    # Stored by the database from the columns above (they cannot drift), for the analytics: the year to group by,
    # and the USD amounts as double precision, which PostgreSQL sorts several times faster than numeric when it
    # computes quartiles (percentile_cont answers in double precision either way). See deal_analytics_idx below.
    announced_year = models.GeneratedField(expression=ExtractYear("announced_on"),
                                           output_field=models.SmallIntegerField(), db_persist=True)
    upfront_usd_float = models.GeneratedField(expression=Cast("upfront_usd", models.FloatField()),
                                              output_field=models.FloatField(), db_persist=True)
    total_value_usd_float = models.GeneratedField(expression=Cast("total_value_usd", models.FloatField()),
                                                  output_field=models.FloatField(), db_persist=True)
    # Platform deals only.
    agreement = models.OneToOneField("agreements.Agreement", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="deal_record", verbose_name=_("agreement"))
    # Platform deals enter statistics in batches of at least K_ANONYMITY (selectors: "released").
    released_at = models.DateTimeField(_("released to statistics at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deal record")
        verbose_name_plural = _("deal records")
        ordering = ["-announced_on", "-id"]
        indexes = [
            models.Index(fields=["source_kind", "announced_on"], name="deal_kind_announced_idx"),
            models.Index(fields=["modality", "therapeutic_area", "stage_rank"], name="deal_comparable_idx"),
            # The analytics breakdown by year (and area): read in group order from this index alone (no sort of the
            # rows, no visit to the table), with every column the statistics read. `agreement` is included because
            # the readers' rule (access_q) mentions it for platform records.
            models.Index(fields=["source_kind", "announced_year", "therapeutic_area"], name="deal_analytics_idx",
                         include=["currency", "upfront", "total_value", "upfront_usd", "total_value_usd",
                                  "upfront_usd_float", "total_value_usd_float", "agreement"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(source_kind="platform") | (~Q(source_url="") & Q(source_read_on__isnull=False)),
                name="deal_public_has_source"),
            models.CheckConstraint(condition=Q(source_kind="public") | Q(agreement__isnull=False),
                                   name="deal_platform_has_agreement"),
        ]

    def __str__(self) -> str:
        return f"{self.licensor_name_en} → {self.licensee_name_en}: {self.asset_name}"

    @property
    def is_platform(self) -> bool:
        return self.source_kind == DealSource.PLATFORM

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.source_kind == DealSource.PUBLIC:
            if not self.source_url:
                errors["source_url"] = _("A public deal needs the URL of its source.")
            if not self.source_read_on:
                errors["source_read_on"] = _("Say when the source was read.")
        if (self.royalty_low is not None and self.royalty_high is not None
                and self.royalty_low > self.royalty_high):
            errors["royalty_high"] = _("The highest tier cannot be below the lowest.")
        if (self.total_value is not None and self.upfront is not None and self.total_value < self.upfront):
            errors["total_value"] = _("The total deal value includes the upfront, so it cannot be smaller.")
        for name in ("upfront", "equity", "near_term", "milestones_total", "total_value"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("Amounts cannot be negative.")
        if errors:
            raise ValidationError(errors)

    def reprice(self) -> None:
        """USD figures with the latest rate valid on the announcement date (the agreements app's rates)."""
        from apps.agreements.money import Money
        from apps.agreements.selectors import exchange_rate

        rate: Decimal | None
        rate_date: Any
        if self.currency == Currency.USD:
            rate, rate_date = Decimal(1), None
        else:
            found = exchange_rate(self.currency, self.announced_on)
            rate, rate_date = (found.usd_per_unit, found.valid_on) if found else (None, None)
        self.usd_rate, self.usd_rate_date = rate, rate_date
        for name in ("upfront", "total_value"):
            value = getattr(self, name)
            converted: Decimal | None = None
            if value is not None and rate is not None:
                converted = Money(Decimal(value), self.currency).convert(rate, Currency.USD).amount
            setattr(self, f"{name}_usd", converted)

    def derive(self) -> None:
        """Fields that follow from others: the stage's rank, and the total deal value (upfront + all milestones)
        when the announcement gave those two but no total."""
        self.stage_rank = STAGE_RANK.get(self.stage) if self.stage else None
        if self.total_value is None and self.upfront is not None and self.milestones_total is not None:
            self.total_value = self.upfront + self.milestones_total

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive()
        self.reprice()
        kwargs.pop("update_fields", None)  # derived fields must always be written with what they derive from
        super().save(*args, **kwargs)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        """Public records: staff and members of verified companies read; staff curate. Platform records one by
        one: only members of the parties to the agreement (never staff, never anyone else)."""
        from apps.agreements.models import Agreement

        public = Q(source_kind=DealSource.PUBLIC)
        if action == VIEW:
            rule = Q(pk__in=[])
            if verified_reader_q(user):
                rule = public
            if not user.is_staff:
                # For everyone but staff, the agreements app's own view rule is "party to it" (executed agreements
                # are never drafts). Staff read every agreement, but are no party, so they are left out here.
                rule |= Q(source_kind=DealSource.PLATFORM,
                          agreement__in=Agreement.objects.for_user(user, VIEW).values("pk"))
            return rule
        if action in (CHANGE, DELETE):
            return public if user.is_staff else False
        return False


class ContributionConsent(models.Model):
    """One party company's consent to contribute an executed agreement to statistics."""

    agreement = models.ForeignKey("agreements.Agreement", on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("consented at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution consent")
        verbose_name_plural = _("contribution consents")
        constraints = [models.UniqueConstraint(fields=["agreement", "company"], name="consent_once_per_party")]

    def __str__(self) -> str:
        return f"{self.company} consents ({self.agreement_id})"


class MarketMetric(models.TextChoices):
    TOTAL_DEAL_VALUE = "total_deal_value", _("Total deal value")
    UPFRONT_TOTAL = "upfront_total", _("Upfront payments")
    DEAL_COUNT = "deal_count", _("Number of deals")


class MarketFigure(GuardedModel):
    """An aggregate published by someone else (e.g. PharmCube as reported in the press), kept apart from figures
    computed from records and never shown without its source."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    metric = models.CharField(_("figure"), max_length=32, choices=MarketMetric.choices)
    period_label = models.CharField(_("period"), max_length=60)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    scope_en = models.CharField(_("scope (English)"), max_length=300)
    scope_zh = models.CharField(_("scope (Chinese)"), max_length=300, blank=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source URL"), max_length=500)
    as_of = models.DateField(_("as of"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("market figure")
        verbose_name_plural = _("market figures")
        ordering = ["-period_end", "metric"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="market_figure_not_negative"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="market_figure_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()} {self.period_label}: {self.value} {self.currency}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.metric == MarketMetric.DEAL_COUNT and self.currency:
            errors["currency"] = _("A count has no currency.")
        if self.metric != MarketMetric.DEAL_COUNT and not self.currency:
            errors["currency"] = _("An amount needs its currency.")
        # Said here with the field at fault, rather than as the check constraint's generic message.
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return verified_reader_q(user)
        if action in (CHANGE, DELETE):
            return bool(user.is_staff)
        return False


class PhaseTransition(GuardedModel):
    """The probability that a drug in `phase` moves on to the next one, for one therapeutic area (blank: all
    areas). Defaults: BIO, Informa Pharma Intelligence and QLS, "Clinical Development Success Rates 2011-2020"
    (February 2021); staff may edit them, and every valuation may override them."""

    phase = models.CharField(_("phase"), max_length=20, choices=Stage.choices)
    therapeutic_area = models.CharField(_("therapeutic area"), max_length=32, choices=TherapeuticArea.choices,
                                        blank=True)
    probability = models.DecimalField(_("probability of moving on"), max_digits=5, decimal_places=4,
                                      validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    source = models.CharField(_("source"), max_length=300)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("phase-transition probability")
        verbose_name_plural = _("phase-transition probabilities")
        ordering = ["therapeutic_area", "phase"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "therapeutic_area"], name="phase_transition_unique"),
            models.CheckConstraint(condition=Q(probability__gte=0) & Q(probability__lte=1),
                                   name="phase_transition_probability"),
        ]

    def __str__(self) -> str:
        return f"{self.phase} {self.therapeutic_area or '*'}: {self.probability}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return verified_reader_q(user)
        if action == CHANGE:
            return bool(user.is_staff)
        return False


class DealImport(GuardedModel):
    """One uploaded CSV or XLSX file: previewed (nothing written) and, once staff confirm, imported."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        IMPORTED = "imported", _("Imported")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200)
    file_format = models.CharField(_("format"), max_length=4)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    preview = models.JSONField(_("preview"), default=dict)
    result = models.JSONField(_("result"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("deal import")
        verbose_name_plural = _("deal imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return bool(user.is_staff) if action in (VIEW, CHANGE) else False
