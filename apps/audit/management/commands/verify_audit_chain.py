from typing import Any

from django.core.management.base import BaseCommand, CommandError

from apps.audit.services import audit_chain_verify


class Command(BaseCommand):
    help = "Check every audit event's hash and link to its predecessor; report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = audit_chain_verify()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at event id={broken.id} ({broken.created_at.isoformat()} {broken.action}) "
                f"after {checked} intact events."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {checked} events."))
