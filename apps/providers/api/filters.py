"""Provider search: full text (English and Chinese) and a filter on every structured field of the profile.

Code-list filters take several values and match a profile that has any of them (`category=us_agent&category=
nmpa_agent`); `jurisdiction` takes a territory spec ("us", "eu,GB") and matches providers serving all of it."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from apps.agreements.money import Currency
from apps.agreements.terms import AMOUNT_PATTERN
from apps.catalog.api.filters import ChoiceOrderingFilter
from apps.catalog.models import Agency, Modality, TherapeuticArea
from apps.catalog.territories import Territory, spec_pattern
from apps.core.api.filters import FilterSet
from apps.core.errors import ValidationFailed

from ..models import ProviderProfile, ProviderRecord
from ..search import MAX_QUERY_LENGTH, search
from ..taxonomy import Language, RecordType, ServiceCategory

_TERRITORY_SPEC = re.compile(spec_pattern())


@extend_schema_field({"type": "string", "pattern": AMOUNT_PATTERN, "example": "50000.00",
                     "description": "Providers whose indicative price starts at or below this (in price_currency)."})
class AmountFilter(django_filters.CharFilter):
    """A plain decimal amount ("120000.00"), as the filter parses it."""


# Without this the schema says nothing about the value (`{}`), and any string a client sends is "valid".
@extend_schema_field({"type": "number", "minimum": 1, "maximum": 5, "example": 4.5,
                     "description": "Minimum average rating (1 to 5)."})
class RatingFilter(django_filters.NumberFilter):
    """An average rating from 1 to 5 (decimals allowed: 4.5)."""


class ProviderFilter(FilterSet):
    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH, label=_("Search"),
                                  help_text=_("Full-text search over the profile (English and Chinese)."))
    category = django_filters.MultipleChoiceFilter(choices=ServiceCategory.choices, method="filter_codes",
                                                   label=_("Service category"))
    jurisdiction = django_filters.CharFilter(method="filter_jurisdiction", max_length=500, label=_("Jurisdiction"),
                                             help_text=_("Region or country codes the provider must serve, all."))
    agency = django_filters.MultipleChoiceFilter(choices=Agency.choices, method="filter_codes", label=_("Agency"))
    area = django_filters.MultipleChoiceFilter(choices=TherapeuticArea.choices, method="filter_codes",
                                               label=_("Therapeutic area"))
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, method="filter_codes",
                                                   label=_("Modality"))
    language = django_filters.MultipleChoiceFilter(choices=Language.choices, method="filter_codes",
                                                   label=_("Working language"))
    record_type = django_filters.MultipleChoiceFilter(choices=RecordType.choices, method="filter_record",
                                                      label=_("Inspection or certification"))
    price_currency = django_filters.ChoiceFilter(choices=Currency.choices, label=_("Price currency"))
    price_max = AmountFilter(method="filter_price_max", max_length=30, label=_("Price up to"),
                                          help_text=_("Providers whose indicative price starts at or below this "
                                                      "(in price_currency)."))
    min_rating = RatingFilter(method="filter_min_rating", label=_("Minimum average rating"), min_value=1, max_value=5)

    class Meta:
        model = ProviderProfile
        fields: list[str] = []

    _CODE_FIELDS = {"category": "categories", "agency": "agencies", "area": "therapeutic_areas",
                    "modality": "modalities", "language": "languages"}

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)

    def filter_codes(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(**{f"{self._CODE_FIELDS[name]}__has_any": list(value)})

    @extend_schema_field({"type": "string", "pattern": spec_pattern()})
    def filter_jurisdiction(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not _TERRITORY_SPEC.search(value):
            raise ValidationFailed(_("A territory is made of region codes and ISO country codes."),
                                   code="invalid_territory", fields={"jurisdiction": [value[:40]]})
        territory = Territory.parse(value)
        return queryset.filter(jurisdictions__has_all=territory.codes()) if territory else queryset.none()

    def filter_record(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(pk__in=ProviderRecord.objects.filter(record_type__in=list(value)).values("provider_id"))

    def filter_price_max(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        try:
            amount = Decimal(value)
        except (InvalidOperation, ValueError):
            raise ValidationFailed(_("Not a valid amount."), code="invalid_amount",
                                   fields={"price_max": [_("Not a valid amount.")]}) from None
        if not amount.is_finite():
            raise ValidationFailed(_("Not a valid amount."), code="invalid_amount",
                                   fields={"price_max": [_("Not a valid amount.")]})
        return queryset.filter(Q(price_min__lte=amount))

    def filter_min_rating(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        if value is None:
            return queryset
        # average >= value  <=>  rating_sum >= value * rating_count (no division, no float)
        from django.db.models import F

        return queryset.filter(rating_count__gt=0, rating_sum__gte=F("rating_count") * Decimal(value))


class ProviderOrdering(ChoiceOrderingFilter):
    """`?ordering=` once, one of the view's `ordering_fields` (a 400 otherwise), then the id. The public
    `company__name_en` is the profile's copy of the company's name (`company_name_en`): a column on the profile, so
    the cursor can carry it and a page walks the index in that order instead of joining and sorting every match."""

    COLUMNS = {"company__name_en": "company_name_en"}

    def get_ordering(self, request: Any, queryset: QuerySet, view: Any) -> list[str]:
        ordering = super().get_ordering(request, queryset, view)
        return [("-" if term.startswith("-") else "") + self.COLUMNS.get(term.lstrip("-"), term.lstrip("-"))
                for term in ordering]
