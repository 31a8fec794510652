"""Every API operation is documented for a client developer, in English and Chinese (apps/core/api/schema.py `doc`).

For each operation of /api/schema/: a one-line summary, a description, every error answer listing the machine codes
it can carry (each with a stated meaning), and an example of the main success answer that the answer's own schema
accepts. With `Accept-Language: zh-hans` the summaries, descriptions, tags and code meanings are Chinese.
"""

import copy
import re

import jsonschema
import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from apps.core.api.schema import compose_example, error_codes, main_success

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    with translation.override("en"):
        return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture(scope="module")
def schema_zh():
    with translation.override("zh-hans"):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, items in schema["paths"].items():
        for method, operation in items.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def problems_of(name, operation, schema) -> list[str]:
    problems = []
    summary = operation.get("summary", "")
    description = operation.get("description", "")
    if not summary.strip():
        problems.append("no summary")
    elif "\n" in summary or len(summary) > 90 or summary.endswith("."):
        problems.append(f"summary is not one short line without a full stop: {summary!r}")
    if len(description.strip()) < 30 or description.strip() == summary.strip():
        problems.append("no description for a client developer (what it does, who may, what it answers)")
    known = error_codes()
    for status, response in responses_of(operation, schema).items():
        if status[0] in "45":
            codes = response.get("x-error-codes") or []
            if not codes:
                problems.append(f"{status} lists no error code")
            problems.extend(f"{status} code {code!r} has no stated meaning "
                            "(ERROR_CODES in apps/<app>/api/documented.py)" for code in codes if code not in known)
    main = main_success(operation)
    if main is not None:
        status, content = main
        examples = [item["value"] for item in content.get("examples", {}).values() if "value" in item]
        if "example" in content:
            examples.append(content["example"])
        if not examples:
            missing: list[str] = []
            compose_example(content.get("schema", {}), schema["components"]["schemas"], missing)
            problems.append(f"{status} has no example; give these fields an example in FIELD_EXAMPLES "
                            f"(apps/<app>/api/documented.py) or pass doc(example=...): {sorted(set(missing))}")
        for example in examples:
            error = validation_error(example, content.get("schema", {}), schema)
            if error:
                problems.append(f"{status} example does not match its schema: {error}")
    return problems


def responses_of(operation, schema) -> dict:
    """The operation's answers, shared ones (components/responses) resolved."""
    shared = schema["components"].get("responses", {})
    return {status: shared[response["$ref"].rsplit("/", 1)[-1]] if "$ref" in response else response
            for status, response in operation["responses"].items()}


def _as_json_schema(node):
    """OpenAPI 3.0's `nullable` as JSON Schema's null type, so jsonschema can check examples."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _as_json_schema(value) for key, value in node.items() if key != "example"}
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def validation_error(value, target, schema) -> str | None:
    document = {**_as_json_schema(copy.deepcopy(target)),
                "components": {"schemas": _as_json_schema(schema["components"]["schemas"])}}
    try:
        jsonschema.validate(value, document, cls=jsonschema.Draft202012Validator)
    except jsonschema.ValidationError as exc:
        return f"{exc.message} at {'/'.join(map(str, exc.absolute_path))}"
    return None


def test_every_operation_is_documented(schema):
    found = {name: problems_of(name, operation, schema) for name, operation in operations(schema)}
    failing = {name: problems for name, problems in found.items() if problems}
    assert not failing, "\n".join(f"{name}: {'; '.join(problems)}" for name, problems in sorted(failing.items()))


def test_try_it_out_offers_realistic_text_not_strings_generated_from_patterns(schema):
    """Swagger UI fills a request's text field from its pattern when it has no example: random characters."""
    missing = sorted(
        f"{name}.{field}" for name, component in schema["components"]["schemas"].items() if name.endswith("Request")
        for field, prop in component.get("properties", {}).items()
        if prop.get("type") == "string" and "pattern" in prop and "example" not in prop and "enum" not in prop
    )
    assert not missing, f"give these an example in FIELD_EXAMPLES (apps/<app>/api/documented.py): {missing}"


def test_errors_are_listed_per_operation_not_one_list_for_all(schema):
    """403 and 409 appear only where the operation (or its guarded viewset) can really answer them."""
    by_status = {"403": 0, "409": 0}
    total = 0
    for _name, operation in operations(schema):
        total += 1
        for status in by_status:
            by_status[status] += status in operation["responses"]
    assert by_status["409"] < total / 2, by_status
    assert by_status["403"] < total, by_status


def test_429_and_503_answers_document_retry_after(schema):
    for name, operation in operations(schema):
        responses = responses_of(operation, schema)
        for status in ("429", "503"):
            if status in responses:
                assert "Retry-After" in responses[status].get("headers", {}), (name, status)


HAN = re.compile(r"[\u4e00-\u9fff]")


def test_documentation_is_chinese_with_accept_language_zh_hans(schema, schema_zh):
    english = dict(operations(schema))
    untranslated = []
    for name, operation in operations(schema_zh):
        for key in ("summary", "description"):
            if not HAN.search(operation.get(key, "")):
                untranslated.append(f"{name} {key}: {english[name].get(key, '')[:60]!r}")
    assert not untranslated, "add to apps/<app>/locale/zh_Hans/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)
    assert HAN.search(schema_zh["info"]["description"])
    assert all(HAN.search(tag["description"]) for tag in schema_zh["tags"])


def test_every_error_code_meaning_is_translated():
    with translation.override("zh-hans"):
        untranslated = sorted(code for code, meaning in error_codes().items() if not HAN.search(str(meaning)))
    assert not untranslated, untranslated


def test_schema_view_answers_in_the_requested_language(client):
    english = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get("/api/schema/?format=json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert not HAN.search(english["info"]["description"])
    assert HAN.search(chinese["info"]["description"])
    assert HAN.search(chinese["paths"]["/api/v1/auth/token/"]["post"]["summary"])


def test_tags_follow_the_client_journey(schema):
    names = [tag["name"] for tag in schema["tags"]]
    assert names == ["accounts", "companies", "catalog", "partnering", "data rooms", "agreements",
                     "deal intelligence", "alliances", "financing", "service providers", "notifications"]
    for name, operation in operations(schema):
        assert operation.get("tags", [""])[0] in names, (
            f"{name}: add its path to TAGS in apps/core/api/schema_document.py")
