import uuid
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, models
from django.db.models import BooleanField, F, Lookup, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.catalog.fields import CodeListField
from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership, VerificationStatus, company_ids_of
from apps.core.authz import CHANGE, VIEW, GuardedModel, access_condition, is_active_user

# The asset's confidential core (everything beyond the teaser) is its own action, grantable per company.
VIEW_CONFIDENTIAL = "view_confidential"


class Modality(models.TextChoices):
    SMALL_MOLECULE = "small_molecule", _("Small molecule")
    MONOCLONAL_ANTIBODY = "monoclonal_antibody", _("Monoclonal antibody")
    BISPECIFIC_ANTIBODY = "bispecific_antibody", _("Bispecific antibody")
    ADC = "adc", _("Antibody-drug conjugate")
    FUSION_PROTEIN = "fusion_protein", _("Fusion protein")
    PEPTIDE = "peptide", _("Peptide")
    CELL_THERAPY = "cell_therapy", _("Cell therapy")
    GENE_THERAPY = "gene_therapy", _("Gene therapy")
    RNA_THERAPY = "rna_therapy", _("RNA therapy")
    VACCINE = "vaccine", _("Vaccine")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    """Ordered: the position in this list is the stage's rank (stage ranges compare ranks)."""

    DISCOVERY = "discovery", _("Discovery")
    PRECLINICAL = "preclinical", _("Preclinical")
    IND_ENABLING = "ind_enabling", _("IND-enabling")
    PHASE_1 = "phase_1", _("Phase 1")
    PHASE_1B_2 = "phase_1b_2", _("Phase 1b/2")
    PHASE_2 = "phase_2", _("Phase 2")
    PHASE_3 = "phase_3", _("Phase 3")
    FILED = "filed", _("Filed (NDA/BLA)")
    APPROVED = "approved", _("Approved")


STAGE_RANK = {value: rank for rank, value in enumerate(Stage.values)}


class DealType(models.TextChoices):
    EXCLUSIVE_LICENSE = "exclusive_license", _("Exclusive licence")
    NON_EXCLUSIVE_LICENSE = "non_exclusive_license", _("Non-exclusive licence")
    CO_DEVELOPMENT = "co_development", _("Co-development and co-commercialisation")
    OPTION = "option", _("Option to license")
    ACQUISITION = "acquisition", _("Asset acquisition")
    NEWCO = "newco", _("NewCo")


class TherapeuticArea(models.TextChoices):
    ONCOLOGY = "oncology", _("Oncology")
    IMMUNOLOGY = "immunology", _("Immunology and autoimmune disease")
    METABOLIC = "metabolic", _("Metabolic disease (diabetes, obesity)")
    CARDIOVASCULAR = "cardiovascular", _("Cardiovascular")
    NEUROLOGY = "neurology", _("Neurology")
    PSYCHIATRY = "psychiatry", _("Psychiatry")
    INFECTIOUS_DISEASE = "infectious_disease", _("Infectious disease")
    RARE_DISEASE = "rare_disease", _("Rare disease")
    OPHTHALMOLOGY = "ophthalmology", _("Ophthalmology")
    RESPIRATORY = "respiratory", _("Respiratory")
    DERMATOLOGY = "dermatology", _("Dermatology")
    HEMATOLOGY = "hematology", _("Hematology")
    NEPHROLOGY = "nephrology", _("Nephrology")
    HEPATOLOGY = "hepatology", _("Hepatology")
    WOMENS_HEALTH = "womens_health", _("Women's health")
    OTHER = "other", _("Other")


class AssetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Asset(GuardedModel):
    """One drug candidate offered for partnering. The teaser is public to verified companies once
    published; the confidential core only to the owner company and companies granted access."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner_company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="assets",
                                      verbose_name=_("owner company"))
    code_name = models.CharField(_("code name"), max_length=40)
    inn = models.CharField(_("INN"), max_length=120, blank=True)
    modality = models.CharField(_("modality"), max_length=32, choices=Modality.choices)
    stage = models.CharField(_("highest development stage"), max_length=20, choices=Stage.choices)
    status = models.CharField(_("status"), max_length=20, choices=AssetStatus.choices, default=AssetStatus.DRAFT,
                              db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Teaser: readable by every verified company once published (TEASER_FIELDS below).
    summary_en = models.TextField(_("summary (English)"), max_length=4000, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), max_length=4000, blank=True)
    therapeutic_areas = CodeListField(_("therapeutic areas"), blank=True)
    deal_types = CodeListField(_("deal types sought"), blank=True)
    # Where rights are available: sorted ISO country codes (apps.catalog.territories resolves regions).
    territories = CodeListField(_("territories available"), blank=True)
    # The stage's position in Stage, kept by save(): ordering by stage and range filters use it.
    stage_rank = models.PositiveSmallIntegerField(_("stage rank"), default=0, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Search words of the teaser (apps.core.search.search_document: segmented Chinese, Simplified, synonyms),
    # kept by save(); on PostgreSQL a generated tsvector column over it carries a GIN index (migration 0006).
    search_document = models.TextField(_("search words"), blank=True, default="", db_default="", editable=False)
    # The Chinese summary in Simplified characters (OpenCC), lower case: its trigram index (migration 0007) finds
    # a Simplified phrase in a Traditional listing and the reverse.
    search_zh = models.TextField(_("Chinese summary, simplified"), blank=True, default="", db_default="",
                                 editable=False)

    # Confidential core: the owner company, companies granted view_confidential, and staff.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=20000, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), max_length=20000, blank=True)
    targets = CodeListField(_("targets"), blank=True)
    mechanism = models.TextField(_("mechanism of action"), max_length=2000, blank=True)
    indications = CodeListField(_("indications"), blank=True)

    # Moderation (owner and staff only).
    status_reason = models.TextField(_("moderation note"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    resubmission = models.BooleanField(_("resubmitted after changes"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    guardian_actions = (VIEW_CONFIDENTIAL,)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-created_at"]
        permissions = [("view_confidential_asset", _("Can see the asset's confidential core"))]
        constraints = [
            models.UniqueConstraint(fields=["owner_company", "code_name"], name="asset_code_name_unique_per_owner"),
        ]
        # GIN indexes (JSON lists, full-text, trigram) are PostgreSQL-only: see migration 0004.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="asset_created_idx"),
            models.Index(fields=["status", "-created_at"], name="asset_status_created_idx"),
            models.Index(fields=["stage_rank"], name="asset_stage_rank_idx"),
            models.Index(fields=["modality"], name="asset_modality_idx"),
        ]

    def __str__(self) -> str:
        return self.code_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.stage_rank = STAGE_RANK.get(self.stage, 0)
        self.search_document = teaser_search_document(self)
        self.search_zh = normalized_zh(self.summary_zh)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "stage" in update_fields:
            kwargs["update_fields"] = {*update_fields, "stage_rank"}
        if update_fields is not None and set(update_fields) & set(SEARCHED_FIELDS):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_document", "search_zh"}
        super().save(*args, **kwargs)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        # Raw, uncorrelated subqueries on the left-hand columns: the same rule as company_ids_of() and an
        # Exists() on verified memberships, but cheap to build and compile on every list request (B1), and
        # alias-safe when this queryset is itself used as a subquery.
        if action == VIEW:
            branches = cls.view_branches(user)
            return True if branches is None else reduce(or_, branches)
        if action == VIEW_CONFIDENTIAL:
            # Grants (guardian, per company group or person) are added by GuardedQuerySet.for_user.
            return True if user.is_staff else owner_q(user)
        if action in (CHANGE, "delete"):
            return Q(owner_company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False

    @classmethod
    def view_branches(cls, user: Any, *, indexable: bool = False) -> "ViewBranches | None":
        """The teaser rule (VIEW) as the branches `access_q` ORs together (None: every row, staff). A caller may
        AND its own condition into each branch and OR the results: the catalog search does, so that PostgreSQL
        serves each branch from an index of its own and never fetches a match the reader may not see. The
        same rule, not a copy: the branches' union is the rule (tests/catalog/test_search_visibility.py).
        `indexable`: the own branch spelled as an index condition (owner_q), for such an OR of branches."""
        if not is_active_user(user):
            return ViewBranches(own=Q(pk__in=[]), published=Q(pk__in=[]))
        if user.is_staff:
            return None
        in_verified_company = RawSQL(_IN_VERIFIED_COMPANY_SQL, [user.pk], output_field=BooleanField())  # noqa: S611
        return ViewBranches(own=owner_q(user, indexable=indexable),
                            published=Q(status=AssetStatus.PUBLISHED) & Q(in_verified_company))


class ViewBranches(NamedTuple):
    """Who sees an asset's teaser, branch by branch."""

    own: Q  # the assets of the reader's own companies, in any status (the owner-company index)
    published: Q  # published assets, for a member of a verified company (partial indexes on published rows)


