"""Schemathesis over the live OpenAPI schema, as every persona, against seeded data.

Every operation of /api/schema/ gets generated requests, valid and invalid, sent in-process through
the WSGI application with a persona's JWT drawn per example (or none: anonymous). Path ids are taken
from real rows most of the time so requests reach objects, not only 404s. All of schemathesis' checks
run: no 5xx, status codes, content types and bodies as documented, declared authentication enforced
(re-sent without and with a bogus token), invalid input rejected and valid input not refused.

Each example runs inside a savepoint that is rolled back, so every example sees the same world.
`GPC_FUZZ_EXAMPLES` sets examples per operation (`make test` small, `make fuzz` 100).
"""

from __future__ import annotations

import importlib
import os

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core import signals
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import PERSONAS
from tests.fuzz.seed import FuzzWorld, other_path_values, seed

EXAMPLES = int(os.environ.get("GPC_FUZZ_EXAMPLES", "5"))
# The SQLite pass (Makefile) looks for what a database can change: 5xx and answers that are not JSON. Whether each
# answer is the documented one does not depend on the database and is checked on PostgreSQL.
CRASHES_ONLY = os.environ.get("GPC_FUZZ_CHECKS") == "crashes"

pytestmark = [pytest.mark.xdist_group("fuzz"), pytest.mark.slow, pytest.mark.django_db]

application = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seeded once for the module in a transaction that is rolled back at the end."""
    # Django's test client does the same: a request must not close the connection that holds the test's
    # transaction (CONN_MAX_AGE=0 would close it at request_finished).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Uploaded and demo files go to a temporary folder: the rollback cannot take files back.
    private = {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": str(tmp_path_factory.mktemp("fuzz-private"))}}
    with django_db_blocker.unblock(), override_settings(STORAGES={**django_settings.STORAGES, "private": private,
                                                                  "default": private}):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield seed(list(schema.raw_schema["paths"]))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)


# Rules a request can break while matching the schema, because no schema can state them. A valid-looking
# request refused with 400 passes only when the refusal names one of these (an error code, or the fields
# at fault); any other 400 on valid data is a finding: tighten the schema or fix the view.
BUSINESS_RULES: dict[str, set[str]] = {
    # Django's password validators (common, all-digit, too like the name) and an e-mail already taken.
    "POST /api/v1/auth/register/": {"password", "email"},
    # A refresh token is a signed credential; the schema can only say "a string".
    "POST /api/v1/auth/logout/": {"token_not_valid"},
    # Anywhere: a deadline must lie in the future; OpenAPI has no "later than now" for a date-time. And an
    # ordering the schema lists but this reader may not read (a partner ordering folders by held_back).
    "*": {"expiry_in_past", "ordering"},
}


def _merge_app_documented() -> None:
    """Each app states its own schema-inexpressible refusals in `apps/<app>/api/documented.py` (BUSINESS_RULES),
    next to the code that enforces them, for clients as much as for this fuzzer."""
    for app in django_apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.api.documented")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(app.name):
                continue
            raise
        # api/documented.py also states error codes and field examples (the API docs); not every app has refusals here.
        for operation, codes in getattr(module, "BUSINESS_RULES", {}).items():
            BUSINESS_RULES.setdefault(operation, set()).update(codes)


_merge_app_documented()


def _refused_for_a_business_rule(case, response) -> bool:
    allowed = BUSINESS_RULES.get(f"{case.method.upper()} {case.operation.path}", set()) | BUSINESS_RULES["*"]
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return False
    fields = set(error.get("fields") or {})
    return error.get("code") in allowed or (error.get("code") == "invalid" and bool(fields) and fields <= allowed)


def positive_data_acceptance_but_business_rules(ctx, response, case):
    """Schemathesis' positive_data_acceptance, except refusals listed in BUSINESS_RULES."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        # 413/415 too: an upload's bytes (size, real type) are exactly what no schema can describe.
        if response.status_code in (400, 413, 415) and _refused_for_a_business_rule(case, response):
            return None
        raise


def _use_real_path_values(case, fuzz: FuzzWorld, data) -> None:
    if case.meta is not None and not case.meta.generation.mode.is_positive:
        return  # negative cases keep their invalid path values
    if not case.path_parameters:
        return
    template = case.operation.path
    candidates = {"id": fuzz.ids.get(template, []), **other_path_values()}
    for name in list(case.path_parameters):
        values = candidates.get(name) or []
        if values and data.draw(st.integers(0, 9), label="real-id?") < 9:
            case.path_parameters[name] = data.draw(st.sampled_from(values), label=name)


