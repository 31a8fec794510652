"""Audit action codes of the document scan (issue 18); imported by apps/datarooms/audit_actions.py."""

from django.utils.translation import gettext_lazy as _

from apps.audit.registry import action

SCAN_CONFIRMED = action("dataroom.scan_confirmed", _("Document scan confirmed"))
SCAN_OVERRIDDEN = action("dataroom.scan_overridden", _("Document scan overridden"))
SCAN_INTERRUPTED = action("dataroom.scan_interrupted", _("Document scan given up"))
