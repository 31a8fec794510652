"""OpenAPI: every operation documents the error responses it can really return."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from apps.core.api.parsers import MAX_INT, MIN_INT

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
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField(), required=False)  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class AutoSchema(SpectacularAutoSchema):
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
        if direction == "request" and isinstance(schema, dict) and schema.get("type") == "integer":
            # The body parser refuses integers beyond 64 bits (apps/core/api/parsers.py): say so.
            schema.setdefault("minimum", MIN_INT)
            schema.setdefault("maximum", MAX_INT)
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

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        method = self.method.upper()
        error = lambda text: self._get_response_for_code(  # noqa: E731
            OpenApiResponse(ErrorSerializer, description=text), "400", direction=direction
        )
        extra = {}
        if not any(cls is AllowAny for cls in self.view.permission_classes):
            extra["401"] = "Not authenticated"
        if method in ("POST", "PUT", "PATCH"):
            extra["400"] = "Invalid input"
            extra["413"] = "Request body too large"
            extra["415"] = "Unsupported media type"
        elif method == "GET":
            extra["400"] = "Invalid query parameters (filters, ordering)"
        if "{" in self.path:
            extra["404"] = "Not found, or not visible to you"
        elif method in ("POST", "PUT", "PATCH"):
            extra["404"] = "An object the request refers to was not found, or is not visible to you"
        elif method == "GET" and self._is_list_view() and self._get_paginator() is not None:
            extra["404"] = "No such page"
        elif method == "GET":
            extra["404"] = "What the query names was not found, or is not visible to you"
        if method != "GET" or getattr(self.view, "may_refuse_reads", False):
            extra["403"] = "You may see this but may not do it"
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            extra["409"] = "Conflicts with the object's state"
        extra["429"] = "Too many requests"
        extra["503"] = "Service temporarily unavailable"
        for code, text in extra.items():
            responses.setdefault(code, error(text))
        return responses
