"""OpenAPI: every operation documents the error responses it can really return."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.JSONField(), required=False)  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class AutoSchema(SpectacularAutoSchema):
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
        if "{" in self.path:
            extra["404"] = "Not found, or not visible to you"
        if method != "GET" or getattr(self.view, "may_refuse_reads", False):
            extra["403"] = "You may see this but may not do it"
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            extra["409"] = "Conflicts with the object's state"
        extra["429"] = "Too many requests"
        extra["503"] = "Service temporarily unavailable"
        for code, text in extra.items():
            responses.setdefault(code, error(text))
        return responses
