"""What clients need to know beyond the schema's types: the codes this app answers with, and example values."""

from django.utils.translation import gettext_lazy as _

ERROR_CODES = {
    "locked_out": _("Too many failed sign-ins for this account from your address: wait the seconds in "
                    "Retry-After."),
}
