from typing import Any

from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenObtainPairSerializer

from apps.accounts.models import User
from apps.core.api.serializers import StrictMixin, StrictModelSerializer, StrictSerializer


class UserSerializer(StrictModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "preferred_language", "time_zone", "is_staff", "date_joined"]
        read_only_fields = ["email", "is_staff", "date_joined"]


class RegistrationSerializer(StrictModelSerializer):
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})

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


class LoginSerializer(StrictMixin, TokenObtainPairSerializer):
    username_field = "email"


class RefreshSerializer(StrictSerializer):
    refresh = serializers.CharField()


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
