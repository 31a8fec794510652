"""Notification kinds of deal intelligence (see apps/notifications/kinds.py)."""

from django.utils.translation import gettext_lazy as _

from apps.notifications.kinds import register

register(
    "intelligence.contribution_requested",
    label=_("Consent to contribute a deal to statistics requested"),
    title=_("{company} agreed to contribute {agreement} to deal statistics"),
    body=_("{company} consented to add {agreement} to the platform's deal statistics, where it is only ever shown "
           "aggregated with at least {k} other deals. It is contributed once every party consents."),
    required_context=("company", "agreement", "k"),
    url="{site_url}/agreements/{agreement_id}",
)
