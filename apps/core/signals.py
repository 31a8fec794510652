"""Signals the foundation sends, so that core never imports the apps built on it (apps/audit listens)."""

from django.dispatch import Signal

# Sent by the API's exception handler for every refused call (403 or 404), inside the request, with
# request=, status_code= and reason=. The audit trail records it (AuditConfig.ready connects the receiver).
api_access_refused = Signal()
