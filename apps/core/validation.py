"""Checks on input that several apps make the same way, each refusing with the one error format."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.errors import ValidationFailed


def require_future(value: datetime, *, field: str, code: str, message: Any) -> None:
    """Refuse a moment that is not after now (an expiry, a deadline): 400 with `code`, the field marked.
    Strictly after: a grant expiring "now" would be dead on arrival."""
    if value <= timezone.now():
        raise ValidationFailed(message, code=code, fields={field: [_("Must be in the future.")]})
