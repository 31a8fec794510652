"""Ordering and filters accept only fields the reader may read, on every list of the API, for every persona.

For each list operation in the OpenAPI schema and each persona, the real filter backends of the view say which
fields this reader's request may be ordered and filtered by (DRF's `get_valid_fields`, `accepted_filters` in
apps/core/api/filters.py). Each such field that is a field of the rows must then read, in every row the
persona lists, exactly what staff read in the same row: a field missing or blanked for the persona (a folder's
`held_back` for a partner, who asked a FAQ question for another partner) must not be orderable or filterable
by them, or sorting would disclose it row by row.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import resolve
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIRequestFactory, force_authenticate

from apps.datarooms import services
from tests.conftest import PERSONAS, build_world
from tests.datarooms.rooms import build_room, second_partner

pytestmark = pytest.mark.django_db

READERS = [p for p in PERSONAS if p != "anonymous"] + ["rival"]


def _list_paths() -> list[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{" in path:
            continue
        match = resolve(path)
        actions = getattr(match.func, "actions", None) or {}
        if actions.get("get") == "list":
            paths.append(path)
    return sorted(paths)


LIST_PATHS = _list_paths()


@pytest.fixture
def world(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES,
                         "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                     "OPTIONS": {"location": str(tmp_path / "private")}}}
    world = build_world()
    room = build_room(world, grant="download")
    company, rival = second_partner(world)
    world.people["rival"] = rival
    rival_grant = services.grant_create(actor=world.admin, room=room.room, company=company, level="view",
                                        scope="folders", folders=[room.clinical],
                                        expires_at=timezone.now() + timedelta(days=30))
    # The held-back CMC folder is released to both partners: they list it, but never learn it is held back.
    for grant in (room.grant, rival_grant):
        services.grant_release_folders(actor=world.admin, grant=grant, folders=[room.cmc])
    # Each partner asks; both answers become FAQ entries, so each partner lists the other's question.
    for person in (world.other_member, rival):
        question = services.question_ask(actor=person, room=room.room, document=None, text="Is the CSR final?")
        services.question_answer(actor=world.admin, question=question, answer="Yes.")
        services.question_publish(actor=world.admin, question=question, publish=True)
    return world


def _accepted_fields(path: str, user: Any) -> set[str]:
    match = resolve(path)
    request = APIRequestFactory().get(path)
    force_authenticate(request, user)
    view = match.func.cls(**match.func.initkwargs)
    view.action_map = match.func.actions
    view.args, view.kwargs = (), {}
    drf_request = view.initialize_request(request)
    view.request = drf_request
    view.format_kwarg = None
    view.headers = {}
    view.initial(drf_request)
    if not hasattr(view, "get_queryset"):
        return set()  # a fixed list (regions): nothing to order or filter
    queryset = view.get_queryset()
    fields: set[str] = set()
    for backend_class in view.filter_backends:
        backend = backend_class()
        if hasattr(backend, "get_valid_fields"):  # DRF's OrderingFilter API: what `?ordering=` accepts
            fields |= {name for name, _label in backend.get_valid_fields(queryset, view, {"request": drf_request})}
        if hasattr(backend, "get_filterset_class"):
            filterset_class = backend.get_filterset_class(view, queryset)
            if filterset_class is not None:
                names = backend.accepted_filters(drf_request, queryset, view)
                fields |= {filterset_class.base_filters[name].field_name for name in names}
    return fields


def _rows(world: Any, persona: str, path: str) -> list[dict[str, Any]]:
    response = world.client(persona).get(path, {"page_size": 200})
    if response.status_code != 200:
        return []
    body = response.json()
    rows = body.get("results", body) if isinstance(body, dict) else body
    return [row for row in rows if isinstance(row, dict)]


def test_the_walk_reaches_the_lists_that_hide_fields():
    assert "/api/v1/dataroom-folders/" in LIST_PATHS
    assert "/api/v1/dataroom-questions/" in LIST_PATHS


@pytest.mark.parametrize("path", LIST_PATHS)
def test_every_accepted_ordering_and_filter_field_is_readable_by_the_reader(world, path):
    staff_rows = {row["id"]: row for row in _rows(world, "staff", path) if "id" in row}
    row_fields = {name for row in staff_rows.values() for name in row}
    leaks = []
    for persona in READERS:
        accepted = _accepted_fields(path, world.people[persona]) & row_fields
        for row in _rows(world, persona, path):
            staff_row = staff_rows.get(row.get("id"))
            if staff_row is None:
                continue
            leaks += [f"{persona} may order or filter by {name!r} but reads {row.get(name, '(absent)')!r} "
                      f"in row {row['id']}" for name in sorted(accepted)
                      if name in staff_row and row.get(name, ...) != staff_row[name]]
    assert not leaks, leaks


def _names(world: Any, persona: str, query: str = "") -> list[str]:
    return [row["name"] for row in world.client(persona).get(f"/api/v1/dataroom-folders/?{query}").json()["results"]]


def _refused_like_an_unknown_field(answer: Any, field: str) -> None:
    """400, exactly as an ordering by a field that does not exist: the message lists what the reader may use."""
    assert answer.status_code == 400, answer.content
    message = answer.json()["error"]["fields"]["ordering"][0]
    assert field not in message.split("Use one of:")[1]


@pytest.mark.parametrize("persona", ["other_member", "rival"])
def test_a_partner_ordering_folders_by_held_back_is_refused_like_an_unknown_field(world, persona):
    assert "CMC" in _names(world, persona)
    client = world.client(persona)
    _refused_like_an_unknown_field(client.get("/api/v1/dataroom-folders/?ordering=held_back"), "held_back")
    unknown = client.get("/api/v1/dataroom-folders/?ordering=no_such_field").json()["error"]["fields"]["ordering"][0]
    hidden = client.get("/api/v1/dataroom-folders/?ordering=held_back").json()["error"]["fields"]["ordering"][0]
    assert unknown.replace("no_such_field", "held_back") == hidden


def test_insiders_still_order_folders_by_held_back(world):
    assert _names(world, "admin")[0] == "CMC"  # by name
    assert _names(world, "admin", "ordering=held_back")[-1] == "CMC"


def test_a_partner_ordering_questions_by_who_asked_is_refused_like_an_unknown_field(world):
    client = world.client("other_member")
    assert len(client.get("/api/v1/dataroom-questions/").json()["results"]) == 2
    for field in ("asked_by", "-asked_by", "company", "-company"):
        _refused_like_an_unknown_field(client.get(f"/api/v1/dataroom-questions/?ordering={field}"), field.lstrip("-"))
