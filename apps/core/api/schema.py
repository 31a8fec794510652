"""OpenAPI: what a client developer reads at /api/docs/ and what generated clients are built from.

Every operation is documented with `doc()` (see docs/conventions.md, "Documenting an endpoint"):

    @doc(
        summary=_("Approve an access request"),
        description=_("The room's managers grant the partner ... Answers the grant that was made."),
        errors={403: ["cda_required"], 409: ["not_pending"]},
    )

- `summary` is one line, `description` is written for a client developer; both are gettext_lazy strings, so
  `Accept-Language: zh-hans` (or `?lang=zh-hans`) gives the schema in Chinese.
- `errors` lists the domain error codes the operation can return, by HTTP status. Codes the shared machinery
  returns (`invalid`, `not_found`, `permission_denied`, `not_authenticated`, `throttled`, ...) are added from
  what the view is (has a body, an id in the path, a throttle, ...); only what the operation itself can refuse
  goes in `errors`. Each code's meaning is stated once: generic ones in ERROR_CODES below, an app's own in
  `apps/<app>/api/documented.py` ERROR_CODES.
- The main success response gets an example composed from field examples (FIELD_EXAMPLES below and
  `apps/<app>/api/documented.py` FIELD_EXAMPLES), unless `example=` gives one.

tests/core/test_api_docs.py fails for an operation without these.
"""

import importlib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any

from django.apps import apps as django_apps
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated

from apps.core.api.parsers import MAX_INT, MIN_INT
from apps.core.authz import VIEW

NO_NUL_PATTERN = "^[^\\x00]*$"


def _python_whitespace_class() -> str:
    """Every character str.strip() removes (what DRF trims), spelled out: regex engines disagree on `\\s`."""
    codes = [code for code in range(0x3001) if chr(code).isspace()]
    spans: list[list[int]] = []
    for code in codes:
        if spans and spans[-1][1] == code - 1:
            spans[-1][1] = code
        else:
            spans.append([code, code])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in spans)


NOT_BLANK_PATTERN = f"^[^\\x00]*[^{_python_whitespace_class()}\\x00][^\\x00]*$"


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable machine code: branch on it, never on the message."))
    message = serializers.CharField(help_text=_("A sentence for people, in the language of the request."))
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.JSONField(), required=False,
        help_text=_("For invalid input: each field at fault and what is wrong with it."),
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


# --- error codes ------------------------------------------------------------------------------------------

# Codes the shared machinery answers with (apps/core/api/errors.py, authentication, throttles, pagination).
# An app states its own codes in apps/<app>/api/documented.py ERROR_CODES, one meaning per code.
ERROR_CODES: dict[str, Promise] = {
    "invalid": _("The input is invalid: `fields` names each field at fault and why."),
    "malformed_request": _("The body is not valid JSON."),
    "not_authenticated": _("No credentials: send `Authorization: Bearer <access token>`."),
    "bad_authorization_header": _("The Authorization header is not `Bearer <access token>` with exactly one token."),
    "authentication_failed": _("The credentials are wrong, or the account is not active."),
    "token_not_valid": _("The token is expired, revoked or not one of ours: refresh it, or sign in again."),
    "user_inactive": _("The account of this token has been deactivated."),
    "user_not_found": _("The account of this token no longer exists."),
    "permission_denied": _("You can see this object but your role does not allow this action on it."),
    "not_found": _("Nothing with this id exists, or you may not see it: the answer is the same on purpose."),
    "request_too_large": _("The request body is larger than the server accepts."),
    "unsupported_media_type": _("The body's Content-Type is not one this operation reads."),
    "throttled": _("Too many requests of this kind: wait the seconds in the Retry-After header."),
    "service_unavailable": _("A service the request needs is briefly unavailable: retry after Retry-After."),
    "conflict": _("Another request changed the same data at the same moment: read it again and retry."),
}

STATUS_TITLES: dict[int, Promise] = {
    400: _("The request is invalid."),
    401: _("You are not signed in, or your token is no longer valid."),
    403: _("Refused: you may see this but may not do it."),
    404: _("Not found, or not visible to you."),
    409: _("Conflicts with the current state of the object."),
    413: _("The request body is too large."),
    415: _("Unsupported media type."),
    429: _("Too many requests."),
    503: _("Service temporarily unavailable."),
}

_RULE_MODULES_CHECKED: set[str] = set()


