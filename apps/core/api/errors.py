"""One error format everywhere: {"error": {"code": ..., "message": ..., "fields": {...}}}.

Messages are lazy translations, rendered in the language LocaleMiddleware picked from Accept-Language
(or the signed-in person's preference)."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from apps.core.errors import DomainError
from apps.core.signals import api_access_refused

_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", None),
    exceptions.AuthenticationFailed: ("authentication_failed", None),
    exceptions.PermissionDenied: ("permission_denied", None),
    exceptions.NotFound: ("not_found", None),
    exceptions.MethodNotAllowed: ("method_not_allowed", None),
    exceptions.NotAcceptable: ("not_acceptable", None),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", None),
    exceptions.Throttled: ("throttled", None),
    exceptions.ParseError: ("malformed_request", None),
}


def error_body(code: str, message: Any, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _flatten(detail: Any) -> Any:
    """DRF's nested ErrorDetail lists → plain strings, keeping the field structure."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(item) for item in detail]
    return str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    response = _handle(exc)
    if response is not None:
        set_rollback()
        request = context.get("request")
        if response.status_code in (403, 404) and request is not None:
            api_access_refused.send(sender=exception_handler, request=request, status_code=response.status_code,
                                    reason=str(exc)[:200])
    return response


def _handle(exc: Exception) -> Response | None:
    if isinstance(exc, DomainError):
        body = error_body(exc.code, exc.message, _flatten(exc.fields))
        body["error"].update({key: value for key, value in exc.extra.items() if key not in body["error"]})
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", _("The request body is too large.")),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", _("The request could not be understood.")), status=400)
    elif isinstance(exc, DjangoValidationError):
        field_errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = exc.messages[0] if exc.messages else _("Invalid input.")
        return Response(error_body("invalid", message, _flatten(field_errors)), status=400)
    elif isinstance(exc, OperationalError | InterfaceError):
        return service_unavailable_response(Response)
    elif isinstance(exc, DatabaseError) and "violates" in str(exc):
        # A constraint caught a race the service-level checks could not: a conflict, not a crash.
        return Response(error_body("conflict", _("This conflicts with existing data.")), status=409)

    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict) and detail and _only_codes(exc.get_codes(), {"does_not_exist"}):
            # Every complaint is "the object you refer to is not there": for the caller that is the same as an
            # object it may not see (related ids are looked up only among visible objects, by
            # apps/core/api/fields.py VisibleRelatedField, whose message never repeats the id), so a hidden id
            # and a missing one get the same 404, byte for byte.
            return Response(error_body("not_found", _("An object the request refers to was not found."),
                                       _flatten(detail)), status=404)
        if isinstance(detail, dict):
            non_field = detail.get("non_field_errors")
            fields: dict[str, Any] = {key: value for key, value in detail.items() if key != "non_field_errors"}
            message = _flatten(non_field)[0] if non_field else _("Some fields are invalid.")
            return Response(error_body("invalid", message, _flatten(fields)), status=400)
        messages = _flatten(detail if isinstance(detail, list) else [detail])
        return Response(error_body("invalid", messages[0] if messages else _("Invalid input.")), status=400)
    if isinstance(exc, exceptions.APIException):
        own_code = exc.get_codes()
        code = _CODES.get(type(exc), (own_code if isinstance(own_code, str) else "error", None))[0]
        headers: dict[str, str] = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        wait = getattr(exc, "wait", None)
        if wait is not None:
            headers["Retry-After"] = str(int(wait))
        message = exc.detail if isinstance(exc.detail, str) else _flatten(exc.detail)
        if isinstance(exc.detail, dict) and "detail" in exc.detail:
            # simplejwt's shape, {"detail", "code", "messages"}: one message and its own code, not a dict dump.
            message = str(exc.detail["detail"])
            code = str(exc.detail.get("code") or code)
        if isinstance(exc, exceptions.ParseError):
            message = _("The request body is not valid JSON.")
        return Response(error_body(code, message), status=exc.status_code, headers=headers)
    return None


def _only_codes(codes: Any, allowed: set[str]) -> bool:
    """True if every leaf of DRF's nested error codes is in `allowed`."""
    if isinstance(codes, dict):
        return bool(codes) and all(_only_codes(value, allowed) for value in codes.values())
    if isinstance(codes, list):
        return bool(codes) and all(_only_codes(value, allowed) for value in codes)
    return codes in allowed


def service_unavailable_response(response_class: Any = JsonResponse) -> Any:
    body = error_body("service_unavailable", _("The service is temporarily unavailable. Please retry shortly."))
    response = response_class(body, status=503)
    response["Retry-After"] = "5"
    return response


# Django-level handlers so even URLs outside DRF answer in the error format under /api/.
def api_not_found(request: Any, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def api_server_error(request: Any) -> JsonResponse:
    return JsonResponse(error_body("server_error", _("Something went wrong on our side.")), status=500)
