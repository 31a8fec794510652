"""Clients generated from /api/schema/ work: the proof a client team needs before building on it.

* The schema is valid OpenAPI 3 (openapi-spec-validator).
* TypeScript types generated from it (openapi-typescript) compile under `tsc --strict`, together with every
  operation's documented example typed as that operation's answer: an example the types refuse is a schema lie.
* A Python client generated from it (openapi-python-client) drives a short journey against a live test server
  (tests/contract/journey.py): register, sign in, list assets, open a data room, list its documents, read an
  agreement with its typed terms. Every answer is parsed into the generated models.

The generators are pinned in tests/contract/package.json (+ package-lock.json) and tests/contract/requirements.txt;
`make contract-tools` installs them (make test does it first). Without them these tests skip, except under
make test (GPC_CONTRACT_REQUIRED=1), where a missing tool is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from apps.core.api.schema import main_success
from tests.agreements.helpers import executed
from tests.datarooms.rooms import build_room
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT / "tests" / "contract"
NODE_BIN = TOOLS / "node_modules" / ".bin"
VENV_BIN = ROOT / "var" / "contract-venv" / "bin"

pytestmark = [pytest.mark.xdist_group("contract"), pytest.mark.slow]


def _require(*paths: Path) -> None:
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        message = f"contract tools missing ({', '.join(missing)}): run `make contract-tools`"
        if os.environ.get("GPC_CONTRACT_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return result


@pytest.fixture(scope="module")
def schema():
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema_file(schema, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("contract") / "schema.json"
    path.write_text(json.dumps(schema, ensure_ascii=False))
    return path


def test_the_schema_is_valid_openapi(schema_file):
    _require(VENV_BIN / "openapi-spec-validator")
    result = _run([str(VENV_BIN / "openapi-spec-validator"), str(schema_file)])
    assert "OK" in result.stdout


def _typed_examples(schema: dict) -> str:
    """A TypeScript module declaring each operation's documented example as that operation's answer type."""
    lines = ['import type { paths } from "./schema";', ""]
    for path, items in sorted(schema["paths"].items()):
        for method, operation in sorted(items.items()):
            main = main_success(operation) if isinstance(operation, dict) else None
            if main is None:
                continue
            status, content = main
            for index, example in enumerate(content.get("examples", {}).values()):
                answer = f'paths["{path}"]["{method}"]["responses"][{status}]["content"]["application/json"]'
                name = f"{operation['operationId']}_{index}"
                lines.append(f"export const {name}: {answer} = {json.dumps(example['value'], ensure_ascii=False)};")
    return "\n".join(lines) + "\n"


def test_typescript_types_compile_strictly_with_every_documented_example(schema, schema_file, tmp_path):
    _require(NODE_BIN / "openapi-typescript", NODE_BIN / "tsc")
    _run([str(NODE_BIN / "openapi-typescript"), str(schema_file), "-o", str(tmp_path / "schema.d.ts")])
    (tmp_path / "examples.ts").write_text(_typed_examples(schema))
    _run([str(NODE_BIN / "tsc"), "--strict", "--noEmit", "--target", "es2020", "--moduleResolution", "node",
          str(tmp_path / "schema.d.ts"), str(tmp_path / "examples.ts")])


@pytest.mark.django_db(transaction=True)
def test_a_generated_python_client_drives_a_client_journey(schema_file, tmp_path, live_server, world):
    _require(VENV_BIN / "openapi-python-client", VENV_BIN / "python")
    # The world a partner meets: a room (without a CDA) it holds a grant to, and an agreement in force with terms.
    build_room(world, grant="download")
    executed(world)
    package = tmp_path / "gpc_client"
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    _run([str(VENV_BIN / "openapi-python-client"), "generate", "--path", str(schema_file), "--output-path",
          str(package), "--meta", "none"], env=env, cwd=tmp_path)
    result = _run([str(VENV_BIN / "python"), str(TOOLS / "journey.py"), live_server.url,
                   world.other_member.email, PASSWORD], env={**env, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path)
    assert "JOURNEY OK" in result.stdout, result.stdout
