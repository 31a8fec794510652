"""The default filter and ordering backends.

* Filters on related objects compare ids and never look the object up. django-filter's default for a
  foreign key is a ModelChoiceFilter over *all* rows of the related model: an id that does not exist answers
  400 while an existing one the caller may not see answers an empty page, which tells anyone which ids
  exist. Comparing the raw id answers both with an empty page.
* Ordering and filters accept only fields the reader may read. A view declares its `ordering_fields`
  (nothing is orderable otherwise: DRF's default would take every serializer field, hidden ones included)
  and, where some readers may not read a field in every row they can list, `fields_hidden_from_reader()`
  (e.g. a folder's `held_back` for partners). For such a reader the field is exactly like an unknown one:
  an ordering by it is refused (400, as any unknown ordering), a filter on it is not applied. Sorting or
  filtering by a value one cannot read would disclose it, row by row.
* Every filter set of the API derives from `FilterSet` below, which keeps django-filter's per-request work to
  what depends on the request.
"""

import copy
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters import NumberFilter
from django_filters import rest_framework as django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter as DRFOrderingFilter

from apps.core.api.parsers import MAX_INT, MIN_INT


def hidden_fields(view: Any) -> set[str]:
    """Fields of the view's rows the current reader may not read in every row it can list."""
    method = getattr(view, "fields_hidden_from_reader", None)
    return set(method()) if method is not None else set()


def readable_ordering_fields(view: Any) -> list[str]:
    """The view's declared ordering fields the current reader may read."""
    declared = getattr(view, "ordering_fields", None)
    if declared is None or declared == "__all__":
        return []
    hidden = hidden_fields(view)
    return [name for name in declared if name not in hidden]


class Int64Field(forms.IntegerField):
    """A whole number a 64-bit column can hold: beyond that it is a 400 on every database (SQLite would raise
    OverflowError, a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_INT)
        kwargs.setdefault("max_value", MAX_INT)
        super().__init__(**kwargs)


class _RequestFilters(dict):
    """A filter set's declared filters, as django-filter copies them for each request."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        # django-filter deep-copies the filters only to set `model` and `parent` on its own objects; a deep copy
        # also copies every choice list and label. A shallow copy of each filter gives the same isolation.
        copies = {}
        for name, declared in self.items():
            one = copy.copy(declared)
            if declared.method is not None:
                one.method = declared.method  # a new FilterMethod, bound to the copy (it calls the copy's parent)
            copies[name] = one
        return copies


class _SharedChoicesFields(dict):
    """A cached filter form's fields, as Django copies them for each form: the choice lists are shared."""

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        # Django deep-copies a ChoiceField's choices per form so that a form may change them; no filter form
        # does, and copying them (with their lazy labels) was most of a filter form's cost.
        for field in self.values():
            for choices in (getattr(field, "_choices", None), getattr(field.widget, "choices", None)):
                if choices is not None:
                    memo[id(choices)] = choices
        return {name: copy.deepcopy(field, memo) for name, field in self.items()}


_FORM_CLASSES: dict[tuple[type, str | None], Any] = {}


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet doing per request only what depends on the request. On every list request it
    copied each filter deeply, built a form class (a field per filter, labels computed) and copied that form's
    fields deeply, choices included: about a millisecond of a five-millisecond catalog page (profile of the
    LOAD journey, 1 Dec). Filters and form fields are declarations no request changes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        declared: dict[str, Any] = type(self).base_filters  # type: ignore[has-type,misc]  # set by django-filter's metaclass
        self.base_filters = _RequestFilters(declared)
        super().__init__(*args, **kwargs)

    def get_form_class(self) -> Any:
        # Once per class, and per language in case a label or choice is not lazy.
        key = (type(self), get_language())
        form_class = _FORM_CLASSES.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            form_class.base_fields = _SharedChoicesFields(form_class.base_fields)
            _FORM_CLASSES[key] = form_class
        return form_class


@extend_schema_field({"type": "integer", "minimum": MIN_INT, "maximum": MAX_INT})
class IdFilter(NumberFilter):
    """A related object's id: a whole number, compared as is."""

    field_class = Int64Field


