"""Money for agreements: exact decimals in a currency, never floats.

Rules (stated once, tested in tests/agreements/test_money.py):

* Amounts are `Decimal`. Input is accepted as a string or an integer; a floating-point number is refused,
  because by the time it reaches us it may already be off by a fraction of a cent.
* Each currency has its number of decimal places: JPY 0, USD/CNY/EUR 2. Amounts entered by people must
  already fit (100.5 JPY is refused, not silently rounded): a contract states an exact figure.
* Figures we *derive* (a conversion to USD, a royalty on net sales) are quantized to the target currency with
  ROUND_HALF_EVEN ("banker's rounding"): halves go to the even neighbour, so summing many conversions does
  not drift upward the way ROUND_HALF_UP does. This is the IEEE 754 / Python `decimal` default as well.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

ROUNDING = ROUND_HALF_EVEN

# Largest amount we store: DecimalField(max_digits=20, decimal_places=2) → 18 integer digits.
MAX_DIGITS = 20
STORED_PLACES = 2
MAX_AMOUNT = Decimal("9" * (MAX_DIGITS - STORED_PLACES))


class Currency(models.TextChoices):
    USD = "USD", _("US dollar")
    CNY = "CNY", _("Chinese yuan")
    EUR = "EUR", _("Euro")
    JPY = "JPY", _("Japanese yen")


DECIMAL_PLACES: dict[str, int] = {Currency.USD: 2, Currency.CNY: 2, Currency.EUR: 2, Currency.JPY: 0}
BASE_CURRENCY = Currency.USD


class MoneyError(ValueError):
    """An amount that cannot be taken as money. `message` is a lazy translation for the API."""

    def __init__(self, message: Any):
        self.message = message
        super().__init__(str(message))


def exponent(currency: str) -> Decimal:
    return Decimal(1).scaleb(-DECIMAL_PLACES[currency])


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round a *derived* figure to the currency's places with the stated rule (ROUND_HALF_EVEN)."""
    return amount.quantize(exponent(currency), rounding=ROUNDING)


def parse_amount(value: Any, currency: str, *, allow_zero: bool = True) -> Decimal:
    """An amount entered by a person: a string or integer, non-negative, exact to the currency's places."""
    if currency not in DECIMAL_PLACES:
        raise MoneyError(_("Unknown currency."))
    if isinstance(value, (bool, float)):
        raise MoneyError(_("Send amounts as strings (e.g. \"60000000.00\"), never as floating-point numbers."))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except (InvalidOperation, ValueError):
            raise MoneyError(_("Not a valid amount.")) from None
    else:
        raise MoneyError(_("Not a valid amount."))
    if not amount.is_finite():
        raise MoneyError(_("Not a valid amount."))
    if amount < 0:
        raise MoneyError(_("Amounts cannot be negative."))
    if not allow_zero and amount == 0:
        raise MoneyError(_("The amount must be greater than zero."))
    if amount > MAX_AMOUNT:
        raise MoneyError(_("The amount is too large."))
    places = DECIMAL_PLACES[currency]
    if amount != amount.quantize(exponent(currency), rounding=ROUNDING):
        raise MoneyError(_("%(currency)s amounts have at most %(places)d decimal places.")
                         % {"currency": currency, "places": places})
    return amount.quantize(exponent(currency))


def plain(value: Decimal) -> str:
    """A rate or share as a plain decimal string without trailing zeros: "10", "12.5", "0.1375" (never "1E+1",
    which is what str() of a normalized Decimal gives, and what no client or this API's own input accepts)."""
    return format(value.normalize(), "f")


def to_str(amount: Decimal | None, currency: str) -> str | None:
    """Amounts leave the API as strings with exactly the currency's places ("60000000.00", "1500000")."""
    if amount is None:
        return None
    return str(amount.quantize(exponent(currency), rounding=ROUNDING))


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        if self.currency not in DECIMAL_PLACES:
            raise ValueError(f"unknown currency {self.currency}")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError("cannot add amounts in different currencies")
        return Money(self.amount + other.amount, self.currency)

    def quantized(self) -> Money:
        return Money(quantize(self.amount, self.currency), self.currency)

    def convert(self, rate: Decimal, to_currency: str) -> Money:
        """`rate` = units of `to_currency` per one unit of self.currency; result quantized (ROUND_HALF_EVEN)."""
        return Money(quantize(self.amount * rate, to_currency), to_currency)

    def as_dict(self) -> dict[str, str | None]:
        return {"amount": to_str(self.amount, self.currency), "currency": self.currency}
