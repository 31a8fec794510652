import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

# Each app may ship `apps/<app>/demo.py` with `load(ctx: dict) -> None`; they run in this order and
# share `ctx` (companies, people, assets, ...). Every loader is idempotent: a second run adds nothing.
ORDER = ["companies", "notifications", "catalog", "datarooms", "agreements", "partnering", "intelligence", "alliance",
         "providers", "financing", "audit", "console"]


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo's notifications e-mail people as they happen; with the console e-mail backend that is pages of
        # MIME text before the logins. Kept in memory while loading (the outbox still records each as sent).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            ctx = self._load()
        from django.core import mail

        sent = len(getattr(mail, "outbox", []))
        if sent:
            self.stdout.write(f"demo data: {sent} e-mails sent while loading, kept out of the console")
        self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all: {})".format(ctx.get("password", "?"))))
        for role, email in ctx.get("logins", []):
            self.stdout.write(f"  {role:<28} {email}")

    def _load(self) -> dict[str, Any]:
        ctx: dict[str, Any] = {}
        for label in ORDER:
            if not apps.is_installed(f"apps.{label}"):
                continue
            try:
                module = importlib.import_module(f"apps.{label}.demo")
            except ModuleNotFoundError as exc:
                if exc.name == f"apps.{label}.demo":
                    continue
                raise
            with transaction.atomic():
                module.load(ctx)
            self.stdout.write(f"demo data: {label} ok")
        return ctx