# The teaser fields search reads (never the confidential core).
SEARCHED_FIELDS = ("code_name", "summary_en", "summary_zh")


def teaser_search_document(asset: Asset) -> str:
    from apps.core.search import search_document

    return search_document(*(getattr(asset, name) or "" for name in SEARCHED_FIELDS))


def normalized_zh(text: str) -> str:
    from apps.core.search import normalize

    return normalize(text or "")


class AssetUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Asset, on_delete=models.CASCADE)


class AssetGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Asset, on_delete=models.CASCADE)


# What every verified company may read once the asset is published; everything else is the core.
TEASER_FIELDS = (
    "public_id", "code_name", "modality", "stage", "therapeutic_areas", "territories", "deal_types",
    "summary_en", "summary_zh", "status", "published_at",
)


def confidential_q(user: Any, *, per_row: bool = False) -> Q:
    """Rows whose confidential core `user` may read (staff: every row), as a condition on the rows at hand (a
    per-row flag in lists). Callers first restrict to VIEW. It is the rule of
    `Asset.objects.for_user(user, "view_confidential")` itself (access_condition): own company, or a guardian grant
    to the person or one of their groups (apps/core/authz.py guardian_grant_q: one hashed set of the reader's
    grants, or with `per_row=True` one index probe per row, for a flag on the rows of a page)."""
    condition = access_condition(Asset, user, VIEW_CONFIDENTIAL, per_row=per_row)
    return Q(pk__isnull=False) if condition is True else condition


def owner_q(user: Any, *, indexable: bool = False) -> Q:
    """Rows owned by one of `user`'s companies: `owner_company_id IN (<their companies>)`. `indexable` (PostgreSQL):
    `owner_company_id = ANY(ARRAY(<their companies>))`, the same companies read once, but unlike `IN (subquery)`
    inside an OR an index condition, so the own branch of an OR of branches is read from the owner-company
    index (the catalog search). The plain rule keeps `IN`: the lists' plans (B1) are tuned to it."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    companies = RawSQL(_MY_COMPANIES_SQL, [user.pk])  # noqa: S611
    if indexable and connection.vendor == "postgresql":
        return Q(_AnyOf(F("owner_company_id"), companies))
    return Q(owner_company_id__in=companies)


class _AnyOf(Lookup):
    """`lhs = ANY(ARRAY(<subquery>))` (PostgreSQL): the subquery runs once, and the comparison can be an index
    condition wherever it stands in the WHERE clause."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


# Constant SQL (table names from the models' metadata); the user id always travels as a parameter.
_MY_COMPANIES_SQL = f"SELECT m.company_id FROM {Membership._meta.db_table} m WHERE m.user_id = %s"  # noqa: S608
_IN_VERIFIED_COMPANY_SQL = (
    f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} m JOIN {Company._meta.db_table} c "  # noqa: S608
    f"ON c.id = m.company_id WHERE m.user_id = %s AND c.verification_status = '{VerificationStatus.VERIFIED}')"
)


def _asset_confidential_q(user: Any, prefix: str = "asset") -> Q:
    """For child rows of an asset: visible when the parent asset's core is."""
    return Q(**{f"{prefix}__in": Asset.objects.for_user(user, VIEW_CONFIDENTIAL).values("pk")})


def _asset_change_q(user: Any) -> Q:
    return Q(asset__owner_company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))


class Agency(models.TextChoices):
    NMPA = "NMPA", _("NMPA (China)")
    FDA = "FDA", _("FDA (United States)")
    EMA = "EMA", _("EMA (European Union)")
    PMDA = "PMDA", _("PMDA (Japan)")
    MHRA = "MHRA", _("MHRA (United Kingdom)")
    OTHER = "other", _("Other agency")


class RegulatoryEventType(models.TextChoices):
    IND_CLEARED = "ind_cleared", _("IND/CTA cleared")
    DESIGNATION = "designation", _("Designation granted")
    SUBMITTED = "submitted", _("NDA/BLA submitted")
    APPROVED = "approved", _("Approved")


