"""Walks every API operation for every persona. An operation without a row fails the suite."""

import importlib
import pkgutil
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator

import tests
from tests.authz.matrix import Row
from tests.conftest import PERSONAS, build_world


def _all_rows() -> list[Row]:
    rows: list[Row] = []
    for module_info in pkgutil.iter_modules(tests.__path__):
        try:
            module = importlib.import_module(f"tests.{module_info.name}.matrix")
        except ModuleNotFoundError as exc:
            if exc.name == f"tests.{module_info.name}.matrix":
                continue
            raise
        rows.extend(getattr(module, "ROWS", []))
    return rows


ROWS = _all_rows()


def _schema_operations() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_schema_operation_has_a_matrix_row():
    covered = {row.operation for row in ROWS}
    missing = sorted(_schema_operations() - covered)
    assert not missing, f"operations without an authorization-matrix row: {missing}"


def test_every_matrix_row_names_a_real_operation():
    stale = sorted({row.operation for row in ROWS} - _schema_operations())
    assert not stale, f"matrix rows for operations the API no longer has: {stale}"


# Every row runs for the standard personas and for any extra ones it names in `expect` (people its
# `params` adds to the world, e.g. an invited provider or a second investor).
CASES = [(row, persona) for row in ROWS for persona in row.expect]


def test_every_row_covers_the_standard_personas():
    short = [row.id for row in ROWS if not set(PERSONAS) <= set(row.expect)]
    assert not short, f"rows without a status for every standard persona: {short}"


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "persona"), CASES, ids=[f"{row.id}-{persona}" for row, persona in CASES])
def test_authorization_matrix(row: Row, persona: str):
    world = build_world()
    params = row.params(world)
    path = row.path.format(**params)
    if row.query is not None:
        path = f"{path}?{urlencode(row.query(world))}"
    body = row.body(world, persona) if row.body else None
    assert persona in world.people, f"{row.id}: persona {persona} was not added to the world by the row's params"
    client = world.client(persona)
    send = getattr(client, row.method.lower())
    if row.multipart:
        response = send(path, body or {}, format="multipart")
    else:
        response = send(path, body, format="json") if body is not None else send(path)
    expected = row.expect[persona]
    assert response.status_code == expected, (
        f"{row.id} as {persona}: expected {expected}, got {response.status_code}: "
        f"{getattr(response, 'data', None) or response.content[:300]!r}"
    )
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        assert set(response.json()) == {"error"}, "errors must use the one error format"
