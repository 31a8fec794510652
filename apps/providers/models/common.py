"""The marketplace's actions beyond view and change, and the one test of a verified member."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists

from apps.companies.models import (
    Membership,
    VerificationStatus,
)

MANAGE = "manage"  # the requester's side: edit, invite, answer, cancel
DECIDE = "decide"  # award and decline (the requester's owners and admins)
PROPOSE = "propose"  # a provider in the audience submits a proposal
REVISE = "revise"  # the proposal's own provider revises or withdraws it
COMPARE = "compare"  # the requester's side reads all proposals side by side


def _in_verified_company(user: Any) -> Exists:
    return Exists(Membership.objects.filter(user=user, company__verification_status=VerificationStatus.VERIFIED))
