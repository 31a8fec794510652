"""Rate limits on the flows that can be abused. Rates live in settings (DEFAULT_THROTTLE_RATES)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class LoginThrottle(AnonRateThrottle):
    scope = "login"


class RegistrationThrottle(UserRateThrottle):
    scope = "registration"


class InvitationThrottle(UserRateThrottle):
    scope = "invitation"


class AccessRequestThrottle(UserRateThrottle):
    scope = "access_request"


class DownloadThrottle(UserRateThrottle):
    scope = "download"