class Designation(models.TextChoices):
    BREAKTHROUGH_THERAPY = "breakthrough_therapy", _("Breakthrough therapy")
    FAST_TRACK = "fast_track", _("Fast track")
    ORPHAN_DRUG = "orphan_drug", _("Orphan drug")
    PRIORITY_REVIEW = "priority_review", _("Priority review")
    PRIME = "prime", _("PRIME")
    CONDITIONAL_APPROVAL = "conditional_approval", _("Conditional approval")
    OTHER = "other", _("Other designation")


class RegulatoryEvent(GuardedModel):
    """One regulatory step of an asset in one jurisdiction (part of the confidential core)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="regulatory_events",
                              verbose_name=_("asset"))
    agency = models.CharField(_("agency"), max_length=8, choices=Agency.choices)
    agency_name = models.CharField(_("agency name (if other)"), max_length=120, blank=True)
    event_type = models.CharField(_("event"), max_length=16, choices=RegulatoryEventType.choices)
    designation = models.CharField(_("designation"), max_length=24, choices=Designation.choices, blank=True)
    designation_name = models.CharField(_("designation name (if other)"), max_length=120, blank=True)
    date = models.DateField(_("date"))
    indication = models.CharField(_("indication"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("regulatory event")
        verbose_name_plural = _("regulatory events")
        ordering = ["asset_id", "date", "id"]
        indexes = [models.Index(fields=["event_type", "designation", "asset"], name="regevent_designation_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event_type="designation") & ~Q(designation="")) | (~Q(event_type="designation")
                                                                                 & Q(designation="")),
                name="regevent_designation_iff_designation_event",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_designation_display() if self.designation else self.get_event_type_display()
        return f"{self.asset_id} {self.agency} {label} {self.date}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else _asset_confidential_q(user)
        if action in (CHANGE, "delete"):
            return _asset_change_q(user)
        return False


class Patent(GuardedModel):
    """A patent protecting the asset (confidential core)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="patents", verbose_name=_("asset"))
    family = models.CharField(_("patent family"), max_length=120)
    # ISO country code, or a regional office: EP (European), WO (PCT), EA (Eurasian), AP, OA.
    jurisdiction = models.CharField(_("jurisdiction"), max_length=2)
    number = models.CharField(_("number"), max_length=60)
    expiry = models.DateField(_("expiry"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        ordering = ["asset_id", "family", "jurisdiction"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "jurisdiction", "number"], name="patent_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.jurisdiction} {self.number}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else _asset_confidential_q(user)
        if action in (CHANGE, "delete"):
            return _asset_change_q(user)
        return False


class WatchlistEntry(GuardedModel):
    """A person keeps an eye on an asset. Private to that person."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist")
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="watchers", verbose_name=_("asset"))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "asset"], name="watchlist_unique_asset")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.asset_id}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action in (VIEW, "delete"):
            # Only the asset's teaser visibility keeps an entry visible (an unpublished asset drops out).
            return Q(user=user) & Q(asset__in=Asset.objects.for_user(user, VIEW).values("pk"))
        return False


class ExpressionOfInterest(GuardedModel):
    """A partner company tells the licensor it is interested. Bidder isolation: a partner sees only its own."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="interests", verbose_name=_("asset"))
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="expressed_interests",
                                verbose_name=_("interested company"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("sent by"))
    message = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["asset", "company"], name="interest_unique_company")]

    def __str__(self) -> str:
        return f"{self.company} → {self.asset}"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            # The licensor sees interest in its own assets; a partner sees only what its company sent.
            return Q(asset__owner_company_id__in=company_ids_of(user)) | Q(company_id__in=company_ids_of(user))
        return False


class InterestProfile(GuardedModel):
    """What a partner company looks for; drives publish-time matching and `recommended`."""

    company = models.OneToOneField(Company, on_delete=models.CASCADE, related_name="interest_profile",
                                   verbose_name=_("company"))
    therapeutic_areas = CodeListField(_("therapeutic areas"), blank=True)
    modalities = CodeListField(_("modalities"), blank=True)
    stage_min = models.CharField(_("earliest stage"), max_length=20, choices=Stage.choices, blank=True)
    stage_max = models.CharField(_("latest stage"), max_length=20, choices=Stage.choices, blank=True)
    territories = CodeListField(_("territories sought"), blank=True)
    deal_types = CodeListField(_("deal types"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("interest profile")
        verbose_name_plural = _("interest profiles")
        ordering = ["company_id"]

    def __str__(self) -> str:
        return str(self.company)

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else Q(company_id__in=company_ids_of(user))
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False
