import pytest
from rest_framework.exceptions import ValidationError

from apps.agreements.api.documented import BUSINESS_RULES
from tests.agreements.matrix import ROWS


def test_business_rules_name_real_agreement_operations():
    assert set(BUSINESS_RULES) <= {row.operation for row in ROWS}


@pytest.mark.parametrize("amount", [" 5", "5 ", "1e3", "+5", "5.", ".5", "0x10"])
def test_amounts_are_plain_digits_as_the_schema_states(amount):
    from apps.agreements.terms import AmountField

    with pytest.raises(ValidationError) as refused:
        AmountField().run_validation(amount)
    assert "Not a valid amount" in str(refused.value)


@pytest.mark.parametrize("rate", [" 5", "1e1", "+5", "-0"])
def test_percentages_are_plain_digits_as_the_schema_states(rate):
    from apps.agreements.terms import PercentField

    with pytest.raises(ValidationError):
        PercentField().run_validation(rate)
