import zoneinfo
from typing import Any

from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from apps.accounts.models import User, validate_time_zone
from apps.core.api.serializers import StrictMixin, StrictModelSerializer, StrictSerializer


@extend_schema_field({"type": "string", "enum": sorted(zoneinfo.available_timezones()), "maxLength": 64})
class TimeZoneField(serializers.CharField):
    """An IANA time zone name; the schema lists them so a client (or a fuzzer) can only pick real ones."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("required", False)
        super().__init__(validators=[validate_time_zone], **kwargs)


class UserSerializer(StrictModelSerializer):
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "time_zone", "is_staff", "date_joined"]
        read_only_fields = ["email", "is_staff", "date_joined"]


class RegistrationSerializer(StrictModelSerializer):
    # min_length mirrors MinimumLengthValidator in settings, so the schema states the rule a client can see.
    password = serializers.CharField(write_only=True, min_length=10, max_length=128, style={"input_type": "password"})
    time_zone = TimeZoneField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "time_zone", "password"]

    def validate_email(self, value: str) -> str:
        value = value.strip().lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError(_("An account with this e-mail address already exists."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(email=attrs.get("email", ""), full_name=attrs.get("full_name", ""))
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except Exception as exc:  # django ValidationError → field error in the one error format
            raise serializers.ValidationError({"password": list(getattr(exc, "messages", [str(exc)]))}) from exc
        return attrs


@extend_schema_field({"type": "string", "format": "email"})
class LoginEmailField(serializers.CharField):
    """The sign-in e-mail: any text is checked against the accounts (a malformed one simply matches none)."""


class LoginSerializer(StrictMixin, TokenObtainPairSerializer):
    username_field = "email"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = LoginEmailField(write_only=True)


class RefreshSerializer(StrictSerializer):
    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
