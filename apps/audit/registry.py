"""The one list of audit action codes, each with a label in every language the platform speaks.

Each app declares the codes it emits in `apps/<app>/audit_actions.py`:

    from django.utils.translation import gettext_lazy as _
    from apps.audit.registry import action

    ASSET_PUBLISHED = action("catalog.asset_published", _("Listing published"))

and gives the label its Chinese in the app's `locale/zh_Hans/LC_MESSAGES/django.po`. `AuditConfig.ready()`
imports every app's `audit_actions` module, so the registry is complete once Django has started.
`tests/audit/test_action_registry.py` fails when a code passed to `audit_record` anywhere in `apps/` is not
registered, breaks the naming style, or lacks an English or a Chinese label.

Naming style: `<area>.<what_happened>`: a lowercase area (the app or the domain object), a dot, then a
snake_case phrase ending in a past participle (`company.verified`, `dataroom.grant_revoked`). A code is stored
in every audit row and hashed into the chain, so a code once emitted is never renamed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*[a-z0-9]$")


@dataclass(frozen=True)
class ActionCode:
    code: str
    label: Any  # a gettext_lazy string: str(label) is the label in the active language
    module: str


_registry: dict[str, ActionCode] = {}


class RegistryError(ValueError):
    pass


def action(code: str, label: str | Promise, *, module: str | None = None) -> str:
    """Register `code` with its (lazy) label and return the code, so the constant stays a plain string."""
    if not CODE_PATTERN.match(code):
        raise RegistryError(f"audit action {code!r} does not follow '<area>.<what_happened>' (lowercase, snake_case)")
    if not isinstance(label, Promise):
        raise RegistryError(f"audit action {code!r}: the label must be gettext_lazy(...), so it follows the reader")
    module = module or _caller_module()
    existing = _registry.get(code)
    if existing is not None and existing.module != module:
        raise RegistryError(f"audit action {code!r} is registered by {existing.module} already, not {module}")
    _registry[code] = ActionCode(code=code, label=label, module=module)
    return code


def _caller_module() -> str:
    import inspect

    frame = inspect.currentframe()
    caller = frame.f_back.f_back if frame and frame.f_back else None
    return str(caller.f_globals.get("__name__", "?")) if caller else "?"


def all_actions() -> dict[str, ActionCode]:
    return dict(_registry)


def is_registered(code: str) -> bool:
    return code in _registry


def label_for(code: str) -> str:
    """The label in the active language; an unknown code (an old row, a code since retired) shows as itself."""
    entry = _registry.get(code)
    return str(entry.label) if entry is not None else code


def choices() -> list[tuple[str, str]]:
    """(code, label) pairs in the active language, sorted by label: what a filter or a form offers."""
    return sorted(((code, str(entry.label)) for code, entry in _registry.items()), key=lambda pair: pair[1])


def autodiscover() -> None:
    """Import `audit_actions` of every installed app (AuditConfig.ready)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("audit_actions")
