from apps.datarooms.api.rules import BUSINESS_RULES
from tests.datarooms.matrix import ROWS


def test_business_rules_name_real_data_room_operations():
    assert set(BUSINESS_RULES) <= {row.operation for row in ROWS}
