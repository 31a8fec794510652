import contextvars
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy

# The request being served, for code far from the view (audit rows need IP and user agent).
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("current_request", default=None)

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def client_ip(request: HttpRequest) -> str | None:
    # Only nginx in front sets X-Real-IP (platform/nginx.conf); REMOTE_ADDR otherwise.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: CSP and a restrictive Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY or "same-origin")
        return response


class UserLanguageMiddleware:
    """In the admin a staff member's own language wins over the browser's; the API follows Accept-Language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user is not None and user.is_authenticated:
            language = getattr(user, "preferred_language", None)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language  # type: ignore[attr-defined]


class DatabaseUnavailableMiddleware:
    """A lost database answers 503 in the error format, never a traceback; the next request reconnects."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            from apps.core.api.errors import service_unavailable_response

            return service_unavailable_response()
        return None


# What an error answer under /api/ says when it did not come from DRF's exception handler (the URL resolver's 404,
# Django's own 405 or 500, its DEBUG pages): the same codes DRF's answers use.
_API_ERROR_CODES: dict[int, tuple[str, Any]] = {
    400: ("bad_request", _lazy("The request could not be understood.")),
    403: ("permission_denied", _lazy("You do not have permission to perform this action.")),
    404: ("not_found", _lazy("Not found.")),
    405: ("method_not_allowed", _lazy("Method not allowed.")),
    413: ("request_too_large", _lazy("The request body is too large.")),
    500: ("server_error", _lazy("Something went wrong on our side.")),
}


class ApiJsonErrorsMiddleware:
    """Every error answer under /api/ is the JSON error format, with DEBUG on or off: the resolver's 404 for a path
    no route matches (or a malformed id no route accepts), Django's 405 and 500 and its DEBUG pages become
    {"error": {...}}. Outermost, so it sees what every other layer answered; headers the others set are kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        from django.http import JsonResponse

        from apps.core.api.errors import error_body

        status = response.status_code
        code, message = _API_ERROR_CODES.get(status, ("server_error" if status >= 500 else "error",
                                                     _API_ERROR_CODES[500 if status >= 500 else 400][1]))
        replacement = JsonResponse(error_body(code, message), status=status)
        for name, value in response.items():  # security headers, Allow, Retry-After, ...
            if name.lower() not in ("content-type", "content-length"):
                replacement[name] = value
        return replacement
