from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from apps.accounts import audit_actions as acts
from apps.audit.services import audit_record


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(action=acts.LOGIN_SUCCEEDED, actor=user, target=user, request=request)


@receiver(user_login_failed)
def audit_failed_login(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    # Never store the password; the attempted login name is what staff need to spot an attack.
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit_record(action=acts.LOGIN_FAILED, actor=None, request=request, details={"email": attempted})
