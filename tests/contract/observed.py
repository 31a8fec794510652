"""Every error code the suite sees an operation answer with is one the operation's documentation lists.

The suite's own requests are the evidence: while it runs, every API answer of 400 and up is recorded with its
view, action and method (DRF's finalize_response, through which every API answer passes); when the run ends
(after all xdist workers), each recorded (status, code) is looked up in that operation's documented error answers
(apps/core/api/schema.py `doc(errors=...)` and the automatic codes). A code nobody documented fails the run and is
named, with the operation and the `doc()` it belongs in. 405, 406 and 500 are the protocol's, not an operation's.

Wired in tests/conftest.py (a session fixture installs the recorder; pytest_sessionfinish checks).
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "var" / "contract-observed"
RUN_VARIABLE = "GPC_OBSERVED_RUN"
IGNORED_STATUSES = {405, 406, 500}

_seen: dict[str, set[tuple[int, str]]] = {}


def _key(view: Any, method: str) -> str:
    cls = type(view)
    return f"{cls.__module__}.{cls.__qualname__}|{getattr(view, 'action', None) or ''}|{method.upper()}"


def _code(response: Any) -> str | None:
    data = getattr(response, "data", None)
    if data is None:
        try:
            data = json.loads(response.content)
        except (ValueError, AttributeError, TypeError):
            return None
    error = data.get("error") if isinstance(data, dict) else None
    return error.get("code") if isinstance(error, dict) else None


def install() -> None:
    """Record every error answer of every DRF view (once per process)."""
    from rest_framework.views import APIView

    if getattr(APIView.finalize_response, "_records_errors", False):
        return
    original = APIView.finalize_response

    def finalize_response(self: Any, request: Any, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = original(self, request, response, *args, **kwargs)
        status = getattr(response, "status_code", 200)
        if status >= 400 and status not in IGNORED_STATUSES and request.path.startswith("/api/v1/"):
            code = _code(response)
            if code:
                _seen.setdefault(_key(self, request.method), set()).add((status, code))
        return response

    finalize_response._records_errors = True  # type: ignore[attr-defined]
    APIView.finalize_response = finalize_response  # type: ignore[method-assign]


def start_run() -> None:
    """In the process that starts the run (before xdist workers exist, so they inherit the id)."""
    os.environ.setdefault(RUN_VARIABLE, uuid.uuid4().hex)


def dump(worker: str) -> None:
    if not _seen or RUN_VARIABLE not in os.environ:
        return
    folder = FOLDER / os.environ[RUN_VARIABLE]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{worker}.json").write_text(json.dumps({key: sorted(codes) for key, codes in _seen.items()}))


def _documented() -> dict[str, tuple[str, dict[str, set[str]]]]:
    """view|action|METHOD -> (operation name, {status: documented codes})."""
    from django.utils import translation
    from drf_spectacular.generators import SchemaGenerator

    generator = SchemaGenerator()
    with translation.override("en"):
        schema = generator.get_schema(request=None, public=True)
    shared = schema["components"].get("responses", {})
    documented: dict[str, tuple[str, dict[str, set[str]]]] = {}
    for raw_path, _regex, method, callback in generator.endpoints:
        path = raw_path.replace("{pk}", "{id}")  # as the schema spells it (SCHEMA_COERCE_PATH_PK)
        operation = schema["paths"].get(path, {}).get(method.lower())
        if operation is None:
            continue
        cls = callback.cls
        action = (getattr(callback, "actions", None) or {}).get(method.lower(), "")
        codes: dict[str, set[str]] = {}
        for status, response in operation["responses"].items():
            if "$ref" in response:
                response = shared[response["$ref"].rsplit("/", 1)[-1]]
            codes[status] = set(response.get("x-error-codes", []))
        key = f"{cls.__module__}.{cls.__qualname__}|{action}|{method.upper()}"
        documented[key] = (f"{method.upper()} {path}", codes)
    return documented


def check() -> list[str]:
    """What the whole run saw and nobody documented, one line per operation and code."""
    if RUN_VARIABLE not in os.environ:
        return []
    folder = FOLDER / os.environ[RUN_VARIABLE]
    seen: dict[str, set[tuple[int, str]]] = {}
    for part in sorted(folder.glob("*.json")) if folder.exists() else []:
        for key, codes in json.loads(part.read_text()).items():
            seen.setdefault(key, set()).update((int(status), code) for status, code in codes)
    if not seen:
        return []
    documented = _documented()
    problems = []
    for key, codes in sorted(seen.items()):
        if key not in documented:
            continue  # a view outside the schema (e.g. the schema view itself)
        name, listed = documented[key]
        for status, code in sorted(codes):
            if code not in listed.get(str(status), set()):
                problems.append(f"{name} answered {status} `{code}`, which its documentation does not list "
                                f"(add it to doc(errors={{{status}: [...]}}))")
    return problems


def finish(session: Any) -> None:
    """Called at the end of every process: workers dump, the process that ran everything checks."""
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    dump(worker or "main")
    if worker is not None:
        return
    problems = check()
    if RUN_VARIABLE in os.environ:
        import shutil

        shutil.rmtree(FOLDER / os.environ[RUN_VARIABLE], ignore_errors=True)
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = ["", "Error codes answered but not documented (tests/contract/observed.py):", *problems]
        if reporter is not None:
            reporter.write_line("\n".join(lines), red=True)
        session.exitstatus = 1
