from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from apps.core.api.errors import error_body


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout: 429 in the error format for the API, a plain page for the admin."""
    message = _("Too many failed sign-in attempts. Try again later.")
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body("locked_out", message), status=429)
        # When the lock lifts at the latest (the cool-off counts from the last failure).
        response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
        return response
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")


def lockout_username(request: HttpRequest, credentials: dict | None) -> str | None:
    """The API signs in with `email`, the admin form with `username`: both name the same account, and
    case must not give an attacker a fresh counter."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if value is None:
        value = request.POST.get("email") or request.POST.get("username")
    return str(value).strip().lower() if value else None
