from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import user_logged_in
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema_view
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from apps.accounts import audit_actions as acts
from apps.accounts.api.serializers import (
    LoginSerializer,
    RefreshSerializer,
    RegistrationSerializer,
    SecondFactorRefreshSerializer,
    TokenPairSerializer,
    UserSerializer,
)
from apps.accounts.authentication import access_token_revoke
from apps.accounts.lockout import lockout_response
from apps.accounts.models import User
from apps.audit.services import audit_record
from apps.core.api.schema import doc
from apps.core.errors import ValidationFailed
from apps.core.throttles import LoginThrottle, RegistrationThrottle


@extend_schema_view(post=doc(
    summary=_("Register a personal account"),
    description=_(
        "Creates your account with your e-mail, name, language and time zone. No token is returned: sign in with "
        "`POST /api/v1/auth/token/` next. To act for a company, register one (`POST /api/v1/companies/`) or accept "
        "an invitation from a colleague. The password must be at least 10 characters and not a common one."
    ),
))
class RegisterView(generics.CreateAPIView):
    """Create a personal account. Joining or registering a company comes next."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [RegistrationThrottle]
    serializer_class = RegistrationSerializer

    def perform_create(self, serializer: Any) -> None:
        with transaction.atomic():
            data = dict(serializer.validated_data)
            password = data.pop("password")
            user = User.objects.create_user(password=password, **data)
            serializer.instance = user
            audit_record(action=acts.USER_REGISTERED, actor=user, target=user)


class LoginView(TokenObtainPairView):
    """E-mail and password for an access/refresh token pair; staff also give `otp_token`, the code of their
    authenticator app (401 `otp_required` without it, `otp_invalid` when wrong). Repeated failures, wrong codes
    included, lock the account+IP (429)."""

    serializer_class = LoginSerializer
    throttle_classes = [LoginThrottle]
    authentication_classes = ()

    @doc(
        summary=_("Sign in: get an access and a refresh token"),
        description=_(
            "Send your e-mail and password; the answer is a JWT pair. Send the access token as "
            "`Authorization: Bearer <access>` on every call; when it expires, trade the refresh token at "
            "`POST /api/v1/auth/token/refresh/`. Staff also send `otp_token`, the code of their authenticator app, "
            "and get shorter-lived tokens. Repeated failures lock the account for your address for a while (429 "
            "`locked_out`, even with the right password)."
        ),
        errors={401: ["authentication_failed", "otp_required", "otp_invalid"], 429: ["locked_out"]},
        responses={200: TokenPairSerializer},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data: Any = request.data
        credentials = {"email": data.get("email") if isinstance(data, dict) else None}
        # Checked here because the lockout raised inside authenticate() never reaches axes' middleware
        # through DRF: a locked account gets 429 even with the right password.
        if not AxesProxyHandler.is_allowed(request._request, credentials):
            return lockout_response(request._request)  # type: ignore[return-value]
        response = super().post(request, *args, **kwargs)
        if response.status_code != 200 and not AxesProxyHandler.is_allowed(request._request, credentials):
            return lockout_response(request._request)  # type: ignore[return-value]
        if response.status_code == 200:
            user = User.objects.get(email__iexact=data["email"])
            user_logged_in.send(sender=User, request=request._request, user=user)
        return response


@extend_schema_view(post=doc(
    summary=_("Refresh: trade a refresh token for a new pair"),
    description=_(
        "Answers a new access token and a new refresh token. Refresh tokens rotate: the one you sent stops working "
        "at once, so keep the new one. A refresh token that was used, revoked by signing out, or has expired "
        "answers 401 `token_not_valid`: sign in again."
    ),
    errors={401: ["token_not_valid"]},
    example={"access": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.access-signature",
             "refresh": "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.refresh-signature"},
))
class RefreshView(TokenRefreshView):
    """Trade a refresh token for a new pair. Refresh tokens rotate; a used one is revoked. A staff pair stays
    short-lived."""

    serializer_class = SecondFactorRefreshSerializer

    throttle_classes = [LoginThrottle]
    authentication_classes = ()


class LogoutView(APIView):
    """Revoke a refresh token so it can never be used again, and the access token the request came with."""

    permission_classes = [IsAuthenticated]

    @doc(
        summary=_("Sign out: revoke your tokens"),
        description=_(
            "Revokes the refresh token you send and the access token the request came with; neither works again. "
            "A refresh token that is not yours, already used or expired answers 400 `token_not_valid`."
        ),
        errors={400: ["token_not_valid"]},
        request=RefreshSerializer,
        responses={204: OpenApiResponse(description=_("Signed out"))},
    )
    def post(self, request: Request) -> Response:
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = RefreshToken(serializer.validated_data["refresh"])
            if str(token.get("user_id")) != str(request.user.pk):
                raise TokenError("not yours")
            token.blacklist()
        except TokenError:
            raise ValidationFailed(
                _("The refresh token is invalid or expired."), code="token_not_valid"
            ) from None
        if request.auth is not None and hasattr(request.auth, "get"):  # the access token this request came with
            access_token_revoke(request.auth)
        audit_record(action=acts.LOGOUT, actor=request.user, target=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=doc(
        summary=_("Your profile"),
        description=_(
            "The signed-in person: e-mail, name, preferred language (`en` or `zh-hans`, used for notifications and "
            "e-mails) and time zone. Companies you belong to are at `GET /api/v1/memberships/`."
        ),
    ),
    patch=doc(
        summary=_("Change your name, language or time zone"),
        description=_(
            "Send only the fields to change. The e-mail address cannot be changed here. The language chosen here is "
            "the one notifications and e-mails are written in; API answers follow `Accept-Language`."
        ),
    ),
)
class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person: name, language (en / zh-hans) and time zone."""

    serializer_class = UserSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]
