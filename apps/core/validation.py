"""Checks on input that several apps make the same way, each refusing with the one error format."""

from collections.abc import Iterable
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


def invalid_field(field: str, message: Any, code: str = "invalid") -> ValidationFailed:
    """A 400 about one field: `message` both as the error's message and as the field's."""
    return ValidationFailed(message, code=code, fields={field: [message]})


def choice_list(field: str, values: Any, allowed: Iterable[str], *, max_items: int | None = None) -> list[str]:
    """A list of codes from `allowed`, duplicates dropped in order; None is the empty list. Refused (400, the field
    named): not a list, an unknown code (`unknown_choice`), more than `max_items` codes."""
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise invalid_field(field, _("Expected a list."))
    allowed_set = set(allowed)
    result: list[str] = []
    for value in values:
        if value not in allowed_set:
            raise invalid_field(field, _("Unknown value: %(value)s.") % {"value": str(value)[:60]},
                                code="unknown_choice")
        if value not in result:
            result.append(value)
    if max_items is not None and len(result) > max_items:
        raise invalid_field(field, _("Too many values."))
    return result


REASON_REQUIRED = _("A reason is required.")


def required_reason(value: Any, *, message: Any = REASON_REQUIRED, code: str = "reason_required", field: str = "reason",
                    field_message: Any = None, allowed: Iterable[str] | None = None) -> str:
    """The reason a step cannot go without (sending back, declining, hiding, revoking): free text, stripped and not
    blank, or with `allowed` one of those codes. Refused: 400 with `code` and `message`, `field` marked with
    `field_message` (default: the message). Each caller keeps the code, field and words its API already answers."""
    text = (value if value in tuple(allowed) else "") if allowed is not None else (value or "").strip()
    if not text:
        raise ValidationFailed(message, code=code, fields={field: [field_message or message]})
    return text
