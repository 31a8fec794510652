import pytest

from apps.datarooms.api.documented import BUSINESS_RULES
from tests.datarooms.matrix import ROWS


def test_business_rules_name_real_data_room_operations():
    assert set(BUSINESS_RULES) <= {row.operation for row in ROWS}


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "code"), [("9999-12-31T23:59:59-14:00", "expiry_out_of_range"),
                                             ("0001-01-01T00:00:00+14:00", "expiry_in_past")])
def test_an_expiry_no_clock_can_hold_is_refused_with_a_code(world, room, value, code):
    client = world.client("admin")
    response = client.patch(f"/api/v1/dataroom-grants/{room.grant.pk}/", {"expires_at": value}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    response = client.post("/api/v1/dataroom-grants/", {"room": room.room.pk, "company": world.partner.pk,
                                                        "level": "view", "expires_at": value}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_the_versions_list_declares_no_filters_it_does_not_apply():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = schema["paths"]["/api/v1/dataroom-documents/{id}/versions/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} == {"id", "page", "page_size"}
