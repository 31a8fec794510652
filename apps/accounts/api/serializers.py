import zoneinfo
from typing import Any

from django.contrib.auth import password_validation
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer, TokenRefreshSerializer

from apps.accounts.models import User, validate_time_zone
from apps.accounts.tokens import SecondFactorRefreshToken
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


class SecondFactorRefused(AuthenticationFailed):
    """401 with its own code (otp_required, otp_invalid) rather than the generic authentication_failed."""


class LoginSerializer(StrictMixin, TokenObtainPairSerializer):
    """E-mail and password; staff add the current code of their authenticator app (`otp_token`), the same second
    factor the console demands. A wrong code counts towards the account's lockout like a wrong password."""

    username_field = "email"
    token_class = SecondFactorRefreshToken
    # Any text: a code that is not the device's current one (malformed included) is a wrong code, 401 otp_invalid.
    otp_token = serializers.CharField(
        required=False, allow_blank=True, max_length=16,
        help_text=_("Staff only: the code their authenticator app shows now (6 digits)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"] = LoginEmailField(write_only=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        code = attrs.pop("otp_token", None)
        data = super().validate(attrs)  # password checked first (its failures count in django-axes)
        user: Any = self.user
        if not user.is_staff:
            return data
        if not code:
            raise SecondFactorRefused(
                _("Staff accounts need the code from their authenticator app as otp_token."), code="otp_required")
        if match_token(user, code) is None:
            request = self.context.get("request")
            user_login_failed.send(sender=type(self), credentials={"email": attrs.get("email")},
                                   request=getattr(request, "_request", request))
            raise SecondFactorRefused(_("The authenticator code is wrong or was already used."), code="otp_invalid")
        refresh = SecondFactorRefreshToken.for_staff_with_second_factor(user)
        return {"refresh": str(refresh), "access": str(refresh.access_token)}


class SecondFactorRefreshSerializer(TokenRefreshSerializer):
    token_class = SecondFactorRefreshToken


class RefreshSerializer(StrictSerializer):
    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
