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
    _export_gate_refusal(ctx)
    ctx.setdefault("logins", []).extend([
        ("staff moderator (admin)", "moderator@gpc.example"),
        ("staff compliance (admin)", "compliance@gpc.example"),
        ("admin sign-in code", "manage.py demo_totp <e-mail>"),
    ])


def _export_gate_refusal(ctx: dict[str, Any]) -> None:
    """One partner held at the export gate, so the "Export clearances waiting" worklist has a row to work: a
    foreign company refused an export-controlled document of a mainland-China room (recorded once)."""
    from apps.audit.models import AuditEvent
    from apps.audit.services import audit_record
    from apps.core.countries import MAINLAND_CHINA
    from apps.datarooms.audit_actions import DOCUMENT_REFUSED
    from apps.datarooms.models import Document
    from apps.datarooms.services import export_gate_missing

    partner = ctx.get("companies", {}).get("northbridge")
    if partner is None or partner.country == MAINLAND_CHINA:
        return
    person = ctx.get("people", {}).get("northbridge_member") or ctx.get("people", {}).get("northbridge_admin")
    documents = Document.objects.filter(room__owner_company__country=MAINLAND_CHINA).select_related("room")
    for document in documents.order_by("id")[:50]:
        missing = export_gate_missing(document=document, company=partner)
        if not missing:
            continue
        if not AuditEvent.objects.filter(action=DOCUMENT_REFUSED, target_id=str(document.pk),
                                         actor_company=partner).exists():
            audit_record(action=DOCUMENT_REFUSED, actor=person, target=document, company=partner,
                         details={"code": "export_clearance_required", "missing": [str(code) for code in missing]})
        return
