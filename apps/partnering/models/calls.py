"""Calls for assets, the biotechs' submissions and the calling company's private evaluations."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.catalog.fields import CodeListField
from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, Company, CompanyKind, VerificationStatus, company_ids_of
from apps.core.authz import CHANGE, VIEW, GuardedModel
from apps.core.search import SearchDocumentMixin


def _verified_biotech_member_q_ids(user: Any) -> models.QuerySet:
    from apps.companies.models import Membership

    return Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED,
                                     company__kind=CompanyKind.BIOTECH).values("company_id")


# --- calls for assets ------------------------------------------------------------------------------------------

class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class CallForAssets(SearchDocumentMixin, GuardedModel):
    """What a partner (pharma or investor) is looking for. Moderated like a listing; open calls are read by
    verified biotechs, who answer with one of their published assets."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="calls_for_assets",
                                verbose_name=_("calling company"))
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), max_length=8000, blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas"), blank=True)
    modalities = CodeListField(_("modalities"), blank=True)
    stages = CodeListField(_("stages"), blank=True)
    territories = CodeListField(_("territories sought"), blank=True)
    deal_types = CodeListField(_("deal types"), blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT,
                              db_index=True)
    status_reason = models.TextField(_("moderation note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Search words (apps.core.search); a GIN-indexed tsvector over them on PostgreSQL (migration 0002).
    search_document = models.TextField(blank=True, default="", db_default="", editable=False)
    searched_fields = ("title_en", "title_zh", "description_en", "description_zh")  # SearchDocumentMixin

    class Meta:
        verbose_name = _("call for assets")
        verbose_name_plural = _("calls for assets")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline"], name="call_status_deadline_idx")]

    def __str__(self) -> str:
        return self.title_en or self.title_zh

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        own = Q(company_id__in=company_ids_of(user))
        if action == VIEW:
            if user.is_staff:
                return True
            return own | (Q(status=CallStatus.OPEN) & _exists_q(_verified_biotech_member_q_ids(user)))
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


def _exists_q(subquery: models.QuerySet) -> Q:
    """True for every row when `subquery` has a row (an uncorrelated EXISTS), else for none."""
    return Q(models.Exists(subquery))


class SubmissionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    MORE_INFO = "more_info_requested", _("More information requested")
    ADVANCED = "advanced", _("Advanced")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Too early in development")
    OUTSIDE_FOCUS = "outside_focus", _("Outside our current focus")
    COMPETITIVE_OVERLAP = "competitive_overlap", _("Overlaps with a programme we already have")
    INSUFFICIENT_DATA = "insufficient_data", _("Not enough data yet")
    COMMERCIAL_FIT = "commercial_fit", _("Commercial fit")
    OTHER = "other", _("Other")


class Submission(GuardedModel):
    """A biotech's answer to a call: one of its published assets and a short non-confidential pitch."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(CallForAssets, on_delete=models.CASCADE, related_name="submissions",
                             verbose_name=_("call"))
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="call_submissions",
                              verbose_name=_("asset"))
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="call_submissions",
                                verbose_name=_("answering company"))
    pitch = models.TextField(_("pitch"), max_length=4000)
    status = models.CharField(_("status"), max_length=24, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.RECEIVED, db_index=True)
    decline_reason = models.CharField(_("decline reason"), max_length=24, choices=DeclineReason.choices, blank=True)
    decline_note = models.TextField(_("decline note"), max_length=2000, blank=True)
    info_request = models.TextField(_("information requested"), max_length=2000, blank=True)
    # "Advanced": the partner asked for the asset's data room through the data-room request flow.
    access_request = models.ForeignKey("datarooms.AccessRequest", null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+", verbose_name=_("data-room access request"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["call", "asset"], name="submission_one_per_asset")]

    def __str__(self) -> str:
        return f"{self.asset} → {self.call}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        calling = Q(call__company_id__in=company_ids_of(user))
        answering = Q(company_id__in=company_ids_of(user))
        if action == VIEW:
            if user.is_staff:
                return True
            return calling | answering
        if action == "triage":
            return Q(call__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        if action == "withdraw":
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


# --- private evaluation ----------------------------------------------------------------------------------------

DEFAULT_CRITERIA = (
    ("science", _("Science"), Decimal("0.25")),
    ("ip_position", _("IP position"), Decimal("0.20")),
    ("clinical_data", _("Clinical data"), Decimal("0.25")),
    ("regulatory_path", _("Regulatory path"), Decimal("0.10")),
    ("commercial_fit", _("Commercial fit"), Decimal("0.20")),
)


def _own_company_only(user: Any, action: str, field: str = "company") -> Q | bool:
    """The evaluating company alone: no staff exception, no guardian grants."""
    if action == VIEW:
        return Q(**{f"{field}_id__in": company_ids_of(user)})
    if action == CHANGE:
        return Q(**{f"{field}_id__in": company_ids_of(user, CONTRIBUTING_ROLES)})
    return False


class EvaluationCriterion(GuardedModel):
    """One scoring criterion of a partner company, with its weight (defaults copied on first use)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="evaluation_criteria")
    code = models.SlugField(_("code"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["company_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="criterion_code_unique")]

    def __str__(self) -> str:
        return self.name_en

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return _own_company_only(user, action)


class Evaluation(GuardedModel):
    """A partner team's private evaluation of an asset (or of the asset of a submission)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="evaluations",
                                verbose_name=_("evaluating company"))
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="+", verbose_name=_("asset"))
    submission = models.ForeignKey(Submission, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("submission"))
    note = models.TextField(_("note"), max_length=4000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["company", "asset"], name="evaluation_one_per_asset")]

    def __str__(self) -> str:
        return f"{self.company_id} / {self.asset_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return _own_company_only(user, action)


class EvaluationScore(GuardedModel):
    """One member's score (0–10) and comment on one criterion."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(EvaluationCriterion, on_delete=models.CASCADE, related_name="+")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1,
                                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10"))])
    comment = models.TextField(_("comment"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["evaluation_id", "criterion__position", "scorer_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion", "scorer"],
                                               name="score_one_per_member_and_criterion")]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        return _own_company_only(user, action, "evaluation__company")
