"""Demo staff: the admin, a moderator and a compliance officer, each with a known TOTP device.

Sign in at /admin/ with the e-mail, the demo password and the code from
`manage.py demo_totp <email>` (or add the printed `--secret` to an authenticator app).
"""

from typing import Any

from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.console.roles import COMPLIANCE_OFFICER, MODERATOR, sync_roles
from apps.console.totp import DEMO_DEVICE_NAME

# Fixed, public demo secrets (hex, 20 bytes): the demo database is fictional and local.
DEMO_KEYS = {
    "admin@gpc.example": "3132333435363738393031323334353637383930",
    "moderator@gpc.example": "6d6f64657261746f722d64656d6f2d6b65792d31",
    "compliance@gpc.example": "636f6d706c69616e63652d64656d6f2d6b65792d",
}

STAFF = [
    # (email, full name, language, role group or None for the superuser)
    ("moderator@gpc.example", "Mona Moderator", "en", MODERATOR),
    ("compliance@gpc.example", "Zhou Hui 周慧", "zh-hans", COMPLIANCE_OFFICER),
]


def load(ctx: dict[str, Any]) -> None:
    sync_roles()
    password = ctx.get("password", "gpc-demo-2026")
    people = ctx.setdefault("people", {})
    for email, name, language, role in STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, full_name=name,
                                            preferred_language=language, is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        people[role.replace(" ", "_")] = user
    for email, key in DEMO_KEYS.items():
        user = User.objects.filter(email=email).first()
        if user is not None and not TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).exists():
            TOTPDevice.objects.create(user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True)
    ctx.setdefault("logins", []).extend([
        ("staff moderator (admin)", "moderator@gpc.example"),
        ("staff compliance (admin)", "compliance@gpc.example"),
        ("admin sign-in code", "manage.py demo_totp <e-mail>"),
    ])