def _app_documented() -> list[Any]:
    """Each app's `api/documented.py`, if it has one."""
    modules = []
    for app in django_apps.get_app_configs():
        try:
            modules.append(importlib.import_module(f"{app.name}.api.documented"))
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(app.name):
                continue
            raise
    return modules


@cache
def error_codes() -> dict[str, Promise]:
    """Every error code with its meaning: the generic ones and each app's own."""
    codes = dict(ERROR_CODES)
    for module in _app_documented():
        codes.update(getattr(module, "ERROR_CODES", {}))
    return codes


@cache
def field_examples() -> dict[str, Any]:
    """Example values by field name (or `Component.field`), for Try it out and the response examples."""
    examples = dict(FIELD_EXAMPLES)
    for module in _app_documented():
        examples.update(getattr(module, "FIELD_EXAMPLES", {}))
    return examples


def _join(*parts: Any) -> str:
    return "".join(str(part) for part in parts)


lazy_join = lazy(_join, str)


def doc(
    *,
    summary: Any,
    description: Any,
    errors: Mapping[int, Iterable[str]] | None = None,
    example: Any = None,
    **kwargs: Any,
) -> Callable:
    """extend_schema with what every operation must say: a one-line summary, a description for a client
    developer, the domain error codes it can answer with ({status: [code, ...]}) and, optionally, an example
    of its main success response (otherwise composed from field examples)."""
    extensions = dict(kwargs.pop("extensions", None) or {})
    extensions[ERRORS_EXTENSION] = {int(status): tuple(codes) for status, codes in (errors or {}).items()}
    examples = list(kwargs.pop("examples", None) or [])
    if example is not None:
        examples.append(OpenApiExample("example", value=example, response_only=True,
                                       summary=_("A typical answer")))
    return extend_schema(summary=summary, description=description, extensions=extensions,
                         examples=examples or None, **kwargs)


