"""What clients need to know beyond the schema's types: the codes this app answers with, and example values."""

from django.utils.translation import gettext_lazy as _

ERROR_CODES = {
    "otp_required": _("A staff account signs in with the code of its authenticator app in `otp_token`."),
    "otp_invalid": _("The authenticator code is wrong or was already used."),
    "locked_out": _("Too many failed sign-ins for this account from your address: wait the seconds in "
                    "Retry-After."),
}

FIELD_EXAMPLES = {
    "Login.otp_token": "492817",
}
