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
  `apps/<app>/api/rules.py` ERROR_CODES.
- The main success response gets an example composed from field examples (FIELD_EXAMPLES below and
  `apps/<app>/api/rules.py` FIELD_EXAMPLES), unless `example=` gives one.

tests/core/test_api_docs.py fails for an operation without these.
"""

import importlib
import re
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
# An app states its own codes in apps/<app>/api/rules.py ERROR_CODES, one meaning per code.
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


def _app_rules() -> list[Any]:
    """Each app's `api/rules.py`, if it has one."""
    modules = []
    for app in django_apps.get_app_configs():
        try:
            modules.append(importlib.import_module(f"{app.name}.api.rules"))
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(app.name):
                continue
            raise
    return modules


@cache
def error_codes() -> dict[str, Promise]:
    """Every error code with its meaning: the generic ones and each app's own."""
    codes = dict(ERROR_CODES)
    for module in _app_rules():
        codes.update(getattr(module, "ERROR_CODES", {}))
    return codes


@cache
def field_examples() -> dict[str, Any]:
    """Example values by field name (or `Component.field`), for Try it out and the response examples."""
    examples = dict(FIELD_EXAMPLES)
    for module in _app_rules():
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
# in apps/<app>/api/rules.py FIELD_EXAMPLES. Numbers, booleans, dates and enums need none.
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


def _share_error_examples(response: dict, shared: dict) -> None:
    """One example per error code in components/examples, referenced from each answer that can carry it."""
    codes = response.get("x-error-codes")
    content = response.get("content", {}).get("application/json")
    if not codes or content is None:
        return
    for example in content.pop("examples", {}).values():
        code = example["value"]["error"]["code"]
        shared.setdefault(code, {"summary": code, "value": example["value"]})
    content["examples"] = {code: {"$ref": f"#/components/examples/{code}"} for code in codes}


def _share_enums(result: dict) -> None:
    """A long code list (countries, territories, time zones...) is one component, referenced wherever it is used,
    instead of pasted inline: inline copies of a component's values become references to it, and each list named
    in ENUM_NAME_OVERRIDES exists as a component."""
    from django.conf import settings
    from drf_spectacular.plumbing import deep_import_string

    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    by_values: dict[frozenset, str] = {}
    for name, component in schemas.items():
        if set(component) <= {"enum", "type", "description"} and len(component.get("enum", [])) >= SHARED_ENUM_MIN:
            by_values.setdefault(frozenset(component["enum"]), name)

    overrides: Any = settings.SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {})
    for name, source in overrides.items():
        values = deep_import_string(source) if isinstance(source, str) else source
        values = values() if callable(values) and not isinstance(values, type) else values
        if isinstance(values, list) and len(values) >= SHARED_ENUM_MIN and frozenset(values) not in by_values:
            schemas.setdefault(name, {"type": "string", "enum": list(values)})
            by_values[frozenset(values)] = name

    def walk(node: Any, own: str | None = None) -> Any:
        if isinstance(node, list):
            return [walk(item, own) for item in node]
        if not isinstance(node, dict):
            return node
        enum = node.get("enum")
        if isinstance(enum, list) and len(enum) >= SHARED_ENUM_MIN:
            name = by_values.get(frozenset(value for value in enum if value not in (None, "")))
            if name and name != own and set(node) - {"enum", "type"} <= {"description", "readOnly", "writeOnly",
                                                                           "nullable", "example"}:
                extras = {key: value for key, value in node.items() if key not in ("enum", "type", "example")}
                reference = {"$ref": f"#/components/schemas/{name}"}
                return {"allOf": [reference], **extras} if extras else reference
        return {key: walk(value, own) for key, value in node.items()}

    for name in list(schemas):
        schemas[name] = walk(schemas[name], own=name)
        _name_enum_members(schemas[name])
    result["paths"] = walk(result.get("paths", {}))


def _name_enum_members(component: dict) -> None:
    """Generators name enum members by upper-casing the value and dropping punctuation: a territory list holds the
    region "us" and the country "US", time zones hold "GMT+0", "GMT-0" and "GMT0". Such lists name their members
    (x-enum-varnames): region codes (lower case beside an upper-case twin) as REGION_<CODE>, "+" as PLUS, "-" as
    MINUS, so every member gets its own name."""
    values = component.get("enum")
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        return
    naive = [re.sub(r"[^A-Z0-9]", "", value.upper()) for value in values]
    if len(set(naive)) == len(naive):
        return
    uppers = {value for value in values if value == value.upper()}
    names: list[str] = []
    for value in values:
        name = re.sub(r"[^A-Z0-9]+", "_", value.replace("+", "_PLUS_").replace("-", "_MINUS_").upper()).strip("_")
        if value != value.upper() and value.upper() in uppers:
            name = f"REGION_{name}"
        if not name or name[0].isdigit():
            name = f"VALUE_{name}"
        while name in names:
            name = f"{name}_"
        names.append(name)
    component["x-enum-varnames"] = names


