"""The API's FilterSet shares its declarations between requests (apps/core/api/filters.py): each request must
still filter by its own parameters, call its own methods, refuse a choice that does not exist, and label the
filter form in the reader's language."""

from __future__ import annotations

from typing import Any

import django_filters
import pytest
from django.http import QueryDict
from django.utils import translation

from apps.companies.models import Company, CompanyKind
from apps.core.api.filters import FilterSet
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


class CompanyFilter(FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CompanyKind.choices)
    named = django_filters.CharFilter(method="filter_named")

    class Meta:
        model = Company
        fields: list[str] = []

    def filter_named(self, queryset: Any, name: str, value: str) -> Any:
        self.asked = value  # the method runs on the filter set of its own request
        return queryset.filter(name_en__icontains=value)


def _filter(query: str) -> CompanyFilter:
    return CompanyFilter(QueryDict(query), queryset=Company.objects.order_by("name_en"))


def test_each_request_filters_by_its_own_parameters() -> None:
    CompanyFactory(name_en="Alpha Bio", kind=CompanyKind.BIOTECH)
    CompanyFactory(name_en="Beta Pharma", kind=CompanyKind.PHARMA)
    first, second = _filter("named=alpha"), _filter("named=beta&kind=pharma")
    # Both exist at once, as in two threads of one process.
    assert [c.name_en for c in first.qs] == ["Alpha Bio"]
    assert [c.name_en for c in second.qs] == ["Beta Pharma"]
    assert (first.asked, second.asked) == ("alpha", "beta")
    assert first.filters["named"] is not second.filters["named"]
    assert first.filters["named"].parent is first and second.filters["named"].parent is second


def test_a_choice_that_does_not_exist_is_refused_every_time() -> None:
    for _ in range(2):  # the second form comes from the cached class
        refused = _filter("kind=castle")
        assert not refused.is_valid()
        assert "kind" in refused.errors
    assert _filter("kind=biotech").is_valid()


def test_the_filter_form_speaks_the_readers_language() -> None:
    # The form class is built once (here in English); its choice labels still follow each request's language.
    with translation.override("en"):
        assert str(dict(_filter("").form.fields["kind"].choices)[CompanyKind.BIOTECH]) == "Biotech"
    with translation.override("zh-hans"):
        assert str(dict(_filter("").form.fields["kind"].choices)[CompanyKind.BIOTECH]) == "生物技术公司"
