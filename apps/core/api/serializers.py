from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.countries import COUNTRY_CODES


def validated(serializer_class: Any, request: Any, data: Any = None) -> dict[str, Any]:
    """`data` (the request's body unless given) as `serializer_class` validates it, with the request in its context
    so that related fields find only what the caller may see; invalid input raises DRF's 400."""
    serializer = serializer_class(data=request.data if data is None else data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class StrictMixin:
    # Unknown fields are an error, not silently ignored: a typo must not look like success.
    # (A comment, not a docstring: drf-spectacular would print a docstring as the description of every
    # request and response component built on a strict serializer.)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}  # type: ignore[attr-defined]
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
            # DRF would quietly turn 42 or true into "42" or "True" for a text field: a client bug, not text.
            not_text = sorted(
                name for name, field in self.fields.items()  # type: ignore[attr-defined]
                if isinstance(field, serializers.CharField) and not field.read_only
                and name in data and data[name] is not None and not isinstance(data[name], str)
            )
            if not_text:
                errors: dict[str, Any] = {name: [_("Not a valid string.")] for name in not_text}
                try:
                    super().to_internal_value(data)  # type: ignore[misc]
                except serializers.ValidationError as exc:  # report every field at once, as DRF does
                    if isinstance(exc.detail, dict):
                        errors = {**exc.detail, **errors}
                raise serializers.ValidationError(errors)
        elif data is not None and not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [_("Expected a JSON object.")]})
        return super().to_internal_value(data)  # type: ignore[misc]


class StrictSerializer(StrictMixin, serializers.Serializer):
    pass


# The body of a moderation or withdrawal step: an optional note (publish, archive, close) or a required reason
# (request changes, decline). One schema component each, whichever app's endpoint takes it.
class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class RequiredReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class StrictModelSerializer(StrictMixin, serializers.ModelSerializer):
    pass


@extend_schema_field({"type": "string", "enum": sorted(COUNTRY_CODES), "description": "ISO 3166-1 alpha-2 code"})
class CountryField(serializers.CharField):
    """An ISO 3166-1 alpha-2 code, upper-cased; the schema lists the codes so clients can offer them."""

    default_error_messages = {"unknown_country": _("Unknown country code.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data).upper()
        if value not in COUNTRY_CODES:
            self.fail("unknown_country")
        return value
