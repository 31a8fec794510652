"""Signals other apps hook into (agreements: a regulatory event may trigger a milestone).

`regulatory_event_recorded` is sent by `services.regulatory_event_record` inside its transaction, with
`sender=RegulatoryEvent`, `event=<the saved RegulatoryEvent>` and `actor=<user>`. A receiver that raises
rolls the recording back; receivers doing slow or external work should defer it with on_commit.
"""

from django.dispatch import Signal

regulatory_event_recorded = Signal()
