"""What the data rooms' services share: the refusal of a forbidden act, the notification context, the upload
limits and the errors every write can raise."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.core.authz import VIEW, user_can
from apps.core.errors import DomainError, NotFound, PermissionRefused

from ..files import UploadLimits, UploadRefused
from ..models import DataRoom

# Codes of the rules a schema cannot state (a time in the future, a folder of the same room, ...): a client
# (and the API fuzzer) can tell them from malformed input.
BUSINESS_RULE_CODES = frozenset({
    "expiry_in_past", "folders_required", "owner_needs_no_grant", "not_a_member", "reason_required", "wrong_room",
    "answer_required", "company_not_verified", "cda_incomplete",
})


class UploadRefusedError(DomainError):
    """An upload broke a file rule; the API answers 4xx with the rule's code and a bilingual reason."""

    def __init__(self, refused: UploadRefused):
        super().__init__(refused.message, code=refused.code,
                         fields={"file": [refused.detail]} if refused.detail else {})
        self.status_code = refused.status_code


def upload_limits() -> UploadLimits:
    return UploadLimits(max_bytes=getattr(settings, "UPLOAD_MAX_BYTES", UploadLimits.max_bytes))


def room_context(room: DataRoom) -> dict[str, Any]:
    """What every data-room notification names: the asset and the room."""
    return {"asset": room.asset.code_name, "room_id": str(room.public_id), "site_url": settings.SITE_URL}


def refuse_non_partner(actor: Any, room: DataRoom) -> NoReturn:
    if user_can(actor, VIEW, room):
        raise PermissionRefused(_("Only partners with access to the data room can do this."), code="not_a_partner")
    raise NotFound()
