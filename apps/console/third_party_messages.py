"""Strings of third-party apps that ship no Simplified Chinese catalog, marked here so makemessages puts them
in the console's catalog (Django merges every app's catalog; the first app that translates a msgid wins).

Never imported: it exists only to be read by makemessages.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO_OTP = [
    _("Please enter your OTP token."),
    _("Error generating challenge: {0}"),
    _("The selected OTP device is not interactive"),
    _("OTP Challenge: {0}"),
    _("Invalid token. Please make sure you have entered it correctly."),
    _("Verification of the token is currently disabled"),
    _("Please select a device."),
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, please try again soon.",
        "Verification temporarily disabled because of %(failure_count)d failed attempts, please try again soon.",
        "failure_count",
    ),
]

DJANGO_AXES = [
    _("Access Attempt"),
    _("Access lock out"),
    _("Attempt Remaining"),
    _("Attempt Time"),
    _("Clean up expired attempts"),
    _("Expires At"),
    _("Failed Logins"),
    _("Form Data"),
    _("GET Data"),
    _("HTTP Accept"),
    _("IP Address"),
    _("Locked Out"),
    _("Logout Time"),
    _("Meta Data"),
    _("Not set"),
    _("POST Data"),
    _("Path"),
    _("Session key hash (sha256)"),
    _("The time when access attempt expires and is no longer valid."),
    _("User Agent"),
    _("Username"),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("access attempt"),
    _("access attempts"),
    _("access failure"),
    _("access failures"),
    _("access log"),
    _("access logs"),
]
