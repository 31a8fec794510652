"""Domain errors. Services raise these; the API turns each into one clear 4xx in the error format."""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the request. `message` is lazy so it renders in the caller's language."""

    status_code = 400
    default_code = "invalid"
    default_message = _("The request breaks a rule of the platform.")

    def __init__(self, message: Any = None, *, code: str | None = None, fields: dict | None = None,
                 extra: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.fields = fields or {}
        # What the client needs to act on the refusal, as typed JSON next to code and message (e.g. the CDA to
        # accept for cda_required): {"error": {"code", "message", "fields", **extra}}.
        self.extra = extra or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    status_code = 400
    default_code = "invalid"


class PermissionRefused(DomainError):
    """The caller can see the object but may not do this to it."""

    status_code = 403
    default_code = "permission_denied"
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError):
    """Raised both for 'does not exist' and 'exists but you may not see it': nobody can probe."""

    status_code = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    """The object is not in a state that allows this transition."""

    status_code = 409
    default_code = "conflict"
    default_message = _("The object is not in a state that allows this.")