SHARED_ENUM_MIN = 20  # values; shorter choice lists read better inline

STATUS_WORDS = {400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
                413: "TooLarge", 415: "UnsupportedMediaType", 429: "TooManyRequests", 503: "Unavailable"}


def _share_error_responses(result: dict) -> None:
    """An error answer that many operations give word for word (same status, same codes) is written once in
    components/responses and referenced: the operation still lists its codes, the schema does not repeat them."""
    from collections import Counter

    signature = lambda status, response: (status, tuple(response.get("x-error-codes", [])))  # noqa: E731
    operations = [operation for items in result.get("paths", {}).values() for method, operation in items.items()
                  if method in ("get", "post", "put", "patch", "delete")]
    counts = Counter(signature(status, response) for operation in operations
                     for status, response in operation.get("responses", {}).items() if "x-error-codes" in response)
    names: dict[tuple, str] = {}
    shared = result.setdefault("components", {}).setdefault("responses", {})
    for (status, codes), count in counts.most_common():
        if count < 3:
            continue
        word = STATUS_WORDS.get(int(status), f"Error{status}")
        generic = set(codes) <= set(ERROR_CODES) and word not in names.values()
        name = word if generic else f"{word}{''.join(c.title().replace('_', '') for c in codes)}"
        names[(status, codes)] = name
    for operation in operations:
        for status, response in operation.get("responses", {}).items():
            shared_name = names.get(signature(status, response)) if "x-error-codes" in response else None
            if shared_name:
                shared.setdefault(shared_name, response)
                operation["responses"][status] = {"$ref": f"#/components/responses/{shared_name}"}


def postprocess_schema(result: dict, generator: Any, request: Any, public: Any) -> dict:
    """The info block, the journey's tags, shared code lists, and a composed example for every main success answer."""
    _share_enums(result)
    result["info"]["description"] = INFO_DESCRIPTION
    result["tags"] = [{"name": name, "description": description} for name, description, _segments in TAGS]
    tag_of = {segment: name for name, _description, segments in TAGS for segment in segments}
    components = result.get("components", {}).get("schemas", {})
    shared_examples = result.setdefault("components", {}).setdefault("examples", {})
    for path, operations in result.get("paths", {}).items():
        segment = path.removeprefix("/api/v1/").split("/", 1)[0]
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            if segment in tag_of:
                operation["tags"] = [tag_of[segment]]
            for response in operation.get("responses", {}).values():
                _share_error_examples(response, shared_examples)
            main = main_success(operation)
            if main is None:
                continue
            content = main[1]
            if "examples" in content or "example" in content:
                continue
            missing: list[str] = []
            value = compose_example(content.get("schema", {}), components, missing)
            if not missing:
                content["examples"] = {MAIN_EXAMPLE: {"summary": str(_("A typical answer")), "value": value}}
    _share_error_responses(result)
    return result


# --- the journey and the info block -----------------------------------------------------------------------

