"""The OpenAPI schema is valid, warning-free, and documents the error responses of every operation."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

ROOT = Path(__file__).resolve().parents[2]


def test_spectacular_validates_the_schema_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--validate", "--fail-on-warn",
         "--file", str(tmp_path / "schema.yaml")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def schema():
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def test_every_protected_operation_documents_401_and_503(schema):
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        assert "503" in codes, (method, path)
        if operation.get("security") != [{}] and not path.startswith("/api/v1/auth/"):
            assert "401" in codes, (method, path)


def test_every_operation_on_one_object_documents_404(schema):
    for path, method, operation in _operations(schema):
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_every_write_with_a_body_documents_400(schema):
    for path, method, operation in _operations(schema):
        if method in {"post", "put", "patch"} and "requestBody" in operation:
            assert {"400"} <= set(operation["responses"]), (method, path)


def test_guarded_writes_document_403_permission_denied(schema):
    """GuardedViewSet refuses a write whose result the caller could not see, and an action the role does not
    allow, with 403 permission_denied: every such write says so (apps/core/api/schema.py automatic_errors)."""
    for path, method, operation in _operations(schema):
        if method == "patch" and path.count("{") == 1:
            response = operation["responses"].get("403", {})
            if "$ref" in response:
                response = schema["components"]["responses"][response["$ref"].rsplit("/", 1)[-1]]
            assert "permission_denied" in response.get("x-error-codes", []), (method, path)
