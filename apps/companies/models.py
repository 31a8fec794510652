import hashlib
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.core.authz import CHANGE, VIEW, GuardedModel


class CompanyKind(models.TextChoices):
    BIOTECH = "biotech", _("Biotech")
    PHARMA = "pharma", _("Pharma")
    INVESTOR = "investor", _("Investor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")
    VIEWER = "viewer", _("Viewer")


# Roles that may manage the company, its people and (later) sign for it.
MANAGING_ROLES = (Role.OWNER, Role.ADMIN)
# Roles that may create and edit the company's content (assets, documents, questions...).
CONTRIBUTING_ROLES = (Role.OWNER, Role.ADMIN, Role.MEMBER)


# The action "act for this company": one of the person's own companies, in any role and state.
ACT_FOR = "act_for"


def company_ids_of(user: Any, roles: tuple[str, ...] | None = None) -> models.QuerySet:
    """Subquery of the ids of companies `user` belongs to (optionally with one of `roles`)."""
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("company_id")


def verified_company_ids_of(user: Any, roles: tuple[str, ...] | None = None) -> models.QuerySet:
    memberships = Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("company_id")


class Company(GuardedModel):
    """An organisation on the platform. Only verified companies may list assets or request access."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=CompanyKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2 code"))
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    verification_status = models.CharField(
        _("verification status"), max_length=12, choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING, db_index=True,
    )
    status_reason = models.TextField(_("reason for the status"), blank=True, max_length=2000)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # One guardian group per company: a grant to the company is a grant to this group.
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="company", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    guardian_actions = (VIEW,)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name_en"]
        permissions = [("manage_members", _("Can manage the company's members"))]

    def __str__(self) -> str:
        return self.name_en

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            if user.is_staff:
                return True
            # Own companies in any state; verified companies to anyone who belongs to a verified company.
            in_verified_company = Exists(
                Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED)
            )
            return Q(pk__in=company_ids_of(user)) | (
                Q(verification_status=VerificationStatus.VERIFIED) & Q(in_verified_company)
            )
        if action in (CHANGE, "manage_members"):
            return Q(pk__in=company_ids_of(user, MANAGING_ROLES))
        if action == ACT_FOR:
            # The companies a person speaks for in a request body (e.g. "interest on behalf of"): their own.
            return Q(pk__in=company_ids_of(user))
        return False


class CompanyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Company, on_delete=models.CASCADE)


class CompanyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Company, on_delete=models.CASCADE)


class Membership(GuardedModel):
    """A person's place in a company. Removing it removes every grant the company holds, at once."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["company_id", "created_at"]
        constraints = [models.UniqueConstraint(fields=["company", "user"], name="membership_unique_person")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.get_role_display()})"

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW:
            return True if user.is_staff else Q(company_id__in=company_ids_of(user))
        if action == CHANGE:
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        if action == "delete":
            # Admins remove people; anyone may leave.
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES)) | Q(user=user)
        return False


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    REVOKED = "revoked", _("Revoked")


class Invitation(GuardedModel):
    """A single-use, expiring invitation to join a company. Only the token's hash is stored."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus.choices,
                              default=InvitationStatus.PENDING)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.company}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @classmethod
    def access_q(cls, user: Any, action: str) -> Q | bool:
        if action == VIEW and user.is_staff:
            return True
        if action in (VIEW, "delete"):
            return Q(company_id__in=company_ids_of(user, MANAGING_ROLES))
        return False