# (tag, description, first path segments), in the order a client meets them.
TAGS: list[tuple[str, Any, list[str]]] = [
    ("accounts", _("Register, sign in for a token pair, refresh it, sign out; your own profile and language."),
     ["auth", "me"]),
    ("companies", _("Register your company, invite colleagues, manage memberships and roles. Staff verify "
                    "companies before they can list assets or sign agreements."),
     ["companies", "invitations", "memberships"]),
    ("catalog", _("Drug assets listed by licensors: the public teaser, the confidential core for partners, "
                  "patents, regulatory events, watchlists, interest and recommendations."),
     ["assets", "patents", "regulatory-events", "regions", "watchlist", "interests", "interest-profiles"]),
    ("partnering", _("Calls for assets and their submissions, private evaluations, meetings across time zones with "
                     "calendar invitations and a private feed, partnering events with one-on-one slots."),
     ["calls", "submissions", "evaluation-criteria", "evaluations", "meetings", "calendar-feed", "events"]),
    ("data rooms", _("Share an asset's documents with a partner: access requests, grants, the room's CDA, "
                     "folders, documents, watermarked views and downloads, questions and answers."),
     ["datarooms", "dataroom-access-requests", "dataroom-grants", "dataroom-folders", "dataroom-documents",
      "dataroom-imports", "dataroom-downloads", "dataroom-questions", "dataroom-scans"]),
    ("agreements", _("Negotiate a licence: versions of the terms, approvals by both sides, execution, "
                     "milestones invoiced and paid."),
     ["agreements", "agreement-milestones"]),
    ("deal intelligence", _("Announced deals and their sources, market figures, analytics, comparables for an asset "
                            "or a term sheet, rNPV valuation and charts; platform deals only ever aggregated."),
     ["intelligence"]),
    ("alliances", _("After signing: the alliance of an executed agreement, for its parties only: committees, "
                    "meetings, minutes and decisions, action items, the shared development budget and its "
                    "quarterly reconciliation, obligations and the issue log."),
     ["alliances", "alliance-committees", "alliance-meetings", "alliance-minutes", "alliance-decisions",
      "alliance-action-items", "alliance-work-packages", "alliance-budgets", "alliance-costs",
      "alliance-obligations", "alliance-issues"]),
    ("financing", _("Raise money or invest: investor theses, rounds with a public teaser and a protected core, "
                    "the book of interest, soft-circles and commitments, private between a biotech and each "
                    "investor."),
     ["rounds", "book-entries", "investor-profiles"]),
    ("service providers", _("Hire verified service providers abroad: provider search, service requests (RFPs) with "
                            "confidential attachments, proposals and their versions, clarification questions, "
                            "awards, engagements with payment milestones and data-room access, reviews."),
     ["providers", "service-requests", "request-attachments", "proposals", "request-questions", "engagements",
      "engagement-milestones", "provider-reviews"]),
    ("notifications", _("What happened that concerns you, and how you hear about each kind of event."),
     ["notifications", "notification-preferences"]),
]


def _info_description() -> str:
    from django.conf import settings

    jwt = settings.SIMPLE_JWT
    access_minutes = int(jwt["ACCESS_TOKEN_LIFETIME"].total_seconds() // 60)
    refresh_days = int(jwt["REFRESH_TOKEN_LIFETIME"].total_seconds() // 86400)
    return str(_INFO).format(access_minutes=access_minutes, refresh_days=refresh_days)


_INFO = _(
    "Global Pharma Community: licensors list drug assets, partners find them, both sides share a data room and "
    "negotiate a licence agreement.\n\n"
    "## Authentication\n"
    "`POST /api/v1/auth/token/` with your e-mail and password answers an access token and a refresh token (JWT). "
    "Send the access token as `Authorization: Bearer <access>` on every other call. The access token lives "
    "{access_minutes} minutes; the refresh token {refresh_days} days. `POST /api/v1/auth/token/refresh/` trades a "
    "refresh token for a new pair: refresh tokens rotate, and the old one stops working at once. "
    "`POST /api/v1/auth/logout/` revokes both. Repeated wrong passwords lock the account for this address "
    "(429 `locked_out`).\n\n"
    "## Errors\n"
    "Every error has one shape: `{{\"error\": {{\"code\": \"...\", \"message\": \"...\", \"fields\": {{...}}}}}}`. "
    "Branch on `code`, a stable machine code; `message` is for people, in your language; `fields` names each "
    "field at fault. Each operation lists the codes it can answer with, by status. An object you may not see "
    "answers 404 exactly as one that does not exist. 429 and 503 answers carry `Retry-After` (seconds).\n\n"
    "## Pagination, filters and ordering\n"
    "Lists are pages: `?page=2&page_size=50` (at most 200) answers `count`, `next`, `previous` and `results`; "
    "feeds that grow while you read (notifications) use a cursor in `next`. Filters and `?ordering=` accept the "
    "values each operation lists; anything else is a 400 `invalid`, never silently ignored.\n\n"
    "## Languages\n"
    "Send `Accept-Language: zh-hans` for Simplified Chinese (messages, labels, and this documentation: "
    "`/api/schema/?lang=zh-hans`); English is the default. Notifications and e-mails follow the language of your "
    "profile (`PATCH /api/v1/me/`).\n\n"
    "## The CDA gate\n"
    "A data room may require a confidentiality agreement (CDA). A partner with a grant sees the room's documents "
    "only after accepting the room's current CDA (`POST /api/v1/datarooms/{{id}}/accept-cda/`); a new CDA version "
    "must be accepted again."
)

INFO_DESCRIPTION = lazy(_info_description, str)()