def _use_real_body_ids(case, fuzz: FuzzWorld, data) -> None:
    """Related-object fields of a valid body mostly name real rows, so creates get past the lookup."""
    if case.meta is not None and not case.meta.generation.mode.is_positive:
        return
    if case.method.upper() not in ("POST", "PUT", "PATCH") or not isinstance(case.body, dict):
        return
    for name, ids in fuzz.body_ids.get(case.operation.path, {}).items():
        current = case.body.get(name, ...)
        if current is ... or not ids or data.draw(st.integers(0, 9), label="real-body-id?") == 0:
            continue
        if isinstance(current, list):
            case.body[name] = data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True), label=name)
        elif current is None or (isinstance(current, int) and not isinstance(current, bool)):
            case.body[name] = data.draw(st.sampled_from(ids), label=name)


@schema.given(persona=st.sampled_from(PERSONAS), data=st.data())
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    # Generated cases only: the schema's documented examples (apps/core/api/schema.py) are for readers, and
    # schemathesis cannot combine them with the persona and data drawn here; tests/core/test_api_docs.py and
    # tests/contract/ check those examples against the schema and the generated types.
    phases=[Phase.reuse, Phase.generate, Phase.shrink],
    deadline=None,
    derandomize=os.environ.get("GPC_FUZZ_RANDOM") is None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_api_conforms_to_its_schema(case, persona, data, fuzz_world):
    fuzz: FuzzWorld = fuzz_world
    _use_real_path_values(case, fuzz, data)
    _use_real_body_ids(case, fuzz, data)
    cache.clear()  # throttles and lockouts would otherwise answer 429 to later examples
    with transaction.atomic():
        try:
            if CRASHES_ONLY:
                case.call_and_validate(headers=fuzz.headers[persona], checks=[not_a_server_error, json_answer])
            else:
                case.call_and_validate(
                    headers=fuzz.headers[persona],
                    excluded_checks=[positive_data_acceptance],
                    additional_checks=[positive_data_acceptance_but_business_rules, json_answer],
                )
        finally:
            transaction.set_rollback(True)


def _documented_file_type(case, content_type: str) -> bool:
    """A 200 in a non-JSON media type the operation itself documents for 200 (a calendar file, a chart image)."""
    documented = (case.operation.definition.raw.get("responses", {}).get("200") or {}).get("content") or {}
    media = content_type.split(";")[0].strip()
    return media != "application/json" and media in documented


def json_answer(ctx, response, case) -> bool | None:
    """Every answer with a body under /api/ is JSON (file hand-outs excepted: they are the file; so is an image the
    operation documents as its 200 answer, such as a chart)."""
    body = response.content
    if not body or (case.operation.path.endswith(("/download/", "/view/")) and response.status_code == 200):
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json") and not (
            response.status_code == 200 and (content_type.startswith("text/csv")
                                             or _documented_file_type(case, content_type))):
        raise AssertionError(f"not JSON: {response.status_code} {content_type} {body[:120]!r}")
    return None


# The stateful phase: sequences of calls chained by the links schemathesis infers from the schema (a list's ids
# feed the detail, its actions and its edits), as an anonymous caller, a partner and a licensor admin. Each
# sequence runs in a savepoint rolled back at its end, so sequences do not see each other's writes.
STATEFUL_PERSONAS = ("anonymous", "other_member", "admin")
STATEFUL_EXAMPLES = int(os.environ.get("GPC_FUZZ_STATEFUL_EXAMPLES", "3"))
STATEFUL_STEPS = int(os.environ.get("GPC_FUZZ_STATEFUL_STEPS", "6"))


@pytest.mark.parametrize("persona", STATEFUL_PERSONAS)
def test_api_call_sequences_conform_to_the_schema(persona, fuzz_world):
    headers = fuzz_world.headers[persona]

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            cache.clear()
            self._atomic = transaction.atomic()
            self._atomic.__enter__()

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

        def before_call(self, case) -> None:
            cache.clear()  # throttles and lockouts would otherwise answer 429 to later steps

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            # What a sequence must never meet: a 5xx or an answer that is not JSON. (What each single operation
            # documents is the stateless test's and tests/core/test_api_docs.py's business.)
            case.validate_response(response, checks=[not_a_server_error, json_answer], headers=headers)

    Workflow.run(settings=settings(
        max_examples=STATEFUL_EXAMPLES, stateful_step_count=STATEFUL_STEPS, deadline=None,
        derandomize=os.environ.get("GPC_FUZZ_RANDOM") is None, suppress_health_check=list(HealthCheck),
        database=None,
    ))
