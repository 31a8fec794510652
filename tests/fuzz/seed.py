"""The world the fuzzer runs in: the standard personas plus every app's demo objects, so ids resolve.

`build_world()` (tests/conftest.py) makes Shanghai Lumina (owner/admin/member/viewer), Northbridge Pharma
(one member), an outsider and staff. Each app's `demo.load(ctx)` then adds its own objects; the demo's
companies have the same names, so the loaders attach their listings, rooms and agreements to the very
companies the personas belong to. Any app that ships a demo loader is fuzzed against real rows.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.urls import Resolver404, resolve
from rest_framework_simplejwt.tokens import AccessToken

from apps.core.management.commands.load_demo import ORDER
from tests.conftest import PERSONAS, World, build_world


@dataclass
class FuzzWorld:
    world: World
    headers: dict[str, dict[str, str]] = field(default_factory=dict)  # persona -> request headers
    ids: dict[str, list[str]] = field(default_factory=dict)  # path template -> real ids for its {param}
    body_ids: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # path -> body field -> real ids


def load_demo_objects() -> dict[str, Any]:
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
        module.load(ctx)
    return ctx


def bearer_headers(world: World) -> dict[str, dict[str, str]]:
    headers: dict[str, dict[str, str]] = {}
    for persona in PERSONAS:
        user = world.people.get(persona)
        headers[persona] = {} if user is None else {"Authorization": f"Bearer {AccessToken.for_user(user)}"}
    return headers


def view_class_behind(path_template: str) -> Any:
    sample = path_template.replace("{id}", "1").replace("{kind}", "x")
    try:
        match = resolve(sample)
    except Resolver404:
        return None
    return getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)


def model_behind(path_template: str) -> Any:
    """The model a templated API path reads, found through the URL resolver and the view class."""
    view_class = view_class_behind(path_template)
    if view_class is None:
        return None
    model = getattr(view_class, "model", None)
    if model is None and getattr(view_class, "queryset", None) is not None:
        model = view_class.queryset.model
    if model is None:
        serializer = getattr(view_class, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
    return model


def real_ids(path_templates: list[str]) -> dict[str, list[str]]:
    ids: dict[str, list[str]] = {}
    for template in path_templates:
        if "{id}" not in template:
            continue
        model = model_behind(template)
        if model is None:
            continue
        ids[template] = [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:200]]
    return ids


def related_body_ids(path_templates: list[str]) -> dict[str, dict[str, list[int]]]:
    """For each path, the related-object fields of its serializer and real ids for them."""
    result: dict[str, dict[str, list[int]]] = {}
    for template in path_templates:
        view_class = view_class_behind(template)
        serializer_class = getattr(view_class, "serializer_class", None)
        if serializer_class is None:
            continue
        try:
            fields = serializer_class().fields
        except Exception:  # noqa: S112 - a serializer that needs a request context: no hints for it
            continue
        refs: dict[str, list[int]] = {}
        for name, serializer_field in fields.items():
            related = getattr(serializer_field, "child_relation", serializer_field)
            queryset = getattr(related, "queryset", None)
            if serializer_field.read_only or queryset is None or not hasattr(queryset, "model"):
                continue
            refs[name] = list(queryset.model._default_manager.order_by("pk").values_list("pk", flat=True)[:200])
        if refs:
            result[template] = refs
    return result


def seed(path_templates: list[str]) -> FuzzWorld:
    world = build_world()
    world.extra["demo"] = load_demo_objects()
    return FuzzWorld(world=world, headers=bearer_headers(world), ids=real_ids(path_templates),
                     body_ids=related_body_ids(path_templates))


def other_path_values() -> dict[str, list[str]]:
    """Real values for path parameters that are not ids (notification kinds)."""
    try:
        from apps.notifications.kinds import all_kinds
    except ImportError:
        return {}
    return {"kind": [kind.code for kind in all_kinds()]}
