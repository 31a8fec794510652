"""Rate limits on the flows that can be abused. Rates live in settings (DEFAULT_THROTTLE_RATES)."""

from typing import Any

from django.core.cache import cache
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
    """Views and downloads of data-room documents. A person who hits the limit may be scraping a room:
    the view is told once per window (`on_download_throttled(request)`, if it defines one) so it can
    warn the room's owner, without a warning for every refused request."""

    scope = "download"

    def allow_request(self, request: Any, view: Any) -> bool:
        if super().allow_request(request, view):
            return True
        hook = getattr(view, "on_download_throttled", None)
        window = self.parse_rate(self.rate)[1] or 60
        if hook is not None and cache.add(f"{self.key}:reported", 1, timeout=window):
            hook(request)
        return False
