"""Moderation the console adds to other apps' admin pages, without editing those apps.

Each app writes its own admin.py. After every admin.py has registered (ConsoleConfig.ready), the console
re-registers each extended model with a subclass that puts the console's mixin (moderation actions with a
reason, staff-role checks) in front of the app's own ModelAdmin. If an app has no ModelAdmin for the model
yet, the console's fallback admin stands in; if the model does not exist yet, nothing happens.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib import admin


@dataclass(frozen=True)
class Extension:
    model: str  # "app_label.ModelName"
    mixin: type
    fallback: type[admin.ModelAdmin] | None = None


_extensions: list[Extension] = []


def extend(model: str, *, fallback: type[admin.ModelAdmin] | None = None):  # type: ignore[no-untyped-def]
    """Class decorator for a ModelAdmin mixin: `console_actions` are added in front of the app's actions."""

    def decorator(mixin: type) -> type:
        _extensions.append(Extension(model=model, mixin=mixin, fallback=fallback))
        return mixin

    return decorator


def install_extensions(site: admin.AdminSite) -> None:
    for extension in _extensions:
        try:
            model = apps.get_model(extension.model)
        except (LookupError, ValueError):
            continue
        current = site._registry.get(model)
        if current is not None:
            base: type[admin.ModelAdmin] = type(current)
            if issubclass(base, extension.mixin):
                continue
            site.unregister(model)
        elif extension.fallback is not None:
            base = extension.fallback
        else:
            continue
        own_actions = list(base.actions or [])
        attrs = {
            "__module__": base.__module__,
            "__doc__": base.__doc__,
            "actions": [*getattr(extension.mixin, "console_actions", []), *own_actions],
        }
        site.register(model, type(base.__name__, (extension.mixin, base), attrs))
