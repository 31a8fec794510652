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
from django.core.exceptions import FieldDoesNotExist


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


def select_related_list_columns(site: admin.AdminSite) -> None:
    """No query per row on any list page: a ModelAdmin that shows foreign keys in its columns but sets no
    `list_select_related` gets exactly those foreign keys joined. Apps that set their own keep it."""
    for model, model_admin in site._registry.items():
        if model_admin.list_select_related:
            continue
        columns = [name for name in model_admin.list_display if isinstance(name, str)]
        related = []
        for name in columns:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_one or field.one_to_one:
                related.append(name)
        if related:
            setattr(model_admin, "list_select_related", related)  # noqa: B010 (a class attribute, per instance)
