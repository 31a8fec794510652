"""Diligence through the existing data rooms: an investor admitted to a round (book entry at diligence or later)
may ask for the data room of any asset the round funds, even one the catalog does not list. From the request on
it is a partner like any other: the biotech approves or denies, grants carry scope, level and expiry, the CDA,
watermarks, revocation and the export gate apply unchanged (apps.datarooms)."""

from typing import Any

from apps.catalog.models import Asset
from apps.companies.models import CONTRIBUTING_ROLES, VerificationStatus
from apps.datarooms.services import REQUEST_ADMISSIONS
from apps.financing.models import ADMITTED_STAGES, BookEntry, RoundStatus


def admitted_to_diligence(actor: Any, asset: Asset) -> bool:
    """True if one of `actor`'s verified companies (as a contributor) is admitted to an open round funding
    `asset`."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return BookEntry.objects.filter(
        investor__memberships__user=actor, investor__memberships__role__in=CONTRIBUTING_ROLES,
        investor__verification_status=VerificationStatus.VERIFIED, stage__in=ADMITTED_STAGES,
        round__status=RoundStatus.PUBLISHED, round__assets=asset,
    ).exists()


if admitted_to_diligence not in REQUEST_ADMISSIONS:
    REQUEST_ADMISSIONS.append(admitted_to_diligence)
