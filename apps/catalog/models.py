import uuid
from typing import Any

from django.db import models
from django.db.models import Exists, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.companies.models import CONTRIBUTING_ROLES, Company, Membership, VerificationStatus, company_ids_of
from apps.core.authz import CHANGE, VIEW, GuardedModel

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

    guardian_actions = (VIEW_CONFIDENTIAL,)

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["-created_at"]
        permissions = [("view_confidential_asset", _("Can see the asset's confidential core"))]
        constraints = [
            models.UniqueConstraint(fields=["owner_company", "code_name"], name="asset_code_name_unique_per_owner"),
        ]

    def __str__(self) -> str:
        return self.code_name

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        own = Q(owner_company_id__in=company_ids_of(user))
        if action == VIEW:
            if user.is_staff:
                return True
            in_verified_company = Exists(
                Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED)
            )
            return own | (Q(status=AssetStatus.PUBLISHED) & Q(in_verified_company))
        if action == VIEW_CONFIDENTIAL:
            return True if user.is_staff else own
        if action in (CHANGE, "delete"):
            return Q(owner_company_id__in=company_ids_of(user, CONTRIBUTING_ROLES))
        return False


class AssetUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Asset, on_delete=models.CASCADE)


class AssetGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Asset, on_delete=models.CASCADE)