ERRORS_EXTENSION = "x-gpc-errors"
MAIN_EXAMPLE = "example"


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, *args: Any, **kwargs: Any) -> Any:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            operation.pop(ERRORS_EXTENSION, None)  # turned into the error responses below
        return operation

    def _map_serializer(self, serializer, direction, bypass_extensions=False):
        schema = super()._map_serializer(serializer, direction, bypass_extensions)
        # Strict serializers refuse unknown fields (400): the schema says so, so clients and fuzzers know.
        from apps.core.api.serializers import StrictMixin

        if direction == "request" and isinstance(serializer, StrictMixin) and schema.get("type") == "object":
            schema["additionalProperties"] = False
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF refuses NUL characters in every CharField (PostgreSQL cannot store them), and one that may not be
        # blank refuses all-whitespace too (it trims first): say both, so valid-looking input is valid.
        if (
            direction == "request" and isinstance(field, serializers.CharField) and isinstance(schema, dict)
            and schema.get("type") == "string" and not {"enum", "pattern", "format"} & set(schema)
        ):
            blank_refused = not field.allow_blank and field.trim_whitespace
            schema["pattern"] = NOT_BLANK_PATTERN if blank_refused else NO_NUL_PATTERN
        # An id names an object: a whole number from 1 (a VisibleRelatedField reads anything else as no object).
        from apps.core.api.fields import MAX_ID, VisibleRelatedField

        if isinstance(field, VisibleRelatedField) and isinstance(schema, dict) and schema.get("type") == "integer":
            # Assigned, not defaulted: the pk's own mapping (run first, inside super()) gave it the 64-bit range.
            schema["minimum"] = 1
            schema["maximum"] = MAX_ID
        if direction == "request" and isinstance(schema, dict) and schema.get("type") == "integer":
            # The body parser refuses integers beyond 64 bits (apps/core/api/parsers.py): say so.
            schema.setdefault("minimum", MIN_INT)
            schema.setdefault("maximum", MAX_INT)
        # A related object that may be missing (a nullable foreign key, e.g. a room's current CDA) is null in the
        # answer: say so, or generated clients refuse the answer.
        if isinstance(schema, dict) and direction == "response" and _nullable_relation(field):
            schema["nullable"] = True
        # A realistic example (Try it out would otherwise fill in a string generated from the pattern).
        if (
            isinstance(schema, dict) and not {"example", "$ref", "enum"} & set(schema)
            and (schema.get("type") or "oneOf" in schema or "anyOf" in schema)
        ):
            value = _field_example(field)
            if value is not None:
                schema["example"] = value
        return schema

    def _get_filter_parameters(self):
        parameters = super()._get_filter_parameters()
        # django-filter reads `?status=` (an empty value) as "no filter", so an empty value is valid input;
        # not for multiple-choice filters, which read it as one (invalid) choice "". Text never takes NUL.
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter.get("in") != "query":
                continue
            if not parameter.get("required") and schema.get("type") != "array":
                parameter["allowEmptyValue"] = True
            text = schema.get("items", {}) if schema.get("type") == "array" else schema
            if text.get("type") == "string" and not {"enum", "pattern", "format"} & set(text):
                text["pattern"] = NO_NUL_PATTERN
        return parameters

    # -- error responses ------------------------------------------------------------------------------------

    def declared_errors(self) -> dict[int, tuple[str, ...]]:
        return dict(self.get_extensions().get(ERRORS_EXTENSION, {}))

    def _has_request_body(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH") and self._get_request_body() is not None

    def _refers_to_objects(self) -> bool:
        """A request body that names other objects by id can answer 404 for one the caller may not see."""
        serializer = self.get_request_serializer()
        if isinstance(serializer, dict):  # {"multipart/form-data": Serializer}
            serializer = next(iter(serializer.values()), None)
        serializer = force_instance(serializer)
        fields = getattr(serializer, "fields", None) if is_serializer(serializer) else None
        if not fields:
            return False
        return any(
            isinstance(field, serializers.RelatedField | serializers.ManyRelatedField) and not field.read_only
            for field in fields.values()
        )

    def _has_query_parameters(self) -> bool:
        """Any query parameter (filters, pages, ordering, or the operation's own) can be given a bad value."""
        own = any(parameter.get("in") == "query" for parameter in self._get_parameters())
        return own or bool(self._get_filter_parameters() or self._get_pagination_parameters()
                           or getattr(self.view, "ordering_fields", None))

    def _guarded_refusal(self) -> bool:
        """GuardedViewSet answers 403 permission_denied when the action needs more than seeing the object,
        and on a write whose result the caller could not see."""
        from apps.core.api.viewsets import GuardedViewSet

        if getattr(self.view, "may_refuse_reads", False) and self.method == "GET":
            return True
        if not isinstance(self.view, GuardedViewSet):
            other = [cls for cls in self.view.permission_classes if cls not in (AllowAny, IsAuthenticated)]
            return bool(other)
        action = getattr(self.view, "action", None)
        if action in ("create", "update", "partial_update"):
            return True
        return "{" in self.path and self.view.required_action() != VIEW

    def automatic_errors(self) -> dict[int, list[str]]:
        """The codes the shared machinery can answer with, from what the operation is."""
        codes: dict[int, list[str]] = {}
        permissions = list(self.view.permission_classes)
        if permissions and not any(cls is AllowAny for cls in permissions):
            codes[401] = ["not_authenticated", "token_not_valid", "authentication_failed", "user_inactive",
                          "user_not_found", "bad_authorization_header"]
        if self._has_request_body():
            codes[400] = ["invalid", "malformed_request"]
            codes[413] = ["request_too_large"]
            codes[415] = ["unsupported_media_type"]
        elif self.method == "GET" and self._has_query_parameters():
            codes[400] = ["invalid"]
        if "{" in self.path or (self._has_request_body() and self._refers_to_objects()):
            codes[404] = ["not_found"]
        elif self.method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            codes[404] = ["not_found"]  # a page past the last
        if self._guarded_refusal():
            codes[403] = ["permission_denied"]
        if self.view.get_throttles():
            codes[429] = ["throttled"]
        codes[503] = ["service_unavailable"]
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = self.automatic_errors()
        for status, declared in self.declared_errors().items():
            codes[status] = [*codes.get(status, []), *(code for code in declared if code not in codes.get(status, []))]
        known = error_codes()
        for status in sorted(codes):
            listed = codes[status]
            lines = [f"\n- `{code}`: " for code in listed]
            description = lazy_join(STATUS_TITLES.get(status, ""), "\n", *(
                part for line, code in zip(lines, listed, strict=True) for part in (line, known.get(code, ""))
            ))
            examples = [
                OpenApiExample(code, value={"error": {"code": code, "message": known.get(code, ""), "fields": {}}},
                               status_codes=[str(status)], response_only=True)
                for code in listed
            ]
            response = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=description, examples=examples), str(status),
                direction=direction,
            )
            response["x-error-codes"] = list(listed)
            if status in (429, 503):
                response["headers"] = {"Retry-After": {
                    "description": _("Seconds to wait before retrying."), "schema": {"type": "integer"},
                }}
            responses[str(status)] = response
        return responses