class IdFilterSet(FilterSet):
    FILTER_DEFAULTS = {
        **FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


def _names_a_filter(params: Any, filters: dict[str, Any]) -> bool:
    """Whether any query parameter may be read by one of the filters: its name, or its name with a suffix (a
    widget of two inputs, `<name>_min`/`<name>_max`, reads those)."""
    return any(param == name or param.startswith(f"{name}_") for param in params for name in filters)


class FilterBackend(DjangoFilterBackend):
    """Also refuses a one-value filter given twice (`?status=a&status=b`): layers that read the first and
    the last value differently are how parameter pollution slips past a check."""

    filterset_base = IdFilterSet
    _auto_classes: dict[tuple[Any, ...], type] = {}

    def get_filterset_class(self, view: Any, queryset: Any = None) -> Any:
        # django-filter makes a new class for a view's `filterset_fields` on every call (three per request),
        # and a new class would also defeat FilterSet's form cache: one class per model and fields.
        fields = getattr(view, "filterset_fields", None)
        if getattr(view, "filterset_class", None) or not fields or queryset is None:
            return super().get_filterset_class(view, queryset)
        shape = tuple(fields) if isinstance(fields, list | tuple) else tuple((k, tuple(v)) for k, v in fields.items())
        key = (self.filterset_base, queryset.model, shape)
        filterset_class = self._auto_classes.get(key)
        if filterset_class is None:
            filterset_class = self._auto_classes[key] = super().get_filterset_class(view, queryset)
        return filterset_class

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            repeated = sorted(
                name for name, one in filterset_class.base_filters.items()
                if not issubclass(one.field_class, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
                and len(request.query_params.getlist(name)) > 1
            )
            if repeated:
                raise ValidationError({name: [_("Give this parameter once.")] for name in repeated})
            if not _names_a_filter(request.query_params, filterset_class.base_filters):
                # Nothing to filter by (a plain page, the next page): every filter would let the rows through and
                # nothing could be invalid, so the filter set and its form are not built at all.
                return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request: Any, queryset: Any, view: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        # Only a given filter parameter can be one to drop: asking the view (a query for some, e.g. the catalog's
        # teaser probe) is skipped for the many requests that give none (a plain page), and, for a view that names
        # every field it may ever hide (`hideable_fields`), for those that give none of them (a catalog search).
        given = set(kwargs["data"]) & set(self.get_filterset_class(view, queryset).base_filters)
        candidates = given & set(getattr(view, "hideable_fields", given))
        hidden = hidden_fields(view) & candidates if candidates else set()
        if hidden:  # a filter on a field the reader may not read is not applied, as an unknown parameter
            data = kwargs["data"].copy()
            for name in hidden:
                data.pop(name)
            kwargs["data"] = data
        return kwargs

    def accepted_filters(self, request: Any, queryset: Any, view: Any) -> list[str]:
        """The filter parameters this reader's request is filtered by, if given (for the schema-wide check).
        Left out: a filterset's `readable_rows_only` filters, which match only rows whose field the reader may
        read (the catalog's core filters), so they disclose nothing whoever reads."""
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return []
        skip = hidden_fields(view) | set(getattr(filterset_class, "readable_rows_only", ()))
        return [name for name in filterset_class.base_filters if name not in skip]


class OrderingFilter(DRFOrderingFilter):
    """`?ordering=` once, by the view's `ordering_fields` the reader may read (prefix - for descending, several
    separated by commas). Anything else is a 400 naming what this reader may order by, the same answer for an
    unknown field and for one the reader may not read (nothing to learn from it), and the same behaviour as the
    catalog's orderings: never silently ignored. The schema lists the declared values (an enum)."""

    def get_valid_fields(self, queryset: Any, view: Any, context: Any = None) -> list[tuple[str, Any]]:
        return [(name, name) for name in readable_ordering_fields(view)]

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        values = request.query_params.getlist(self.ordering_param)
        if len(values) > 1:
            raise ValidationError({self.ordering_param: [_("Give this parameter once.")]})
        terms = [term.strip() for term in (values[0] if values else "").split(",") if term.strip()]
        if not terms:
            return self.get_default_ordering(view)
        readable = readable_ordering_fields(view)
        unknown = [term for term in terms if term.lstrip("-") not in readable]
        if unknown:
            raise ValidationError({self.ordering_param: [
                _("Unknown ordering: %(term)s. Use one of: %(fields)s.")
                % {"term": unknown[0][:40], "fields": ", ".join(sorted(readable)) or "-"}]})
        return terms

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        declared = getattr(view, "ordering_fields", None)
        if not declared or declared == "__all__":
            return []
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": str(_("One of: %(fields)s (prefix - for descending).")
                               % {"fields": ", ".join(sorted(declared))}),
            "schema": {"type": "string", "enum": sorted(f"{sign}{name}" for name in declared for sign in ("", "-"))},
        }]

