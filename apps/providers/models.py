"""The marketplace of verified service providers: profiles, service requests (RFPs), proposals, engagements.

Who sees what is decided here, once per model (`access_q`), and evaluated in SQL on every request:

* A provider profile is read by members of any verified company once the provider's company is verified
  (its own people see it in any state).
* A service request is read by the requester company's people and by its *audience*: providers invited to it,
  or (for an open request) verified providers whose categories and jurisdictions matched when it was published
  or when they later updated their profile. A provider whose company is no longer verified loses it at once.
* Bidder isolation, as in data-room Q&A: a proposal is read only by its provider and the requester; a question
  only by its provider and the requester, except an answer published "to all bidders", which every member of
  the audience reads without the asker's identity (the serializers never name another bidder).
* An engagement (awarded work) and its milestones are read by the two companies; reviews by everyone in a
  verified company unless staff hid them (then only the two companies and staff).
* Confidential attachments of a request: the requester's people, and invited providers' people who accepted
  the request's current confidentiality terms (version compared in SQL: a new version locks them out again).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.agreements.money import Currency
from apps.catalog.fields import CodeListField
from apps.companies.models import (
    CONTRIBUTING_ROLES,
    MANAGING_ROLES,
    Company,
    Membership,
    VerificationStatus,
    company_ids_of,
    verified_company_ids_of,
)
from apps.core.authz import CHANGE, VIEW, GuardedModel
from apps.core.search import SearchDocumentMixin

from .taxonomy import RecordOutcome, RecordType, ServiceCategory

MANAGE = "manage"  # the requester's side: edit, invite, answer, cancel
DECIDE = "decide"  # award and decline (the requester's owners and admins)
PROPOSE = "propose"  # a provider in the audience submits a proposal
REVISE = "revise"  # the proposal's own provider revises or withdraws it
COMPARE = "compare"  # the requester's side reads all proposals side by side


def _in_verified_company(user: Any) -> Exists:
    return Exists(Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED))


# --- providers -----------------------------------------------------------------------------------------------

COMPANY_NAME_FIELDS = {"company_name_en": "name_en", "company_name_zh": "name_zh"}


def copy_company_names(profile: Any, company: Company) -> None:
    """The profile's copy of its company's names (what the provider list sorts and searches by)."""
    for field, source in COMPANY_NAME_FIELDS.items():
        setattr(profile, field, getattr(company, source) or "")


class ProviderProfile(SearchDocumentMixin, GuardedModel):
    """The bilingual profile of a company of kind `service_provider`. Shown to biotechs only once verified."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="provider_profile",
                                   verbose_name=_("company"))
    headline_en = models.CharField(_("headline (English)"), max_length=200)
    headline_zh = models.CharField(_("headline (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), max_length=8000, blank=True)
    categories = CodeListField(_("service categories"))
    # Where the provider works: sorted ISO country codes (regions resolved by apps.catalog.territories).
    jurisdictions = CodeListField(_("jurisdictions served"))
    agencies = CodeListField(_("agencies served"), blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas of experience"), blank=True)
    modalities = CodeListField(_("modalities of experience"), blank=True)
    languages = CodeListField(_("working languages"), blank=True)
    price_min = models.DecimalField(_("indicative price from"), null=True, blank=True, max_digits=20, decimal_places=2)
    price_max = models.DecimalField(_("indicative price up to"), null=True, blank=True, max_digits=20, decimal_places=2)
    price_currency = models.CharField(_("price currency"), max_length=3, choices=Currency.choices, blank=True)
    # Kept by the review services (hidden reviews excluded): the profile shows average and count cheaply.
    rating_count = models.PositiveIntegerField(_("reviews"), default=0, editable=False)
    rating_sum = models.PositiveIntegerField(default=0, editable=False)
    # Search words of the public profile (apps.core.search: segmented Chinese, Simplified, synonyms), kept by
    # SearchDocumentMixin; on PostgreSQL a generated tsvector with a GIN index (migration 0003).
    search_document = models.TextField(_("search words"), blank=True, default="", db_default="", editable=False)
    searched_fields = ("headline_en", "headline_zh", "description_en", "description_zh")  # public text only
    # The company's names, copied here (apps/providers/receivers.py keeps them): the list sorts by the English name
    # and searches both, so one index on this table serves a page without joining every company (B7).
    company_name_en = models.CharField(_("name (English)"), max_length=200, default="", editable=False)
    company_name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["company_name_en", "id"]
        indexes = [
            models.Index(fields=["updated_at"], name="provider_updated_idx"),
            # The list's cursor orders (apps/providers/api/views/providers.py): a page walks one of these.
            models.Index(fields=["company_name_en", "id"], name="provider_company_name_idx"),
            models.Index(fields=["rating_count", "id"], name="provider_rating_count_idx"),
        ]

    def __str__(self) -> str:
        return self.company.name_en if self.company_id else self.headline_en

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 2) if self.rating_count else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        copy_company_names(self, self.company)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *COMPANY_NAME_FIELDS}
        super().save(*args, **kwargs)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(company_id__in=company_ids_of(user)) | (
                Q(company__verification_status=VerificationStatus.VERIFIED) & Q(_in_verified_company(user)))
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class ProviderRecord(models.Model):
    """An inspection or certification record on a provider's profile (agency, type, date). Read with the
    profile that holds it; written only through the profile services."""

    provider = models.ForeignKey(ProviderProfile, on_delete=models.CASCADE, related_name="records")
    record_type = models.CharField(_("type"), max_length=24, choices=RecordType.choices)
    agency = models.CharField(_("agency or body"), max_length=8)
    outcome = models.CharField(_("outcome"), max_length=12, choices=RecordOutcome.choices,
                               default=RecordOutcome.PASSED)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("inspection or certification record")
        verbose_name_plural = _("inspection and certification records")
        ordering = ["provider_id", "-date", "id"]

    def __str__(self) -> str:
        return f"{self.agency} {self.get_record_type_display()} {self.date}"


# --- service requests ----------------------------------------------------------------------------------------


class RequestVisibility(models.TextChoices):
    INVITED = "invited", _("Invited providers only")
    OPEN = "open", _("Every verified provider that matches")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open for proposals")
    AWARDED = "awarded", _("Awarded")
    CANCELLED = "cancelled", _("Cancelled")


class ServiceRequest(GuardedModel):
    """What a biotech needs abroad (an RFP): category, where, scope, timeline, budget, deadline for proposals."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="service_requests",
                                verbose_name=_("requester"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("service category"), max_length=32, choices=ServiceCategory.choices)
    jurisdictions = CodeListField(_("jurisdictions"))
    scope_en = models.TextField(_("scope (English)"), max_length=8000)
    scope_zh = models.TextField(_("scope (Chinese)"), max_length=8000, blank=True)
    timeline = models.CharField(_("timeline"), max_length=400, blank=True)
    budget_min = models.DecimalField(_("budget from"), null=True, blank=True, max_digits=20, decimal_places=2)
    budget_max = models.DecimalField(_("budget up to"), null=True, blank=True, max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    deadline = models.DateTimeField(_("deadline for proposals"))
    asset = models.ForeignKey("catalog.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("asset"))
    visibility = models.CharField(_("visibility"), max_length=8, choices=RequestVisibility.choices,
                                  default=RequestVisibility.INVITED)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN,
                              db_index=True)
    # Confidentiality terms for the attachments; 0 = none. Each change is a new version to accept.
    terms_en = models.TextField(_("confidentiality terms (English)"), max_length=50_000, blank=True)
    terms_zh = models.TextField(_("confidentiality terms (Chinese)"), max_length=50_000, blank=True)
    terms_version = models.PositiveIntegerField(_("terms version"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user))
            return Q(company_id__in=company_ids_of(user)) | Q(pk__in=audience.values("request_id"))
        if action == COMPARE:  # the requester's whole team reads the comparison; staff read everything
            return True if user.is_staff else Q(company_id__in=company_ids_of(user))
        if action in (CHANGE, MANAGE):
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        if action == DECIDE:
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        if action == PROPOSE:
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user, CONTRIBUTING_ROLES))
            return Q(pk__in=audience.values("request_id"))
        return False


class AudienceSource(models.TextChoices):
    INVITED = "invited", _("Invited")
    MATCHED = "matched", _("Matched")


class RequestAudience(models.Model):
    """A provider company that may read (and answer) a request: invited, or matched by category and jurisdiction.

    Rows, not a live JSON match, so visibility is one indexed subquery and the people notified are exactly the
    people who see it."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="audience")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, choices=AudienceSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "company"], name="request_audience_once")]
        indexes = [models.Index(fields=["company", "request"], name="request_audience_company_idx")]

    def __str__(self) -> str:
        return f"{self.company_id} @ request {self.request_id} ({self.source})"


class RequestTermsAcceptance(models.Model):
    """Who accepted which version of a request's confidentiality terms, for which company, when, from where
    (the data rooms' CDA acceptance, for a request)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="terms_acceptances")
    version = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    company = models.ForeignKey(Company, null=True, on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "version", "user"], name="request_terms_once")]

    def __str__(self) -> str:
        return f"{self.user_id} accepted terms v{self.version} of request {self.request_id}"


class RequestAttachment(GuardedModel):
    """A confidential file of a request, stored privately; handed out only through the API."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("name"), max_length=255)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    kind = models.CharField(_("detected type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.BigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("request attachment")
        verbose_name_plural = _("request attachments")
        ordering = ["request_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            invited = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user),
                                                     source=AudienceSource.INVITED)
            accepted = RequestTermsAcceptance.objects.filter(request_id=OuterRef("request_id"), user=user,
                                                             version=OuterRef("request__terms_version"))
            return Q(request__company_id__in=company_ids_of(user)) | (
                Q(request_id__in=invited.values("request_id")) & Q(Exists(accepted)))
        if action == "delete":
            return Q(request__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


# --- proposals -----------------------------------------------------------------------------------------------


class PricingModel(models.TextChoices):
    FIXED = "fixed", _("Fixed price")
    TIME_AND_MATERIALS = "time_and_materials", _("Time and materials")


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    DECLINED = "declined", _("Declined")


class DeclineReason(models.TextChoices):
    PRICE = "price", _("Price")
    TIMELINE = "timeline", _("Timeline")
    CAPABILITY = "capability", _("Capability")
    SCOPE = "scope", _("Scope")
    OTHER = "other", _("Other")


class Proposal(GuardedModel):
    """One provider's priced answer to a request. Its content is its versions; the latest is current."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="proposals")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.SUBMITTED, db_index=True)
    current_version = models.ForeignKey("ProposalVersion", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    decline_reason = models.CharField(_("reason for declining"), max_length=12, choices=DeclineReason.choices,
                                      blank=True)
    decline_note = models.TextField(_("note"), max_length=2000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "company"], name="proposal_one_per_provider")]

    def __str__(self) -> str:
        return f"proposal {self.pk} to request {self.request_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(request__company_id__in=company_ids_of(user)) | Q(company_id__in=company_ids_of(user))
        if action == REVISE:
            return Q(company_id__in=verified_company_ids_of(user, CONTRIBUTING_ROLES))
        if action == DECIDE:
            return Q(request__company_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class ProposalVersion(GuardedModel):
    """One immutable submission of a proposal's terms: price, payment milestones, timeline, team, assumptions."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    pricing_model = models.CharField(_("pricing"), max_length=20, choices=PricingModel.choices)
    amount = models.DecimalField(_("price"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    # [{"title": str, "amount": "decimal string", "due": str}], amounts in the proposal's currency.
    milestones = models.JSONField(_("payment milestones"), default=list, blank=True)
    timeline = models.CharField(_("timeline"), max_length=1000)
    team = models.TextField(_("team"), max_length=4000, blank=True)
    assumptions = models.TextField(_("assumptions"), max_length=8000, blank=True)
    note = models.CharField(_("what changed"), max_length=400, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal version")
        verbose_name_plural = _("proposal versions")
        ordering = ["proposal_id", "number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")]

    def __str__(self) -> str:
        return f"proposal {self.proposal_id} v{self.number}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (Q(proposal__request__company_id__in=company_ids_of(user))
                    | Q(proposal__company_id__in=company_ids_of(user)))
        return False


class RequestQuestion(GuardedModel):
    """A provider's clarification question on a request. Private to its provider and the requester, unless the
    answer is published to all bidders (then read by the whole audience, never with the asker's identity)."""

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="questions")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"), max_length=4000)
    answer = models.TextField(_("answer"), max_length=8000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("published to all bidders"), default=False)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("clarification question")
        verbose_name_plural = _("clarification questions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            audience = RequestAudience.objects.filter(company_id__in=verified_company_ids_of(user))
            return (Q(request__company_id__in=company_ids_of(user)) | Q(company_id__in=company_ids_of(user))
                    | Q(published=True, request_id__in=audience.values("request_id")))
        if action == "answer":
            return Q(request__company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


# --- engagements ---------------------------------------------------------------------------------------------


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Engagement(GuardedModel):
    """The awarded work: scope, price, payment milestones and (optionally) a data-room grant for the provider."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(ServiceRequest, on_delete=models.PROTECT, related_name="engagements")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="engagement")
    requester = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("requester"))
    provider = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("provider"))
    scope = models.TextField(_("scope"), max_length=8000)
    amount = models.DecimalField(_("price"), max_digits=20, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    status = models.CharField(_("status"), max_length=10, choices=EngagementStatus.choices,
                              default=EngagementStatus.ACTIVE, db_index=True)
    grant = models.ForeignKey("datarooms.AccessGrant", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("data-room grant"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("awarded at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"engagement {self.pk}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return Q(requester_id__in=company_ids_of(user)) | Q(provider_id__in=company_ids_of(user))
        if action in (MANAGE, CHANGE):
            return Q(requester_id__in=company_ids_of(user, MANAGING_ROLES))
        return False


class MilestoneStatus(models.TextChoices):
    # A context of their own: "Delivered" elsewhere means an e-mail was delivered.
    PLANNED = "planned", pgettext_lazy("engagement milestone", "Planned")
    DELIVERED = "delivered", pgettext_lazy("engagement milestone", "Delivered")
    ACCEPTED = "accepted", pgettext_lazy("engagement milestone", "Accepted")
    INVOICED = "invoiced", pgettext_lazy("engagement milestone", "Invoiced")
    PAID = "paid", pgettext_lazy("engagement milestone", "Paid")


class EngagementMilestone(GuardedModel):
    """A payment milestone of an engagement: delivered (provider) → accepted (requester) → invoiced (provider)
    → paid (requester)."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount"), max_digits=20, decimal_places=2)
    due = models.CharField(_("due"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PLANNED)
    delivered_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    invoiced_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("engagement milestone")
        verbose_name_plural = _("engagement milestones")
        ordering = ["engagement_id", "position"]
        constraints = [models.UniqueConstraint(fields=["engagement", "position"], name="engagement_milestone_pos")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (Q(engagement__requester_id__in=company_ids_of(user))
                    | Q(engagement__provider_id__in=company_ids_of(user)))
        return False


class Review(GuardedModel):
    """One side's review of the other after a completed engagement (1-5 and text), once per side."""

    engagement = models.ForeignKey(Engagement, on_delete=models.PROTECT, related_name="reviews")
    author_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"))
    text = models.TextField(_("review"), max_length=4000, blank=True)
    hidden = models.BooleanField(_("hidden by staff"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), max_length=2000, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "author_company"], name="review_once_per_side"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="review_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 on engagement {self.engagement_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            return (Q(author_company_id__in=company_ids_of(user)) | Q(subject_company_id__in=company_ids_of(user))
                    | (Q(hidden=False) & Q(_in_verified_company(user))))
        return False