# --- examples ---------------------------------------------------------------------------------------------

# Realistic values from the demo data (apps/*/demo.py), by field name or `Component.field`; an app adds its own
# in apps/<app>/api/documented.py FIELD_EXAMPLES. Numbers, booleans, dates and enums need none.
FIELD_EXAMPLES: dict[str, Any] = {
    "email": "mei.lin@lumina.example",
    "full_name": "Mei Lin",
    "password": "Correct-Horse-42",
    "language": "en",
    "time_zone": "Asia/Shanghai",
    "TokenPair.access": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.access-signature",
    "TokenPair.refresh": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.refresh-signature",
    "refresh": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.refresh-signature",
    "Login.password": "Correct-Horse-42",
    "reason": "The CMC package must include the stability data.",
    "message": "We would like to discuss a licence for Greater China.",
    "next": "https://gpc.example/api/v1/assets/?page=3",
    "previous": "https://gpc.example/api/v1/assets/?page=1",
}


def _nullable_relation(field: Any) -> bool:
    """A nested serializer whose source is a nullable foreign key of its parent's model."""
    if not isinstance(field, serializers.BaseSerializer) or getattr(field, "many", False):
        return False
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    name = (field.source or field.field_name or "").split(".")[0]
    if model is None or not name:
        return False
    try:
        return bool(model._meta.get_field(name).null)
    except Exception:  # not a model field (a method, a property): nothing to say
        return False


def _field_example(field: Any) -> Any:
    examples = field_examples()
    parent = type(getattr(field, "parent", None)).__name__.removesuffix("Serializer")
    name = getattr(field, "field_name", "") or ""
    for key in (f"{parent}.{name}", name):
        if key and key in examples:
            return examples[key]
    return None


_TYPED_EXAMPLES = {
    "date": "2026-03-16",
    "date-time": "2026-03-16T09:30:00Z",
    "uuid": "3f1c9a52-7d3e-4b8a-9c41-2a6e5b0d7f18",
    "uri": "https://gpc.example/api/v1/",
    "email": "mei.lin@lumina.example",
    "decimal": "1250000.00",
    "double": 12.5,
    "float": 12.5,
}


def compose_example(schema: Any, components: Mapping[str, Any], missing: list[str], path: str = "",
                    depth: int = 0) -> Any:
    """An example value for `schema`, from the field examples; what has none is added to `missing`."""
    if not isinstance(schema, dict) or depth > 24:  # deep enough for any answer, short of a self-reference
        return None
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in field_examples():  # a whole structure's example, e.g. a coherent terms document
            return field_examples()[name]
        return compose_example(components.get(name, {}), components, missing, name, depth + 1)
    if "example" in schema:
        return schema["example"]
    for combinator in ("allOf", "oneOf", "anyOf"):
        if schema.get(combinator):
            return compose_example(schema[combinator][0], components, missing, path, depth + 1)
    if schema.get("enum"):
        return next((value for value in schema["enum"] if value not in (None, "")), schema["enum"][0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: compose_example(prop, components, missing, f"{path}.{name}", depth + 1)
            for name, prop in (schema.get("properties") or {}).items()
        }
    if kind == "array":
        return [compose_example(schema.get("items", {}), components, missing, path, depth + 1)]
    if kind == "integer":
        return 42 if path.endswith("id") else 3
    if kind == "number":
        return _TYPED_EXAMPLES.get(schema.get("format", ""), 12.5)
    if kind == "boolean":
        return True
    if kind == "string":
        fmt = schema.get("format", "")
        if fmt in _TYPED_EXAMPLES:
            return _TYPED_EXAMPLES[fmt]
        if fmt == "binary" or schema.get("nullable"):
            return None  # null is a true answer for a text that may be missing
        missing.append(path)
        return "string"
    return None


def main_success(operation: Mapping[str, Any]) -> tuple[str, dict] | None:
    """The lowest 2xx answer with a JSON body, which every operation has an example for."""
    for code in sorted(operation.get("responses", {})):
        if code.startswith("2"):
            content = operation["responses"][code].get("content", {})
            return (code, content["application/json"]) if "application/json" in content else None
    return None
