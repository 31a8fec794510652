"""One ordering behaviour on every list: the schema lists the accepted values, anything else is a 400."""

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def _lists_with_ordering():
    with translation.override("en"):
        schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, items in schema["paths"].items():
        parameters = {p["name"]: p for p in items.get("get", {}).get("parameters", [])}
        if "{" not in path and "ordering" in parameters:
            yield path, parameters["ordering"]["schema"]


LISTS = sorted(_lists_with_ordering())


def test_every_list_that_orders_lists_its_values():
    assert len(LISTS) >= 15
    for path, schema in LISTS:
        assert schema.get("enum"), path


@pytest.mark.parametrize("path", [path for path, _schema in LISTS])
def test_an_unknown_ordering_is_refused_and_a_listed_one_accepted(path, world):
    client = world.client("staff")
    refused = client.get(f"{path}?ordering=no_such_field")
    assert refused.status_code == 400, (path, refused.content)
    assert refused.json()["error"]["code"] == "invalid"
    assert "ordering" in refused.json()["error"]["fields"]
    values = dict(LISTS)[path]["enum"]
    accepted = client.get(f"{path}?ordering={values[-1]}")
    assert accepted.status_code == 200, (path, values[-1], accepted.content)
