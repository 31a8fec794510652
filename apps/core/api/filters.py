"""The default filter backend: filters on related objects compare ids and never look the object up.

django-filter's default for a foreign key is a ModelChoiceFilter over *all* rows of the related model:
an id that does not exist answers 400 while an existing one the caller may not see answers an empty
page, which tells anyone which ids exist. Comparing the raw id answers both with an empty page.
"""

from django import forms
from django.db import models
from django_filters import NumberFilter
from django_filters.rest_framework import DjangoFilterBackend, FilterSet


class IdFilter(NumberFilter):
    """A related object's id: a whole number, compared as is."""

    field_class = forms.IntegerField


class IdFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(DjangoFilterBackend):
    filterset_base = IdFilterSet
