"""API tokens. A staff account's tokens carry the claim `otp` (issued only with the second factor) and live
shorter than everyone else's, through refreshes too: staff tokens can publish listings and read every
confidential core, room and agreement, so a stolen one should be worth little for long."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

STAFF_CLAIM = "otp"


def staff_access_lifetime() -> timedelta:
    return timedelta(minutes=getattr(settings, "STAFF_JWT_ACCESS_MINUTES", 5))


def staff_refresh_lifetime() -> timedelta:
    return timedelta(hours=getattr(settings, "STAFF_JWT_REFRESH_HOURS", 8))


class SecondFactorRefreshToken(RefreshToken):
    """A refresh token that keeps a staff token's short lifetimes when it is rotated and when it mints access
    tokens (simplejwt would give both the everyone lifetimes)."""

    def set_exp(self, claim: str = "exp", from_time: Any = None, lifetime: Any = None) -> None:
        if lifetime is None and claim == "exp" and self.payload.get(STAFF_CLAIM):
            lifetime = staff_refresh_lifetime()
        super().set_exp(claim, from_time, lifetime)

    @property
    def access_token(self) -> AccessToken:
        access = super().access_token
        if self.payload.get(STAFF_CLAIM):
            access.set_exp(from_time=self.current_time, lifetime=staff_access_lifetime())
        return access  # type: ignore[return-value]

    @classmethod
    def for_staff_with_second_factor(cls, user: Any) -> SecondFactorRefreshToken:
        token: Any = cls.for_user(user)
        token[STAFF_CLAIM] = True
        token.set_exp()
        return token
