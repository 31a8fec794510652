"""JWT authentication whose access tokens can be revoked before they expire: logout really logs out.

Access tokens are short-lived (JWT_ACCESS_MINUTES, 10 by default) and stateless; logging out blacklists
the refresh token *and* writes the access token's id to the cache until the token would have expired
anyway, so the very next request with it answers 401. If the cache is unreachable the check is skipped
(logged): the API keeps serving, and a revoked token can live at most its remaining few minutes.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

logger = logging.getLogger(__name__)


def _revoked_key(jti: str) -> str:
    return f"auth:revoked-access:{jti}"


def access_token_revoke(token: Any) -> None:
    """Refuse this access token from now until it expires by itself."""
    jti, expires = token.get("jti"), token.get("exp")
    if not jti or not expires:
        return
    remaining = int(expires - time.time()) + 1
    if remaining > 0:
        try:
            cache.set(_revoked_key(jti), 1, timeout=remaining)
        except Exception:  # the cache is down: the refresh token is revoked anyway (database); see above
            logger.warning("access token revocation not recorded: cache unavailable", exc_info=True)


def access_token_is_revoked(token: Any) -> bool:
    jti = token.get("jti")
    if not jti:
        return False
    try:
        return bool(cache.get(_revoked_key(jti)))
    except Exception:  # the cache is down: serve on, see the module docstring
        logger.warning("token revocation check skipped: cache unavailable", exc_info=True)
        return False


class RevocableJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token: bytes) -> Any:
        token = super().get_validated_token(raw_token)
        if access_token_is_revoked(token):
            raise InvalidToken({"detail": _("This token has been revoked."), "code": "token_not_valid"})
        return token


class RevocableJWTScheme(SimpleJWTScheme):
    """The same bearer scheme in the OpenAPI document as simplejwt's own class."""

    target_class = "apps.accounts.authentication.RevocableJWTAuthentication"
