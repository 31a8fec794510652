"""What clients need to know beyond the schema's types: the codes this app answers with, and example values."""

from django.utils.translation import gettext_lazy as _

ERROR_CODES = {
    "last_owner": _("A company must keep at least one owner: make someone else an owner first."),
    "already_member": _("The person is already a member of this company."),
    "not_pending": _("Only something still pending can be changed this way; this one was already decided."),
    "invitation_invalid": _("No invitation has this token, or it was sent to another e-mail address."),
    "invitation_used": _("The invitation was already accepted or revoked."),
    "invitation_expired": _("The invitation has expired: ask for a new one."),
}

FIELD_EXAMPLES = {
    "name_en": "Shanghai Lumina Biotherapeutics",
    "name_zh": "上海流明生物",
    "company_name_en": "Shanghai Lumina Biotherapeutics",
    "company_name_zh": "上海流明生物",
    "website": "https://lumina-bio.example",
    "Company.description": "Clinical-stage biotech developing antibody-drug conjugates for solid tumours.",
    "Company.status_reason": "",
    "Member.full_name": "Mei Lin",
    "token": "kq3Vd8sN2pXw7LmR4tYz",
}
