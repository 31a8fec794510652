"""Audit action codes of sign-in and registration (stored in AuditEvent.action), each with its label.
A code is stored in every audit row and hashed into the chain: never rename one (docs/conventions.md).
"auth.logout" predates the past-participle style; it stays as it is because stored rows carry it."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

LOGIN_SUCCEEDED = action("auth.login_succeeded", _("Sign-in succeeded"))
LOGIN_FAILED = action("auth.login_failed", _("Sign-in failed"))
LOGOUT = action("auth.logout", _("Signed out"))
USER_REGISTERED = action("user.registered", _("Person registered"))
