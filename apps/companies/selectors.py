"""Reads for companies that do not go through a viewset's restricted queryset."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.companies.models import Invitation, hash_token
from apps.core.errors import NotFound


def invitation_for_invitee(*, actor: Any, token: str) -> Invitation:
    """The invitation behind `token`, only for the person it is addressed to; anyone else gets the same 404
    as for a made-up token."""
    invitation = Invitation.objects.select_related("company").filter(token_hash=hash_token(token or "")).first()
    if invitation is None or invitation.email.lower() != actor.email.lower():
        raise NotFound(_("This invitation does not exist or is not addressed to you."), code="invitation_invalid")
    return invitation
