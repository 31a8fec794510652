"""Discovery filters. Teaser fields filter every visible row; confidential fields (target, indication,
mechanism, INN, designation, agency, owner company) filter only rows whose core the caller may read."""

import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from apps.catalog.models import (
    STAGE_RANK,
    Agency,
    Asset,
    AssetStatus,
    DealType,
    Designation,
    Modality,
    RegulatoryEvent,
    Stage,
    TherapeuticArea,
    WatchlistEntry,
)
from apps.catalog.search import MAX_QUERY_LENGTH, search
from apps.catalog.selectors import designation_q, only_confidential
from apps.catalog.services import normalize_indication, normalize_target
from apps.catalog.territories import Territory, spec_pattern
from apps.core.api.filters import (
    FilterBackend,
    FilterSet,
    IdFilter,
    OrderingFilter,
    hidden_fields,
    readable_ordering_fields,
)
from apps.core.errors import ValidationFailed

_TERRITORY_SPEC = re.compile(spec_pattern())


def _field_label(name: str) -> Any:
    """The model field's verbose name as a lazy label: django-filter would otherwise compute a plain string once,
    in whatever language was active (and keep it on the class once the schema generator has read it)."""
    return capfirst(getattr(Asset._meta.get_field(name), "verbose_name", name))


class AssetFilter(FilterSet):
    # Every filter has a label (lazy, so the browsable API's filter form speaks the reader's language).
    q = django_filters.CharFilter(method="filter_search", max_length=MAX_QUERY_LENGTH, label=_("Search"),
                                  help_text=_("Full-text search over the teaser (English and Chinese)."))
    modality = django_filters.MultipleChoiceFilter(choices=Modality.choices, label=_field_label("modality"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_field_label("stage"))
    stage_min = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage_min",
                                            label=_("Earliest stage"))
    stage_max = django_filters.ChoiceFilter(choices=Stage.choices, method="filter_stage_max",
                                            label=_("Latest stage"))
    area = django_filters.MultipleChoiceFilter(choices=TherapeuticArea.choices, method="filter_area",
                                               label=_("Therapeutic area"),
                                               help_text=_("Therapeutic area (any of those given)."))
    deal_type = django_filters.MultipleChoiceFilter(choices=DealType.choices, method="filter_deal_type",
                                                    label=_("Deal type"))
    territory = django_filters.CharFilter(method="filter_territory", max_length=500, label=_("Territories available"),
                                          help_text=_("Region or country codes; rights must be available in all."))
    status = django_filters.MultipleChoiceFilter(choices=AssetStatus.choices, label=_field_label("status"))
    watched = django_filters.ChoiceFilter(choices=[("true", "true"), ("false", "false")], method="filter_watched",
                                          label=_("On my watchlist"),
                                          help_text=_("true: only assets on your watchlist; false: only others."))
    # Confidential: only rows whose core the caller may read can match.
    target = django_filters.CharFilter(method="filter_target", max_length=60, label=_("Target"))
    indication = django_filters.CharFilter(method="filter_indication", max_length=200, label=_("Indication"))
    mechanism = django_filters.CharFilter(method="filter_mechanism", max_length=200,
                                          label=_field_label("mechanism"))
    inn = django_filters.CharFilter(method="filter_inn", max_length=120, label=_field_label("inn"))
    designation = django_filters.ChoiceFilter(choices=Designation.choices, method="filter_designation",
                                              label=_("Designation"))
    agency = django_filters.ChoiceFilter(choices=Agency.choices, method="filter_agency", label=_("Agency"))
    owner_company = IdFilter(method="filter_owner_company", label=_field_label("owner_company"))

    class Meta:
        model = Asset
        fields: list[str] = []

    @property
    def user(self) -> Any:
        return self.request.user

    # Filters on core fields match only rows whose core the reader may read (only_confidential; proven by
    # tests/catalog/test_visibility.py): the reader-fields check (apps/core/api/filters.py) need not hide them.
    readable_rows_only = ("target", "indication", "mechanism", "inn", "designation", "agency", "owner_company")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        low, high = self.form.cleaned_data.get("stage_min"), self.form.cleaned_data.get("stage_max")
        if low and high and STAGE_RANK[low] > STAGE_RANK[high]:
            raise ValidationFailed(_("The stage range is reversed: stage_min comes after stage_max."),
                                   code="reversed_range", fields={"stage_max": [_("Must not precede stage_min.")]})
        return super().filter_queryset(queryset)

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value, self.user)

    def filter_stage_min(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(stage__in=Stage.values[STAGE_RANK[value]:]) if value else queryset

    def filter_stage_max(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(stage__in=Stage.values[:STAGE_RANK[value] + 1]) if value else queryset

    def filter_area(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(therapeutic_areas__has_any=list(value)) if value else queryset

    def filter_deal_type(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(deal_types__has_any=list(value)) if value else queryset

    @extend_schema_field({"type": "string", "pattern": spec_pattern()})
    def filter_territory(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        territory = Territory.parse(value)
        if not _TERRITORY_SPEC.search(value):
            # Codes separated by commas, each all lower or all upper case: exactly what the schema states.
            raise ValidationFailed(_("A territory is made of region codes and ISO country codes."),
                                   code="invalid_territory", fields={"territory": [value[:40]]})
        return queryset.filter(territories__has_all=territory.codes()) if territory else queryset.none()

    def filter_watched(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        watched = Q(pk__in=WatchlistEntry.objects.filter(user=self.user).values("asset_id"))
        return queryset.filter(watched if value == "true" else ~watched)

    def filter_target(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return only_confidential(queryset, self.user, Q(targets__has_all=[normalize_target(value)]))

    def filter_indication(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return only_confidential(queryset, self.user, Q(indications__has_all=[normalize_indication(value)]))

    def filter_mechanism(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return only_confidential(queryset, self.user, Q(mechanism__icontains=value.strip()))

    def filter_inn(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return only_confidential(queryset, self.user, Q(inn__iexact=value.strip()))

    def filter_designation(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return only_confidential(queryset, self.user, designation_q(value)) if value else queryset

    def filter_agency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        events = RegulatoryEvent.objects.filter(agency=value).values("asset_id")
        return only_confidential(queryset, self.user, Q(pk__in=events)) if value else queryset

    @extend_schema_field(OpenApiTypes.INT)
    def filter_owner_company(self, queryset: QuerySet, name: str, value: int | None) -> QuerySet:
        if value is None:
            return queryset
        return only_confidential(queryset, self.user, Q(owner_company_id=value))


class StrictOrderingFilter(OrderingFilter):
    """Ordering only by public names of teaser fields; anything else is a 400, never silently ignored.
    Every ordering ends with the primary key so pages are stable."""

    fields_map = {"created_at": "created_at", "updated_at": "updated_at", "stage": "stage_rank",
                  "code_name": "code_name"}
    # Newest first by id, not by created_at: the cursor in `next` carries the position, and created_at is a core
    # field a teaser reader may not read (ids are public and follow creation order).
    default = ("-id",)

    def choices(self, view: Any = None) -> list[str]:
        hidden = hidden_fields(view) if view is not None else set()
        return sorted(f"{sign}{key}" for key in self.fields_map if key not in hidden for sign in ("", "-"))

    def get_valid_fields(self, queryset: QuerySet, view: Any, context: Any = None) -> list[tuple[str, Any]]:
        # What the browsable API's ordering menu offers: exactly the accepted keys (DRF's default would list every
        # serializer field, most of them answering 400), labelled with the model fields' translated names.
        hidden = hidden_fields(view)
        return [(key, _field_label(key)) for key in self.fields_map if key not in hidden]

    def get_ordering(self, request: Any, queryset: QuerySet, view: Any) -> tuple[str, ...]:
        values = request.query_params.getlist(self.ordering_param)
        if len(values) > 1:
            raise ValidationError({self.ordering_param: [_("Give this parameter once.")]})
        raw = values[0] if values else ""
        if not raw:
            return self.default
        # One key (the cursor paginates on one key plus the id), spelled exactly as the schema's enum; a key the
        # reader may not read (a core field of a row they see as a teaser) is refused like an unknown one.
        if raw not in self.choices(view):
            raise ValidationError({self.ordering_param: [
                _("Unknown ordering: %(term)s. Use one of: %(fields)s.")
                % {"term": raw[:40], "fields": ", ".join(sorted(
                    key for key, _label in self.get_valid_fields(queryset, view)))}]})
        descending = raw.startswith("-")
        field = ("-" if descending else "") + self.fields_map[raw.lstrip("-")]
        return (field, "-id" if descending else "id")

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "One of: " + ", ".join(sorted(self.fields_map)) + " (prefix - for descending).",
            "schema": {"type": "string", "enum": self.choices()},
        }]


class ChoiceOrderingFilter(OrderingFilter):
    """`?ordering=` once, one of the view's `ordering_fields` (prefix - for descending), spelled exactly as the
    schema's enum: anything else is a 400, never silently ignored. Ties are broken by the id."""

    @staticmethod
    def choices(view: Any) -> list[str]:
        return sorted(f"{sign}{key}" for key in readable_ordering_fields(view) for sign in ("", "-"))

    def get_ordering(self, request: Any, queryset: QuerySet, view: Any) -> Any:
        values = request.query_params.getlist(self.ordering_param)
        if len(values) > 1:
            raise ValidationError({self.ordering_param: [_("Give this parameter once.")]})
        raw = values[0] if values else ""
        if not raw:
            return self.get_default_ordering(view)
        if raw not in self.choices(view):
            raise ValidationError({self.ordering_param: [
                _("Unknown ordering: %(term)s. Use one of: %(fields)s.")
                % {"term": raw[:40], "fields": ", ".join(sorted(readable_ordering_fields(view)))}]})
        return [raw, "-id" if raw.startswith("-") else "id"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        choices = self.choices(view)
        if not choices:
            return []
        return [{
            "name": self.ordering_param, "required": False, "in": "query",
            "description": "One of: " + ", ".join(sorted(view.ordering_fields)) + " (prefix - for descending).",
            "schema": {"type": "string", "enum": choices},
        }]


# The guarded filter backend, and ordering only by the fields each view names (an enum in the schema).
GUARDED_FILTERS = [FilterBackend, ChoiceOrderingFilter]
